import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { listed, redeemOne, refusal, STREAM, take, until } from '../helpers/event-stream.js';
import { streamingGateway } from '../helpers/events-streams.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { subscribe } from '../helpers/sse.js';

/**
 * The live stream (`subscription { gatewayEvents }`) over real HTTP and server-sent events, on the
 * embedded ledger (in-process wake-ups): live delivery, outliving the request deadline, resuming
 * after a reconnect, replay and type filter, GET, metrics and access log, shutdown. Refusals:
 * stream-refusals.test.ts; PostgreSQL across replicas: stream-replicas.test.ts.
 */

const log: { msg: string; obj: Record<string, unknown> }[] = [];
const logger = {
  debug: () => undefined,
  warn: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
  info: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
};
const metrics = new GatewayMetrics({ processMetrics: false });
let g: GatewayHarness;
const { stream, open } = streamingGateway(
  // A deadline far shorter than the streams in this file: it must end none of them. Not shorter: the
  // test's redemptions run under it too. At 200 ms a CI rehearsal on the loaded machine (the suite's
  // files side by side on two cores) timed the first test out at 20 s, most likely in redeemOne's
  // retries of redemptions whose store calls the deadline cut.
  { config: { requestDeadlineMs: 1_000 }, gatewayOptions: { logger, metrics } },
  (started) => {
    g = started;
  },
);

/** The next `count` events of a stream, failing on anything else. */

