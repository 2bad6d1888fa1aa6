import type { VoidedPurchaseRecord } from '../../entitlements/records.js';
import { builder } from '../builder.js';
import { StoreTimeType } from './common.js';
import { MarketEnum, StoreEnum } from './enums.js';

export const VoidedPurchaseType = builder.objectRef<VoidedPurchaseRecord>('VoidedPurchase').implement({
  description: 'A purchase the store cancelled or refunded: take back what it granted.',
  fields: (t) => ({
    store: t.field({ type: StoreEnum, resolve: (v) => v.store }),
    app: t.exposeString('app'),
    purchaseId: t.exposeString('purchaseId'),
    purchaseToken: t.exposeString('purchaseToken'),
    market: t.field({ type: MarketEnum, nullable: true, resolve: (v) => v.market }),
    purchasedAt: t.expose('purchasedAt', { type: 'DateTime' }),
    voidedAt: t.expose('voidedAt', { type: 'DateTime' }),
    storeTimes: t.expose('storeTimes', { type: [StoreTimeType] }),
  }),
});
