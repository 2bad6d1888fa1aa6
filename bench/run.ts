/**
 * Issue 8: the side-by-side benchmark. One command, one machine, one run:
 *
 *   npm run bench            (builds src/ and bench/ first: every contestant runs as compiled JavaScript)
 *   BENCH_QUICK=1 npm run bench   (smoke run: 1 short run per cell)
 *
 * The contestant runs pinned to core 0 (`taskset -c 0`); autocannon and the store sandbox share core 1.
 * Per contestant: fresh sandbox data, then scenarios a, b, d, c; per scenario one sanity request, a
 * warm-up, then BENCH_RUNS measured runs whose medians are reported. Environment (defaults):
 *   BENCH_SECONDS=6  BENCH_WARMUP_SECONDS=2  BENCH_RUNS=3  BENCH_CONNECTIONS=50
 *   BENCH_CONTESTANTS=floor,yoga-undici,naive,gateway,gateway-no-jit,gateway-heap-cap
 *                       (also: gateway-no-parse-cache)
 *   BENCH_SCENARIOS=a-lookup,b-batch50,c-consume,d-slow-store
 *   BENCH_CPU_PROF=<dir>     run each contestant with `node --cpu-prof` into <dir>
 *   BENCH_JSON=<file>        also write every run's figures as JSON
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadSpec, runLoad } from './lib/load.js';
import { measureCores, measureProcess } from './lib/proc.js';
import { type Cell, type RunFigures, summarize, table, targets } from './lib/report.js';
import { SandboxProcess } from './lib/sandbox.js';
import {
  batchChecks,
  type ContestantKind,
  DEMO,
  type ScenarioName,
  scenarioRequest,
} from './lib/scenarios.js';

const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
const seconds = num('BENCH_SECONDS', quick ? 2 : 6);
const warmup = num('BENCH_WARMUP_SECONDS', quick ? 1 : 2);
const runs = num('BENCH_RUNS', quick ? 1 : 3);
const connections = num('BENCH_CONNECTIONS', 50);
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const SANDBOX_PORT = 4299;
const CONTESTANT_PORT = 4300;

/**
 * The heap cap docs/operations.md offers for memory-tight deployments (not set by default):
 * `gateway-heap-cap` runs the default gateway with it, so its memory and CPU cost can be read next
 * to the uncapped run.
 */
const HEAP_CAP = ['--max-old-space-size=160'];

const CONTESTANTS: Record<
  string,
  { kind: ContestantKind; script: string; env: Record<string, string>; nodeArgs?: string[] }
> = {
  floor: { kind: 'rest', script: 'floor.js', env: {} },
  naive: { kind: 'naive', script: 'naive-graphql.js', env: {} },
  'yoga-undici': { kind: 'naive', script: 'naive-graphql.js', env: { NAIVE_UNDICI: '1' } },
  gateway: { kind: 'gateway', script: 'gateway.js', env: {} },
  'gateway-no-parse-cache': { kind: 'gateway', script: 'gateway.js', env: { GATEWAY_PARSE_CACHE: '0' } },
  'gateway-no-jit': { kind: 'gateway', script: 'gateway.js', env: { GATEWAY_JIT: '0' } },
  'gateway-heap-cap': { kind: 'gateway', script: 'gateway.js', env: {}, nodeArgs: HEAP_CAP },
};
const list = (name: string, fallback: string) => (process.env[name] || fallback).split(',').filter(Boolean);
const chosen = list('BENCH_CONTESTANTS', 'floor,yoga-undici,naive,gateway,gateway-no-jit,gateway-heap-cap');
const scenarios = list('BENCH_SCENARIOS', 'a-lookup,b-batch50,d-slow-store,c-consume') as ScenarioName[];
const tmp = mkdtempSync(join(tmpdir(), 'bench-'));

