/**
 * Webhook delivery: events per second delivered to a local receiver, and the delivery lag (event
 * occurredAt → the receiver has it) during a soak at a steady event rate. Not a test: it prints figures.
 *
 *   npm run bench:events
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:events
 *
 * One gateway in process with one app and one endpoint (defaults of the `webhooks` section), its
 * ledger embedded (a SQLite file) or, with BENCH_DATABASE_URL, PostgreSQL in a schema of its own.
 * Events are grants claimed and settled through the gateway's ledger (two events each, in order per
 * grant). Options (env): BENCH_BURST_GRANTS (default 2000: the throughput phase), BENCH_SOAK_SECONDS
 * (default 60), BENCH_SOAK_RATE (events per second in the soak, default 100).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { resolveConfig } from '../src/config/load.js';
import type { NewGrant } from '../src/ledger/index.js';
import { openLedgerStorage, type RedemptionService } from '../src/redemption/service.js';
import { sha256Hex } from '../src/server/api-keys.js';
import { createGateway } from '../src/server/create-gateway.js';

const BURST_GRANTS = Number(process.env.BENCH_BURST_GRANTS ?? 2_000);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const SOAK_RATE = Number(process.env.BENCH_SOAK_RATE ?? 100);
const pgUrl = process.env.BENCH_DATABASE_URL;
const SECRET = randomUUID();

/** The local receiver: answers 200 at once and notes when each event arrived. */
async function startReceiver() {
  const arrived = new Map<string, { at: number; occurredAt: number }>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; occurredAt: string };
      if (arrived.has(body.id)) duplicates++;
      else arrived.set(body.id, { at, occurredAt: Date.parse(body.occurredAt) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    arrived,
    duplicates: () => duplicates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const newGrant = (key: string): NewGrant => ({
  app: 'bench',
  store: 'NHN_CLOUD',
  purchaseKey: key,
  userId: 'u1',
  productId: 'gem_100',
  quantity: 1,
  storeIds: { paymentSeq: key },
  fingerprint: 'fp',
  idempotencyKey: null,
  action: 'NONE',
});

/** Two events (GRANT_CREATED, GRANT_SETTLED) through the gateway's ledger; answers their count. */
async function grantEvents(service: RedemptionService, key: string): Promise<number> {
  const claim = await service.storage.grants.claim(newGrant(key), service.owner, 60_000);
  if (!claim.claimed) throw new Error('not claimed');
  await service.storage.grants.settle(claim.grant.id, 'RECORDED');
  return 2;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('deliveries did not finish in time');
    await sleep(5);
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(backend: 'sqlite' | 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  const schema = `bench_events_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const receiver = await startReceiver();
  const ledger = await openLedgerStorage(
    backend === 'postgres' ? { url: pgUrl ?? '', schema } : { dataDir: dir },
  );
  const config = resolveConfig(
    {
      apps: {
        bench: {
          nhncloud: { appSeq: '1' },
          webhooks: [{ name: 'main', url: receiver.url, secret: { env: 'HOOK_SECRET' } }],
        },
      },
      apiKeys: [{ name: 'bench', sha256: sha256Hex('k'), apps: ['bench'], scopes: ['read'] }],
      rateLimits: { enabled: false },
      ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 },
    },
    { HOOK_SECRET: SECRET },
  );
  const gateway = createGateway(config, { ledger });
  const service = await gateway.redemption();
  const out: Record<string, string | number> = { backend };
  try {
    // Throughput: grants written 16 at a time as fast as the ledger takes them, while the worker
    // (concurrency 8) delivers; the figure is events delivered / time until the last one arrived.
    const started = Date.now();
    let next = 0;
    let events = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < BURST_GRANTS) {
          const added = await grantEvents(service, `burst-${next++}`);
          events += added;
        }
      }),
    );
    const written = Date.now();
    console.error(`${backend}: ${events} events written in ${written - started} ms; waiting for deliveries`);
    await waitFor(() => receiver.arrived.size >= events, 600_000);
    const done = Math.max(...[...receiver.arrived.values()].map((a) => a.at));
    out.burstEvents = events;
    out.writtenPerSecond = Math.round((events / (written - started)) * 1000);
    out.deliveredPerSecond = Math.round((events / (done - started)) * 1000);

    console.error(`${backend}: burst delivered in ${done - started} ms; soak ${SOAK_SECONDS} s`);
    // Soak: SOAK_RATE events a second for SOAK_SECONDS; lag of each event delivered meanwhile.
    const soakStart = Date.now();
    const before = receiver.arrived.size;
    let soakEvents = 0;
    for (let tick = 0; Date.now() - soakStart < SOAK_SECONDS * 1000; tick++) {
      const due = soakStart + tick * 100;
      if (due > Date.now()) await sleep(due - Date.now());
      const grants = Math.max(1, Math.round(SOAK_RATE / 20)); // two events per grant, ten ticks a second
      await Promise.all(
        Array.from({ length: grants }, async (_, i) => {
          const added = await grantEvents(service, `soak-${tick}-${i}`);
          soakEvents += added;
        }),
      );
    }
    await waitFor(() => receiver.arrived.size >= before + soakEvents, 120_000);
    const lags = [...receiver.arrived.values()]
      .filter((a) => a.occurredAt >= soakStart)
      .map((a) => a.at - a.occurredAt)
      .sort((a, b) => a - b);
    out.soakSeconds = SOAK_SECONDS;
    out.soakEvents = soakEvents;
    out.soakEventsPerSecond = Math.round((soakEvents / (Date.now() - soakStart)) * 1000);
    out.lagP50Ms = quantile(lags, 0.5);
    out.lagP99Ms = quantile(lags, 0.99);
    out.lagMaxMs = lags.at(-1) ?? Number.NaN;
    out.duplicates = receiver.duplicates();
  } finally {
    await gateway.dispose();
    await ledger.db.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
  return out;
}

const results = [await run('sqlite')];
if (pgUrl) results.push(await run('postgres'));
console.log(
  `webhooks: ${BURST_GRANTS * 2} events burst, then ${SOAK_SECONDS} s soak at ${SOAK_RATE} events/s; one endpoint, concurrency 8`,
);
console.table(results);
