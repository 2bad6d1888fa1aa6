import { dataloaderGetter, LoadableObjectRef } from '@pothos/plugin-dataloader';
import type { builder } from './builder.js';
import type { GatewayContext } from './context.js';

/**
 * What every request-scoped loader shares. Each kind of read (a purchase, a subscription, an NHN
 * user's unconsumed list, a catalogue item) is a loadable object type of `@pothos/plugin-dataloader`:
 * the type's ref owns its loader, one per request (`Type.getDataloader(ctx)`, gone with the request),
 * and every field, check and mutation that reads that kind loads through it, so identical reads in
 * one operation reach the store once whichever field asked, and a mutation clears what it changed.
 *
 * Keys are typed objects: a key carries the store handle the field's resolver got when it authorized
 * the app, so a batch function checks nothing again. Its `cacheKeyFn` names the upstream answer (a
 * JSON array, so no separator can be smuggled into a part); the cache key is never parsed back.
 *
 * Why not `builder.loadableObject` or `t.loadable`: the first takes string or number keys only (its
 * fields load a returned string or number, and take a returned object for the loaded value); the
 * second makes one loader per field, which the checks and the mutations' reads before and after a
 * change could not share (test/gateway/shared-loaders.test.ts counts the difference). The plugin's
 * `LoadableObjectRef` with its `dataloaderGetter` is what both are built of, and takes any key.
 *
 * The stores have no batch endpoints, so a batch is the distinct keys of one tick, fetched with
 * bounded concurrency (`upstreamConcurrency`); DataLoader has already removed duplicates.
 */

type Types = typeof builder.$inferSchemaTypes;

/** A loadable object type whose loader takes keys of type K and loads values of type V. */
export type LoadableType<K, V> = LoadableObjectRef<Types, V, V, K, string>;

export interface LoadableTypeOptions<K, V> {
  /** The distinct keys of one tick, in order; an Error in a key's place fails that key alone. */
  load: (keys: readonly K[], ctx: GatewayContext) => Promise<(V | Error)[]>;
  /** The name of the upstream answer a key stands for: keys of one name are loaded once. */
  cacheKeyFn: (key: K) => string;
}

/** A loadable object type named `name` (implement it with `builder.objectType`). */
export function loadableType<K, V>(name: string, options: LoadableTypeOptions<K, V>): LoadableType<K, V> {
  const { load, cacheKeyFn } = options;
  const getDataloader = dataloaderGetter<K, V, string>(
    { cacheKeyFn },
    // The plugin types a context as `object`; this loader is only ever asked for through the
    // ref's `getDataloader`, whose context is the schema's, GatewayContext.
    (keys, ctx) => load(keys, ctx as GatewayContext),
    undefined,
    false,
  );
  return new LoadableObjectRef<Types, V, V, K, string>(name, getDataloader);
}

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
