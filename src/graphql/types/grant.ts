import { z } from 'zod';
import { type CursorList, encodeCursor } from '../../ledger/cursor.js';
import type { Grant } from '../../ledger/index.js';
import { LedgerInputError, LedgerUnavailable } from '../../ledger/index.js';
import { authorize } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../errors/error-classes.js';
import { toLedgerInputError } from '../errors/redemption-errors.js';
import { connection, pageSize, pagingArgs } from '../queries/paging.js';
import { notInFuture, optionalText, text, validated } from '../validate.js';
import { MoneyType } from './common.js';
import { StoreEnum } from './enums.js';

export const GrantStatusEnum = builder.enumType('GrantStatus', {
  values: {
    PENDING: {
      description:
        'Written before the upstream change; settled only on evidence of that change, by the call, a duplicate or the sweeper.',
    },
    SETTLED: { description: "The upstream change is done (or none was needed): the item is the player's." },
  },
});

export const GrantOutcomeEnum = builder.enumType('GrantOutcome', {
  values: {
    CONSUMED: { description: 'The gateway consumed the purchase.' },
    ACKNOWLEDGED: { description: 'The gateway acknowledged the purchase.' },
    ACKNOWLEDGED_BEFORE: {
      description: 'Acknowledged before redemption (e.g. by the game client): nothing to change.',
    },
    RECORDED: {
      description:
        'Verified and recorded; the store has no server-side change for it (ONE store subscriptions).',
    },
  },
});

const OUTCOMES = new Set(['CONSUMED', 'ACKNOWLEDGED', 'ACKNOWLEDGED_BEFORE', 'RECORDED'] as const);
type Outcome = typeof OUTCOMES extends Set<infer T> ? T : never;
const isOutcome = (value: string | null): value is Outcome =>
  value !== null && OUTCOMES.has(value as Outcome);

/** The store identifiers a game backend may show or keep; payment tokens of NHN and Gamebase are not among them. */
const GrantStoreIdsType = builder.objectRef<Grant>('GrantStoreIds').implement({
  fields: (t) => {
    const id = (key: string, description: string) =>
      t.string({ nullable: true, description, resolve: (g) => g.storeIds[key] ?? null });
    return {
      purchaseToken: t.string({
        nullable: true,
        description: 'ONE store purchaseToken.',
        resolve: (g) => (g.store === 'ONESTORE' ? (g.storeIds.purchaseToken ?? null) : null),
      }),
      purchaseId: id(
        'purchaseId',
        "ONE store purchaseId; for a monthly product or subscription, the paid period's (the lastPurchaseId the grant was made for: one grant per period).",
      ),
      paymentSeq: id('paymentSeq', 'NHN Cloud or Gamebase paymentSeq.'),
      itemSeq: id('itemSeq', 'NHN Cloud or Gamebase itemSeq.'),
      paymentId: id(
        'paymentId',
        "Gamebase: the underlying store's payment id; for an AUTO_RENEWABLE subscription, the paid period's (it changes at every renewal: one grant per period).",
      ),
      originalPaymentId: id(
        'originalPaymentId',
        "Gamebase AUTO_RENEWABLE: the subscription's first payment id, the same for every period (absent for some stores).",
      ),
      expiryTime: t.field({
        type: 'DateTime',
        nullable: true,
        description:
          'ONE store SUBSCRIPTION and MONTHLY, Gamebase AUTO_RENEWABLE: when the paid period this grant was made for ends, as the store said at redemption (UTC); null for other purchases and for ONE store grants written before it was kept.',
        resolve: (g) => {
          const value = g.storeIds.expiryTime;
          return value === undefined || Number.isNaN(Date.parse(value)) ? null : new Date(value);
        },
      }),
      storeCode: id('storeCode', 'Gamebase: the store the payment was made in (GG, ONESTORE, ...).'),
    };
  },
});

const RevocationType = builder.objectRef<NonNullable<Grant['revocation']>>('Revocation').implement({
  fields: (t) => ({
    source: t.string({
      description:
        'Where the revocation came from, e.g. onestore.voided-purchases; SUPPORT: revokeGrant by a support key.',
      resolve: (r) => r.source ?? 'unknown',
    }),
    keyName: t.string({
      nullable: true,
      description: "SUPPORT: the revoking API key's name (never the key).",
      resolve: (r) => r.keyName ?? null,
    }),
    reason: t.string({
      nullable: true,
      description: 'SUPPORT: why, as the support key gave it.',
      resolve: (r) => r.reason ?? null,
    }),
    purchaseId: t.string({ nullable: true, resolve: (r) => r.purchaseId ?? null }),
  }),
});

export const GrantType = builder.objectRef<Grant>('Grant').implement({
  description:
    'A purchase turned into an item for a player, recorded once in the ledger. Deliver by grant id: a repeat returns the same id.',
  fields: (t) => ({
    id: t.exposeID('id'),
    app: t.exposeString('app'),
    store: t.field({ type: StoreEnum, resolve: (g) => g.store }),
    userId: t.exposeString('userId'),
    productId: t.exposeString('productId', {
      description: 'ONE store productId; NHN Cloud marketItemId (or itemSeq); Gamebase gamebaseProductId.',
    }),
    quantity: t.exposeInt('quantity'),
    status: t.field({ type: GrantStatusEnum, resolve: (g) => g.status }),
    outcome: t.field({
      type: GrantOutcomeEnum,
      nullable: true,
      description: 'What settled it; null while pending.',
      resolve: (g) => (isOutcome(g.outcome) ? g.outcome : null),
    }),
    price: t.field({
      type: MoneyType,
      nullable: true,
      description:
        'The price the store reported (NHN Cloud consume, Gamebase payment); null when it gives none.',
      resolve: (g) => {
        const amount = g.storeIds.price;
        const currency = g.storeIds.currency;
        return amount && currency ? { amount, amountMicros: null, currency } : null;
      },
    }),
    storeIds: t.field({ type: GrantStoreIdsType, resolve: (g) => g }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    settledAt: t.expose('settledAt', { type: 'DateTime', nullable: true }),
    attempts: t.exposeInt('attempts', {
      description: 'Attempts at the upstream change or its evidence: 1 at redemption, +1 per retry.',
    }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'PENDING only: when the sweeper tries again after an attempt that found no evidence of the change; null otherwise.',
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the store voided the purchase (refund, cancellation), or support revoked it (revocation.source SUPPORT): take the item back.',
    }),
    revocation: t.field({ type: RevocationType, nullable: true, resolve: (g) => g.revocation }),
  }),
});

