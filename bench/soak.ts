/**
 * Soak: a mixed read/write load on the gateway (its own process, `src/main.ts` with a config file)
 * against an in-process sandbox, with faults switched on and off in phases. Not a test: it prints
 * figures and invariant checks. `SOAK_SECONDS` (default 180) and `SOAK_CONCURRENCY` (default 16).
 * RSS is sampled every 5 s and printed per minute (mean, min, max); issue 25's "flat" is the last
 * minute's mean within 10 MB of the second minute's. Once a minute the gateway's own heap figures
 * (prom-client's nodejs_heap_* and external memory) are read from /metrics, to tell heap growth from
 * native growth. The gateway runs the compiled `dist/main.js` with the image's flags, as deployed.
 *
 *   npm run build && npx tsx bench/soak.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import { sha256Hex } from '../src/server/api-keys.js';
import { dockerNodeFlags } from './lib/docker-flags.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 16);
const DEADLINE_MS = 2_000;
const PHASE_MS = 15_000;

const sandbox = await startSandbox({ port: 0 });
const control = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${sandbox.url}/sandbox/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
};
const clientId = 'com.example.soak';
await control('POST', '/onestore/apps', { clientId, clientSecret: 'soak-secret' });
const key = `soak-${randomUUID()}`;
const dir = mkdtempSync(join(tmpdir(), 'soak-'));
const configPath = join(dir, 'gateway.json');
writeFileSync(
  configPath,
  JSON.stringify({
    apps: { soak: { onestore: { clientId, clientSecret: { env: 'SOAK_SECRET' }, baseUrl: sandbox.url } } },
    apiKeys: [{ name: 'soak', sha256: sha256Hex(key), apps: ['soak'], scopes: ['read', 'write'] }],
    // One key sends the whole load: the default per-key budget would turn the soak into a limiter test.
    rateLimits: { enabled: false },
    requestDeadlineMs: DEADLINE_MS,
    // The embedded grant ledger opens at start (its RSS is in the figures); keep its files out of the repo.
    ledger: { dataDir: join(dir, 'ledger') },
  }),
);

// As deployed: the node flags of the Docker image's CMD (bench/lib/docker-flags.ts).
const gateway: ChildProcess = spawn(
  process.execPath,
  [...dockerNodeFlags(), 'dist/main.js', '--config', configPath],
  {
    env: {
      ...process.env,
      SOAK_SECRET: 'soak-secret',
      PORT: '0',
      LOG_LEVEL: 'error',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  gateway.stdout?.on('data', (chunk: Buffer) => {
    const m = /http:\/\/[^:]+:(\d+)\/graphql/.exec(chunk.toString());
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
  gateway.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
});

const metricMib = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Math.round(Number(line?.split(' ').at(-1)) / 1_048_576);
};
const rss = async () =>
  metricMib(await (await fetch(`${url}/metrics`)).text(), 'process_resident_memory_bytes');
/** Heap used / heap total / external, MiB: one /metrics read, a minute apart, adds no load to speak of. */
const heapFigures = async () => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes'].map(
    (name) => metricMib(text, name),
  );
};
const newPurchase = async () => {
  const p = await control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
  return String(p.purchaseToken);
};
const gql = async (query: string, variables: object) => {
  const started = performance.now();
  const r = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await r.json()) as { data?: Record<string, { __typename?: string }>; errors?: unknown[] };
  const ms = performance.now() - started;
  const first = body.data === undefined || body.data === null ? undefined : Object.values(body.data)[0];
  return { ms, kind: body.errors?.length ? `HTTP${r.status}:errors` : (first?.__typename ?? 'none') };
};
const READ = `query Read($t: String!) { purchase(app: "soak", productId: "gem_100", purchaseToken: $t) { __typename } }`;
const CONSUME = `mutation Consume($t: String!) {
  consumePurchase(input: { app: "soak", onestore: { productId: "gem_100", purchaseToken: $t } }) { __typename } }`;

const phases: { name: string; on: () => Promise<void> }[] = [
  { name: 'no faults', on: async () => {} },
  {
    name: '20% 5xx on reads and consumes',
    on: async () => {
      await control('POST', '/faults', {
        endpoint: 'onestore.getPurchaseDetails',
        code: 'InternalError',
        rate: 0.2,
      });
      await control('POST', '/faults', {
        endpoint: 'onestore.consumePurchase',
        code: 'InternalError',
        rate: 0.2,
      });
    },
  },
  {
    name: 'latency spikes (3 s on 10%)',
    on: async () => {
      await control('POST', '/faults', {
        endpoint: 'onestore.getPurchaseDetails',
        latencyMs: 3_000,
        rate: 0.1,
      });
      await control('POST', '/faults', { endpoint: 'onestore.consumePurchase', latencyMs: 3_000, rate: 0.1 });
    },
  },
  {
    name: 'dropped connections (10%)',
    on: async () => {
      await control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', drop: true, rate: 0.1 });
      await control('POST', '/faults', { endpoint: 'onestore.consumePurchase', drop: true, rate: 0.1 });
    },
  },
  {
    name: 'maintenance',
    on: async () => {
      await control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 5 });
    },
  },
];

const rssStart = await rss();
// From /proc, not /metrics: sampling must not add requests of its own to the load it measures.
const procRssMib = () =>
  Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const startedAt = Date.now();
