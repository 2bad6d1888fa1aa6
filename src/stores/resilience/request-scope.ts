/**
 * What one incoming request hands down to every upstream call it causes: its deadline and its id
 * (for log lines). It travels explicitly, beside `signal` in each call's options, never through
 * AsyncLocalStorage: once used, that turns on promise hooks for every promise of the process.
 * Work shared by many requests (a single-flight token request, a catalogue load) passes none, so
 * it does not die with the deadline of whichever request started it.
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
