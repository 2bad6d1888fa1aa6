import type { ItemRecord } from '../../entitlements/records.js';
import { nhnCloudOf, recordApp } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { type ItemKey, itemLoader } from '../loaders.js';
import { StoreEnum } from './enums.js';

/** Items come from the app's NHN Cloud catalogue, cached per app (catalogTtlSeconds). */
export const ItemType = builder.objectRef<ItemRecord>('Item').implement({
  description: 'An item registered in the NHN Cloud IAP console for the app.',
  fields: (t) => ({
    store: t.field({ type: StoreEnum, resolve: (i: ItemRecord) => i.store }),
    app: t.exposeString('app'),
    itemSeq: t.exposeString('itemSeq', { description: 'NHN Cloud item ID.' }),
    name: t.exposeString('name'),
    marketItemId: t.exposeString('marketItemId', {
      description: "The store's product ID (e.g. the ONE store productId).",
    }),
    marketId: t.exposeString('marketId', {
      description: 'GG (Google Play), AS (App Store), TS (ONE store).',
    }),
    inUse: t.exposeBoolean('inUse', { description: 'usingStatus USE.' }),
    registeredAt: t.exposeString('registeredAt', {
      nullable: true,
      description: 'regYmdt as the store writes it.',
    }),
  }),
});

/** The item of a purchase or subscription record, from its app's catalogue. */
export function recordItem(
  ctx: GatewayContext,
  app: string,
  by: ItemKey['by'],
  value: string,
): Promise<ItemRecord> {
  const stores = recordApp(ctx, app);
  nhnCloudOf(stores);
  return itemLoader(ctx).load({ stores, by, value });
}
