import { describe, expect, it } from 'vitest';
import {
  changeIntentRetry,
  listenerReconnect,
  pendingGrantRetry,
  RetryPolicy,
  retryDelayMs,
  STREAM_READ_RETRY,
  webhookRetry,
} from '../../src/events/index.js';
import { backoffDelay, resolveRetryOptions } from '../../src/stores/http/retry.js';

/**
 * Issue 25: every loop that retries draws its delay from one backoff through one RetryPolicy. The formulas
 * written out below are those the loops had in their own files; the policies must give the same numbers.
 */
const ATTEMPTS = [0, 1, 2, 3, 4, 5, 6, 7, 10, 20, 21, 30, 50, 1_000, 10_000];
const DRAWS = [0, 0.000_1, 0.25, 0.5, 0.75, 0.999_999_9];
const H = 3_600_000;

describe('the loops keep their delays', () => {
  it('webhook deliveries (server/webhooks/backoff.ts): full jitter, floor, capped', () => {
    const settings = { initialBackoffMs: 5_000, maxBackoffMs: H, retryForSeconds: 86_400 };
    const old = (attempts: number, random: () => number) =>
      Math.floor(
        random() *
          Math.min(
            settings.maxBackoffMs,
            settings.initialBackoffMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40),
          ),
      );
    for (const n of ATTEMPTS)
      for (const r of DRAWS) {
        expect(webhookRetry(settings, () => r).delayMs(n)).toBe(old(n, () => r));
        expect(retryDelayMs(n, settings, () => r)).toBe(old(n, () => r));
      }
  });

  it('pending grants (redeemer.ts): min(1 h, leaseMs × 2^(attempts − 1)), no jitter', () => {
    for (const leaseMs of [1, 250, 30_000])
      for (const n of ATTEMPTS)
        expect(pendingGrantRetry(leaseMs).delayMs(n)).toBe(Math.min(leaseMs * 2 ** Math.max(0, n - 1), H));
    expect([1, 2, 3, 8, 9].map((n) => pendingGrantRetry(30_000).delayMs(n))).toEqual([
      30_000, 60_000, 120_000, 3_600_000, 3_600_000,
    ]);
  });

  it('change intents (change-intents.ts): min(1 h, leaseMs × 2^(attempts − 2)) at attempt attempts − 1', () => {
    const policy = changeIntentRetry(30_000, 86_400_000, () => true);
    for (const attempts of ATTEMPTS)
      expect(policy.delayMs(attempts - 1)).toBe(Math.min(30_000 * 2 ** Math.max(0, attempts - 2), H));
  });

  it('live stream reads (event-stream.ts): 1 s doubling to 30 s per failure in a row', () => {
    for (let failures = 0; failures < 40; failures += 1)
      expect(STREAM_READ_RETRY.delayMs(failures + 1)).toBe(
        Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5)),
      );
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => STREAM_READ_RETRY.delayMs(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('listener reconnects (event-listener.ts): full jitter, at least the minimum, 20 doublings at most', () => {
    for (const [min, max] of [
      [500, 30_000],
      [1, 10 * H],
    ] as const)
      for (let failures = 0; failures < 30; failures += 1)
        for (const r of DRAWS) {
          const ceiling = Math.min(max, min * 2 ** Math.min(failures, 20));
          const policy = new RetryPolicy({ ...listenerReconnect(min, max).options, random: () => r });
          // The listener rounded its draw; the one full jitter floors it: at most 1 ms earlier.
          const delay = policy.delayMs(failures + 1);
          expect(delay).toBe(Math.max(min, Math.floor(r * ceiling)));
          expect(Math.max(min, Math.round(r * ceiling)) - delay).toBeLessThanOrEqual(1);
        }
  });

  it('store clients (stores/http/retry.ts): full jitter from the same helper', () => {
    const options = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 });
    for (const n of ATTEMPTS)
      expect(backoffDelay(n, options)).toBe(
        Math.floor(0.999 * Math.min(1_000, 100 * 2 ** Math.max(0, n - 1))),
      );
  });
});

describe('dead-after', () => {
  it('webhooks: dead when the next attempt would fall retryForSeconds or more after queueing', () => {
    const policy = webhookRetry(
      { initialBackoffMs: 1_000, maxBackoffMs: 1_000, retryForSeconds: 10 },
      () => 0.5,
    );
    // Delay 500 ms: the window (10 s from 0) is reached by the next attempt at 9_500 ms.
    expect(policy.afterFailure(3, { since: 0, now: 9_499 })).toEqual({ delayMs: 500, dead: false });
    expect(policy.afterFailure(3, { since: 0, now: 9_500 })).toEqual({ delayMs: 500, dead: true });
    // A redelivery starts a new window.
    expect(policy.afterFailure(3, { since: 5_000, now: 9_500 }).dead).toBe(false);
  });

  it('change intents: only answers it gives up on, once the intent is giveUpMs old', () => {
    const policy = changeIntentRetry<string>(1_000, 60_000, (answer) => answer === 'refused');
    expect(policy.afterFailure(5, { since: 0, now: 59_999 }, 'refused').dead).toBe(false);
    expect(policy.afterFailure(5, { since: 0, now: 60_000 }, 'refused').dead).toBe(true);
    expect(policy.afterFailure(5, { since: 0, now: 10 * H }, 'unreadable').dead).toBe(false);
  });

  it('pending grants, stream reads and reconnects are never given up', () => {
    for (const policy of [pendingGrantRetry(1_000), STREAM_READ_RETRY, listenerReconnect(500, 30_000)])
      expect(policy.afterFailure(10_000, { since: 0, now: Number.MAX_SAFE_INTEGER / 2 }).dead).toBe(false);
  });
});
