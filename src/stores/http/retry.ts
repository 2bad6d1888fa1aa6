import { backoffBound, fullJitter } from '../../vocabulary/backoff.js';

export interface RetryOptions {
  /** Attempts per call including the first; `1` disables retries. Default `3`. */
  maxAttempts?: number;
  /** Backoff before the first retry, in ms (doubled per retry, then fully jittered). Default `100`. */
  baseDelayMs?: number;
  /** Largest backoff between two attempts, in ms. Default `2_000`. */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` we are willing to wait inside one call, in ms; a longer hint ends the
   * call and is handed to the caller as `retryAfterMs`. Default `2_000`.
   */
  maxRetryAfterMs?: number;
  /** Retry budget: tokens each call deposits (retries cost one token each). Default `0.2`. */
  budgetRatio?: number;
  /** Retry budget: tokens available at start and the most it can hold. Default `10`. */
  budgetCapacity?: number;
  /** Source of randomness for jitter, returning [0, 1). Default `Math.random`. */
  random?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 3)),
    baseDelayMs: options.baseDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 2_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 2_000,
    budgetRatio: options.budgetRatio ?? 0.2,
    budgetCapacity: options.budgetCapacity ?? 10,
    random: options.random ?? Math.random,
  };
}

/**
 * "Full jitter" exponential backoff: uniform in [0, min(max, base * 2^(retry-1))]. The codebase's one
 * backoff (vocabulary/backoff.ts; this layer is below events/, whose RetryPolicy the other loops use).
 */
export function backoffDelay(retry: number, options: ResolvedRetryOptions): number {
  const bound = backoffBound(retry, { initialMs: options.baseDelayMs, maxMs: options.maxDelayMs });
  return fullJitter(bound, options.random);
}

/**
 * A token bucket shared by all calls of one client: an outage makes every call fail, and unbounded
 * retries would multiply the load on a store that is already struggling. Each call deposits
 * `ratio` tokens, each retry withdraws one, so retries stay a fraction of traffic.
 */
export class RetryBudget {
  #tokens: number;
  readonly #ratio: number;
  readonly #capacity: number;

  constructor(ratio: number, capacity: number) {
    this.#ratio = ratio;
    this.#capacity = capacity;
    this.#tokens = capacity;
  }

  deposit(): void {
    this.#tokens = Math.min(this.#capacity, this.#tokens + this.#ratio);
  }

  tryWithdraw(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Parses `Retry-After` (delta-seconds or HTTP-date) into ms from `now`; `undefined` when absent or bad. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses worth repeating for a call that is safe to repeat. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505;
}
