import { z } from 'zod';
import type { NhnCloudApp, OneStoreApp } from '../../entitlements/app-stores.js';
import { fromNhnPayment, fromPurchaseDetails, fromUnconfirmed } from '../../entitlements/purchases.js';
import type { PurchaseRecord } from '../../entitlements/records.js';
import { authorize, nhnCloudOf, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { listArgs, listPage } from '../queries/lists.js';
import { loadableType, mapLimited } from '../request-loader.js';
import { ONE_STORE_REF, optionalText, text, validated } from '../validate.js';
import { EntitlementType, MoneyType, StoreTimeType } from './common.js';
import {
  AcknowledgementStateEnum,
  ConsumptionStateEnum,
  MarketEnum,
  PurchaseKindEnum,
  PurchaseStateEnum,
  StoreEnum,
} from './enums.js';
import { ItemType, recordItem } from './item.js';

/** Its loader (`PurchaseType.getDataloader(ctx)`) reads ONE store purchases; NHN payments come in lists. */
export const PurchaseType = loadableType<PurchaseKey, PurchaseRecord>('Purchase', {
  load: loadPurchases,
  cacheKeyFn: (k) => JSON.stringify([k.app, k.one.market, k.productId, k.purchaseToken]),
});

builder.objectType(PurchaseType, {
  description: 'A ONE store managed-product purchase or an NHN Cloud payment, normalized.',
  fields: (t) => ({
    store: t.field({ type: StoreEnum, resolve: (p: PurchaseRecord) => p.store }),
    app: t.exposeString('app'),
    kind: t.field({ type: PurchaseKindEnum, resolve: (p) => p.kind }),
    productId: t.exposeString('productId', { nullable: true }),
    purchaseToken: t.exposeString('purchaseToken'),
    purchaseId: t.exposeString('purchaseId', { nullable: true }),
    orderId: t.exposeString('orderId', { nullable: true }),
    market: t.field({ type: MarketEnum, nullable: true, resolve: (p) => p.market }),
    quantity: t.exposeInt('quantity'),
    purchaseState: t.field({ type: PurchaseStateEnum, resolve: (p) => p.purchaseState }),
    consumptionState: t.field({ type: ConsumptionStateEnum, resolve: (p) => p.consumptionState }),
    acknowledgementState: t.field({ type: AcknowledgementStateEnum, resolve: (p) => p.acknowledgementState }),
    developerPayload: t.exposeString('developerPayload', { nullable: true }),
    purchasedAt: t.expose('purchasedAt', { type: 'DateTime', nullable: true }),
    acknowledgeDeadline: t.expose('acknowledgeDeadline', {
      type: 'DateTime',
      nullable: true,
      description:
        'ONE store cancels the purchase if it is neither acknowledged nor consumed by then (3 days).',
    }),
    paymentSeq: t.exposeString('paymentSeq', { nullable: true, description: 'NHN Cloud payment number.' }),
    itemSeq: t.exposeString('itemSeq', { nullable: true, description: 'NHN Cloud item ID.' }),
    price: t.expose('price', { type: MoneyType, nullable: true }),
    storeTimes: t.expose('storeTimes', { type: [StoreTimeType] }),
    entitlement: t.expose('entitlement', { type: EntitlementType }),
    item: t.field({
      type: ItemType,
      description: 'The catalogue item: by itemSeq for NHN Cloud, by marketItemId = productId for ONE store.',
      errors: { types: [...LOOKUP_ERRORS] },
      resolve: (p, _args, ctx) =>
        p.itemSeq !== null
          ? recordItem(ctx, p.app, 'itemSeq', p.itemSeq)
          : recordItem(ctx, p.app, 'marketItemId', p.productId ?? ''),
    }),
  }),
});

/** A ONE store purchase to read; `one` is the app's ONE store, as `authorize` handed it over. */
export interface PurchaseKey {
  readonly app: string;
  readonly one: OneStoreApp;
  readonly productId: string;
  readonly purchaseToken: string;
}

function loadPurchases(
  keys: readonly PurchaseKey[],
  ctx: GatewayContext,
): Promise<(PurchaseRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async ({ app, one, productId, purchaseToken }) => {
    const details = await storeCall(() =>
      one.client.getPurchaseDetails({ productId, purchaseToken }, { scope: ctx.scope }),
    );
    return fromPurchaseDetails(
      details,
      { productId, purchaseToken },
      { app, market: one.market, time: one.time },
    );
  });
}

