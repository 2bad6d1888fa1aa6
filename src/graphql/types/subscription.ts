import type {
  PriceChange,
  Promotion,
  SubscriptionKind,
  SubscriptionRecord,
} from '../../entitlements/records.js';
import { fromMonthly, fromSubscription } from '../../entitlements/subscriptions.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { LOOKUP_ERRORS, NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { loadableType, mapLimited } from '../request-loader.js';
import { validated } from '../validate.js';
import { EntitlementType, MoneyType, StoreTimeType } from './common.js';
import {
  AcknowledgementStateEnum,
  CancelReasonEnum,
  MarketEnum,
  PeriodTypeEnum,
  StoreEnum,
  SubscriptionKindEnum,
  SubscriptionStatusEnum,
} from './enums.js';
import { ItemType, recordItem } from './item.js';
import { LookupArgs, MARKET_ARG, type PurchaseKey } from './purchase.js';

/** A ONE store subscription or monthly product; its loader is `SubscriptionType.getDataloader(ctx)`. */
export const SubscriptionType = loadableType<SubscriptionKey, SubscriptionRecord>('Subscription', {
  load: loadSubscriptions,
  cacheKeyFn: (k) => JSON.stringify([k.app, k.one.market, k.productId, k.purchaseToken, k.kind]),
});

const PriceChangeType = builder.objectRef<PriceChange>('SubscriptionPriceChange').implement({
  description:
    "getSubscriptionDetail priceChange (가격변동정보): a new price waiting for the subscriber's consent.",
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'The price change sequence number (seq).' }),
    previousPrice: t.expose('previousPrice', { type: MoneyType }),
    newPrice: t.expose('newPrice', { type: MoneyType }),
    appliesAt: t.expose('appliesAt', { type: 'DateTime', description: 'applyTimeMillis (적용일자).' }),
    agreed: t.exposeBoolean('agreed', { description: 'agreement: the subscriber agreed to the new price.' }),
    agreementDueAt: t.expose('agreementDueAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'agreementDueDateTimeMillis (the change date + 7 + 30 days). Not agreed by then: the subscription ' +
        'is not renewed (the subscriber may still agree until the first automatic payment after it). ' +
        'Null when the store leaves it out.',
    }),
  }),
});

const PromotionType = builder.objectRef<Promotion>('SubscriptionPromotion').implement({
  description: 'getSubscriptionDetail promotionPrice.',
  fields: (t) => ({
    price: t.expose('price', { type: MoneyType }),
    periods: t.exposeInt('periods', {
      description:
        'promotionPeriod (프로모션 적용 회차): how many payment rounds the promotion price applies to. ' +
        'The store gives no count of rounds paid so far; periodType says whether the current one was.',
    }),
  }),
});

