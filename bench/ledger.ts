/**
 * The grant ledger on both backends: open times, claims and settles per second, 200 concurrent
 * duplicates of one purchase; then the gateway's RSS (its own process, `dist/main.js`, against an
 * in-process sandbox) idle and after 1,000 redemptions, per backend. Not a test: it prints figures.
 *
 *   npm run build && BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/ledger.ts
 *
 * Without BENCH_DATABASE_URL only the embedded (SQLite) ledger is measured. Options (env):
 * BENCH_GRANTS (claims and settles timed, default 2000), BENCH_REDEMPTIONS (default 1000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { GrantStore, type LedgerDbOptions, type NewGrant, openLedgerDb } from '../src/ledger/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { sha256Hex } from '../src/server/api-keys.js';
import { dockerNodeFlags } from './lib/docker-flags.js';

const GRANTS = Number(process.env.BENCH_GRANTS ?? 2_000);
const REDEMPTIONS = Number(process.env.BENCH_REDEMPTIONS ?? 1_000);
const CONCURRENCY = 20;
const pgUrl = process.env.BENCH_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'bench-ledger-'));

const newGrant = (purchaseKey: string): NewGrant => ({
  app: 'bench',
  store: 'ONESTORE',
  purchaseKey,
  userId: `u-${purchaseKey}`,
  productId: 'gem_100',
  quantity: 1,
  storeIds: { purchaseToken: purchaseKey },
  fingerprint: 'fp',
  idempotencyKey: null,
  action: 'CONSUME',
});

/** Runs `n` calls of `task`, `concurrency` at a time. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function timedOpen(options: LedgerDbOptions) {
  const start = performance.now();
  const db = await openLedgerDb(options);
  return { db, ms: ms(start) };
}

interface LedgerFigures {
  backend: string;
  openFreshMs: number;
  reopenMs: number | null;
  claimsPerSec: number;
  settlesPerSec: number;
  duplicatesMs: number;
  duplicateWinners: number;
}

async function ledgerBench(name: string, options: LedgerDbOptions, reopen: boolean): Promise<LedgerFigures> {
  // Fresh: a new directory (SQLite) or database (PostgreSQL), migrations included; then reopened.
  const fresh = await timedOpen(options);
  let db = fresh.db;
  let reopenMs: number | null = null;
  if (reopen) {
    await db.close();
    const again = await timedOpen(options);
    db = again.db;
    reopenMs = again.ms;
  }
  try {
    const grants = new GrantStore(db);
    const run = randomUUID();
    const ids: string[] = [];
    let start = performance.now();
    await pool(GRANTS, CONCURRENCY, async (i) => {
      const claim = await grants.claim(newGrant(`${run}-${i}`), 'bench', 60_000);
      if (claim.claimed) ids.push(claim.grant.id);
    });
    const claimsPerSec = Math.round(GRANTS / ((performance.now() - start) / 1000));
    start = performance.now();
    await pool(ids.length, CONCURRENCY, (i) => grants.settle(ids[i] ?? '', 'CONSUMED'));
    const settlesPerSec = Math.round(ids.length / ((performance.now() - start) / 1000));
    start = performance.now();
    const dup = await Promise.all(
      Array.from({ length: 200 }, () => grants.claim(newGrant(`${run}-dup`), 'bench', 60_000)),
    );
    const duplicatesMs = ms(start);
    return {
      backend: name,
      openFreshMs: fresh.ms,
      reopenMs,
      claimsPerSec,
      settlesPerSec,
      duplicatesMs,
      duplicateWinners: dup.filter((r) => r.claimed).length,
    };
  } finally {
    await db.close();
  }
}

/** A database of its own on the PostgreSQL server, so both the ledger and the gateway start empty. */
async function freshDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

interface GatewayFigures {
  backend: string;
  startMs: number;
  idleMb: number;
  afterMb: number;
  redemptionsPerSec: number;
  granted: number;
}

