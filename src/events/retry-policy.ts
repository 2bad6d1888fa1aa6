import { type BackoffShape, backoffBound, fullJitter } from '../vocabulary/backoff.js';

export interface RetryPolicyOptions<A> extends BackoffShape {
  /**
   * `full`: the delay is drawn uniformly below the bound (replicas and endpoints that failed together
   * do not retry together); `none`: the delay is the bound. Default `none`.
   */
  readonly jitter?: 'full' | 'none';
  /** Shortest delay, whatever the draw, ms. Default `0`. */
  readonly minMs?: number;
  /**
   * Length of the retry window, ms, from when the work was queued: a failure past it is dead (given
   * up). Default `Infinity`: retried for ever.
   */
  readonly deadAfterMs?: number;
  /**
   * What the window is measured to: `nextAttempt`, the attempt the failure would schedule (so no
   * attempt is made after the window), or `failure`, the failure itself. Default `nextAttempt`.
   */
  readonly windowEndsAt?: 'nextAttempt' | 'failure';
  /**
   * Which failures the window ends; the others are retried however long it has been (e.g. a change
   * intent whose store could not be read is never given up). Default: every failure.
   */
  readonly givesUp?: (answer: A) => boolean;
  /** Source of randomness for the jitter, returning [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/** What the policy makes of one failure: when to try again, or that it is dead. */
export interface RetryDecision {
  /** Wait before the next attempt, ms (the ledger adds it to its own clock). */
  delayMs: number;
  /** The retry window is over for this failure: no next attempt. */
  dead: boolean;
}

/**
 * How one loop retries: the delay before attempt n + 1 after n failed, and when it gives up. Every
 * loop that retries has one (retry-policies.ts), so changing how a loop retries is one place; the
 * ledger is handed the decision (delay, dead) and only writes it.
 */
export class RetryPolicy<A = unknown> {
  constructor(readonly options: RetryPolicyOptions<A>) {}

  /** Wait after `attempt` attempts (counted as the loop counts them, the first being 1) failed, ms. */
  delayMs(attempt: number): number {
    const { jitter = 'none', minMs = 0, random = Math.random } = this.options;
    const bound = backoffBound(attempt, this.options);
    return Math.max(minMs, jitter === 'full' ? fullJitter(bound, random) : bound);
  }

  /**
   * Attempt `attempt` failed at `now` with `answer`, for work queued at `since` (both ms, one clock).
   * The delay is drawn even for a dead failure, so the draw sequence does not depend on the window.
   */
  afterFailure(attempt: number, at: { since: number; now: number }, answer?: A): RetryDecision {
    const delayMs = this.delayMs(attempt);
    return { delayMs, dead: this.isDead(at.since, at.now, delayMs, answer) };
  }

  #windowed(answer: A | undefined): boolean {
    const { givesUp } = this.options;
    return givesUp === undefined || (answer !== undefined && givesUp(answer));
  }

  /** Whether a failure at `now` (whose next attempt would be `delayMs` later) ends the window begun at `since`. */
  isDead(since: number, now: number, delayMs: number, answer?: A): boolean {
    const { deadAfterMs = Number.POSITIVE_INFINITY, windowEndsAt = 'nextAttempt' } = this.options;
    if (deadAfterMs === Number.POSITIVE_INFINITY || !this.#windowed(answer)) return false;
    const judged = windowEndsAt === 'nextAttempt' ? now + delayMs : now;
    return judged >= since + deadAfterMs;
  }
}
