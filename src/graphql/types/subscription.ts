import type { SubscriptionKind, SubscriptionRecord } from '../../entitlements/records.js';
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
