import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { sha256 } from '../../src/server/persisted-operations.js';
import { listed, redeemOne, refusal, STREAM, take, until } from '../helpers/event-stream.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { upgradeAnswer, WsReader, wsClient, wsSubscribe } from '../helpers/ws-stream.js';

/**
 * The live stream (`subscription { gatewayEvents }`) over WebSocket with the graphql-ws client
 * (`createClient`, `ws` as its WebSocket) against a real HTTP server: live delivery, resuming with
 * `after`, the same refusals as server-sent events (key, app, per-key cap, operation limits) and
 * the transport's own (Origin, connections per key, mutations), the end at shutdown.
 */

const ORIGIN = 'https://console.example.com';
const metrics = new GatewayMetrics({ processMetrics: false });
const log: { msg: string; obj: Record<string, unknown> }[] = [];
const logger = {
  debug: () => undefined,
  warn: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
  info: (obj: Record<string, unknown>, msg: string) => void log.push({ obj, msg }),
};
let g: GatewayHarness;
const open: WsReader[] = [];

beforeAll(async () => {
  g = await startGateway({
    config: {
      eventStreams: { maxPerKey: 2 },
      cors: { origins: [ORIGIN] },
    },
    gatewayOptions: { metrics, logger },
  });
});
afterAll(async () => {
  for (const reader of open) await reader.close();
  await g?.close();
});

const subscribe = (variables: Record<string, unknown> = {}, key: string | null = g.keys.rw) => {
  const reader = wsSubscribe(`${g.url}/graphql`, STREAM, { app: APP, ...variables }, { key });
  open.push(reader);
  return reader;
};
const refusals = async (reason: string) =>
  (await metrics.webSockets.refusals.get()).values.find((v) => v.labels.reason === reason)?.value;
const gauge = async (metric: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await metric.get()).values[0]?.value;
const allClosed = async () => {
  for (const reader of open.splice(0)) await reader.close();
  await until(() => g.gateway.eventStreams.size === 0, 'every stream to close');
};

describe('gatewayEvents subscription over graphql-ws', () => {
  it('delivers a redemption made while subscribed, live, with the ids and cursors the query lists', async () => {
    const before = await listed(g);
    const reader = subscribe({ after: before.at(-1)?.cursor });
    await until(() => g.gateway.eventStreams.size === 1, 'the stream');
    expect(await gauge(metrics.eventStreamsOpen)).toBe(1);
    expect(await gauge(metrics.webSockets.connections)).toBe(1);
    const grantId = await redeemOne(g, 'player-ws-live');
    const [created, settled] = await take(reader, 2);
    expect(created).toMatchObject({
      type: 'GRANT_CREATED',
      app: APP,
      grant: { id: grantId, status: 'PENDING' },
    });
    expect(settled).toMatchObject({ type: 'GRANT_SETTLED', grant: { id: grantId, status: 'SETTLED' } });
    const after = await listed(g, before.at(-1)?.cursor);
    expect(after.map((e) => [e.id, e.type, e.cursor])).toEqual(
      [created, settled].map((e) => [e?.id, e?.type, e?.cursor]),
    );
    const streamed = (await metrics.eventsStreamed.get()).values.filter((v) => v.labels.app === APP);
    expect(streamed.map((v) => [v.labels.type, v.value])).toEqual([
      ['GRANT_CREATED', 1],
      ['GRANT_SETTLED', 1],
    ]);
    await allClosed();
    expect(await gauge(metrics.webSockets.connections)).toBe(0);
    // One access line when the stream opened, and the hub's closing line with the same request id.
    const access = log.filter((l) => l.msg === 'graphql request' && l.obj.transport === 'graphql-ws');
    expect(access.map(({ obj: { durationMs: _, requestId: __, ...rest } }) => rest)).toEqual([
      {
        transport: 'graphql-ws',
        operationName: 'Stream',
        operationType: 'subscription',
        apps: [APP],
        keyName: 'rw',
        errorCodes: [],
      },
    ]);
    const closed = log.find((l) => l.msg === 'event stream closed');
    expect(closed?.obj).toMatchObject({
      requestId: access[0]?.obj.requestId,
      app: APP,
      keyName: 'rw',
      events: 2,
    });
  });

  it('takes the key from the upgrade request’s Authorization header too', async () => {
    const last = (await listed(g)).at(-1)?.cursor;
    const reader = wsSubscribe(
      `${g.url}/graphql`,
      STREAM,
      { app: APP, after: last },
      { key: g.keys.ro, keyIn: 'header' },
    );
    open.push(reader);
    const grantId = await redeemOne(g, 'player-ws-header');
    expect((await take(reader, 2)).map((e) => e.grant?.id)).toEqual([grantId, grantId]);
    await allClosed();
  });

  it('resumes with the last cursor received: nothing missed, nothing repeated, events made while away included', async () => {
    const start = (await listed(g)).at(-1)?.cursor;
    const first = subscribe({ after: start });
    const g1 = await redeemOne(g, 'player-ws-resume-1');
    const seen = await take(first, 2);
    await first.close();
    const g2 = await redeemOne(g, 'player-ws-resume-2');
    const g3 = await redeemOne(g, 'player-ws-resume-3');
    const again = subscribe({ after: seen.at(-1)?.cursor });
    const all = [...seen, ...(await take(again, 4))];
    expect(all.map((e) => [e.type, e.grant?.id])).toEqual([
      ['GRANT_CREATED', g1],
      ['GRANT_SETTLED', g1],
      ['GRANT_CREATED', g2],
      ['GRANT_SETTLED', g2],
      ['GRANT_CREATED', g3],
      ['GRANT_SETTLED', g3],
    ]);
    expect(new Set(all.map((e) => e.id)).size).toBe(6);
    expect((await listed(g, start)).map((e) => e.id)).toEqual(all.map((e) => e.id));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.pending).toBe(0);
    await allClosed();
  });
});

