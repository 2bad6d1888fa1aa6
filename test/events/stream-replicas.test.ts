import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { redeemOne, take as takeEvents } from '../helpers/event-stream.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor } from '../helpers/redeem.js';
import { type SseReader, subscribe } from '../helpers/sse.js';

/**
 * Two gateways on one PostgreSQL ledger, as two replicas: each has its own EventStore (so no
 * in-process wake-up crosses between them) and the poll is an hour, so an event written through A
 * can reach a stream on B only through NOTIFY on `ledger_events` and B's LISTEN connection. That
 * connection is then killed on the server: B reconnects and reads again, so an event committed
 * while it was down arrives too.
 */

const backend = ledgerBackends().find((b) => b.name === 'postgres');
const STREAM = `subscription ($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after) { id type cursor grant { id } }
}`;

interface Streamed {
  id: string;
  type: string;
  cursor: string;
  grant: { id: string } | null;
}

const warnings: string[] = [];
const logger = {
  debug: () => undefined,
  warn: (_obj: Record<string, unknown>, msg: string) => void warnings.push(msg),
};

describe.skipIf(backend?.skip ?? true)('live stream across replicas (PostgreSQL LISTEN/NOTIFY)', () => {
  let a: GatewayHarness;
  let b: GatewayHarness;
  let ledgerA: LedgerStorage;
  let ledgerB: LedgerStorage;
  let admin: pg.Client;
  const readers: SseReader[] = [];

  beforeAll(async () => {
    if (!backend) return;
    ledgerA = await ledgerFor(backend);
    ledgerB = await ledgerFor(backend);
    const config = { eventStreams: { pollIntervalSeconds: 3_600 } };
    a = await startGateway({ config, gatewayOptions: { ledger: ledgerA } });
    b = await startGateway({ config, gatewayOptions: { ledger: ledgerB, logger } });
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    for (const r of readers) r.close();
    await a?.close();
    await b?.close();
    await ledgerA?.db.close();
    await ledgerB?.db.close();
    await admin?.end();
    await backend?.cleanup();
  });

  const redeemOnA = (userId: string) => redeemOne(a, userId);
  const take = (reader: SseReader, count: number, timeoutMs?: number) =>
    takeEvents<Streamed>(reader, count, timeoutMs);

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 250; i++) {
      if (check()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('an event written through gateway A arrives on a stream opened on gateway B, at once', async () => {
    const reader = await subscribe(`${b.url}/graphql`, STREAM, { app: APP }, { key: b.keys.rw });
    readers.push(reader);
    await until(() => b.gateway.eventStreams.wakeups?.listening === true, "B's LISTEN connection");
    const started = Date.now();
    const grantId = await redeemOnA('replica-1');
    const events = await take(reader, 2);
    expect(events.map((e) => [e.type, e.grant?.id])).toEqual([
      ['GRANT_CREATED', grantId],
      ['GRANT_SETTLED', grantId],
    ]);
    // Well under the hour-long poll: NOTIFY woke it.
    expect(Date.now() - started).toBeLessThan(3_000);
    // One LISTEN connection for the gateway, however many streams it serves; none on A, which
    // serves no stream.
    const pid = b.gateway.eventStreams.wakeups?.backendPid;
    const second = await subscribe(
      `${b.url}/graphql`,
      STREAM,
      { app: APP, after: events[1]?.cursor },
      {
        key: b.keys.rw,
      },
    );
    readers.push(second);
    await until(() => b.gateway.eventStreams.size === 2, 'the second stream');
    expect(b.gateway.eventStreams.wakeups?.backendPid).toBe(pid);
    const listener = await admin.query<{ application_name: string; query: string }>(
      'SELECT application_name, query FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    expect(listener.rows).toEqual([
      { application_name: 'entitlement-gateway events', query: 'SELECT pg_backend_pid() AS pid' },
    ]);
    expect(a.gateway.eventStreams.wakeups).toBeUndefined();
    second.close();
  });

  it('after its LISTEN connection is killed, B reconnects and delivers what committed meanwhile', async () => {
    const reader = readers[0] as SseReader;
    const wakeups = b.gateway.eventStreams.wakeups;
    const oldPid = wakeups?.backendPid;
    expect(oldPid).toBeGreaterThan(0);
    await admin.query('SELECT pg_terminate_backend($1)', [oldPid]);
    await until(() => wakeups?.listening === false, 'B to notice the lost connection');
    // Committed while B listens to nothing: only the re-read after the reconnect can find it.
    const grantId = await redeemOnA('replica-2');
    const events = await take(reader, 2, 10_000);
    expect(events.map((e) => [e.type, e.grant?.id])).toEqual([
      ['GRANT_CREATED', grantId],
      ['GRANT_SETTLED', grantId],
    ]);
    expect(wakeups?.listening).toBe(true);
    expect(wakeups?.backendPid).not.toBe(oldPid);
    // And NOTIFY works again on the new connection.
    const next = await redeemOnA('replica-3');
    expect((await take(reader, 2)).map((e) => e.grant?.id)).toEqual([next, next]);
  });

  it('a failed read keeps the stream open: it reads again after a backoff and misses nothing', async () => {
    const reader = readers[0] as SseReader;
    const schema = backend?.options.schema ?? '';
    warnings.length = 0;
    await admin.query(`ALTER TABLE ${schema}.events RENAME TO events_away`);
    try {
      // Wakes B's stream, whose read now fails.
      await admin.query("SELECT pg_notify('ledger_events', $1)", [APP]);
      for (let i = 0; i < 250 && !warnings.includes('event stream read failed; retrying'); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toContain('event stream read failed; retrying');
    } finally {
      await admin.query(`ALTER TABLE ${schema}.events_away RENAME TO events`);
    }
    const grantId = await redeemOnA('replica-4');
    expect((await take(reader, 2)).map((e) => [e.type, e.grant?.id])).toEqual([
      ['GRANT_CREATED', grantId],
      ['GRANT_SETTLED', grantId],
    ]);
    expect(b.gateway.eventStreams.size).toBe(1);
  });
});
