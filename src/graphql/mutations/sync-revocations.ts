import type { Market } from '../../entitlements/records.js';
import { LedgerUnavailable } from '../../ledger/index.js';
import type { SyncResult } from '../../redemption/revocations.js';
import type { StoreId } from '../../vocabulary/stores.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import { ERROR_CODES, type ErrorCode, LOOKUP_ERRORS, type TypedError } from '../errors/error-classes.js';
import { ErrorInterface } from '../errors/error-objects.js';
import { toRedeemError } from '../errors/redemption-errors.js';
import { MarketEnum } from '../types/enums.js';

const isTypedError = (value: unknown): value is TypedError & { retryAfterSeconds?: unknown } =>
  value instanceof Error && ERROR_CODES.some((code) => (value as Partial<TypedError>).code === code);

/**
 * A market whose run failed, as an error of its own: what the error type a caller would get for the
 * failure (the one table, through `toRedeemError`) says, and the market. A value, not the Error it is
 * read from (GraphQL would take a returned Error for a failed field).
 */
class MarketSyncFailure implements TypedError {
  readonly message: string;
  readonly code: ErrorCode;
  readonly store: StoreId | null;
  readonly storeCode: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly market: Market,
    error: TypedError & { retryAfterSeconds?: unknown },
  ) {
    this.message = error.message;
    this.code = error.code;
    this.store = error.store ?? null;
    this.storeCode = error.storeCode ?? null;
    this.retryAfterSeconds = typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : null;
  }
}

/** Anything the table does not map is thrown, masked with the request id, as a thrown error of any mutation is. */
function typedFailure(market: Market, error: unknown): MarketSyncFailure {
  const typed = toRedeemError(error);
  if (!isTypedError(typed)) throw typed;
  return new MarketSyncFailure(market, typed);
}

type SyncReport = Omit<SyncResult, 'failed'> & { failed: MarketSyncFailure[] };

const RevocationSyncMarketError = builder.objectType(MarketSyncFailure, {
  name: 'RevocationSyncMarketError',
  description:
    "A market whose revocation run failed (the app's other markets ran all the same); code and message are those the failure has everywhere else: STORE_UNAVAILABLE (retry after retryAfterSeconds), STORE_PROTOCOL_ERROR (the store answered outside its protocol; the next run reads the window again), LEDGER_UNAVAILABLE ...",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof MarketSyncFailure,
  fields: (t) => ({
    market: t.field({ type: MarketEnum, resolve: (f) => f.market }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', {
      nullable: true,
      description: 'When a retry can help, after how long.',
    }),
  }),
});

const RevocationSyncReport = builder.objectRef<SyncReport>('RevocationSyncReport').implement({
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
      description:
        'Every void recorded by the store up to this time is applied; null when a market did not complete (see failed).',
    }),
    failed: t.field({
      type: [RevocationSyncMarketError],
      description: 'Every market whose run failed, each with its error; empty when none did.',
      resolve: (r) => r.failed,
    }),
  }),
});

builder.mutationField('syncRevocations', (t) =>
  t.field({
    type: RevocationSyncReport,
    description:
      'Read ONE store voided purchases now (it also runs every ledger.revocationSyncIntervalSeconds) and mark the matching grants revoked. Each market runs on its own: one that fails is listed in `failed` and the others are still read.',
    errors: { types: [...LOOKUP_ERRORS, LedgerUnavailable] },
    authScopes: { write: true },
    args: { app: t.arg.string({ required: true }) },
    resolve: async (_root, { app }, ctx) => {
      oneStoreOf(authorize(ctx, app));
      try {
        const service = await ctx.ledger.redemption();
        const result = await service.syncApp(app, ctx.scope);
        return { ...result, failed: result.failed.map((f) => typedFailure(f.market, f.error)) };
      } catch (error) {
        throw toRedeemError(error);
      }
    },
  }),
);