/** One user's unconsumed list; `nhn` is the app's NHN Cloud, as `authorize` handed it over. */
export interface UnconsumedKey {
  readonly app: string;
  readonly nhn: NhnCloudApp;
  readonly userChannel: string;
  readonly userKey: string;
}

/**
 * NHN Cloud has no "get one payment" call: a payment is verified through its user's unconsumed list.
 * This type's loader fetches each (app, channel, user) list once, however many payments of that
 * user one operation checks; an NHN Cloud consume clears it.
 */
export const UnconsumedPurchasesType = loadableType<UnconsumedKey, { purchases: PurchaseRecord[] }>(
  'UnconsumedPurchases',
  {
    load: (keys, ctx) =>
      mapLimited(keys, ctx.upstreamConcurrency, async ({ app, nhn, userChannel, userKey }) => {
        const list = await storeCall(() =>
          nhn.client.getConsumableList({ appSeq: nhn.appSeq, userKey, userChannel }, { scope: ctx.scope }),
        );
        return { purchases: list.map((payment) => fromNhnPayment(payment, app)) };
      }),
    cacheKeyFn: (k) => JSON.stringify([k.app, k.userChannel, k.userKey]),
  },
);

/** What every ONE store `market` argument says about its default. */
export const MARKET_ARG = "The purchase's market; default the app's first configured market.";

/** The lookup takes the reference as top-level arguments: errors name `productId`, `purchaseToken`. */
export const LookupArgs = z.object(ONE_STORE_REF);

const UnconsumedArgs = z.object({ userChannel: optionalText('userChannel'), userKey: text('userKey') });

const PurchaseConnection = builder.connectionObject({ type: PurchaseType, name: 'PurchaseConnection' });

builder.objectType(UnconsumedPurchasesType, {
  description: "A user's NHN Cloud payments that are paid but not consumed: deliver, then consume each.",
  fields: (t) => ({ purchases: t.expose('purchases', { type: [PurchaseType] }) }),
});

builder.queryFields((t) => ({
  purchase: t.field({
    type: PurchaseType,
    description: 'A ONE store managed-product purchase by productId and purchaseToken (getPurchaseDetails).',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      productId: t.arg.string({ required: true }),
      purchaseToken: t.arg.string({ required: true }),
      market: t.arg({ type: MarketEnum, required: false, description: MARKET_ARG }),
    },
    resolve: (_root, args, ctx) => {
      const one = oneStoreOf(authorize(ctx, args.app), args.market);
      return PurchaseType.getDataloader(ctx).load({ app: args.app, one, ...validated(LookupArgs, args) });
    },
  }),
  unconfirmedPurchases: t.field({
    type: PurchaseConnection,
    description:
      'ONE store purchases neither acknowledged nor consumed (getUnconfirmedPurchases): the store cancels them after 3 days.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: listArgs,
    resolve: (_root, args, ctx) =>
      listPage(args, ctx, {
        open: (one, query, start) => one.client.unconfirmedPurchaseWalk(query, { scope: ctx.scope }, start),
        items: (page, one): PurchaseRecord[] => {
          const context = { app: args.app, market: one.market, time: one.time };
          return page.unconfirmedPurchaseList.map((item) => fromUnconfirmed(item, context));
        },
      }),
  }),
  unconsumedPurchases: t.field({
    type: UnconsumedPurchasesType,
    description: 'NHN Cloud payments of one user not consumed yet (Payment Consumable API).',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      userKey: t.arg.string({ required: true }),
      userChannel: t.arg.string({ required: false, description: 'Default "GF", the store default.' }),
    },
    resolve: (_root, args, ctx) => {
      const nhn = nhnCloudOf(authorize(ctx, args.app));
      const { userChannel = 'GF', userKey } = validated(UnconsumedArgs, args);
      return UnconsumedPurchasesType.getDataloader(ctx).load({ app: args.app, nhn, userChannel, userKey });
    },
  }),
}));
