import { afterEach, beforeEach } from 'vitest';
import type { GamebaseClient } from '../../src/stores/gamebase/index.js';
import type { NhnCloudClient } from '../../src/stores/nhncloud/index.js';
import type { OneStoreClient } from '../../src/stores/onestore/index.js';
import type { SandboxHarness } from './sandbox.js';
import {
  type CreatedPurchase,
  type GamebaseApp,
  gamebaseClient,
  newGamebaseApp,
  newOneStoreApp,
  newPurchase,
  nhnClient,
  type OneStoreApp,
  oneStoreClient,
} from './stores.js';

/** The per-test set-up and clean-up the store-client test files repeated, around a sandbox. */

export interface EachStoreTestOptions {
  /** Clear the sandbox's request counters after the set-up, so a test counts its own calls alone. Default false. */
  clearStats?: boolean;
  /** After each test, remove the faults it injected. Default false. */
  clearFaults?: boolean;
  /** After each test, end maintenance of every store. Default false. */
  endMaintenance?: boolean;
}

/** The usual options of a file that injects faults: counters cleared before, faults and maintenance after. */
export const FAULT_TESTS: EachStoreTestOptions = {
  clearStats: true,
  clearFaults: true,
  endMaintenance: true,
};

interface Closable {
  close(): Promise<void>;
}

const isClosable = (value: unknown): value is Closable =>
  typeof value === 'object' && value !== null && typeof (value as Partial<Closable>).close === 'function';

/**
 * Before each test, `setUp` builds what the test starts with and `use` receives it; after each test,
 * the sandbox is cleaned as `options` says and the set-up's client (when it has one) is closed.
 */
export function eachStoreTest<T extends object>(
  h: SandboxHarness,
  options: EachStoreTestOptions,
  setUp: (h: SandboxHarness) => Promise<T>,
  use: (t: T) => void,
): void {
  let current: T | undefined;
  beforeEach(async () => {
    current = await setUp(h);
    use(current);
    if (options.clearStats === true) await h.control('DELETE', '/stats');
  });
  afterEach(async () => {
    if (options.clearFaults === true) await h.control('DELETE', '/faults');
    if (options.endMaintenance === true) await h.control('POST', '/maintenance', { on: false, store: 'all' });
    const client = current !== undefined && 'client' in current ? current.client : undefined;
    if (isClosable(client)) await client.close();
    current = undefined;
  });
}

export interface OneStoreSetUp {
  app: OneStoreApp;
  client: OneStoreClient;
  purchase: CreatedPurchase;
}

/**
 * A fresh app, its client and one purchase. With `warmToken` the client fetches its token first, so
 * the counts a test reads are about its API calls alone. Default false.
 */
export function oneStoreSetUp(warmToken = false): (h: SandboxHarness) => Promise<OneStoreSetUp> {
  return async (h) => {
    const app = await newOneStoreApp(h);
    const client = oneStoreClient(h, app);
    const purchase = await newPurchase(h, app);
    if (warmToken) await client.getAccessToken();
    return { app, client, purchase };
  };
}

/** A fresh Gamebase app and its client. */
export async function gamebaseSetUp(
  h: SandboxHarness,
): Promise<{ app: GamebaseApp; client: GamebaseClient }> {
  const app = await newGamebaseApp(h);
  return { app, client: gamebaseClient(h, app) };
}

/** An NHN Cloud client. */
export async function nhnSetUp(h: SandboxHarness): Promise<{ client: NhnCloudClient }> {
  return { client: nhnClient(h) };
}
