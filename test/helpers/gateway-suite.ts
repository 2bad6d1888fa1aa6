import { afterAll, afterEach, beforeAll } from 'vitest';
import { type GatewayHarness, type GatewayHarnessOptions, startGateway } from './gateway.js';

/**
 * Something a test file or describe block starts once (a gateway, a fake store ...): `start` runs
 * in `beforeAll`, `close` in `afterAll`.
 *
 * The answer stands for the started value before it exists, so a file keeps writing `g.gql(...)`:
 * each member is read from the started value when it is used (inside a hook or a test). A
 * `beforeAll` registered after this call runs after the start (vitest runs `beforeAll` hooks in
 * order). Only members are forwarded: destructure it inside a hook or a test, not at the top.
 */
export function useStarted<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  /** How long `start` may take, ms. Default: vitest's hookTimeout. */
  timeoutMs?: number,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as T, {
    get: (_target, key) => {
      if (!started) throw new Error('started in beforeAll: use it inside a hook or a test');
      return Reflect.get(started, key);
    },
  });
}

export interface GatewaySuiteOptions extends GatewayHarnessOptions {
  /**
   * Clear the sandbox's injected faults after each test, so a fault a test left unspent never
   * answers the next one. Default false.
   */
  clearFaults?: boolean;
}

/**
 * One gateway over a sandbox (`startGateway`) for the enclosing file or describe block, as
 * `useStarted` gives it: most test files started theirs with the same ten lines.
 */
export function useGateway(options: GatewaySuiteOptions = {}): GatewayHarness {
  const { clearFaults = false, ...harnessOptions } = options;
  const g = useStarted(() => startGateway(harnessOptions));
  if (clearFaults)
    afterEach(async () => {
      await g.control('DELETE', '/faults');
    });
  return g;
}
