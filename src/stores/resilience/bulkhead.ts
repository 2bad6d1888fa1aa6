/**
 * A cap on concurrent calls with a bounded queue: past the queue a call is refused at once, so a
 * slow store cannot pile up unbounded work (and sockets) in the gateway.
 */
export interface BulkheadOptions {
  /** Calls running at once. No default here: the gateway config sets it (`bulkhead.*`, docs/operations.md). */
  maxConcurrent?: number;
  /** Calls waiting for a slot; more are refused. No default here: the gateway config sets it. */
  maxQueue?: number;
}

interface Waiter {
  resolve(release: () => void): void;
  reject(reason: unknown): void;
}

export class Bulkhead {
  readonly #max: number;
  readonly #maxQueue: number;
  #running = 0;
  readonly #queue: Waiter[] = [];

  constructor(
    readonly name: string,
    options: Required<BulkheadOptions>,
  ) {
    this.#max = Math.max(1, options.maxConcurrent);
    this.#maxQueue = Math.max(0, options.maxQueue);
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /**
   * A release function once a slot is free; `undefined` when the queue is full. Rejects with the
   * signal's reason when `signal` aborts while waiting (the slot is then never taken).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.tryAcquire(signal);
    if (release !== undefined) return Promise.resolve(release);
    if (this.#queue.length >= this.#maxQueue) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /**
   * A release function when a slot is free right now and `signal` has not aborted; `undefined`
   * otherwise (then `acquire` tells queued, full or aborted). Lets a caller skip a promise per call.
   */
  tryAcquire(signal?: AbortSignal): (() => void) | undefined {
    if (signal?.aborted || this.#running >= this.#max) return undefined;
    this.#running += 1;
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter, so `running` stays the same.
      if (next) next.resolve(this.#releaser());
      else this.#running -= 1;
    };
  }
}