builder.objectType(SubscriptionType, {
  description: 'A ONE store monthly (월정액) or subscription (구독형) product, normalized.',
  fields: (t) => ({
    store: t.field({ type: StoreEnum, resolve: (s: SubscriptionRecord) => s.store }),
    app: t.exposeString('app'),
    kind: t.field({ type: SubscriptionKindEnum, resolve: (s) => s.kind }),
    productId: t.exposeString('productId'),
    purchaseToken: t.exposeString('purchaseToken'),
    market: t.field({ type: MarketEnum, resolve: (s) => s.market }),
    status: t.field({ type: SubscriptionStatusEnum, resolve: (s) => s.status }),
    autoRenewing: t.exposeBoolean('autoRenewing'),
    acknowledgementState: t.field({ type: AcknowledgementStateEnum, resolve: (s) => s.acknowledgementState }),
    lastPurchaseId: t.exposeString('lastPurchaseId'),
    developerPayload: t.exposeString('developerPayload', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    nextPaymentAt: t.expose('nextPaymentAt', { type: 'DateTime', nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    cancelReason: t.field({ type: CancelReasonEnum, nullable: true, resolve: (s) => s.cancelReason }),
    pauseStartsAt: t.expose('pauseStartsAt', { type: 'DateTime', nullable: true }),
    pauseEndsAt: t.expose('pauseEndsAt', { type: 'DateTime', nullable: true }),
    autoResumeAt: t.expose('autoResumeAt', { type: 'DateTime', nullable: true }),
    price: t.expose('price', {
      type: MoneyType,
      nullable: true,
      description: 'Subscriptions only; monthly products carry no price.',
    }),
    nextPrice: t.expose('nextPrice', { type: MoneyType, nullable: true }),
    linkedPurchaseToken: t.exposeString('linkedPurchaseToken', {
      nullable: true,
      description: 'The token this one replaced (plan change).',
    }),
    countryCode: t.exposeString('countryCode', {
      nullable: true,
      description: 'countryCode ("KR 고정" in the document); null for monthly products.',
    }),
    periodType: t.field({ type: PeriodTypeEnum, resolve: (s) => s.periodType }),
    willRenew: t.boolean({
      description:
        'Whether the store will take the next payment: autoRenewing, not CANCELLED or EXPIRED, and no price ' +
        'change left unagreed past its agreementDueAt. A monthly product: autoRenewing and entitled.',
      resolve: (s) => s.willRenew,
    }),
    billingIssueSince: t.expose('billingIssueSince', {
      type: 'DateTime',
      nullable: true,
      description:
        'IN_GRACE_PERIOD or ON_HOLD (paymentState 0): when the failed payment was due, read from ' +
        'nextPaymentTimeMillis (the store gives no failure time); else null.',
    }),
    priceChange: t.expose('priceChange', {
      type: PriceChangeType,
      nullable: true,
      description: 'Subscriptions only.',
    }),
    promotion: t.expose('promotion', {
      type: PromotionType,
      nullable: true,
      description: 'Subscriptions only.',
    }),
    storeTimes: t.expose('storeTimes', { type: [StoreTimeType] }),
    entitlement: t.expose('entitlement', { type: EntitlementType }),
    item: t.field({
      type: ItemType,
      description: 'The catalogue item whose marketItemId is this productId.',
      errors: { types: [...LOOKUP_ERRORS] },
      resolve: (s, _args, ctx) => recordItem(ctx, s.app, 'marketItemId', s.productId),
    }),
  }),
});

/** Without a kind, the subscription endpoint is asked first and the monthly one on NoSuchData. */
export interface SubscriptionKey extends PurchaseKey {
  readonly kind: SubscriptionKind | null;
}

/** The caller need not know whether a token is a subscription or a monthly product. */
function loadSubscriptions(
  keys: readonly SubscriptionKey[],
  ctx: GatewayContext,
): Promise<(SubscriptionRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async ({ app, one, productId, purchaseToken, kind }) => {
    const ref = { productId, purchaseToken };
    const call = { scope: ctx.scope };
    const base = { app, market: one.market, time: one.time, ref, now: ctx.now() };
    if (kind !== 'MONTHLY') {
      try {
        return fromSubscription(await storeCall(() => one.client.getSubscriptionDetail(ref, call)), base);
      } catch (error) {
        if (kind === 'SUBSCRIPTION' || !(error instanceof NotFoundError)) throw error;
      }
    }
    return fromMonthly(await storeCall(() => one.client.getRecurringPurchaseDetails(ref, call)), base);
  });
}

builder.queryFields((t) => ({
  subscription: t.field({
    type: SubscriptionType,
    description:
      'A ONE store subscription or monthly product; give `kind` to save a call when you know which.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      productId: t.arg.string({ required: true }),
      purchaseToken: t.arg.string({ required: true }),
      kind: t.arg({ type: SubscriptionKindEnum, required: false }),
      market: t.arg({ type: MarketEnum, required: false, description: MARKET_ARG }),
    },
    resolve: (_root, args, ctx) => {
      const one = oneStoreOf(authorize(ctx, args.app), args.market);
      const ref = validated(LookupArgs, args);
      return SubscriptionType.getDataloader(ctx).load({
        app: args.app,
        one,
        ...ref,
        kind: args.kind ?? null,
      });
    },
  }),
}));
