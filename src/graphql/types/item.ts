import { z } from 'zod';
import type { AppStores } from '../../entitlements/app-stores.js';
import type { ItemRecord } from '../../entitlements/records.js';
import { authorize, nhnCloudOf, recordApp } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError, LOOKUP_ERRORS, NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { loadableType, mapLimited } from '../request-loader.js';
import { optionalText, validated } from '../validate.js';
import { StoreEnum } from './enums.js';

/**
 * Items come from the app's NHN Cloud catalogue, cached per app (catalogTtlSeconds); within a
 * request, through this type's loader (`ItemType.getDataloader(ctx)`).
 */
export const ItemType = loadableType<ItemKey, ItemRecord>('Item', {
  load: loadItems,
  cacheKeyFn: (k) => JSON.stringify([k.stores.name, k.by, k.value]),
});

builder.objectType(ItemType, {
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

/** A catalogue item of an app with NHN Cloud, by NHN's itemSeq or by the store's product ID. */
export interface ItemKey {
  readonly stores: AppStores;
  readonly by: 'itemSeq' | 'marketItemId';
  readonly value: string;
}

/** One catalogue call per app per request at most (and per TTL, through the app's cache). */
function loadItems(keys: readonly ItemKey[], ctx: GatewayContext): Promise<(ItemRecord | Error)[]> {
  const catalogs = new Map<AppStores, Promise<ItemRecord[]>>();
  const catalogOf = (stores: AppStores) => {
    let catalog = catalogs.get(stores);
    if (!catalog) {
      catalog = storeCall(() => stores.catalog(ctx.scope));
      catalogs.set(stores, catalog);
    }
    return catalog;
  };
  return mapLimited(keys, ctx.upstreamConcurrency, async ({ stores, by, value }) => {
    const items = await catalogOf(stores);
    const matches = items.filter((item) =>
      by === 'itemSeq' ? item.itemSeq === value : item.marketItemId === value,
    );
    // Several stores may register the same marketItemId: prefer ONE store's (TS).
    const item = matches.find((i) => i.marketId === 'TS') ?? matches[0];
    // The value is the caller's: an error names the argument, not what it held (docs/SECURITY.md).
    if (!item) throw new NotFoundError(`App "${stores.name}" has no item with this ${by}.`);
    return item;
  });
}

/** The item of a purchase or subscription record, from its app's catalogue. */
export function recordItem(
  ctx: GatewayContext,
  app: string,
  by: ItemKey['by'],
  value: string,
): Promise<ItemRecord> {
  const stores = recordApp(ctx, app);
  nhnCloudOf(stores);
  return ItemType.getDataloader(ctx).load({ stores, by, value });
}

const ItemCatalog = builder.objectRef<{ items: ItemRecord[] }>('ItemCatalog').implement({
  description: "The app's NHN Cloud item catalogue.",
  fields: (t) => ({ items: t.expose('items', { type: [ItemType] }) }),
});

// Checked once exactly one of them is given; an empty itemSeq is named as itemSeq.
const ItemArgs = z.object({ itemSeq: optionalText('sequence'), marketItemId: optionalText('productId') });

builder.queryFields((t) => ({
  items: t.field({
    type: ItemCatalog,
    description: "The app's item catalogue (Item Search API), cached for catalogTtlSeconds.",
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: { app: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const stores = authorize(ctx, args.app);
      nhnCloudOf(stores);
      return { items: await storeCall(() => stores.catalog(ctx.scope)) };
    },
  }),
  item: t.field({
    type: ItemType,
    description: 'One catalogue item by itemSeq or by marketItemId (the store product ID); give exactly one.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      itemSeq: t.arg.string({ required: false }),
      marketItemId: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) => {
      const stores = authorize(ctx, args.app);
      nhnCloudOf(stores);
      const given = [args.itemSeq, args.marketItemId].filter((v) => v !== null && v !== undefined).length;
      if (given !== 1) {
        throw new InvalidInputError('itemSeq', 'Give exactly one of itemSeq and marketItemId.');
      }
      const { itemSeq, marketItemId = '' } = validated(ItemArgs, args);
      return ItemType.getDataloader(ctx).load(
        itemSeq !== undefined
          ? { stores, by: 'itemSeq', value: itemSeq }
          : { stores, by: 'marketItemId', value: marketItemId },
      );
    },
  }),
}));
