import type { IncomingMessage, Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings the gateway process applies to itself (`v8.setFlagsFromString`), so that its
 * memory stays near a plain Node server's without a command-line flag. Only flags V8 reads while it
 * runs are used: `--heap-growing-percent` at every full collection (heap-controller.cc,
 * `MemoryController::GrowingFactor`), `--optimize-for-size` at every collection and in the memory
 * reducer (`Heap::ShouldOptimizeForMemoryUsage`). Flags read when the heap is created
 * (`--max-old-space-size`, `--max-semi-space-size`) cannot be set this way.
 */
export interface HeapTuning {
  /**
   * How far the old generation may grow past what the last full collection kept before V8 runs
   * the next one, in percent (`--heap-growing-percent`). V8's own factor depends on the heap limit it
   * derives from the machine's memory: on a host with 16 GiB or more it is up to 4× (300 %), so a
   * gateway whose live heap is 25–50 MB let its old generation reach 150–300 MB under load.
   * 0 leaves it to V8. Default 75: it keeps the peak under load within 40 MB of a bare node:http
   * server's, for a few per cent more CPU in full collections (BENCHMARKS.md, docs/operations.md).
   */
  oldGenerationGrowthPercent: number;
  /**
   * Until the gateway's first GraphQL request ({@link endHeapStartupOnFirstRequest}, which main.ts
   * installs), V8 favours memory over speed (`--optimize-for-size`): while the modules load and the
   * schema is built, the young generation stays at most half its maximum (semi-spaces of 1 to 8 MB
   * seen) instead of growing to the 2 × 16 MB that an idle process then keeps, and V8's memory
   * reducer compacts the heap on its first check (~8 s after start-up's last full collection)
   * instead of when start-up's allocations have aged out of its rate estimate (16–24 s, or never
   * while start-up's figures stay in it). From the first request on, V8's default: the young
   * generation grows under load (favouring memory while serving costs up to twice the CPU per
   * request). Default true.
   */
  compactStartup: boolean;
}

export const DEFAULT_HEAP_TUNING: HeapTuning = { oldGenerationGrowthPercent: 75, compactStartup: true };

let compactingStartup = false;

/**
 * Applies `tuning` to this process's V8 heap. Call it before the modules load (main.ts imports
 * `heap-tuning-at-start.js` first for this); the old-generation setting also works later.
 */
export function applyHeapTuning(tuning: HeapTuning = DEFAULT_HEAP_TUNING): void {
  if (tuning.oldGenerationGrowthPercent > 0)
    setFlagsFromString(`--heap-growing-percent=${Math.round(tuning.oldGenerationGrowthPercent)}`);
  if (!tuning.compactStartup || compactingStartup) return;
  setFlagsFromString('--optimize-for-size');
  compactingStartup = true;
}

/** True while the compact start-up lasts (diagnosis and tests). */
export function heapStartupCompact(): boolean {
  return compactingStartup;
}

/** Start-up is over (the gateway serves): V8's default sizing, tuned for speed, from now on. */
export function heapStartupDone(): void {
  if (!compactingStartup) return;
  compactingStartup = false;
  setFlagsFromString('--no-optimize-for-size');
}

/**
 * The tuning `GATEWAY_HEAP_GROWTH_PERCENT` and `GATEWAY_COMPACT_STARTUP` ask for (defaults above). Read
 * before the config (the modules it keeps small load first); parseEnv checks the same values again.
 * An unreadable value falls back to the default here, and parseEnv then stops the process.
 */
export function heapTuningFromEnv(env: Readonly<Record<string, string | undefined>>): HeapTuning {
  const percent = env.GATEWAY_HEAP_GROWTH_PERCENT;
  const compact = env.GATEWAY_COMPACT_STARTUP;
  return {
    oldGenerationGrowthPercent:
      percent !== undefined && /^\d+$/.test(percent) && Number(percent) <= 1000
        ? Number(percent)
        : DEFAULT_HEAP_TUNING.oldGenerationGrowthPercent,
    compactStartup:
      compact === undefined || compact === ''
        ? DEFAULT_HEAP_TUNING.compactStartup
        : !['0', 'false'].includes(compact),
  };
}

/**
 * Ends the compact start-up at the first request to `path` (GraphQL work; health probes and
 * metrics scrapes do not count): an idle gateway stays compact, one that serves is tuned for speed
 * from its first request on. The listener removes itself then, so later requests pay nothing.
 */
export function endHeapStartupOnFirstRequest(server: Server, path = '/graphql'): void {
  if (!compactingStartup) return;
  const first = (request: IncomingMessage) => {
    if (!request.url?.startsWith(path)) return;
    server.off('request', first);
    heapStartupDone();
  };
  server.on('request', first);
}
