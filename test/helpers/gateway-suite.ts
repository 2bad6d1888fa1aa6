import { afterAll, afterEach, beforeAll } from 'vitest';
import { type GatewayHarness, type GatewayHarnessOptions, startGateway } from './gateway.js';

export interface GatewaySuiteOptions extends GatewayHarnessOptions {
  /**
   * Clear the sandbox's injected faults after each test, so a fault a test left unspent never
   * answers the next one. Default false.
   */
  clearFaults?: boolean;
}

/**
 * One gateway over a sandbox for the enclosing file or describe block: started in `beforeAll`,
 * closed in `afterAll`. Most files started theirs with the same ten lines; this is them once.
 *
 * The answer stands for the harness before it exists, so a file keeps writing `g.gql(...)`: each
 * member is read from the started harness when it is used (inside a hook or a test). A `beforeAll`
 * registered after this call runs after the start (vitest runs `beforeAll` hooks in order).
 */
export function useGateway(options: GatewaySuiteOptions = {}): GatewayHarness {
  const { clearFaults = false, ...harnessOptions } = options;
  let started: GatewayHarness | undefined;
  const live = (): GatewayHarness => {
    if (!started) throw new Error('the gateway starts in beforeAll: use it inside a hook or a test');
    return started;
  };
  beforeAll(async () => {
    started = await startGateway(harnessOptions);
  });
  if (clearFaults)
    afterEach(async () => {
      await live().control('DELETE', '/faults');
    });
  afterAll(async () => {
    await started?.close();
  });
  // Forwarding every member keeps this in step with GatewayHarness as it grows.
  return new Proxy({} as GatewayHarness, { get: (_target, key) => Reflect.get(live(), key) });
}
