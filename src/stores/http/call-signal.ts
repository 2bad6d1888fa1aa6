/**
 * What stops one upstream call: its deadline timer, or the caller's own AbortSignal, whichever
 * comes first. It used to be an AbortController (plus `AbortSignal.any` with a caller's signal) per
 * call; an AbortSignal is an EventTarget, and making one cost ~6 µs, about 1.5 % of the CPU of a
 * lookup, while only the slow paths (a queued bulkhead slot, the wait before a retry) need a real
 * one. So the real signal is made on first use of {@link CallSignal.signal}, and the response
 * collector listens through a single slot instead of an event listener.
 */
export class CallSignal {
  #aborted = false;
  #reason: unknown;
  #timedOut = false;
  #controller: AbortController | undefined;
  #listener: (() => void) | undefined;
  readonly #timer: NodeJS.Timeout;
  /** A signal following the caller's (never the caller's own: see the constructor). */
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = () => this.#abort((this.#outer as AbortSignal).reason);

  /** Times out after `ms` with a `TimeoutError` DOMException; aborts with `outer` when it aborts. */
  constructor(ms: number, outer?: AbortSignal) {
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#abort(new DOMException('deadline', 'TimeoutError'));
    }, ms);
    if (outer === undefined) return;
    if (outer.aborted) {
      this.#abort(outer.reason);
      return;
    }
    // The listener goes on a signal following the caller's, as `AbortSignal.any` did before: a
    // caller sharing one signal among many calls must not collect a listener per call in flight.
    this.#outer = AbortSignal.any([outer]);
    this.#outer.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** The reason of the first abort (the deadline's TimeoutError or the caller's reason). */
  get reason(): unknown {
    return this.#reason;
  }

  /** Whether the deadline passed (even after the caller aborted first). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** A real AbortSignal in the same state, made on first use, aborted with the same reason. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Sets the one listener told of an abort (the response collector in flight); `undefined` removes it. */
  listen(listener: (() => void) | undefined): void {
    this.#listener = listener;
  }

  /** Stops the timer and stops following the caller's signal. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#listener?.();
  }
}
