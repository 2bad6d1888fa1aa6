import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { APP, type GatewayHarness, OTHER_APP, purchase, startGateway } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';
import { type GraphQLPayload, type SseReader, subscribe } from '../helpers/sse.js';

/**
 * The live stream (`subscription { gatewayEvents }`) over real HTTP and server-sent events, on the
 * embedded ledger (in-process wake-ups): live delivery, resuming after a reconnect, refusals
 * before anything streams, the per-key cap, shutdown. PostgreSQL across replicas:
 * stream-replicas.test.ts.
 */

const STREAM = `subscription Stream($app: String!, $after: String, $types: [GatewayEventType!]) {
  gatewayEvents(app: $app, after: $after, types: $types) {
    id type cursor app grant { id status productId }
  }
}`;

const LIST = `query ($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 100) {
    ... on GatewayEventConnection { edges { node { id type cursor } } pageInfo { endCursor } }
  }
}`;

interface StreamedEvent {
  id: string;
  type: string;
  cursor: string;
  app: string;
  grant: { id: string; status: string; productId: string } | null;
}

const log: { msg: string; obj: Record<string, unknown> }[] = [];
const logger = {
  debug: () => undefined,
  warn: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
  info: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
};
const metrics = new GatewayMetrics({ processMetrics: false });
let g: GatewayHarness;
const open: SseReader[] = [];

beforeAll(async () => {
  g = await startGateway({
    // A deadline far shorter than the streams in this file: it must end none of them.
    config: { requestDeadlineMs: 200, eventStreams: { maxPerKey: 3 } },
    gatewayOptions: { logger, metrics },
  });
});
afterAll(async () => {
  for (const reader of open) reader.close();
  await g?.close();
});

async function stream(variables: Record<string, unknown> = {}, key: string | null = g.keys.rw) {
  const reader = await subscribe(`${g.url}/graphql`, STREAM, { app: APP, ...variables }, { key });
  open.push(reader);
  return reader;
}

/** The next `count` events of a stream, failing on anything else. */
async function take(reader: SseReader, count: number): Promise<StreamedEvent[]> {
  const out: StreamedEvent[] = [];
  while (out.length < count) {
    const payload = await reader.payload();
    if (payload === 'complete' || payload.errors) throw new Error(`unexpected ${JSON.stringify(payload)}`);
    out.push(payload.data?.gatewayEvents as StreamedEvent);
  }
  return out;
}

async function redeemOne(userId: string) {
  const p = await purchase(g, { quantity: 1 });
  const done = await redeem(g, {
    app: APP,
    userId,
    onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
  });
  expect(done.__typename).toBe('RedeemPurchaseSuccess');
  return done.grant?.id as string;
}

async function listed(after?: string): Promise<{ id: string; type: string; cursor: string }[]> {
  const answer = await g.gql(LIST, { app: APP, ...(after && { after }) });
  const field = answer.data.gatewayEvents as {
    edges: { node: { id: string; type: string; cursor: string } }[];
  };
  return field.edges.map((e) => e.node);
}

