import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { GatewayContext } from './context.js';

/**
 * What every request-scoped DataLoader shares; each type's loader lives in its module under types/.
 * A loader is kept in Pothos's context cache (one per request, gone with it). The stores have no
 * batch endpoints, so a batch is the distinct keys of one tick, fetched with bounded concurrency; DataLoader has already removed duplicates.
 *
 * A key carries the store handle the field's resolver got when it authorized the app, so a batch
 * function checks nothing again. Its `cacheKeyFn` names the upstream answer (a JSON array, so no
 * separator can be smuggled into a part); the cache key is never parsed back.
 */

/** Runs `fn` over `items`, at most `limit` at a time, keeping order; failures become Error values. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<(R | Error)[]> {
  // The common batch of one key (a single lookup) needs no workers, array of them or Promise.all.
  if (items.length === 1 && limit >= 1) {
    try {
      return [await fn(items[0] as T)];
    } catch (error) {
      return [asError(error)];
    }
  }
  const results: (R | Error)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        results[index] = asError(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
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
