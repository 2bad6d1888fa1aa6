import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { AppStores, OneStoreApp } from '../entitlements/app-stores.js';
import { fromPurchaseDetails } from '../entitlements/purchases.js';
import type {
  ItemRecord,
  PurchaseRecord,
  SubscriptionKind,
  SubscriptionRecord,
} from '../entitlements/records.js';
import { fromMonthly, fromSubscription } from '../entitlements/subscriptions.js';
import type { GatewayContext } from './context.js';
import { NotFoundError } from './errors/error-classes.js';
import { storeCall } from './errors/store-error-map.js';

/**
 * The request-scoped DataLoaders, one per kind of read, kept in Pothos's context cache (one set per
 * request, gone with it). The stores have no batch endpoints, so a batch is the distinct keys of one
 * tick, fetched with bounded concurrency; DataLoader has already removed duplicates.
 *
 * A key carries the store handle the field's resolver got when it authorized the app, so a batch
 * function checks nothing again. Its `cacheKeyFn` names the upstream answer (a JSON array, so no
 * separator can be smuggled into a part); the cache key is never parsed back.
 */

/** A ONE store purchase to read; `one` is the app's ONE store, as `authorize` handed it over. */
export interface PurchaseKey {
  readonly app: string;
  readonly one: OneStoreApp;
  readonly productId: string;
  readonly purchaseToken: string;
}

/** Without a kind, the subscription endpoint is asked first and the monthly one on NoSuchData. */
export interface SubscriptionKey extends PurchaseKey {
  readonly kind: SubscriptionKind | null;
}

/** A catalogue item of an app with NHN Cloud, by NHN's itemSeq or by the store's product ID. */
export interface ItemKey {
  readonly stores: AppStores;
  readonly by: 'itemSeq' | 'marketItemId';
  readonly value: string;
}

const purchaseCacheKey = (k: PurchaseKey) => JSON.stringify([k.app, k.productId, k.purchaseToken]);
const subscriptionCacheKey = (k: SubscriptionKey) =>
  JSON.stringify([k.app, k.productId, k.purchaseToken, k.kind]);
const itemCacheKey = (k: ItemKey) => JSON.stringify([k.stores.name, k.by, k.value]);

/** Runs `fn` over `items`, at most `limit` at a time, keeping order; failures become Error values. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<(R | Error)[]> {
  const results: (R | Error)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        results[index] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One DataLoader per request: `batch` gets the request's context, `cacheKeyFn` dedupes keys. */
export function requestLoader<K, V>(
  batch: (keys: readonly K[], ctx: GatewayContext) => Promise<(V | Error)[]>,
  cacheKeyFn: (key: K) => string,
) {
  return createContextCache(
    (ctx: GatewayContext) => new DataLoader<K, V, string>((keys) => batch(keys, ctx), { cacheKeyFn }),
  );
}

function loadPurchases(
  keys: readonly PurchaseKey[],
  ctx: GatewayContext,
): Promise<(PurchaseRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async ({ app, one, productId, purchaseToken }) => {
    const details = await storeCall(() => one.client.getPurchaseDetails({ productId, purchaseToken }));
    return fromPurchaseDetails(
      details,
      { productId, purchaseToken },
      { app, market: one.market, time: one.time },
    );
  });
}

/** The caller need not know whether a token is a subscription or a monthly product. */
function loadSubscriptions(
  keys: readonly SubscriptionKey[],
  ctx: GatewayContext,
): Promise<(SubscriptionRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async ({ app, one, productId, purchaseToken, kind }) => {
    const ref = { productId, purchaseToken };
    const base = { app, market: one.market, time: one.time, ref, now: ctx.now() };
    if (kind !== 'MONTHLY') {
      try {
        return fromSubscription(await storeCall(() => one.client.getSubscriptionDetail(ref)), base);
      } catch (error) {
        if (kind === 'SUBSCRIPTION' || !(error instanceof NotFoundError)) throw error;
      }
    }
    return fromMonthly(await storeCall(() => one.client.getRecurringPurchaseDetails(ref)), base);
  });
}

/** One catalogue call per app per request at most (and per TTL, through the app's cache). */
function loadItems(keys: readonly ItemKey[], ctx: GatewayContext): Promise<(ItemRecord | Error)[]> {
  const catalogs = new Map<AppStores, Promise<ItemRecord[]>>();
  const catalogOf = (stores: AppStores) => {
    let catalog = catalogs.get(stores);
    if (!catalog) {
      catalog = storeCall(() => stores.catalog());
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
    if (!item)
      throw new NotFoundError(`App "${stores.name}" has no item with ${by} "${value.slice(0, 150)}".`);
    return item;
  });
}

export const purchaseLoader = requestLoader(loadPurchases, purchaseCacheKey);
export const subscriptionLoader = requestLoader(loadSubscriptions, subscriptionCacheKey);
export const itemLoader = requestLoader(loadItems, itemCacheKey);

/** Every kind a subscription key can carry besides null; fails to compile when SubscriptionKind grows. */
const KINDS = { MONTHLY: 'MONTHLY', SUBSCRIPTION: 'SUBSCRIPTION' } as const satisfies {
  [K in SubscriptionKind]: K;
};

/**
 * Drops every cached read of one ONE store purchase (as a purchase, and as a subscription under
 * each kind), so a read after a change in the same request asks the store again.
 */
export function forgetPurchase(ctx: GatewayContext, key: PurchaseKey): void {
  purchaseLoader(ctx).clear(key);
  const subscriptions = subscriptionLoader(ctx);
  for (const kind of [null, ...Object.values(KINDS)]) subscriptions.clear({ ...key, kind });
}
