/**
 * Sandbox time. It runs with the wall clock but can be set and advanced, so tests and scripts
 * can reach token expiry, the 3-day acknowledgement rule and subscription renewals at once.
 * All values are milliseconds since the Unix epoch (UTC).
 */
export class SandboxClock {
  #offsetMs = 0;

  /** @param start initial sandbox time in ms; default: the wall clock. */
  constructor(start?: number) {
    if (start !== undefined) this.set(start);
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  set(ms: number): void {
    this.#offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  /** Back to the wall clock. */
  reset(): void {
    this.#offsetMs = 0;
  }
}
