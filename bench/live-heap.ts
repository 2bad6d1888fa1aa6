/**
 * Issue 18: the gateway's live V8 heap (what a full collection keeps), idle and under load, next to
 * its RSS. V8 lets the old generation grow to a multiple of the live heap between full collections,
 * so the live heap bounds the peak RSS under load. Deterministic where the req/s of `npm run bench`
 * is not: run the compiled contestants (`npm run build && tsc -p bench/tsconfig.json` first).
 *
 *   BENCH_PORT=4599 npx tsx bench/live-heap.ts
 *   LIVE_CONTESTANTS=gateway,gateway-baseline BENCH_BASELINE=dist/ab-before ...   (A/B)
 *   LIVE_SNAPSHOT_DIR=<dir>   also write a heap snapshot at idle (after a full collection)
 *
 * Each contestant runs with `--expose-gc` and a preloaded handler (this measurement only): SIGUSR2
 * runs two full collections and writes `process.memoryUsage()`. Read at idle (3 s after start),
 * then in the middle of each scenario's 6 s load of 50 connections (the in-flight requests' objects
 * count as live there), then idle again after the loads.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContestant, stopContestant } from './lib/contestants.js';
import { runLoad } from './lib/load.js';
import { SandboxProcess } from './lib/sandbox.js';
import { batchChecks, DEMO, type ScenarioName, scenarioRequest } from './lib/scenarios.js';

const SANDBOX_PORT = Number(process.env.BENCH_PORT || 4599);
const PORT = SANDBOX_PORT + 1;
const tmp = mkdtempSync(join(tmpdir(), 'live-heap-'));
const contestants = (process.env.LIVE_CONTESTANTS || 'gateway').split(',').filter(Boolean);
const scenarios: ScenarioName[] = ['a-lookup', 'b-batch50', 'e-aliases20'];
const snapshotDir = process.env.LIVE_SNAPSHOT_DIR;

const probe = join(tmp, 'probe.cjs');
writeFileSync(
  probe,
  `process.on('SIGUSR2', () => {
  global.gc(); global.gc();
  const m = process.memoryUsage();
  require('node:fs').writeFileSync(process.env.LIVE_OUT, JSON.stringify(m));
});
let snapshots = 0;
process.on('SIGUSR1', () => {
  global.gc();
  require('node:v8').writeHeapSnapshot(process.env.LIVE_SNAPSHOT.replace('-idle', snapshots++ ? '-after' : '-idle'));
});
`,
);

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function read(child: ChildProcess, out: string, signal: NodeJS.Signals = 'SIGUSR2') {
  rmSync(out, { force: true });
  child.kill(signal);
  for (let i = 0; i < 100 && !existsSync(out); i++) await sleep(100);
  await sleep(100);
  return JSON.parse(readFileSync(out, 'utf8')) as NodeJS.MemoryUsage;
}

/** The probe reads the file name from its environment: set at start, so the name is fixed per process. */
async function snapshot(child: ChildProcess, file: string) {
  rmSync(file, { force: true });
  child.kill('SIGUSR1');
  while (!existsSync(file)) await sleep(200);
  await sleep(2000);
}

const row = (label: string, m: NodeJS.MemoryUsage) =>
  `${label.padEnd(34)} heapUsed ${mb(m.heapUsed).padStart(6)} MB  heapTotal ${mb(m.heapTotal).padStart(6)} MB  external ${mb(m.external).padStart(5)} MB  rss ${mb(m.rss).padStart(6)} MB`;

const sandbox = await SandboxProcess.start(SANDBOX_PORT, 1);
try {
  for (const name of contestants) {
    await sandbox.reset();
    const batch = batchChecks(await sandbox.createPurchases(40, { productId: DEMO.productId }));
    const out = join(tmp, `${name}.json`);
    process.env.LIVE_OUT = out;
    process.env.LIVE_SNAPSHOT = join(snapshotDir ?? tmp, `${name}-idle.heapsnapshot`);
    process.env.BENCH_NODE_ARGS = `--expose-gc -r ${probe}`;
    const child = await startContestant(name, {
      port: PORT,
      core: 0,
      sandboxUrl: sandbox.url,
      tmp,
      databaseUrl: undefined,
    });
    try {
      await sleep(3000);
      // RSS before any probe: the probe's collections would shrink it.
      console.log(row(`${name} idle after start`, await read(child, out)));
      if (snapshotDir) await snapshot(child, join(snapshotDir, `${name}-idle.heapsnapshot`));
      for (const scenario of scenarios) {
        const request = scenarioRequest('gateway', scenario, batch);
        if (!request) continue;
        const load = runLoad(
          {
            url: `http://127.0.0.1:${PORT}`,
            method: request.method,
            path: request.path,
            body: request.body,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO.apiKey}` },
            connections: 50,
            seconds: 6,
          },
          1,
        );
        await sleep(3000);
        const during = await read(child, out);
        const figures = await load;
        console.log(row(`${name} during ${scenario}`, during), ` (${Math.round(figures.rps)} req/s)`);
      }
      await sleep(1000);
      console.log(row(`${name} idle after the loads`, await read(child, out)));
      if (snapshotDir) {
        await snapshot(child, process.env.LIVE_SNAPSHOT);
      }
    } finally {
      await stopContestant(child);
    }
  }
} finally {
  sandbox.child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
