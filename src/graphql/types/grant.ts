import type { Grant } from '../../ledger/index.js';
import { builder } from '../builder.js';
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
        'ONE store purchaseId (the last one, for monthly products and subscriptions).',
      ),
      paymentSeq: id('paymentSeq', 'NHN Cloud or Gamebase paymentSeq.'),
      itemSeq: id('itemSeq', 'NHN Cloud or Gamebase itemSeq.'),
      paymentId: id('paymentId', "Gamebase: the underlying store's payment id."),
      storeCode: id('storeCode', 'Gamebase: the store the payment was made in (GG, ONESTORE, ...).'),
    };
  },
});

const RevocationType = builder.objectRef<NonNullable<Grant['revocation']>>('Revocation').implement({
  fields: (t) => ({
    source: t.string({
      description: 'Where the revocation came from, e.g. onestore.voided-purchases.',
      resolve: (r) => r.source ?? 'unknown',
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
      description: 'When the store voided the purchase (refund, cancellation): take the item back.',
    }),
    revocation: t.field({ type: RevocationType, nullable: true, resolve: (g) => g.revocation }),
  }),
});
