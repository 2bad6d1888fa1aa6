/**
 * Issues 8 and 18: the side-by-side benchmark. One command, one machine, one run:
 *
 *   npm run bench            (builds src/ and bench/ first: every contestant runs as compiled JavaScript)
 *   BENCH_QUICK=1 npm run bench   (smoke run: 1 short run per cell)
 *
 * The contestant runs pinned to core 0 (`taskset -c 0`); autocannon and the store sandbox share core 1.
 * Contestants alternate: each of BENCH_RUNS rounds starts every contestant in turn (fresh sandbox
 * data), and per scenario makes one sanity request, a warm-up and one measured run; the medians over
 * the rounds are reported, so a slow spell of the shared machine falls on every contestant alike.
 * The gateway contestants run with the node flags of the Dockerfile's CMD (bench/lib/docker-flags.ts;
 * `GATEWAY_MAX_OLD_SPACE_MB` changes them as it does the image's), but `gateway-v8-default` (none).
 * Round 1 also reads each contestant's idle RSS, its upstream calls per request and its answer to an
 * unknown purchase token. Environment (defaults):
 *   BENCH_SECONDS=6  BENCH_WARMUP_SECONDS=2  BENCH_RUNS=3  BENCH_CONNECTIONS=50
 *   BENCH_CONTESTANTS=floor,yoga-undici,naive,peer,gateway,gateway-no-jit,gateway-v8-default
 *                       (+ floor-pg,gateway-pg with a database URL; also gateway-no-parse-cache,
 *                        gateway-baseline with BENCH_BASELINE=<dir>)
 *   BENCH_SCENARIOS=a-lookup,b-batch50,d-slow-store,c-consume,e-aliases20,f-redeem
 *   BENCH_DATABASE_URL (or TEST_DATABASE_URL)   PostgreSQL for the (f) contestants floor-pg, gateway-pg
 *   BENCH_CPU_PROF=<dir>     run each contestant with `node --cpu-prof` into <dir>
 *   BENCH_JSON=<file>        also write every run's figures as JSON
 *   BENCH_NODE_ARGS='-r x.cjs'  more node arguments for every contestant except the peer
 *   BENCH_PORT=4299          the sandbox's port; the contestant listens on the next one
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTESTANTS, startContestant, stopContestant } from './lib/contestants.js';
import { type LoadSpec, runLoad } from './lib/load.js';
import { measureCores, measureProcess } from './lib/proc.js';
import { type Cell, type RunFigures, summarize, table } from './lib/report.js';
import { SandboxProcess } from './lib/sandbox.js';
import {
  ALL_SCENARIOS,
  batchChecks,
  type ContestantKind,
  DEMO,
  type ScenarioName,
  scenarioRequest,
} from './lib/scenarios.js';
import { type IdleRss, targets } from './lib/targets.js';

const quick = process.env.BENCH_QUICK === '1';
const num = (name: string, fallback: number) => Number(process.env[name] || fallback);
const seconds = num('BENCH_SECONDS', quick ? 2 : 6);
const warmup = num('BENCH_WARMUP_SECONDS', quick ? 1 : 2);
const runs = num('BENCH_RUNS', quick ? 1 : 3);
const connections = num('BENCH_CONNECTIONS', 50);
const SERVER_CORE = 0;
const LOAD_CORE = 1;
// Two benches on one machine (A/B work in separate checkouts) need their own ports.
const SANDBOX_PORT = num('BENCH_PORT', 4299);
const CONTESTANT_PORT = SANDBOX_PORT + 1;

const list = (name: string, fallback: string) => (process.env[name] || fallback).split(',').filter(Boolean);
const databaseUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
const chosen = list(
  'BENCH_CONTESTANTS',
  `floor,${databaseUrl ? 'floor-pg,' : ''}yoga-undici,naive,peer,gateway,${databaseUrl ? 'gateway-pg,' : ''}gateway-no-jit,gateway-v8-default`,
);
const scenarios = list('BENCH_SCENARIOS', ALL_SCENARIOS.join(',')) as ScenarioName[];
const tmp = mkdtempSync(join(tmpdir(), 'bench-'));

function loadSpec(request: NonNullable<ReturnType<typeof scenarioRequest>>, authorization: string) {
  const spec: Omit<LoadSpec, 'seconds'> = {
    url: `http://127.0.0.1:${CONTESTANT_PORT}`,
    method: request.method,
    path: request.path,
    body: request.body,
    headers: { 'content-type': 'application/json', authorization },
    connections,
  };
  return spec;
}

/**
 * What the client sends as `Authorization`: the gateway's API key; for the peer, the store's own
 * access token (fetched once per round from the sandbox), which its config forwards upstream.
 */
