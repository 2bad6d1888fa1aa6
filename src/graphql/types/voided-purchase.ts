import type { VoidedPurchaseRecord } from '../../entitlements/records.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
import { listArgs, listPage } from '../queries/lists.js';
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

const VoidedPurchaseConnection = builder.connectionObject({
  type: VoidedPurchaseType,
  name: 'VoidedPurchaseConnection',
});

builder.queryFields((t) => ({
  voidedPurchases: t.field({
    type: VoidedPurchaseConnection,
    description:
      'Purchases ONE store cancelled or refunded, by voided time (getVoidedPurchases). Revoke what they granted.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: listArgs,
    resolve: (_root, args, ctx) =>
      listPage(args, ctx, {
        open: (one, query, start) => one.client.voidedPurchaseWalk(query, { scope: ctx.scope }, start),
        items: (page, one): VoidedPurchaseRecord[] =>
          page.voidedPurchaseList.map((v) => ({
            store: 'ONESTORE' as const,
            app: args.app,
            purchaseId: v.purchaseId,
            purchaseToken: v.purchaseToken,
            market: v.marketCode === 'MKT_ONE' || v.marketCode === 'MKT_GLB' ? v.marketCode : null,
            purchasedAt: one.time.toUtc(v.purchaseTime),
            voidedAt: one.time.toUtc(v.voidedTime),
            storeTimes: one.time.collect({ purchaseTime: v.purchaseTime, voidedTime: v.voidedTime }),
          })),
      }),
  }),
}));
