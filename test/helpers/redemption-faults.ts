import type { GatewayHarness } from './gateway.js';

/** The two sandbox faults the redemption tests inject most: a call lost before the store, and after it. */

/** The next call of `endpoint` is dropped before the store handles it: nothing applied, no answer. */
export function dropNext(g: GatewayHarness, endpoint: string): Promise<unknown> {
  return g.control('POST', '/faults', { endpoint, drop: true, count: 1 });
}

/** The store applies the next `count` calls of `endpoint` (default 1), and their answers are lost. */
export function loseAnswers(g: GatewayHarness, endpoint: string, count = 1): Promise<unknown> {
  return g.control('POST', '/faults', { endpoint, phase: 'after', drop: true, count });
}