export const LEDGER_READ_ERRORS = [
  InvalidInputError,
  ForbiddenError,
  RateLimitedError,
  LedgerUnavailable,
] as const;

type LedgerPage = { grants: Grant[]; hasNextPage: boolean; endCursor: string | null };

type GrantStore = Awaited<ReturnType<GatewayContext['ledger']['redemption']>>['storage']['grants'];

/**
 * A ledger read, its failure by kind: input the ledger refuses (a NUL byte, broken UTF-16, a forged
 * cursor) is the caller's InvalidInputError, checked before any query; an unreachable or timed-out
 * database is LedgerUnavailable, registered as LedgerUnavailableError; anything else (a LedgerFault)
 * is no member of the union, so the caller sees a masked internal error with the request id and
 * the log one `unexpected error` line with it (server/unexpected-errors.ts).
 */
export async function read<T>(ctx: GatewayContext, call: (grants: GrantStore) => Promise<T>): Promise<T> {
  try {
    return await (await ctx.ledger.redemption()).read(call);
  } catch (error) {
    if (error instanceof LedgerInputError)
      throw error.field === 'after'
        ? new InvalidInputError('after', 'after is not a cursor of this list.')
        : toLedgerInputError(error, { id: 'id', userId: 'userId', app: 'app' });
    throw error;
  }
}

/** The ledger's keyset page as a Relay page; every edge gets the cursor of its own position. */
function relayPage(page: LedgerPage, list: CursorList, after: string | null | undefined) {
  const edges = page.grants.map((node) => ({
    node,
    cursor: encodeCursor(list, {
      at: (list === 'user' ? node.createdAt : node.revokedAt) ?? new Date(0),
      id: node.id,
    }),
  }));
  return connection(edges, {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: Boolean(after),
    endCursor: page.endCursor,
  });
}

const GrantsArgs = z.object({ userId: optionalText('userId') });
const GrantArgs = z.object({ id: text('grantId') });

export const GrantConnection = builder.connectionObject({ type: GrantType, name: 'GrantConnection' });

builder.queryFields((t) => {
  const pageArgs = {
    app: t.arg.string({ required: true }),
    ...pagingArgs('Grants'),
  };
  return {
    grants: t.field({
      type: GrantConnection,
      description:
        "Grants in the ledger, newest first: a player's (userId), those in one status, or both. `status: PENDING` without userId lists the app's grants still waiting for evidence of their store change (docs/redemption.md).",
      errors: { types: [...LEDGER_READ_ERRORS] },
      authScopes: { read: true },
      args: {
        ...pageArgs,
        userId: t.arg.string({ required: false, description: 'One player; give it, status, or both.' }),
        status: t.arg({ type: GrantStatusEnum, required: false, description: 'Only grants in this status.' }),
      },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        if (args.userId == null && args.status == null)
          throw new InvalidInputError('userId', 'Give userId, status, or both.');
        const { userId } = validated(GrantsArgs, args);
        const status = args.status ?? undefined;
        const first = pageSize(args.first);
        const page = await read(ctx, (grants) =>
          grants.listGrants(
            args.app,
            { ...(userId !== undefined && { userId }), ...(status !== undefined && { status }) },
            { first, ...(args.after && { after: args.after }) },
          ),
        );
        return relayPage(page, 'user', args.after);
      },
    }),
    revokedGrants: t.field({
      type: GrantConnection,
      description:
        'Grants whose purchase the store voided (refund, cancellation) since a time, oldest first: claw the items back. Filled by the revocation sync and by ONE store payment notifications (docs/events.md).',
      errors: { types: [...LEDGER_READ_ERRORS] },
      authScopes: { read: true },
      args: {
        ...pageArgs,
        since: t.arg({
          type: 'DateTime',
          required: true,
          description: 'Revoked at or after (not in the future).',
        }),
      },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        notInFuture('since', args.since, ctx.now());
        const first = pageSize(args.first);
        const page = await read(ctx, (grants) =>
          grants.listRevoked(args.app, args.since, {
            first,
            ...(args.after && { after: args.after }),
          }),
        );
        return relayPage(page, 'revoked', args.after);
      },
    }),
    grant: t.field({
      type: GrantType,
      description: 'One grant by id.',
      errors: { types: [...LEDGER_READ_ERRORS, NotFoundError] },
      authScopes: { read: true },
      args: { app: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        const { id } = validated(GrantArgs, { id: String(args.id) });
        const grant = await read(ctx, (grants) => grants.findById(id));
        // Another app's grant is as unknown as a missing one.
        if (!grant || grant.app !== args.app)
          throw new NotFoundError('The ledger has no such grant for this app.');
        return grant;
      },
    }),
  };
});