async function gatewayBench(name: string, databaseUrl: string | undefined): Promise<GatewayFigures> {
  const sandbox = await startSandbox({ port: 0 });
  const control = async (path: string, body: unknown) => {
    const r = await fetch(`${sandbox.url}/sandbox/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  const clientId = `com.example.bench.${name}`;
  await control('/onestore/apps', { clientId, clientSecret: 'bench-secret' });
  const key = `bench-${randomUUID()}`;
  const dir = mkdtempSync(join(work, `gw-${name}-`));
  const configPath = join(dir, 'gateway.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      apps: {
        bench: { onestore: { clientId, clientSecret: { env: 'BENCH_SECRET' }, baseUrl: sandbox.url } },
      },
      apiKeys: [{ name: 'bench', sha256: sha256Hex(key), apps: ['bench'], scopes: ['read', 'write'] }],
      rateLimits: { enabled: false },
      ledger: { dataDir: join(dir, 'ledger') },
    }),
  );
  const started = performance.now();
  // As deployed: the node flags of the Docker image's CMD (bench/lib/docker-flags.ts).
  const args = [...dockerNodeFlags(), 'dist/main.js', '--config', configPath];
  const gateway: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      BENCH_SECRET: 'bench-secret',
      PORT: '0',
      LOG_LEVEL: 'error',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      DATABASE_URL: databaseUrl ?? '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      gateway.stdout?.on('data', (chunk: Buffer) => {
        const m = /http:\/\/[^:]+:(\d+)\/graphql/.exec(chunk.toString());
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      gateway.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
    });
    const startMs = ms(started);
    const rss = async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('process_resident_memory_bytes'));
      return Math.round(Number(line?.split(' ')[1]) / 1_048_576);
    };
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idleMb = await rss();
    const tokens = await Promise.all(
      Array.from({ length: REDEMPTIONS }, async () => {
        const p = await control('/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
        return String(p.purchaseToken);
      }),
    );
    let granted = 0;
    const begin = performance.now();
    await pool(REDEMPTIONS, CONCURRENCY, async (i) => {
      const r = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query: `mutation ($input: RedeemPurchaseInput!) { redeemPurchase(input: $input) { __typename } }`,
          variables: {
            input: {
              app: 'bench',
              userId: `user-${i}`,
              onestore: { productId: 'gem_100', purchaseToken: tokens[i] },
            },
          },
        }),
      });
      const body = (await r.json()) as { data?: { redeemPurchase?: { __typename: string } } };
      if (body.data?.redeemPurchase?.__typename === 'RedeemPurchaseSuccess') granted++;
    });
    const redemptionsPerSec = Math.round(REDEMPTIONS / ((performance.now() - begin) / 1000));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { backend: name, startMs, idleMb, afterMb: await rss(), redemptionsPerSec, granted };
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((resolve) => gateway.once('exit', resolve));
    await sandbox.close();
  }
}

try {
  const ledgers: LedgerFigures[] = [];
  ledgers.push(await ledgerBench('sqlite', { dataDir: join(work, 'sqlite-ledger') }, true));
  const dbs: { drop: () => Promise<void> }[] = [];
  let gatewayDb: string | undefined;
  if (pgUrl) {
    const ledgerDb = await freshDatabase(pgUrl);
    dbs.push(ledgerDb);
    ledgers.push(await ledgerBench('postgres', { url: ledgerDb.url }, true));
    const g = await freshDatabase(pgUrl);
    dbs.push(g);
    gatewayDb = g.url;
  }
  console.log(`ledger: ${GRANTS} claims then settles, ${CONCURRENCY} at a time; 200 concurrent duplicates`);
  console.table(ledgers);
  const gateways: GatewayFigures[] = [await gatewayBench('sqlite', undefined)];
  if (gatewayDb !== undefined) gateways.push(await gatewayBench('postgres', gatewayDb));
  console.log(`gateway (dist/main.js): RSS idle (3 s after start) and after ${REDEMPTIONS} redemptions`);
  console.table(gateways);
  for (const db of dbs) await db.drop();
} finally {
  rmSync(work, { recursive: true, force: true });
}
