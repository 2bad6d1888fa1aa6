import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one incoming request hands down to every upstream call it causes, without threading it
 * through each resolver: its deadline (as an AbortSignal) and its id (for log lines).
 */
export interface RequestScope {
  /**
   * When the request's overall deadline passes, on the `performance.now()` clock. A number, not
   * an AbortSignal: each upstream call folds it into its own single timer, which spares every
   * request a controller, a timer and an `AbortSignal.any` per call (BENCHMARKS.md).
   */
  readonly deadlineAt: number;
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (and everything it starts) inside `scope`. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the request being served, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` outside any request scope: for work shared by many requests (a single-flight token
 * request, a catalogue load), which must not die with the deadline of whichever request started it.
 */
export function outsideRequestScope<T>(fn: () => T): T {
  return storage.exit(fn);
}
