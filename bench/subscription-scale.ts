/**
 * Tracked subscriptions at scale (issue 26): SCALE_SUBS ONE store subscriptions (default 100,000) tracked by
 * the gateway's scheduler over SCALE_DAYS days of sandbox time (default 30). Not a test: it prints store reads
 * per subscription per day, the scheduler's CPU per 1,000 due subscriptions, events by type and the ledger's
 * size. The sandbox runs in a process of its own (`npm run sandbox`), so the CPU figures are the gateway
 * side's only: the scheduler, its store client (HTTP, JSON, zod) and its ledger writes.
 *
 *   npx tsx bench/subscription-scale.ts                 # SQLite ledger in a temporary folder
 *   SCALE_DATABASE_URL=postgres://… npx tsx bench/subscription-scale.ts
 *
 * The mix, per subscription i (deterministic): monthly (30-day) periods started 0 to 29 days before the run,
 * so renewals are spread over the month; 85 % renew all along, 5 % are cancelled by the player on day
 * ⌊i / 20⌋ mod 28 (they expire at their period's end), 5 % fall into grace that day and recover 3 days later,
 * 5 % fall on hold that day and never recover (they expire when the hold ends). The scheduler runs with
 * the config's defaults (daily read at least, at each announced time + 60 s, every 4 h in grace or hold),
 * except its call budget, raised so that the simulation is not paced by it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config/load.js';
import { subscriptionTrackingSection } from '../src/config/schema.js';
import { StoreRegistry } from '../src/entitlements/app-stores.js';
import { subscriptionReadRetry } from '../src/events/retry-policies.js';
import { openLedgerStorage } from '../src/redemption/service.js';
import { sha256Hex } from '../src/server/api-keys.js';
import {
  addFigures,
  NO_FIGURES,
  SubscriptionScheduler,
  storeReader,
  type TickFigures,
} from '../src/subscriptions/index.js';

const SUBS = Number(process.env.SCALE_SUBS ?? 100_000);
const DAYS = Number(process.env.SCALE_DAYS ?? 30);
const STEP_MS = Number(process.env.SCALE_STEP_MINUTES ?? 60) * 60_000;
const PORT = Number(process.env.SCALE_SANDBOX_PORT ?? 4791);
const DAY = 86_400_000;
const PERIOD = 30 * DAY;
const CLIENT_ID = 'com.example.demo.game';
const SANDBOX = `http://127.0.0.1:${PORT}`;

const sandboxProcess: ChildProcess = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/sandbox/cli.ts', '--port', String(PORT)],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const stopSandbox = () => sandboxProcess.kill('SIGKILL');
process.on('exit', stopSandbox);

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  // Idempotent calls (reads, the stats reset, the clock set to an instant) are sent again once when the
  // sandbox closed a kept-alive connection as the request left (it does so after a long idle phase).
  const again = method === 'GET' || method === 'DELETE' || path === '/clock';
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(`${SANDBOX}/sandbox/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, unknown>;
    } catch (error) {
      if (!again || attempt > 1 || !(error instanceof TypeError)) throw error;
    }
  }
}

for (let i = 0; ; i++) {
  try {
    await control('GET', '/clock');
    break;
  } catch (error) {
    if (i > 200) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const clock = await control('POST', '/clock', { frozen: true });
let now = Number(clock.now);
const T0 = now;

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

type Fate = 'renews' | 'cancelled' | 'grace' | 'hold';
/** The day of a subscription's store change: spread over the month independently of its fate. */
const changeDay = (i: number) => Math.floor(i / 20) % 28;
const fateOf = (i: number): Fate => {
  const r = i % 20;
  return r === 0 ? 'cancelled' : r === 1 ? 'grace' : r === 2 ? 'hold' : 'renews';
};

