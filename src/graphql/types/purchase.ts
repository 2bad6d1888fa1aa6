import type { PurchaseRecord } from '../../entitlements/records.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
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

export const PurchaseType = builder.objectRef<PurchaseRecord>('Purchase').implement({
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
