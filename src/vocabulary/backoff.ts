/**
 * The one exponential backoff of the codebase: every loop that waits longer after each failure (the
 * store clients' retries, webhook deliveries, pending grants, change intents, the live stream's reads,
 * the PostgreSQL listener's reconnects) draws its delay here, through `events/retry-policy.ts` or,
 * below `events/` (stores/http), directly. It lives in `vocabulary/`, which imports nothing, because
 * `stores/` sits under every other layer and imports no other folder but this one.
 */

export interface BackoffShape {
  /** Delay (or, jittered, its upper bound) of attempt 1, ms. */
  readonly initialMs: number;
  /** Cap of the delay (or of its upper bound), ms. */
  readonly maxMs: number;
  /**
   * Most doublings counted; past it the exponent stays put, so the bound stays finite however many
   * attempts failed. Default `40` (2^40 × 1 ms is far past any cap).
   */
  readonly maxDoublings?: number;
}

/** min(maxMs, initialMs × 2^(attempt − 1)): attempt 1 (and anything below) gets `initialMs`. */
export function backoffBound(attempt: number, shape: BackoffShape): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), shape.maxDoublings ?? 40);
  return Math.min(shape.maxMs, shape.initialMs * 2 ** exponent);
}

/**
 * "Full jitter": uniform in [0, bound), whole milliseconds, so callers that failed together (replicas,
 * endpoints, clients) do not come back together. `random` returns [0, 1).
 */
export function fullJitter(bound: number, random: () => number = Math.random): number {
  return Math.floor(random() * bound);
}
