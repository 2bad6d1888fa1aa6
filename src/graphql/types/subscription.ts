import type { SubscriptionRecord } from '../../entitlements/records.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
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

export const SubscriptionType = builder.objectRef<SubscriptionRecord>('Subscription').implement({
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