async function startContestant(name: string, sandboxUrl: string): Promise<ChildProcess> {
  const c = CONTESTANTS[name];
  if (!c) throw new Error(`unknown contestant ${name}; known: ${Object.keys(CONTESTANTS).join(', ')}`);
  const prof = process.env.BENCH_CPU_PROF;
  const nodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const script = `dist/bench-build/bench/contestants/${c.script}`;
  const args = [...(c.nodeArgs ?? []), ...nodeArgs, script];
  const child = spawn('taskset', ['-c', String(SERVER_CORE), process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // As deployed (the Dockerfile sets it): graphql-js and Yoga skip their development-mode checks.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...c.env,
      PORT: String(CONTESTANT_PORT),
      UPSTREAM: sandboxUrl,
    },
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [chunk] = (await once(child.stdout ?? child, 'data')) as [Buffer];
  clearTimeout(timer);
  if (!chunk.toString().includes('listening')) throw new Error(`${name} did not start: ${chunk.toString()}`);
  child.stdout?.resume();
  return child;
}

async function stopContestant(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function loadSpec(kind: ContestantKind, scenario: ScenarioName, batch: ReturnType<typeof batchChecks>) {
  const r = scenarioRequest(kind, scenario, batch);
  const spec: Omit<LoadSpec, 'seconds'> = {
    url: `http://127.0.0.1:${CONTESTANT_PORT}`,
    method: r.method,
    path: r.path,
    body: r.body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO.apiKey}` },
    connections,
  };
  return { spec, request: r };
}

/** One request whose answer must pass `expect`; retried for up to 15 s (a breaker may be open). */
async function sanity(spec: Omit<LoadSpec, 'seconds'>, expect: (a: string) => boolean, token?: string) {
  const body = token ? (spec.body ?? '').replace('__TOKEN__', token) : spec.body;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${spec.url}${spec.path}`, {
      method: spec.method,
      headers: spec.headers,
      body,
    });
    const text = await response.text();
    if (response.ok && expect(text)) return;
    if (attempt >= 15 || token)
      throw new Error(`unexpected answer ${response.status}: ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Upstream calls per request, exactly: 5 requests one after the other with the sandbox's counters
 * cleared before (counting during the load would also count calls of requests still in flight).
 */
async function upstreamPerRequest(
  sandbox: SandboxProcess,
  spec: Omit<LoadSpec, 'seconds'>,
  tokens?: string[],
): Promise<number> {
  // Requests the load generator gave up on may still be calling the store: wait until it is quiet.
  for (
    let last = -1, now = (await sandbox.stats()).total;
    now !== last;
    now = (await sandbox.stats()).total
  ) {
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await sandbox.clearStats();
  for (let i = 0; i < 5; i++) {
    const body = tokens ? (spec.body ?? '').replace('__TOKEN__', tokens[i] ?? '') : spec.body;
    await (
      await fetch(`${spec.url}${spec.path}`, { method: spec.method, headers: spec.headers, body })
    ).text();
  }
  return (await sandbox.stats()).total / 5;
}

/** One-use purchase tokens for the consume scenario, written to a file for the load generator. */
async function tokenPool(sandbox: SandboxProcess, count: number): Promise<string> {
  const tokens = await sandbox.createPurchases(count, { productId: DEMO.productId, parallel: 32 });
  const file = join(tmp, `tokens-${Date.now()}-${count}.txt`);
  writeFileSync(file, tokens.join('\n'));
  return file;
}

async function measure(child: ChildProcess, sandbox: SandboxProcess, spec: LoadSpec): Promise<RunFigures> {
  const pid = child.pid ?? 0;
  const server = measureProcess(pid);
  const store = measureProcess(sandbox.pid);
  const cores = measureCores();
  const load = await runLoad(spec, LOAD_CORE);
  const s = server.stop();
  const st = store.stop();
  const busy = cores.stop();
  return {
    rps: load.rps,
    p50: load.p50,
    p99: load.p99,
    cpuPercent: s.cpuPercent,
    peakRssMb: s.peakRssMb,
    upstreamPerRequest: Number.NaN,
    foreignOnServerCore: Math.max(0, (busy[SERVER_CORE] ?? 0) - s.cpuPercent),
    loadCoreBusy: busy[LOAD_CORE] ?? 0,
    sandboxCpu: st.cpuPercent,
    non2xx: load.non2xx,
    errors: load.errors,
  };
}

async function benchContestant(name: string, sandbox: SandboxProcess, cells: Cell[]): Promise<void> {
  const kind = CONTESTANTS[name]?.kind ?? 'gateway';
  await sandbox.reset();
  const batch = batchChecks(await sandbox.createPurchases(40, { productId: DEMO.productId }));
  const child = await startContestant(name, sandbox.url);
  let lookupRps = 1000;
  try {
    for (const scenario of scenarios) {
      const started = Date.now();
      const { spec, request } = loadSpec(kind, scenario, batch);
      try {
        if (scenario === 'd-slow-store') await sandbox.fault('onestore.getPurchaseDetails', 50);
        const figures: RunFigures[] = [];
        if (request.perRequestToken) {
          // A fixed number of one-use purchases per run, sized from this contestant's lookup rate.
          const amount = Math.round(Math.min(20_000, Math.max(300, (lookupRps * seconds) / 2)));
          const warm = Math.round(Math.min(5_000, Math.max(100, (lookupRps * warmup) / 2)));
          const first = await tokenPool(sandbox, 1);
          await sanity(spec, request.expect, readFileSync(first, 'utf8').trim());
          await runLoad(
            { ...spec, seconds: warmup, amount: warm, tokensFile: await tokenPool(sandbox, warm) },
            LOAD_CORE,
          );
          for (let i = 0; i < runs; i++) {
            const tokensFile = await tokenPool(sandbox, amount);
            figures.push(await measure(child, sandbox, { ...spec, seconds, amount, tokensFile }));
          }
        } else {
          await sanity(spec, request.expect);
          await runLoad({ ...spec, seconds: warmup }, LOAD_CORE);
          for (let i = 0; i < runs; i++) figures.push(await measure(child, sandbox, { ...spec, seconds }));
        }
        const probeTokens = request.perRequestToken
          ? await sandbox.createPurchases(5, { productId: DEMO.productId })
          : undefined;
        const perRequest = await upstreamPerRequest(sandbox, spec, probeTokens);
        const cell: Cell = { contestant: name, scenario, runs: figures, median: summarize(figures) };
        cell.median.upstreamPerRequest = perRequest;
        if (scenario === 'a-lookup') lookupRps = cell.median.rps;
        cells.push(cell);
        const m = cell.median;
        console.log(
          `  ${name} ${scenario}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
            `CPU ${Math.round(m.cpuPercent)}%, RSS ${Math.round(m.peakRssMb)} MB, upstream/req ${m.upstreamPerRequest.toFixed(2)} ` +
            `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.log(`  ${name} ${scenario}: FAILED ${message}`);
        cells.push({
          contestant: name,
          scenario,
          runs: [],
          median: summarize([]),
          error: message.slice(0, 120),
        });
      } finally {
        if (scenario === 'd-slow-store') await sandbox.control('DELETE', '/faults');
      }
    }
  } finally {
    await stopContestant(child);
  }
}

const cpuModel = cpus()[0]?.model ?? 'unknown';
console.log(
  `machine: ${cpus().length} cores, ${cpuModel}, Node ${process.version}; server on core ${SERVER_CORE}, ` +
    `autocannon + sandbox on core ${LOAD_CORE}`,
);
console.log(
  `settings: ${seconds}s x ${runs} runs after ${warmup}s warm-up, ${connections} connections; contestants ${chosen.join(', ')}`,
);
const startedAt = Date.now();
const sandbox = await SandboxProcess.start(SANDBOX_PORT, LOAD_CORE);
const cells: Cell[] = [];
try {
  for (const name of chosen) await benchContestant(name, sandbox, cells);
} finally {
  await sandbox.stop();
}
const order = (c: Cell) => scenarios.indexOf(c.scenario) * 100 + chosen.indexOf(c.contestant);
const sorted = [...cells].sort((a, b) => order(a) - order(b));
console.log(`\n${table(sorted)}\n`);
for (const g of chosen.filter((n) => CONTESTANTS[n]?.kind === 'gateway')) {
  console.log(`targets for ${g}:`);
  for (const line of targets(cells, g)) console.log(`  ${line}`);
}
console.log(
  `\ntotal ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(sorted, null, 2));
