import type { BreakerStateName } from '../observer.js';

/**
 * Why a small breaker of our own and not cockatiel (3.x would run on Node 20): a maintenance
 * answer must open the circuit at once for the store's own `Retry-After`, the circuit must open on
 * consecutive failures *or* a failure ratio, and callers need the time left to put in
 * `retryAfterSeconds`. Those three fit in less code than adapting cockatiel's policies (the full
 * comparison: docs/ARCHITECTURE.md, Resilience).
 */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default `5`. */
  consecutiveFailures?: number;
  /** Failure share over the window that opens the circuit (0..1]. Default `0.5`. */
  failureRatio?: number;
  /** Calls the window needs before the ratio counts. Default `20`. */
  minimumCalls?: number;
  /** Length of the sliding window for the ratio, ms. Default `10_000`. */
  windowMs?: number;
  /** How long the circuit stays open before one probe is let through, ms. Default `5_000`. */
  openMs?: number;
  /** Longest a store's `Retry-After` may keep the circuit open, ms. Default `60_000`. */
  maxOpenMs?: number;
}

export type ResolvedBreakerOptions = Required<BreakerOptions>;

export function resolveBreakerOptions(options: BreakerOptions = {}): ResolvedBreakerOptions {
  return {
    consecutiveFailures: options.consecutiveFailures ?? 5,
    failureRatio: options.failureRatio ?? 0.5,
    minimumCalls: options.minimumCalls ?? 20,
    windowMs: options.windowMs ?? 10_000,
    openMs: options.openMs ?? 5_000,
    maxOpenMs: options.maxOpenMs ?? 60_000,
  };
}

/** A permit to call: `probe` is true for the single half-open trial call. */
export type Permit = { ok: true; probe: boolean } | { ok: false; retryAfterMs: number };

const BUCKETS = 10;
/** The permit of every call while closed: read only, so one object serves them all. */
const CLOSED_PERMIT: Permit = Object.freeze({ ok: true, probe: false });

/** Closed → open (fail fast) → half-open (one probe) → closed or open again. */
export class CircuitBreaker {
  readonly #o: ResolvedBreakerOptions;
  readonly #now: () => number;
  readonly #onChange: (state: BreakerStateName) => void;
  #state: BreakerStateName = 'closed';
  #openUntil = 0;
  #consecutive = 0;
  #probeInFlight = false;
  // Ring of time buckets: [bucket start, calls, failures]; bounded memory at any call rate.
  readonly #buckets: { start: number; calls: number; failures: number }[] = [];

  constructor(
    readonly name: string,
    options: ResolvedBreakerOptions,
    now: () => number,
    onChange: (state: BreakerStateName) => void = () => {},
  ) {
    this.#o = options;
    this.#now = now;
    this.#onChange = onChange;
  }

  get state(): BreakerStateName {
    if (this.#state === 'open' && this.#now() >= this.#openUntil) return 'half-open';
    return this.#state;
  }

  tryAcquire(): Permit {
    const now = this.#now();
    if (this.#state === 'closed') return CLOSED_PERMIT;
    if (this.#state === 'open' && now < this.#openUntil)
      return { ok: false, retryAfterMs: this.#openUntil - now };
    if (this.#state === 'open') this.#set('half-open');
    if (this.#probeInFlight) return { ok: false, retryAfterMs: Math.max(1_000, this.#o.openMs / 2) };
    this.#probeInFlight = true;
    return { ok: true, probe: true };
  }

  success(permit: Permit): void {
    this.#release(permit);
    this.#consecutive = 0;
    this.#count(false);
    // Only the probe speaks for the store once the circuit is open: a call let through before it
    // opened may succeed late, and must not close a circuit a maintenance answer just opened.
    if (this.#state !== 'closed' && permit.ok && permit.probe) {
      this.#buckets.length = 0;
      this.#set('closed');
    }
  }

  /**
   * `openNow`: a maintenance answer; open at once, for the store's `Retry-After` when it sent one
   * (capped by `maxOpenMs`), else for `openMs`.
   */
  failure(permit: Permit, openNow?: { forMs: number | undefined }): void {
    this.#release(permit);
    this.#consecutive += 1;
    this.#count(true);
    if (openNow !== undefined) {
      this.#open(Math.min(Math.max(openNow.forMs ?? this.#o.openMs, 1), this.#o.maxOpenMs));
    }
    if (
      this.#state !== 'closed' ||
      this.#consecutive >= this.#o.consecutiveFailures ||
      this.#ratioExceeded()
    ) {
      this.#open(this.#o.openMs);
    }
  }

  /** The call ended in a way that says nothing about the store (the caller gave up). */
  neutral(permit: Permit): void {
    this.#release(permit);
  }

  #release(permit: Permit): void {
    if (permit.ok && permit.probe) this.#probeInFlight = false;
  }

  #open(forMs: number): void {
    this.#openUntil = Math.max(this.#openUntil, this.#now() + forMs);
    this.#consecutive = 0;
    this.#set('open');
  }

  #set(state: BreakerStateName): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onChange(state);
  }

  #count(failed: boolean): void {
    const now = this.#now();
    const width = this.#o.windowMs / BUCKETS;
    const last = this.#buckets.at(-1);
    if (last !== undefined && now - last.start < width) {
      last.calls += 1;
      if (failed) last.failures += 1;
    } else {
      this.#buckets.push({ start: now, calls: 1, failures: failed ? 1 : 0 });
    }
    while ((this.#buckets[0]?.start ?? now) <= now - this.#o.windowMs) this.#buckets.shift();
  }

  #ratioExceeded(): boolean {
    let calls = 0;
    let failures = 0;
    for (const bucket of this.#buckets) {
      calls += bucket.calls;
      failures += bucket.failures;
    }
    return calls >= this.#o.minimumCalls && failures / calls >= this.#o.failureRatio;
  }
}
