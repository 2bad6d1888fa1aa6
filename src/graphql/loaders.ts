import { fromPurchaseDetails } from '../entitlements/purchases.js';
import type { ItemRecord, PurchaseRecord, SubscriptionRecord } from '../entitlements/records.js';
import { fromMonthly, fromSubscription } from '../entitlements/subscriptions.js';
import { nhnCloudOf, oneStoreOf } from './authorize.js';
import type { GatewayContext } from './context.js';
import { ForbiddenError, NotFoundError } from './errors/error-classes.js';
import { storeCall } from './errors/store-error-map.js';

/**
 * Batch functions of the request-scoped DataLoaders. The stores have no batch endpoints, so a batch
 * is the distinct keys of one tick, fetched with bounded concurrency; DataLoader has already
 * removed duplicates. Keys are JSON arrays so that no separator can be smuggled into a part.
 */

export type PurchaseKey = string;
export type SubscriptionKey = string;
export type ItemKey = string;

export const purchaseKey = (app: string, productId: string, purchaseToken: string): PurchaseKey =>
  JSON.stringify([app, productId, purchaseToken]);
export const subscriptionKey = (
  app: string,
  productId: string,
  token: string,
  kind: string | null,
): SubscriptionKey => JSON.stringify([app, productId, token, kind ?? '']);
export const itemKey = (app: string, by: 'itemSeq' | 'marketItemId', value: string): ItemKey =>
  JSON.stringify([app, by, value]);

function parts(key: string): string[] {
  return JSON.parse(key) as string[];
}

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

function appOf(ctx: GatewayContext, name: string) {
  const stores = ctx.stores.app(name);
  // Resolvers authorize before returning a key; this guards a key built anywhere else.
  if (!stores || !ctx.caller.apps.has(name))
    throw new ForbiddenError(`This API key may not use app "${name}".`);
  return stores;
}

export function loadPurchases(
  keys: readonly PurchaseKey[],
  ctx: GatewayContext,
): Promise<(PurchaseRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async (key) => {
    const [app = '', productId = '', purchaseToken = ''] = parts(key);
    const one = oneStoreOf(appOf(ctx, app));
    const details = await storeCall(() => one.client.getPurchaseDetails({ productId, purchaseToken }));
    return fromPurchaseDetails(
      details,
      { productId, purchaseToken },
      { app, market: one.market, time: one.time },
    );
  });
}

/**
 * The caller need not know whether a token is a subscription or a monthly product: without a kind,
 * the subscription endpoint is asked first and the monthly one when the store says NoSuchData.
 */
export function loadSubscriptions(
  keys: readonly SubscriptionKey[],
  ctx: GatewayContext,
): Promise<(SubscriptionRecord | Error)[]> {
  return mapLimited(keys, ctx.upstreamConcurrency, async (key) => {
    const [app = '', productId = '', purchaseToken = '', kind = ''] = parts(key);
    const one = oneStoreOf(appOf(ctx, app));
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
export async function loadItems(
  keys: readonly ItemKey[],
  ctx: GatewayContext,
): Promise<(ItemRecord | Error)[]> {
  const catalogs = new Map<string, Promise<ItemRecord[]>>();
  const catalogOf = (app: string) => {
    let catalog = catalogs.get(app);
    if (!catalog) {
      const stores = appOf(ctx, app);
      nhnCloudOf(stores);
      catalog = storeCall(() => stores.catalog());
      catalogs.set(app, catalog);
    }
    return catalog;
  };
  return mapLimited(keys, ctx.upstreamConcurrency, async (key) => {
    const [app = '', by = '', value = ''] = parts(key);
    const items = await catalogOf(app);
    const matches = items.filter((item) =>
      by === 'itemSeq' ? item.itemSeq === value : item.marketItemId === value,
    );
    // Several stores may register the same marketItemId: prefer ONE store's (TS).
    const item = matches.find((i) => i.marketId === 'TS') ?? matches[0];
    if (!item) throw new NotFoundError(`App "${app}" has no item with ${by} "${value.slice(0, 150)}".`);
    return item;
  });
}
