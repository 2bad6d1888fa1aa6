import type { SupportGrant } from '../../ledger/index.js';
import { builder } from '../builder.js';

/**
 * SupportGrant: an entitlement a support key gave a player (`grantEntitlement`), served by
 * `Player.supportGrants`, the SUPPORT_GRANT_* events and the support mutations' results.
 */
export const SupportGrantType = builder.objectRef<SupportGrant>('SupportGrant').implement({
  description:
    "An entitlement of the app's catalogue given to a player by a key with the `support` scope (grantEntitlement), with who gave it and why. `player` counts it (source SUPPORT) from `since` to `until`, cut at `revokedAt`.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Revoke it with revokeGrant(input: { id }).' }),
    app: t.exposeString('app'),
    userId: t.exposeString('userId'),
    entitlement: t.exposeString('entitlementId', {
      description: "The catalogue's entitlement id, e.g. vip.",
    }),
    since: t.expose('startsAt', { type: 'DateTime', description: 'When it was granted (UTC).' }),
    until: t.expose('until', {
      type: 'DateTime',
      nullable: true,
      description: 'When it ends (UTC); null: forever.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When revokeGrant revoked it (UTC); null while it stands.',
    }),
    reason: t.exposeString('reason', { description: 'Why it was granted, as the support key gave it.' }),
    keyName: t.exposeString('keyName', { description: "The granting API key's name (never the key)." }),
    revokeReason: t.exposeString('revokeReason', { nullable: true }),
    revokedByKey: t.exposeString('revokedByKey', {
      nullable: true,
      description: "The revoking API key's name.",
    }),
  }),
});
