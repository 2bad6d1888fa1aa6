import type { Grant, SupportGrant } from '../../ledger/index.js';
import { LedgerInputError } from '../../ledger/index.js';
import { authorize } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  GrantAlreadyRevokedError,
  InvalidInputError,
  NotFoundError,
  UnknownEntitlementError,
} from '../errors/error-classes.js';
import { toLedgerInputError } from '../errors/redemption-errors.js';
import { GrantType, LEDGER_READ_ERRORS } from '../types/grant.js';
import { SupportGrantType } from '../types/support-grant.js';
import { inputSchema, text, validated } from '../validate.js';
import { inputMutation } from './input-mutation.js';

/**
 * The support actions (issue 27, docs/entitlements.md "Support actions"): a key with the `support`
 * scope, and no other, gives a player an entitlement of the app's catalogue or revokes a grant, each
 * recorded in the ledger with the key's name and a reason, and told as an event.
 */

const GrantEntitlementInput = builder.inputType('GrantEntitlementInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    userId: t.string({ required: true, description: "The player, as the ledger's grants name them." }),
    entitlement: t.string({ required: true, description: "An entitlement id of the app's catalogue." }),
    until: t.field({
      type: 'DateTime',
      required: false,
      description: 'When it ends (UTC), in the future; null or absent: forever.',
    }),
    reason: t.string({ required: true, description: 'Why (1-500 characters), kept in the ledger.' }),
  }),
});

const RevokeGrantInput = builder.inputType('RevokeGrantInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    id: t.id({
      required: true,
      description: 'A store grant id (Grant.id) or a support grant id (SupportGrant.id).',
    }),
    reason: t.string({ required: true, description: 'Why (1-500 characters), kept in the ledger.' }),
  }),
});

const GrantSchema = inputSchema<typeof GrantEntitlementInput.$inferInput>()({
  userId: text('userId'),
  entitlement: text('entitlementId'),
  reason: text('reason'),
});

const RevokeSchema = inputSchema<typeof RevokeGrantInput.$inferInput>()({
  id: text('grantId'),
  reason: text('reason'),
});

const GrantEntitlementSuccess = builder
  .objectRef<{ supportGrant: SupportGrant }>('GrantEntitlementSuccess')
  .implement({
    description:
      'The support grant is written with its SUPPORT_GRANT_CREATED event; `player` counts it from now.',
    fields: (t) => ({
      supportGrant: t.field({ type: SupportGrantType, resolve: (r) => r.supportGrant }),
    }),
  });

interface Revoked {
  grant: Grant | null;
  supportGrant: SupportGrant | null;
}

const RevokeGrantSuccess = builder.objectRef<Revoked>('RevokeGrantSuccess').implement({
  description:
    'The grant is revoked, with its event in the same transaction: SUPPORT_GRANT_REVOKED, or GRANT_REVOKED for a settled store grant (a PENDING one is told when it settles). One of the two fields is set: the kind of grant the id named.',
  fields: (t) => ({
    grant: t.field({
      type: GrantType,
      nullable: true,
      description: 'A store grant, revoked with revocation.source SUPPORT, the key name and the reason.',
      resolve: (r) => r.grant,
    }),
    supportGrant: t.field({ type: SupportGrantType, nullable: true, resolve: (r) => r.supportGrant }),
  }),
});

/** The ledger's names of the values it refuses, as the input's paths. */
const INPUT_FIELDS = {
  app: 'input.app',
  userId: 'input.userId',
  entitlementId: 'input.entitlement',
  id: 'input.id',
  reason: 'input.reason',
} as const;

type GrantStore = Awaited<ReturnType<GatewayContext['ledger']['redemption']>>['storage']['grants'];

/** A ledger call of a support action; its typed outcomes are thrown by the caller, outside it. */
async function ledger<T>(ctx: GatewayContext, call: (grants: GrantStore) => Promise<T>): Promise<T> {
  try {
    return await (await ctx.ledger.redemption()).read(call);
  } catch (error) {
    if (error instanceof LedgerInputError) throw toLedgerInputError(error, INPUT_FIELDS);
    throw error;
  }
}

inputMutation('grantEntitlement', {
  type: GrantEntitlementSuccess,
  description:
    "Support: give a player an entitlement of the app's catalogue, from now until `until` (absent: forever), recorded with the key's name and the reason. `support` scope only.",
  errors: [...LEDGER_READ_ERRORS, UnknownEntitlementError],
  input: GrantEntitlementInput,
  scope: 'support',
  resolve: async (input, ctx) => {
    const stores = authorize(ctx, input.app, 'input.app');
    const { userId, entitlement, reason } = validated(GrantSchema, input, 'input');
    const now = ctx.now();
    const until = input.until ?? null;
    if (until !== null && until.getTime() <= now.getTime())
      throw new InvalidInputError('input.until', 'input.until must be in the future.');
    // The input is well formed; now whether the catalogue has the id.
    if (!Object.hasOwn(stores.entitlements, entitlement))
      throw new UnknownEntitlementError("The app's catalogue has no entitlement with this id.");
    const supportGrant = await ledger(ctx, (grants) =>
      grants.support.create({
        app: input.app,
        userId,
        entitlementId: entitlement,
        startsAt: now,
        until,
        reason,
        keyName: ctx.caller.keyName,
      }),
    );
    return { supportGrant };
  },
});

inputMutation('revokeGrant', {
  type: RevokeGrantSuccess,
  description:
    "Support: revoke a store grant or a support grant by id, recorded with the key's name and the reason. A grant revoked before answers GrantAlreadyRevokedError (no second event). `support` scope only.",
  errors: [...LEDGER_READ_ERRORS, NotFoundError, GrantAlreadyRevokedError],
  input: RevokeGrantInput,
  scope: 'support',
  resolve: async (input, ctx): Promise<Revoked> => {
    authorize(ctx, input.app, 'input.app');
    const { id, reason } = validated(RevokeSchema, { ...input, id: String(input.id) }, 'input');
    const by = { keyName: ctx.caller.keyName, reason, at: ctx.now() };
    const outcome = await ledger(ctx, async (grants) => {
      const support = await grants.support.revoke(input.app, id, by);
      if (support.kind !== 'notFound') return support;
      const revocation = { source: 'SUPPORT', keyName: by.keyName, reason };
      const grant = await grants.revokeById(input.app, id, revocation, by.at);
      if (grant !== null) return { kind: 'grantRevoked' as const, grant };
      const existing = await grants.findById(id);
      // Another app's grant is as unknown as a missing one.
      return existing === null || existing.app !== input.app
        ? ({ kind: 'notFound' } as const)
        : ({ kind: 'alreadyRevoked' } as const);
    });
    switch (outcome.kind) {
      case 'revoked':
        return { grant: null, supportGrant: outcome.value };
      case 'grantRevoked':
        return { grant: outcome.grant, supportGrant: null };
      case 'alreadyRevoked':
        throw new GrantAlreadyRevokedError('This grant was revoked before; nothing changed.');
      case 'notFound':
        throw new NotFoundError('The ledger has no grant or support grant with this id for this app.');
    }
  },
});
