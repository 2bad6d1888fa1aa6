/**
 * Client overhead benchmark (a script, not a test): getPurchaseDetails through OneStoreClient versus
 * a bare `undici.request` loop sending the same request, both against an in-process sandbox.
 *
 *   npx tsx bench/client.ts [--ops 3000] [--concurrency 50]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startSandbox } from '../src/sandbox/index.js';
import { OneStoreClient } from '../src/stores/onestore/index.js';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '50' } },
});
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = 300;

interface Row {
  case: string;
  'ops/s': number;
  'p50 ms': number;
  'p99 ms': number;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function measure(
  label: string,
  ops: number,
  concurrency: number,
  op: () => Promise<unknown>,
): Promise<Row> {
  for (let i = 0; i < WARMUP; i += 1) await op();
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ops) {
      next += 1;
      const start = performance.now();
      await op();
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    case: label,
    'ops/s': Math.round(latencies.length / seconds),
    'p50 ms': round(percentile(latencies, 50)),
    'p99 ms': round(percentile(latencies, 99)),
  };
}

async function control(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/sandbox/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  const clientId = 'com.example.bench';
  const clientSecret = 'bench-secret';
  await control(sandbox.url, '/onestore/apps', { clientId, clientSecret });
  const created = await control(sandbox.url, '/onestore/purchases', {
    clientId,
    productId: 'gem100',
    type: 'inapp',
  });
  const ref = { productId: 'gem100', purchaseToken: String(created.purchaseToken) };

  const client = new OneStoreClient({
    baseUrl: sandbox.url,
    clientId,
    clientSecret,
    now: () => sandbox.clock.now(),
  });
  const token = await client.getAccessToken();
  const url = `${sandbox.url}/v7/apps/${clientId}/purchases/inapp/products/gem100/${ref.purchaseToken}`;
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'x-market-code': 'MKT_ONE',
  };
  // Same socket budget as the client's default pool, so the comparison is about code, not sockets.
  const dispatcher = new Agent({ connections: 32 });
  const bare = async () => {
    const response = await request(url, { method: 'GET', headers, dispatcher });
    const body = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`bare: HTTP ${response.statusCode}`);
    return body;
  };
  const viaClient = () => client.getPurchaseDetails(ref);

  const rows: Row[] = [];
  rows.push(await measure('bare undici.request, sequential', OPS, 1, bare));
  rows.push(await measure('OneStoreClient, sequential', OPS, 1, viaClient));
  rows.push(await measure(`bare undici.request, ${CONCURRENCY} concurrent`, OPS * 2, CONCURRENCY, bare));
  rows.push(await measure(`OneStoreClient, ${CONCURRENCY} concurrent`, OPS * 2, CONCURRENCY, viaClient));

  const stats = sandbox.stats();
  console.log(
    `node ${process.version}, ${OPS} sequential / ${OPS * 2} concurrent ops per case, in-process sandbox`,
  );
  console.table(rows);
  console.log(`token requests during the run: ${stats.endpoints['onestore.token']?.total ?? 0}`);

  await client.close();
  await dispatcher.close();
  await sandbox.close();
}

await main();
