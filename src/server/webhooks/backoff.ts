/**
 * Delay before the next attempt after `attempts` attempts failed: "full jitter" (uniform between 0
 * and the exponential bound, capped), so replicas and endpoints that failed together do not retry
 * together.
 */
export function retryDelayMs(
  attempts: number,
  settings: { initialBackoffMs: number; maxBackoffMs: number },
  random: () => number = Math.random,
): number {
  // 2^40 × 10 ms is far past any cap; the exponent stays finite.
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const bound = Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** exponent);
  return Math.floor(random() * bound);
}
