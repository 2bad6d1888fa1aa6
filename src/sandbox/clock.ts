/**
 * Sandbox time. It runs with the wall clock but can be set and advanced, so tests and scripts
 * can reach token expiry, the 3-day acknowledgement rule and subscription renewals at once.
 * All values are milliseconds since the Unix epoch (UTC).
 */
export class SandboxClock {
  #offsetMs = 0;
  /** Set while the clock is stopped: time then moves only when set or advanced. */
  #frozenAt: number | undefined;

  /** @param start initial sandbox time in ms; default: the wall clock. */
  constructor(start?: number) {
    if (start !== undefined) this.set(start);
  }

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  /**
   * Stops (or restarts) the clock at its current time, so a test can assert exact instants (a
   * period's end, a grace end) without the milliseconds its own requests take. Default: running.
   */
  freeze(frozen: boolean): void {
    const now = this.now();
    this.#frozenAt = frozen ? now : undefined;
    this.#offsetMs = now - Date.now();
  }

  set(ms: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt = ms;
    this.#offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    this.#offsetMs += ms;
  }

  /** Back to the wall clock, running. */
  reset(): void {
    this.#offsetMs = 0;
    this.#frozenAt = undefined;
  }
}
