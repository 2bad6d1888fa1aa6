/**
 * The live stream's source (src/ledger/event-stream.ts) on both backends: replay speed (events
 * read from the ledger and handed out per second, in pages of 100) and live latency, from the
 * start of one event's commit to the stream handing it out, one event per commit. On PostgreSQL
 * the writer and the reader are two ledgers (two replicas): the only wake-up is NOTIFY heard on
 * the reader's LISTEN connection (the poll is off). Storage level: no HTTP, no GraphQL. Not a
 * test: it prints figures.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/stream.ts
 *
 * Without BENCH_DATABASE_URL only the embedded (SQLite) ledger is measured. Options (env):
 * BENCH_EVENTS (replayed, default 5000), BENCH_LIVE (live events timed, default 300).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { EventWakeups, type LedgerDbOptions, streamEvents } from '../src/ledger/index.js';
import { openLedgerStorage } from '../src/redemption/service.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
const LIVE = Number(process.env.BENCH_LIVE ?? 300);
const pgUrl = process.env.BENCH_DATABASE_URL;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const ms = (value: number) => Math.round(value * 100) / 100;

async function measure(name: string, options: LedgerDbOptions, replicas: boolean) {
  const writer = await openLedgerStorage(options);
  const reader = replicas ? await openLedgerStorage(options) : writer;
  const wakeups = new EventWakeups(reader.events, reader.db, { pollIntervalMs: 0 });
  await writer.events.write(async (_q, record) => {
    for (let i = 0; i < EVENTS; i++)
      await record({ app: 'bench', type: 'GRANT_CREATED', subject: `g${i}`, data: { i } });
  });
  const stream = streamEvents(reader.events, wakeups, { app: 'bench', afterSeq: null });
  let started = performance.now();
  for (let i = 0; i < EVENTS; i++) await stream.next();
  const replaySeconds = (performance.now() - started) / 1000;
  if (replicas) while (!wakeups.listening) await new Promise((resolve) => setTimeout(resolve, 10));
  const latencies: number[] = [];
  for (let i = 0; i < LIVE; i++) {
    started = performance.now();
    const next = stream.next();
    await writer.events.record({ app: 'bench', type: 'GRANT_SETTLED', subject: `s${i}`, data: { i } });
    await next;
    latencies.push(performance.now() - started);
  }
  console.log(
    `${name}: replay ${Math.round(EVENTS / replaySeconds)} events/s; live, commit start to event: ` +
      `p50 ${ms(percentile(latencies, 50))} ms, p99 ${ms(percentile(latencies, 99))} ms, max ${ms(Math.max(...latencies))} ms (${LIVE} events)`,
  );
  await stream.return?.();
  await wakeups.close();
  if (replicas) await reader.db.close();
  await writer.db.close();
}

await measure('SQLite (in process: EventStore.feed)', {}, false);
if (pgUrl) {
  const schema = `bench_stream_${Date.now()}`;
  try {
    await measure('PostgreSQL, two replicas (LISTEN/NOTIFY)', { url: pgUrl, schema }, true);
  } finally {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
