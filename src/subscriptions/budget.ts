/**
 * A per-store call budget: a token bucket of `callsPerSecond` tokens a second, holding at most one
 * second's worth (a burst after a quiet spell is one second of calls). On the wall clock, whatever
 * the scheduler's own clock says: it paces the calls the store sees.
 */
export class CallBudget {
  #tokens: number;
  #at: number;

  constructor(
    readonly callsPerSecond: number,
    private readonly wallNow: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms).unref()),
  ) {
    if (!(callsPerSecond > 0)) throw new RangeError(`callsPerSecond must be positive, got ${callsPerSecond}`);
    this.#tokens = callsPerSecond;
    this.#at = wallNow();
  }

  /** Resolves when one call may be made, having spent its token. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.wallNow();
      this.#tokens = Math.min(
        this.callsPerSecond,
        this.#tokens + ((now - this.#at) / 1000) * this.callsPerSecond,
      );
      this.#at = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.#tokens) / this.callsPerSecond) * 1000));
    }
  }
}