const started = performance.now();
const tokens: string[] = new Array(SUBS);
await pool(
  Array.from({ length: SUBS }, (_, i) => i),
  32,
  async (i) => {
    const created = await control('POST', '/onestore/purchases', {
      clientId: CLIENT_ID,
      productId: 'vip_monthly',
      type: 'subscription',
      periodMs: PERIOD,
      purchaseTime: T0 - (i % 30) * DAY - ((i * 7919) % DAY),
      price: '4900',
      currency: 'KRW',
    });
    tokens[i] = String(created.purchaseToken);
  },
);
const createdMs = performance.now() - started;

const dir = mkdtempSync(join(tmpdir(), 'subscription-scale-'));
const databaseUrl = process.env.SCALE_DATABASE_URL;
const storage = await openLedgerStorage(
  databaseUrl
    ? { url: databaseUrl, schema: `scale_${process.pid}`, poolSize: 8 }
    : { dataDir: join(dir, 'ledger') },
);
const trackStarted = performance.now();
// The rows a redemption of each subscription would have written (one statement each, as a settle does).
await pool(tokens, 8, async (token) => {
  await storage.tracked.track({
    app: 'demo',
    store: 'ONESTORE',
    purchaseToken: token,
    storeApp: CLIENT_ID,
    market: 'MKT_ONE',
    kind: 'SUBSCRIPTION',
    productId: 'vip_monthly',
    userId: `player-${token.slice(-8)}`,
    // ONE store rows need no store ids of their own (Gamebase rows keep their payment pair here).
    storeIds: null,
  });
});
const trackedMs = performance.now() - trackStarted;

const config = resolveConfig(
  {
    apps: {
      demo: {
        onestore: {
          clientId: CLIENT_ID,
          clientSecret: { env: 'SECRET' },
          baseUrl: SANDBOX,
          markets: ['MKT_ONE'],
          timeBasis: 'epoch',
        },
      },
    },
    apiKeys: [{ name: 'bench', sha256: sha256Hex('bench-key-0000000000'), apps: ['demo'], scopes: ['read'] }],
  },
  { SECRET: 'sandbox-demo-secret' },
);
const stores = new StoreRegistry(config, { now: () => now });
// The config file's defaults (config/schema.ts).
const tracking = subscriptionTrackingSection.parse({});
const scheduler = new SubscriptionScheduler(storage.tracked, storeReader(stores), {
  now: () => now,
  leaseMs: 60_000,
  batchSize: tracking.batchSize * 5,
  concurrency: 16,
  // Raised so that simulated days are not paced by it: the figures are per read, not per second.
  callsPerSecond: 10_000,
  intervalMs: 0,
  marginMs: tracking.marginSeconds * 1000,
  billingIssueIntervalMs: tracking.billingIssueIntervalSeconds * 1000,
  maxIntervalMs: tracking.maxIntervalSeconds * 1000,
  retry: subscriptionReadRetry(tracking.retryInitialSeconds * 1000, tracking.retryMaxSeconds * 1000),
});

/** The store-side changes of a day, for the subscriptions whose fate falls on it. */
async function storeChanges(day: number): Promise<void> {
  const due: [string, string][] = [];
  for (let i = 0; i < SUBS; i++) {
    const fate = fateOf(i);
    if (fate === 'renews' || changeDay(i) !== day) continue;
    const token = tokens[i] ?? '';
    due.push([token, fate === 'cancelled' ? 'cancel' : fate]);
  }
  for (let i = 0; i < SUBS; i++)
    if (fateOf(i) === 'grace' && changeDay(i) === day - 3) due.push([tokens[i] ?? '', 'recover']);
  let refused = 0;
  await pool(due, 32, async ([token, action]) => {
    try {
      await control('POST', `/onestore/purchases/${token}/${action}`, {});
    } catch {
      refused++; // e.g. grace on a subscription that expired meanwhile: the sandbox refuses it
    }
  });
  if (refused > 0) changesRefused += refused;
}
let changesRefused = 0;