async function authorizationFor(kind: ContestantKind, sandbox: SandboxProcess): Promise<string> {
  if (kind !== 'peer') return `Bearer ${DEMO.apiKey}`;
  const response = await fetch(`${sandbox.url}/v7/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${DEMO.clientId}&client_secret=${DEMO.clientSecret}`,
  });
  return `Bearer ${((await response.json()) as { access_token: string }).access_token}`;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMb = (pid: number) =>
  Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

interface Probe {
  idle?: IdleRss;
  unknownToken?: string;
}

/** One round of one contestant: every scenario it answers, one measured run each. */
async function round(
  name: string,
  first: boolean,
  sandbox: SandboxProcess,
  cells: Cell[],
  probes: Map<string, Probe>,
) {
  const contestant = CONTESTANTS[name];
  const kind = contestant?.kind ?? 'gateway';
  await sandbox.reset();
  const batch = batchChecks(await sandbox.createPurchases(40, { productId: DEMO.productId }));
  const child = await startContestant(name, {
    port: CONTESTANT_PORT,
    core: SERVER_CORE,
    sandboxUrl: sandbox.url,
    tmp,
    databaseUrl,
  });
  const authorization = await authorizationFor(kind, sandbox);
  try {
    if (first) {
      const probe: Probe = {};
      await sleep(1000);
      const early = rssMb(child.pid ?? 0);
      await sleep(9000);
      probe.idle = { early, settled: rssMb(child.pid ?? 0) };
      const lookup = scenarioRequest(kind, 'a-lookup', batch);
      if (lookup) {
        const spec = loadSpec(lookup, authorization);
        const body = (spec.body ?? '').replace(DEMO.purchaseToken, 'NOSUCHTOKEN000000001');
        const r = await fetch(`${spec.url}${spec.path}`, { method: 'POST', headers: spec.headers, body });
        probe.unknownToken = `HTTP ${r.status} ${(await r.text()).slice(0, 700)}`;
      }
      probes.set(name, probe);
    }
    for (const scenario of scenarios) {
      const request = scenarioRequest(kind, scenario, batch);
      if (!request || contestant?.skip?.includes(scenario)) continue;
      if (contestant?.only && !contestant.only.includes(scenario)) continue;
      let cell = cells.find((c) => c.contestant === name && c.scenario === scenario);
      if (!cell) {
        cell = { contestant: name, scenario, runs: [], median: summarize([]) };
        cells.push(cell);
      }
      const started = Date.now();
      const spec = loadSpec(request, authorization);
      try {
        if (scenario === 'd-slow-store') await sandbox.fault('onestore.getPurchaseDetails', 50);
        let figures: RunFigures;
        if (request.perRequestToken) {
          // A fixed number of one-use purchases per run, sized from this contestant's lookup rate
          // (a redemption, two SQL writes with fsync, is slower than a consume).
          const lookupRps = lookupRate.get(name) ?? 1000;
          const share = scenario === 'f-redeem' ? 8 : 2;
          const amount = Math.round(
            Math.min(scenario === 'f-redeem' ? 3000 : 20_000, Math.max(300, (lookupRps * seconds) / share)),
          );
          const warm = Math.round(Math.min(2_000, Math.max(100, (lookupRps * warmup) / share)));
          const [firstToken] = await sandbox.createPurchases(1, { productId: DEMO.productId });
          await sanity(spec, request.expect, firstToken);
          await runLoad(
            { ...spec, seconds: warmup, amount: warm, tokensFile: await tokenPool(sandbox, warm) },
            LOAD_CORE,
          );
          figures = await measure(child, sandbox, {
            ...spec,
            seconds,
            amount,
            tokensFile: await tokenPool(sandbox, amount),
          });
        } else {
          await sanity(spec, request.expect);
          await runLoad({ ...spec, seconds: warmup }, LOAD_CORE);
          figures = await measure(child, sandbox, { ...spec, seconds });
        }
        if (first) {
          const probeTokens = request.perRequestToken
            ? await sandbox.createPurchases(5, { productId: DEMO.productId })
            : undefined;
          figures.upstreamPerRequest = await upstreamPerRequest(sandbox, spec, probeTokens);
        }
        cell.runs.push(figures);
        cell.median = summarize(cell.runs);
        cell.median.upstreamPerRequest = cell.runs[0]?.upstreamPerRequest ?? Number.NaN;
        if (scenario === 'a-lookup') lookupRate.set(name, cell.median.rps);
        console.log(
          `  ${name} ${scenario}: ${Math.round(figures.rps)} req/s, p99 ${figures.p99} ms, CPU ${Math.round(figures.cpuPercent)}%, ` +
            `RSS ${Math.round(figures.peakRssMb)} MB (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.log(`  ${name} ${scenario}: FAILED ${message}`);
        cell.error = message.slice(0, 120);
      } finally {
        if (scenario === 'd-slow-store') await sandbox.control('DELETE', '/faults');
      }
    }
  } finally {
    await stopContestant(child);
  }
}

const lookupRate = new Map<string, number>();
const cpuModel = cpus()[0]?.model ?? 'unknown';
console.log(
  `machine: ${cpus().length} cores, ${cpuModel}, Node ${process.version}; server on core ${SERVER_CORE}, ` +
    `autocannon + sandbox on core ${LOAD_CORE}; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
console.log(
  `settings: ${runs} rounds of ${seconds}s after ${warmup}s warm-up, ${connections} connections, contestants alternating: ${chosen.join(', ')}`,
);
const startedAt = Date.now();
const sandbox = await SandboxProcess.start(SANDBOX_PORT, LOAD_CORE);
const cells: Cell[] = [];
const probes = new Map<string, Probe>();
try {
  for (let r = 0; r < runs; r++) {
    console.log(`round ${r + 1} of ${runs}`);
    for (const name of chosen) await round(name, r === 0, sandbox, cells, probes);
  }
} finally {
  await sandbox.stop();
}
const order = (c: Cell) => scenarios.indexOf(c.scenario) * 100 + chosen.indexOf(c.contestant);
const sorted = [...cells].sort((a, b) => order(a) - order(b));
console.log(`\n${table(sorted)}\n`);
console.log('idle RSS (MB, 1 s / 10 s after start) and the answer to an unknown purchase token:');
for (const [name, p] of probes) {
  console.log(
    `  ${name}: ${Math.round(p.idle?.early ?? 0)} / ${Math.round(p.idle?.settled ?? 0)} MB; ${p.unknownToken ?? '(no lookup)'}`,
  );
}
const idle = new Map([...probes].flatMap(([n, p]) => (p.idle ? [[n, p.idle] as const] : [])));
for (const g of chosen.filter((n) => CONTESTANTS[n]?.kind === 'gateway' && !CONTESTANTS[n]?.only)) {
  console.log(`\ntargets of issue 18 for ${g}:`);
  for (const line of targets(cells, g, idle)) console.log(`  ${line}`);
}
console.log(
  `\ntotal ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
);
if (process.env.BENCH_JSON) {
  writeFileSync(
    process.env.BENCH_JSON,
    JSON.stringify({ cells: sorted, probes: Object.fromEntries(probes) }, null, 2),
  );
}