const rssByMinute: number[][] = [];
const heapByMinute: number[][] = [];
const sampler = setInterval(() => {
  const minute = Math.floor((Date.now() - startedAt) / 60_000);
  rssByMinute[minute] = [...(rssByMinute[minute] ?? []), procRssMib()];
  // The last sample of each minute (55 s in): the heap as the minute ends.
  if ((rssByMinute[minute]?.length ?? 0) === 12)
    void heapFigures().then((figures) => {
      heapByMinute[minute] = figures;
    });
}, 5_000);
const pool = await Promise.all(Array.from({ length: 50 }, newPurchase));
const latencies: number[] = [];
const kinds = new Map<string, number>();
const consumeOutcomes = new Map<string, string[]>();
let consumesSent = 0;
const end = Date.now() + SECONDS * 1000;
const count = (k: string) => kinds.set(k, (kinds.get(k) ?? 0) + 1);

async function worker(): Promise<void> {
  while (Date.now() < end) {
    if (Math.random() < 0.3) {
      const token = await newPurchase();
      consumesSent += 1;
      const r = await gql(CONSUME, { t: token });
      latencies.push(r.ms);
      count(`consume ${r.kind}`);
      consumeOutcomes.set(token, [...(consumeOutcomes.get(token) ?? []), r.kind]);
    } else {
      const r = await gql(READ, { t: pool[Math.floor(Math.random() * pool.length)] });
      latencies.push(r.ms);
      count(`read ${r.kind}`);
    }
  }
}
const schedule = (async () => {
  for (let i = 0; Date.now() < end; i += 1) {
    const phase = phases[i % phases.length];
    if (phase === undefined) break;
    await control('DELETE', '/faults');
    await control('POST', '/maintenance', { on: false, store: 'all' });
    await phase.on();
    console.log(`${new Date().toISOString()} phase: ${phase.name}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(PHASE_MS, Math.max(0, end - Date.now()))));
  }
  await control('DELETE', '/faults');
  await control('POST', '/maintenance', { on: false, store: 'all' });
})();
await Promise.all([...Array.from({ length: CONCURRENCY }, worker), schedule]);
clearInterval(sampler);
await new Promise((resolve) => setTimeout(resolve, 3_500)); // let delayed sandbox answers land
const rssEnd = await rss();

// Invariants: each token was consumed by one mutation, so a second store-side consume would
// show up as AlreadyConsumedError, and the store cannot have seen more consumes than we sent.
const stats = sandbox.stats();
const storeConsumes = stats.endpoints['onestore.consumePurchase']?.total ?? 0;
const alreadyConsumed = [...consumeOutcomes.values()]
  .flat()
  .filter((k) => k === 'AlreadyConsumedError').length;
let consumedInStore = 0;
for (const token of consumeOutcomes.keys()) {
  const record = await control('GET', `/onestore/purchases/${token}`);
  if (record.consumptionState === 1) consumedInStore += 1;
}
const successes = [...consumeOutcomes.values()].flat().filter((k) => k === 'ConsumePurchaseSuccess').length;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
const overDeadline = latencies.filter((ms) => ms > DEADLINE_MS + 1_000).length;

console.log(`\nsoak: ${SECONDS} s, ${CONCURRENCY} workers, request deadline ${DEADLINE_MS} ms`);
console.log(`requests: ${latencies.length}  p50 ${pct(0.5)} ms  p99 ${pct(0.99)} ms  max ${pct(1)} ms`);
for (const [k, n] of [...kinds].sort()) console.log(`  ${k}: ${n}`);
console.log(`RSS (gateway process): start ${rssStart} MiB, end ${rssEnd} MiB`);
const minuteMeans = rssByMinute.map((samples) => samples.reduce((a, b) => a + b, 0) / samples.length);
rssByMinute.forEach((samples, i) => {
  const round = (n: number) => Math.round(n);
  console.log(
    `  minute ${i + 1}: mean ${round(minuteMeans[i] ?? 0)} MiB, min ${round(Math.min(...samples))}, max ${round(Math.max(...samples))} (${samples.length} samples)` +
      (heapByMinute[i]
        ? `; heap used/total ${heapByMinute[i]?.[0]}/${heapByMinute[i]?.[1]}, external ${heapByMinute[i]?.[2]}`
        : ''),
  );
});
// A last minute with a few samples only (the run's tail) is not a minute: compare the last full one.
const full = minuteMeans.length - ((rssByMinute.at(-1)?.length ?? 0) < 6 ? 1 : 0);
const second = minuteMeans[1];
const last = minuteMeans[full - 1];
if (second !== undefined && last !== undefined && full > 2)
  console.log(
    `RSS flat? minute 2 ${Math.round(second)} MiB, minute ${full} ${Math.round(last)} MiB, difference ${(last - second).toFixed(1)} MiB (want within 10)`,
  );
console.log('invariants:');
console.log(`  requests over deadline + 1 s: ${overDeadline} (want 0)`);
console.log(`  consume mutations ${consumesSent}, consumes the store saw ${storeConsumes} (want <=)`);
console.log(`  AlreadyConsumedError answers: ${alreadyConsumed} (want 0: no double consume)`);
console.log(`  ConsumePurchaseSuccess ${successes} <= consumed in store ${consumedInStore} (want <=)`);
const ok =
  overDeadline === 0 &&
  storeConsumes <= consumesSent &&
  alreadyConsumed === 0 &&
  successes <= consumedInStore;
console.log(ok ? 'ALL INVARIANTS HOLD' : 'INVARIANT VIOLATED');
gateway.kill('SIGTERM');
await new Promise((resolve) => gateway.once('exit', resolve));
await sandbox.close();
process.exit(ok ? 0 : 1);