const total: TickFigures = { ...NO_FIGURES };
const perDay: { day: number; reads: number; cpuMs: number; events: number }[] = [];
await control('DELETE', '/stats');
const simStarted = performance.now();
const cpuStarted = process.cpuUsage();
let dayFigures = { reads: 0, cpu: 0, events: 0 };
for (let t = 0; t <= DAYS * DAY; t += STEP_MS) {
  if (t > 0) {
    now += STEP_MS;
    await control('POST', '/clock', { set: now });
  }
  if (t % DAY === 0) await storeChanges(t / DAY);
  const f = await scheduler.runDue(100_000);
  addFigures(total, f);
  dayFigures.reads += f.reads;
  dayFigures.cpu += f.cpuMicros;
  dayFigures.events += f.events;
  if ((t + STEP_MS) % DAY === 0) {
    const day = (t + STEP_MS) / DAY;
    perDay.push({ day, reads: dayFigures.reads, cpuMs: dayFigures.cpu / 1000, events: dayFigures.events });
    console.log(
      `day ${String(day).padStart(2)}: ${dayFigures.reads} reads, ${dayFigures.events} events, scheduler CPU ${(dayFigures.cpu / 1e6).toFixed(1)} s, wall ${((performance.now() - simStarted) / 1000).toFixed(0)} s`,
    );
    dayFigures = { reads: 0, cpu: 0, events: 0 };
  }
}
const simMs = performance.now() - simStarted;
const processCpu = process.cpuUsage(cpuStarted);
const stats = await control('GET', '/stats');

const events = await storage.db.query<{ type: string; n: number | string }>(
  'SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type',
);
const byStatus = await storage.db.query<{ status: string | null; n: number | string }>(
  'SELECT status, count(*) AS n FROM tracked_subscriptions GROUP BY status ORDER BY status',
);
let ledgerBytes = 0;
if (databaseUrl) {
  const [size] = await storage.db.query<{ bytes: string }>(
    "SELECT pg_total_relation_size('tracked_subscriptions') + pg_total_relation_size('events') AS bytes",
  );
  ledgerBytes = Number(size?.bytes ?? 0);
} else {
  for (const f of readdirSync(join(dir, 'ledger'))) ledgerBytes += statSync(join(dir, 'ledger', f)).size;
}

const days = DAYS;
console.log(
  `\nsubscriptions: ${SUBS}, days: ${days}, step: ${STEP_MS / 60_000} min, ledger: ${databaseUrl ? 'PostgreSQL' : 'SQLite'}`,
);
console.log(
  `set-up: ${SUBS} sandbox subscriptions in ${(createdMs / 1000).toFixed(1)} s, tracked in ${(trackedMs / 1000).toFixed(1)} s`,
);
console.log(
  `store reads: ${total.reads} (failed ${total.failures}), ${(total.reads / SUBS / days).toFixed(3)} per subscription per day`,
);
console.log(`sandbox stats (reads it answered): ${JSON.stringify(stats)}`);
console.log(
  `rows claimed: ${total.claimed}, written: ${total.written}, lost: ${total.lost}, ledger errors: ${total.ledgerErrors}`,
);
console.log(
  `scheduler CPU: ${(total.cpuMicros / 1e6).toFixed(1)} s in ticks, ${((total.cpuMicros / 1000 / Math.max(1, total.claimed)) * 1000).toFixed(0)} ms per 1,000 due subscriptions; process CPU over the simulation ${((processCpu.user + processCpu.system) / 1e6).toFixed(1)} s; wall ${(simMs / 1000).toFixed(0)} s`,
);
console.log(
  `busiest day: ${Math.max(...perDay.map((d) => d.reads))} reads; quietest: ${Math.min(...perDay.map((d) => d.reads))}`,
);
console.log(`events: ${events.map((e) => `${e.type} ${e.n}`).join(', ')} (total ${total.events})`);
console.log(`tracked by status: ${byStatus.map((s) => `${s.status} ${s.n}`).join(', ')}`);
console.log(`store changes refused by the sandbox: ${changesRefused}`);
console.log(
  `ledger size: ${(ledgerBytes / 1048576).toFixed(1)} MiB (${databaseUrl ? 'tracked_subscriptions + events' : 'SQLite files'})`,
);
await storage.db.close();
stopSandbox();
process.exit(0);
