import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 27, support actions: a key with the `support` scope (and no other) gives a player an
 * entitlement of the catalogue (grantEntitlement) and revokes store or support grants (revokeGrant),
 * each recorded with the key's name and reason, told as an event, and counted by `player`.
 */

const CATALOGUE = {
  vip: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'vip_30d' }], grants: { days: 30 } },
  no_ads: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'no_ads' }], grants: 'forever' },
};
const KEYS = { support: 'support-key-1', read: 'read-key-1', write: 'write-key-1' };
const API_KEYS = [
  { name: 'desk', sha256: sha256Hex(KEYS.support), apps: [APP], scopes: ['support'] },
  { name: 'reader', sha256: sha256Hex(KEYS.read), apps: [APP], scopes: ['read'] },
  { name: 'backend', sha256: sha256Hex(KEYS.write), apps: [APP], scopes: ['read', 'write'] },
];
const DAY = 86_400_000;
/** The gateway's (sandbox's) clock, frozen here for exact figures. */
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const SUPPORT_GRANT =
  'id app userId entitlement since until revokedAt reason keyName revokeReason revokedByKey';
const GRANT = `mutation ($input: GrantEntitlementInput!) {
  grantEntitlement(input: $input) {
    __typename
    ... on GrantEntitlementSuccess { supportGrant { ${SUPPORT_GRANT} } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const REVOKE = `mutation ($input: RevokeGrantInput!) {
  revokeGrant(input: $input) {
    __typename
    ... on RevokeGrantSuccess {
      grant { id revokedAt revocation { source keyName reason } }
      supportGrant { ${SUPPORT_GRANT} }
    }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const PLAYER = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    __typename
    ... on Player {
      entitlements { id active since expiresAt periodType store productId source grantId willRenew }
      supportGrants { id entitlement since until revokedAt reason keyName revokeReason revokedByKey }
      events(first: 10) { ... on GatewayEventConnection { edges { node {
        type grant { id } supportGrant { id revokedAt }
      } } } }
    }
    ... on Error { code message }
  }
}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`support actions on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(
      backend,
      { gateway: { appEntitlements: CATALOGUE, config: { apiKeys: API_KEYS } } },
      (started) => {
        ({ g, ledger } = started);
        g.h.sandbox.clock.set(T0);
        g.h.sandbox.clock.freeze(true);
      },
    );

    const grantAs = (key: string, input: Record<string, unknown>) =>
      g.gql(GRANT, { input: { app: APP, ...input } }, { key });

    it('grants vip for 7 days with a reason: recorded with the key name, told as SUPPORT_GRANT_CREATED', async () => {
      const answer = await grantAs(KEYS.support, {
        userId: 'p-vip',
        entitlement: 'vip',
        until: iso(T0 + 7 * DAY),
        reason: 'Compensation for the outage of 6 December',
      });
      const created = answer.data.grantEntitlement as { supportGrant: { id: string } };
      expect(created).toEqual({
        __typename: 'GrantEntitlementSuccess',
        supportGrant: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          app: APP,
          userId: 'p-vip',
          entitlement: 'vip',
          since: iso(T0),
          until: iso(T0 + 7 * DAY),
          revokedAt: null,
          reason: 'Compensation for the outage of 6 December',
          keyName: 'desk',
          revokeReason: null,
          revokedByKey: null,
        },
      });
      const events = await ledger.events.after(APP, null, 100);
      const mine = events.filter((e) => e.subject === created.supportGrant.id);
      expect(mine.map((e) => e.type)).toEqual(['SUPPORT_GRANT_CREATED']);
      const rows = await ledger.db.query<{ key_name: string; reason: string; entitlement_id: string }>(
        'SELECT key_name, reason, entitlement_id FROM support_grants WHERE id = $1',
        [created.supportGrant.id],
      );
      expect(rows).toEqual([
        { key_name: 'desk', reason: 'Compensation for the outage of 6 December', entitlement_id: 'vip' },
      ]);
    });
  });
}