/** Waits until `check` holds (the server notices a closed connection asynchronously). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const refusal = (payload: GraphQLPayload | 'complete') => {
  if (payload === 'complete') throw new Error('completed without a refusal');
  expect(payload.data ?? null).toBeNull();
  expect(payload.errors).toHaveLength(1);
  return payload.errors?.[0];
};

describe('gatewayEvents subscription over server-sent events', () => {
  it('answers text/event-stream, pings, and delivers a redemption made while subscribed, live and in order', async () => {
    const before = await listed();
    const reader = await stream(before.length > 0 ? { after: before.at(-1)?.cursor } : {});
    expect(reader.response.status).toBe(200);
    expect(reader.response.headers.get('content-type')).toContain('text/event-stream');
    // Subscribed before the redemption: nothing is waiting yet.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reader.pending).toBe(0);
    const grantId = await redeemOne('player-live');
    const [created, settled] = await take(reader, 2);
    expect(created).toMatchObject({
      type: 'GRANT_CREATED',
      app: APP,
      grant: { id: grantId, status: 'PENDING' },
    });
    expect(settled).toMatchObject({ type: 'GRANT_SETTLED', grant: { id: grantId, status: 'SETTLED' } });
    // The same events, with the same ids and cursors, as the query lists.
    const after = await listed(before.at(-1)?.cursor);
    expect(after.map((e) => [e.id, e.type, e.cursor])).toEqual(
      [created, settled].map((e) => [e?.id, e?.type, e?.cursor]),
    );
    // Yoga's keep-alive comment: one at once, then one per interval (300 ms under NODE_ENV=test).
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(reader.pings).toBeGreaterThanOrEqual(2);
    reader.close();
  });

  it('outlives the request deadline (200 ms here): an event 600 ms after subscribing still arrives', async () => {
    const last = (await listed()).at(-1)?.cursor;
    const reader = await stream({ after: last });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const grantId = await redeemOne('player-late');
    const events = await take(reader, 2);
    expect(events.map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    reader.close();
  });

  it('resumes after a reconnect from the last cursor: no duplicate, no gap, also for events made while away', async () => {
    const start = (await listed()).at(-1)?.cursor;
    const first = await stream({ after: start });
    const g1 = await redeemOne('player-resume-1');
    const seen = await take(first, 2);
    first.close();
    // Made while no stream is open.
    const g2 = await redeemOne('player-resume-2');
    const g3 = await redeemOne('player-resume-3');
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
    expect((await listed(start)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.pending).toBe(0);
    again.close();
  });

  it('replays from the first event without a cursor, and filters by type', async () => {
    const everything = await listed();
    const reader = await stream({ types: ['GRANT_SETTLED'] });
    const settled = everything.filter((e) => e.type === 'GRANT_SETTLED');
    const got = await take(reader, settled.length);
    expect(got.map((e) => e.id)).toEqual(settled.map((e) => e.id));
    reader.close();
  });

  it('a key without the app gets FORBIDDEN before anything streams, and no stream is opened', async () => {
    const reader = await stream({}, g.keys.other);
    expect(reader.response.status).toBe(200);
    const error = refusal(await reader.payload());
    expect(error).toEqual({
      message: `This API key may not use app "${APP}".`,
      locations: [{ line: 2, column: 3 }],
      path: ['gatewayEvents'],
      extensions: { code: 'FORBIDDEN', type: 'ForbiddenError' },
    });
    expect(await reader.payload()).toBe('complete');
    expect(g.gateway.eventStreams.size).toBe(0);
    // The key's own app streams.
    const own = await subscribe(`${g.url}/graphql`, STREAM, { app: OTHER_APP }, { key: g.keys.other });
    open.push(own);
    await until(() => g.gateway.eventStreams.size === 1, 'the stream of the own app');
    own.close();
    await until(() => g.gateway.eventStreams.size === 0, 'the stream to close');
  });

  it('a bad cursor is refused with INVALID_INPUT on `after`; so is a cursor of another list', async () => {
    for (const after of ['not-a-cursor', Buffer.from('ev:0').toString('base64url'), 'Z3I6MQ']) {
      const reader = await stream({ after });
      expect(refusal(await reader.payload())?.extensions, after).toEqual({
        code: 'INVALID_INPUT',
        type: 'InvalidInputError',
        field: 'after',
      });
      expect(await reader.payload()).toBe('complete');
    }
    expect(g.gateway.eventStreams.size).toBe(0);
  });

  it('a request that does not accept text/event-stream is refused and opens nothing', async () => {
    const response = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${g.keys.rw}`,
      },
      body: JSON.stringify({ query: STREAM, variables: { app: APP } }),
    });
    const body = (await response.json()) as GraphQLPayload;
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'NOT_ACCEPTABLE', type: 'StreamNotAcceptedError' });
    expect(g.gateway.eventStreams.size).toBe(0);
  });

  it('GET with Accept: text/event-stream streams too', async () => {
    const last = (await listed()).at(-1);
    const reader = await subscribe(
      `${g.url}/graphql`,
      STREAM,
      { app: APP, after: last?.cursor },
      { key: g.keys.ro, method: 'GET' },
    );
    open.push(reader);
    expect(reader.response.status).toBe(200);
    const grantId = await redeemOne('player-get');
    expect((await take(reader, 2)).map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    reader.close();
  });

  it('caps open streams per API key (eventStreams.maxPerKey 3) with TOO_MANY_STREAMS; closing one frees its place', async () => {
    await until(() => g.gateway.eventStreams.size === 0, 'earlier streams to close');
    const refusalsBefore = (await metrics.eventStreamRefusals.get()).values[0]?.value ?? 0;
    const readers = [await stream(), await stream(), await stream()];
    await until(() => g.gateway.eventStreams.size === 3, 'three streams');
    expect((await metrics.eventStreamsOpen.get()).values[0]?.value).toBe(3);
    const fourth = await stream();
    expect(refusal(await fourth.payload())).toMatchObject({
      message:
        'This API key has 3 event streams open, the most it may have (eventStreams.maxPerKey); close one first.',
      extensions: { code: 'TOO_MANY_STREAMS', type: 'TooManyStreamsError' },
    });
    expect((await metrics.eventStreamRefusals.get()).values[0]?.value).toBe(refusalsBefore + 1);
    // Another key has its own places.
    const other = await subscribe(`${g.url}/graphql`, STREAM, { app: APP }, { key: g.keys.ro });
    open.push(other);
    await until(() => g.gateway.eventStreams.size === 4, 'the other key’s stream');
    readers[0]?.close();
    await until(() => g.gateway.eventStreams.size === 3, 'a closed stream to free its place');
    const again = await stream();
    await until(() => g.gateway.eventStreams.size === 4, 'the stream in the freed place');
    for (const r of [...readers, other, again]) r.close();
    await until(() => g.gateway.eventStreams.size === 0, 'all streams to close');
    expect((await metrics.eventStreamsOpen.get()).values[0]?.value).toBe(0);
  });

  it('counts subscriptions, streamed events, and writes an access line at the start and a closing line', async () => {
    log.length = 0;
    const last = (await listed()).at(-1)?.cursor;
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
    const grantId = await redeemOne('player-metrics');
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
    const all = await listed();
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

describe('refusals that need another gateway', () => {
  it('a subscription spends one point of its key’s budget when subscribed: past it, RATE_LIMITED', async () => {
    const limited = await startGateway({
      config: { rateLimits: { enabled: true, perKey: { points: 1, durationSeconds: 60 } } },
    });
    try {
      const first = await subscribe(`${limited.url}/graphql`, STREAM, { app: APP }, { key: limited.keys.rw });
      await until(() => limited.gateway.eventStreams.size === 1, 'the first stream');
      const second = await subscribe(
        `${limited.url}/graphql`,
        STREAM,
        { app: APP },
        { key: limited.keys.rw },
      );
      expect(refusal(await second.payload())).toMatchObject({
        message: "This API key's request budget is spent; retry in 60 s.",
        extensions: { code: 'RATE_LIMITED', type: 'RateLimitedError', retryAfterSeconds: 60 },
      });
      expect(limited.gateway.eventStreams.size).toBe(1);
      first.close();
    } finally {
      await limited.close();
    }
  });

  it('a ledger that cannot be opened: LEDGER_UNAVAILABLE with its retry hint, before anything streams', async () => {
    const broken = await openLedgerStorage({});
    await broken.db.close();
    const down = await startGateway({ gatewayOptions: { ledger: broken } });
    try {
      const reader = await subscribe(`${down.url}/graphql`, STREAM, { app: APP }, { key: down.keys.rw });
      expect(refusal(await reader.payload())).toMatchObject({
        message: 'The grant ledger is unavailable; retry after retryAfterSeconds.',
        extensions: { code: 'LEDGER_UNAVAILABLE', type: 'LedgerUnavailableError', retryAfterSeconds: 5 },
      });
      expect(await reader.payload()).toBe('complete');
      expect(down.gateway.eventStreams.size).toBe(0);
    } finally {
      await down.close();
    }
  });
});