describe('gatewayEvents subscription over server-sent events', () => {
  it('answers text/event-stream, pings, and delivers a redemption made while subscribed, live and in order', async () => {
    const before = await listed(g);
    const reader = await stream(before.length > 0 ? { after: before.at(-1)?.cursor } : {});
    expect(reader.response.status).toBe(200);
    expect(reader.response.headers.get('content-type')).toContain('text/event-stream');
    // Subscribed before the redemption: nothing is waiting yet.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reader.pending).toBe(0);
    const grantId = await redeemOne(g, 'player-live');
    const [created, settled] = await take(reader, 2);
    expect(created).toMatchObject({
      type: 'GRANT_CREATED',
      app: APP,
      grant: { id: grantId, status: 'PENDING' },
    });
    expect(settled).toMatchObject({ type: 'GRANT_SETTLED', grant: { id: grantId, status: 'SETTLED' } });
    // The same events, with the same ids and cursors, as the query lists.
    const after = await listed(g, before.at(-1)?.cursor);
    expect(after.map((e) => [e.id, e.type, e.cursor])).toEqual(
      [created, settled].map((e) => [e?.id, e?.type, e?.cursor]),
    );
    // Yoga's keep-alive comment: one at once, then one per interval (300 ms under NODE_ENV=test).
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(reader.pings).toBeGreaterThanOrEqual(2);
    reader.close();
  });

  it('outlives the request deadline (1 s here): an event 1.5 s after subscribing still arrives', async () => {
    const last = (await listed(g)).at(-1)?.cursor;
    const reader = await stream({ after: last });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const grantId = await redeemOne(g, 'player-late');
    const events = await take(reader, 2);
    expect(events.map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    reader.close();
  });

  it('resumes after a reconnect from the last cursor: no duplicate, no gap, also for events made while away', async () => {
    const start = (await listed(g)).at(-1)?.cursor;
    const first = await stream({ after: start });
    const g1 = await redeemOne(g, 'player-resume-1');
    const seen = await take(first, 2);
    first.close();
    // Made while no stream is open.
    const g2 = await redeemOne(g, 'player-resume-2');
    const g3 = await redeemOne(g, 'player-resume-3');
    const again = await stream({ after: seen.at(-1)?.cursor });
    const rest = await take(again, 4);
    const all = [...seen, ...rest];
    expect(all.map((e) => [e.type, e.grant?.id])).toEqual([
      ['GRANT_CREATED', g1],
      ['GRANT_SETTLED', g1],
      ['GRANT_CREATED', g2],
      ['GRANT_SETTLED', g2],
      ['GRANT_CREATED', g3],
      ['GRANT_SETTLED', g3],
    ]);
    expect(new Set(all.map((e) => e.id)).size).toBe(6);
    // No gap: exactly what the ledger holds after the starting cursor.
    expect((await listed(g, start)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.pending).toBe(0);
    again.close();
  });

  it('replays from the first event without a cursor, and filters by type', async () => {
    const everything = await listed(g);
    const reader = await stream({ types: ['GRANT_SETTLED'] });
    const settled = everything.filter((e) => e.type === 'GRANT_SETTLED');
    const got = await take(reader, settled.length);
    expect(got.map((e) => e.id)).toEqual(settled.map((e) => e.id));
    reader.close();
  });

  it('GET with Accept: text/event-stream streams too', async () => {
    const last = (await listed(g)).at(-1);
    const reader = await subscribe(
      `${g.url}/graphql`,
      STREAM,
      { app: APP, after: last?.cursor },
      { key: g.keys.ro, method: 'GET' },
    );
    open.push(reader);
    expect(reader.response.status).toBe(200);
    const grantId = await redeemOne(g, 'player-get');
    expect((await take(reader, 2)).map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    reader.close();
  });

  it('counts subscriptions, streamed events, and writes an access line at the start and a closing line', async () => {
    // Earlier streams' closing lines are written when the server notices their client left.
    await until(() => g.gateway.eventStreams.size === 0, 'earlier streams to close');
    log.length = 0;
    const last = (await listed(g)).at(-1)?.cursor;
    const count = async (type: string) =>
      (await metrics.eventsStreamed.get()).values.find((v) => v.labels.app === APP && v.labels.type === type)
        ?.value ?? 0;
    const createdBefore = await count('GRANT_CREATED');
    const settledBefore = await count('GRANT_SETTLED');
    const subscribed = async () =>
      (await metrics.operations.get()).values.find(
        (v) =>
          v.labels.operation === 'Stream' && v.labels.type === 'subscription' && v.labels.result === 'ok',
      )?.value ?? 0;
    const subscribedBefore = await subscribed();
    const reader = await stream({ after: last });
    const grantId = await redeemOne(g, 'player-metrics');
    expect((await take(reader, 2)).map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    expect((await count('GRANT_CREATED')) - createdBefore).toBe(1);
    expect((await count('GRANT_SETTLED')) - settledBefore).toBe(1);
    // Counted once, when subscribed; not per event.
    expect((await subscribed()) - subscribedBefore).toBe(1);
    reader.close();
    await until(() => log.some((l) => l.msg === 'event stream closed'), 'the closing line');
    const access = log.find((l) => l.msg === 'graphql request' && l.obj.operationType === 'subscription');
    expect(access?.obj).toMatchObject({
      status: 200,
      operationName: 'Stream',
      apps: [APP],
      keyName: 'rw',
      errorCodes: [],
    });
    const closed = log.find((l) => l.msg === 'event stream closed');
    expect(closed?.obj).toMatchObject({
      requestId: access?.obj.requestId,
      app: APP,
      keyName: 'rw',
      events: 2,
    });
  });

  it('endEventStreams (shutdown) completes every open stream and refuses new ones with SHUTTING_DOWN', async () => {
    const a = await stream();
    const b = await subscribe(`${g.url}/graphql`, STREAM, { app: APP }, { key: g.keys.ro });
    open.push(b);
    await until(() => g.gateway.eventStreams.size === 2, 'two streams');
    const all = await listed(g);
    // Each replays the history first; then the end.
    await take(a, all.length);
    await take(b, all.length);
    await g.gateway.endEventStreams();
    expect(await a.payload()).toBe('complete');
    expect(await b.payload()).toBe('complete');
    expect(g.gateway.eventStreams.size).toBe(0);
    const late = await stream();
    expect(refusal(await late.payload())?.extensions).toEqual({
      code: 'SHUTTING_DOWN',
      type: 'StreamsClosedError',
    });
  });
});
