import { LedgerUnavailable } from '../../ledger/index.js';
import type { SyncResult } from '../../redemption/revocations.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
import { toRedeemError } from '../errors/redemption-errors.js';

const RevocationSyncReport = builder.objectRef<SyncResult>('RevocationSyncReport').implement({
  description: "One run of the app's revocation sync.",
  fields: (t) => ({
    app: t.exposeString('app'),
    ran: t.exposeBoolean('ran', {
      description: 'False when another replica was syncing this app: nothing was read.',
    }),
    pages: t.exposeInt('pages', { description: 'Pages of voided purchases read from the store.' }),
    voidedSeen: t.exposeInt('voidedSeen'),
    grantsRevoked: t.exposeInt('grantsRevoked', { description: 'Grants newly marked revoked by this run.' }),
    completedUntil: t.expose('completedUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'Every void recorded by the store up to this time is applied.',
    }),
  }),
});

builder.mutationField('syncRevocations', (t) =>
  t.field({
    type: RevocationSyncReport,
    description:
      'Read ONE store voided purchases now (it also runs every ledger.revocationSyncIntervalSeconds) and mark the matching grants revoked.',
    errors: { types: [...LOOKUP_ERRORS, LedgerUnavailable] },
    authScopes: { write: true },
    args: { app: t.arg.string({ required: true }) },
    resolve: async (_root, { app }, ctx) => {
      oneStoreOf(authorize(ctx, app));
      try {
        const service = await ctx.redemption();
        return await service.syncApp(app, ctx.scope);
      } catch (error) {
        throw toRedeemError(error);
      }
    },
  }),
);
