import { RetryPolicy } from './retry-policy.js';

/**
 * Every loop that retries, and how: the one place to change a retry policy. The numbers are those
 * each loop had before issue 25 (test/events/retry-policy.test.ts pins them). The store clients'
 * retries (stores/http/retry.ts) sit below this module and draw from the same backoff helper
 * (vocabulary/backoff.ts) with their own options.
 */

/** Longest wait between two attempts on a pending grant or a change intent, ms. */
const MAX_RECOVERY_BACKOFF_MS = 3_600_000;

/** The webhook settings the delivery policy reads (config `webhooks`; defaults there). */
export interface WebhookRetrySettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  retryForSeconds: number;
}

/**
 * Webhook deliveries: full jitter below min(maxBackoffMs, initialBackoffMs × 2^(attempts − 1)); dead
 * when the next attempt would fall `retryForSeconds` or more after the delivery was queued (the event,
 * or its redelivery). Every failed attempt is retried (not 2xx, a timeout, a connection error).
 */
export function webhookRetry(settings: WebhookRetrySettings, random?: () => number): RetryPolicy {
  return new RetryPolicy({
    initialMs: settings.initialBackoffMs,
    maxMs: settings.maxBackoffMs,
    jitter: 'full',
    deadAfterMs: settings.retryForSeconds * 1000,
    windowEndsAt: 'nextAttempt',
    ...(random && { random }),
  });
}

/** The webhook delay after `attempts` attempts failed (see {@link webhookRetry}). */
export function retryDelayMs(
  attempts: number,
  settings: Omit<WebhookRetrySettings, 'retryForSeconds'>,
  random: () => number = Math.random,
): number {
  return webhookRetry({ ...settings, retryForSeconds: 0 }, random).delayMs(attempts);
}

/**
 * A pending grant left without evidence of its store change (the Redeemer): min(1 h, leaseMs ×
 * 2^(attempts − 1)) after `attempts` claims, no jitter (the lease already spreads replicas); never
 * given up (the grant stays pending until a read proves it either way).
 */
export function pendingGrantRetry(leaseMs: number): RetryPolicy {
  return new RetryPolicy({ initialMs: leaseMs, maxMs: MAX_RECOVERY_BACKOFF_MS });
}

/**
 * A change intent the sweeper could not settle: min(1 h, leaseMs × 2^(attempt − 1)), the attempt
 * being the take-overs after the request's own (ledger `attempts` − 1). Answers `givesUp` accepts
 * (the store refused every repeat: no evidence either way) end once the intent is `giveUpMs` old;
 * the others (the store could not be read) are read again however long.
 */
export function changeIntentRetry<A>(
  leaseMs: number,
  giveUpMs: number,
  givesUp: (answer: A) => boolean,
): RetryPolicy<A> {
  return new RetryPolicy({
    initialMs: leaseMs,
    maxMs: MAX_RECOVERY_BACKOFF_MS,
    deadAfterMs: giveUpMs,
    windowEndsAt: 'failure',
    givesUp,
  });
}

/**
 * A tracked subscription's store read failed (429, 5xx, maintenance, a cut body: nothing learnt):
 * full jitter below min(maxMs, initialMs × 2^(failures in a row − 1)), at least 1 s; never given up
 * (the subscription is read again until a read answers). Defaults: 60 s doubling to 1 h.
 */
export function subscriptionReadRetry(
  initialMs = 60_000,
  maxMs = 3_600_000,
  random?: () => number,
): RetryPolicy {
  return new RetryPolicy({
    initialMs,
    maxMs,
    minMs: 1_000,
    maxDoublings: 20,
    jitter: 'full',
    ...(random && { random }),
  });
}

/** A live stream's read of the ledger failed: 1 s doubling to 30 s per failure in a row, for ever. */
export const STREAM_READ_RETRY = new RetryPolicy({ initialMs: 1_000, maxMs: 30_000, maxDoublings: 5 });

/**
 * The PostgreSQL LISTEN connection was lost or could not be made: full jitter below min(maxMs, minMs ×
 * 2^(failures in a row − 1)), at least `minMs`; for ever.
 */
export function listenerReconnect(minMs: number, maxMs: number): RetryPolicy {
  return new RetryPolicy({ initialMs: minMs, maxMs, minMs, maxDoublings: 20, jitter: 'full' });
}
