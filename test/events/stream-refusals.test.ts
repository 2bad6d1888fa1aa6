import { describe, expect, it } from 'vitest';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { refusal, STREAM, until } from '../helpers/event-stream.js';
import { streamingGateway } from '../helpers/events-streams.js';
import { APP, type GatewayHarness, OTHER_APP, startGateway } from '../helpers/gateway.js';
import { type GraphQLPayload, subscribe } from '../helpers/sse.js';

/**
 * Live streams refused before anything streams (one `next` with errors, then `complete`), each
 * refusal with its code, and no stream left open: no access to the app, a bad cursor, a request
 * that does not accept server-sent events, the per-key cap, the rate limit, the ledger unavailable.
 */

const metrics = new GatewayMetrics({ processMetrics: false });
let g: GatewayHarness;
const { stream, open } = streamingGateway(
  { config: { eventStreams: { maxPerKey: 3 } }, gatewayOptions: { metrics } },
  (started) => {
    g = started;
  },
);

describe('refusals of the gatewayEvents subscription', () => {
  it('a key without the app gets FORBIDDEN before anything streams, and no stream is opened', async () => {
    const reader = await stream({}, g.keys.other);
    expect(reader.response.status).toBe(200);
    const error = refusal(await reader.payload());
    expect(error).toEqual({
      message: 'This API key may not use this app.',
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