describe('refusals over graphql-ws', () => {
  it('no key, or a wrong one: the socket closes with 4403 at connection_init, naming no value', async () => {
    const noneBefore = await refusals('no_api_key');
    const wrongBefore = await refusals('unknown_api_key');
    for (const key of [null, 'not-a-key-at-all']) {
      const reader = subscribe({}, key);
      expect(await reader.next()).toEqual({
        kind: 'closed',
        code: 4403,
        reason: 'A valid API key is required',
      });
    }
    expect(await refusals('no_api_key')).toBe((noneBefore ?? 0) + 1);
    expect(await refusals('unknown_api_key')).toBe((wrongBefore ?? 0) + 1);
    expect(g.gateway.eventStreams.size).toBe(0);
    await allClosed();
  });

  it('a key without the app gets FORBIDDEN before anything streams, then complete', async () => {
    const reader = subscribe({}, g.keys.other);
    expect(refusal(await reader.payload())).toEqual({
      message: 'This API key may not use this app.',
      locations: [{ line: 2, column: 3 }],
      path: ['gatewayEvents'],
      extensions: { code: 'FORBIDDEN', type: 'ForbiddenError' },
    });
    expect(await reader.payload()).toBe('complete');
    expect(g.gateway.eventStreams.size).toBe(0);
    await allClosed();
  });

  it('caps streams per key on one socket (TOO_MANY_STREAMS) and sockets per key (4403), eventStreams.maxPerKey 2', async () => {
    const client = wsClient(`${g.url}/graphql`, { key: g.keys.rw });
    const streams = [0, 1, 2].map(() => new WsReader(client, STREAM, { app: APP }));
    open.push(...streams);
    const all = await listed(g);
    // Two replay the history; the third is refused before anything streams.
    await take(streams[0] as WsReader, all.length);
    await take(streams[1] as WsReader, all.length);
    expect(refusal(await (streams[2] as WsReader).payload())).toMatchObject({
      message:
        'This API key has 2 event streams open, the most it may have (eventStreams.maxPerKey); close one first.',
      extensions: { code: 'TOO_MANY_STREAMS', type: 'TooManyStreamsError' },
    });
    expect(g.gateway.eventStreams.size).toBe(2);
    // A second socket of the key, running a query (queries run over graphql-ws too); eager, so it
    // stays open once the query is done.
    const second = wsClient(`${g.url}/graphql`, { key: g.keys.rw, eager: true });
    const query = new WsReader(second, '{ __typename }', {});
    open.push(query);
    expect(await query.payload()).toEqual({ data: { __typename: 'Query' } });
    expect(await query.payload()).toBe('complete');
    const third = subscribe();
    const before = await refusals('too_many_connections');
    expect(await third.next()).toEqual({
      kind: 'closed',
      code: 4403,
      reason: 'This API key has 2 connections open, the most it may have (eventStreams.maxPerKey)',
    });
    expect(await refusals('too_many_connections')).toBe((before ?? 0) + 1);
    // Another key has its own places.
    const other = subscribe({}, g.keys.ro);
    await take(other, all.length);
    await allClosed();
  });

  it('operation limits apply as over HTTP: too deep and too costly are refused, nothing streams', async () => {
    const limited = await startGateway({
      config: { limits: { exposeLimits: true, maxDepth: 3, maxCost: 100 } },
    });
    try {
      const deep = `subscription { gatewayEvents(app: "${APP}") { grant { price { amount } } } }`;
      const deepReader = wsSubscribe(`${limited.url}/graphql`, deep, {}, { key: limited.keys.rw });
      open.push(deepReader);
      expect(await deepReader.next()).toEqual({
        kind: 'error',
        errors: [
          {
            message: 'Query depth limit of 3 exceeded, found 4.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
      const fields = Array.from({ length: 12 }, (_, i) => `a${i}: grant { id status productId }`).join(' ');
      const costly = `subscription { gatewayEvents(app: "${APP}") { ${fields} } }`;
      const costlyReader = wsSubscribe(`${limited.url}/graphql`, costly, {}, { key: limited.keys.rw });
      open.push(costlyReader);
      expect(refusal(await costlyReader.payload())).toEqual({
        // 2 (the root field) + 12 × (3 for grant at depth 1 + 3 × 2.25 for its scalars).
        message: 'Query Cost limit of 100 exceeded, found 119.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      expect(await costlyReader.payload()).toBe('complete');
      expect(limited.gateway.eventStreams.size).toBe(0);
      for (const reader of open.splice(0)) await reader.close();
    } finally {
      await limited.close();
    }
  });

  it('a message larger than limits.maxBodyBytes (100 000 by default) closes the socket with 1009', async () => {
    const big = `{ __typename ${'#'.repeat(100_000)}\n}`;
    const reader = wsSubscribe(`${g.url}/graphql`, big, {}, { key: g.keys.rw });
    open.push(reader);
    expect(await reader.next()).toEqual({ kind: 'closed', code: 1009, reason: '' });
    await allClosed();
  });

  it('a mutation is refused: writes stay on HTTP POST', async () => {
    const reader = wsSubscribe(
      `${g.url}/graphql`,
      'mutation { redeemPurchase(input: { app: "game", userId: "u" }) { __typename } }',
      {},
      { key: g.keys.rw },
    );
    open.push(reader);
    expect(await reader.next()).toEqual({
      kind: 'error',
      errors: [
        {
          message: 'Mutations are served over HTTP POST only; this socket runs subscriptions and queries.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(log.at(-1)).toEqual({
      msg: 'graphql request',
      obj: {
        requestId: expect.any(String),
        transport: 'graphql-ws',
        operationName: null,
        operationType: null,
        apps: [],
        keyName: 'rw',
        errorCodes: ['BAD_REQUEST'],
      },
    });
    await allClosed();
  });

  it('a browser page of a foreign Origin cannot open a socket (403 at the upgrade); an allow-listed one can', async () => {
    const before = await refusals('forbidden_origin');
    expect(await upgradeAnswer(`${g.url}/graphql`, {}, 'https://evil.example')).toEqual({
      status: 403,
      body: {
        errors: [
          {
            message: 'This Origin may not open a WebSocket here (cors.origins).',
            extensions: { code: 'FORBIDDEN_ORIGIN' },
          },
        ],
      },
    });
    expect(await refusals('forbidden_origin')).toBe((before ?? 0) + 1);
    expect(await upgradeAnswer(`${g.url}/graphql`, {}, ORIGIN)).toBe('open');
    expect(await upgradeAnswer(`${g.url}/graphql/`, {})).toMatchObject({ status: 404 });
  });
});

describe('persisted operations mode over graphql-ws', () => {
  it('runs a listed document (by its text or its hash) and refuses any other with PERSISTED_QUERY_ONLY', async () => {
    const strict = await startGateway({ config: { persistedOperations: true } });
    const text = readFileSync(
      new URL('../../schema/operations/stream-gateway-events.graphql', import.meta.url),
      'utf8',
    );
    const readers: WsReader[] = [];
    try {
      const other = wsSubscribe(`${strict.url}/graphql`, STREAM, { app: APP }, { key: strict.keys.rw });
      readers.push(other);
      expect(await other.next()).toEqual({
        kind: 'error',
        errors: [
          {
            message:
              'This gateway runs only persisted operations: send extensions.persistedQuery.sha256Hash of an operation in schema/persisted-operations.json.',
            extensions: { code: 'PERSISTED_QUERY_ONLY' },
          },
        ],
      });
      const listed = wsSubscribe(`${strict.url}/graphql`, text, { app: APP }, { key: strict.keys.rw });
      readers.push(listed);
      await until(() => strict.gateway.eventStreams.size === 1, 'the listed document’s stream');
      // By hash: graphql-ws sends a query always, so an APQ client sends an empty one beside the hash.
      const client = wsClient(`${strict.url}/graphql`, { key: strict.keys.rw });
      const events: unknown[] = [];
      client.subscribe(
        {
          query: '',
          variables: { app: APP },
          extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
        },
        {
          next: (value) => void events.push(value),
          error: (error) => void events.push(error),
          complete: () => undefined,
        },
      );
      await until(() => strict.gateway.eventStreams.size === 2, 'the hashed document’s stream');
      expect(events).toEqual([]);
      await client.dispose();
    } finally {
      for (const reader of readers) await reader.close();
      await strict.close();
    }
  });
});

describe('shutdown over graphql-ws', () => {
  it('endEventStreams completes each stream, closes the socket with 1001, and refuses new upgrades with 503', async () => {
    const own = await startGateway({});
    try {
      const closes: { code: number; reason: string }[] = [];
      // Eager: a lazy client closes its socket itself (1000) once its last subscription completes.
      const client = wsClient(`${own.url}/graphql`, { key: own.keys.rw, eager: true }, closes);
      const reader = new WsReader(client, STREAM, { app: APP });
      await until(() => own.gateway.eventStreams.size === 1, 'the stream');
      await own.gateway.endEventStreams();
      expect(await reader.next()).toEqual({ kind: 'complete' });
      await until(() => closes.length === 1, 'the socket to close');
      expect(closes).toEqual([{ code: 1001, reason: 'Going away' }]);
      expect(await upgradeAnswer(`${own.url}/graphql`, {})).toEqual({
        status: 503,
        body: {
          errors: [
            { message: 'The gateway is shutting down; reconnect.', extensions: { code: 'SHUTTING_DOWN' } },
          ],
        },
      });
      await client.dispose();
    } finally {
      await own.close();
    }
  });
});

describe('other upgrades', () => {
  it('an Upgrade other than websocket (h2c, as curl --http2 asks) is served as the plain HTTP/1.1 request it is', async () => {
    const { request } = await import('node:http');
    const body = JSON.stringify({ query: '{ __typename }' });
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${g.url}/graphql`, {
        method: 'POST',
        headers: {
          connection: 'Upgrade, HTTP2-Settings',
          upgrade: 'h2c',
          'http2-settings': 'AAMAAABkAAQCAAAAAAIAAAAA',
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          authorization: `Bearer ${g.keys.rw}`,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(answer).toEqual({ status: 200, text: '{"data":{"__typename":"Query"}}' });
  });
});
