import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { APP, at, type GatewayHarness, OTHER_APP, startGateway, upstreamTotal } from '../helpers/gateway.js';

const LOOKUP = `query ($app: String!) {
  purchase(app: $app, productId: "gem_100", purchaseToken: "NOSUCHTOKEN000000001") {
    __typename ... on Error { code } ... on RateLimitedError { retryAfterSeconds }
  }
}`;
const ACK = `mutation {
  acknowledgePurchase(input: { app: "${APP}", productId: "gem_100", purchaseToken: "NOSUCHTOKEN000000001" }) {
    __typename ... on RateLimitedError { code retryAfterSeconds }
  }
}`;

const lookup = async (g: GatewayHarness, key: string, app = APP) =>
  at((await g.gql(LOOKUP, { app }, { key })).data, 'purchase') as Record<string, unknown>;

async function rejections(metrics: GatewayMetrics, limit: 'key' | 'app'): Promise<number> {
  const metric = await metrics.rateLimitRejections.get();
  return metric.values.find((v) => v.labels.limit === limit)?.value ?? 0;
}

describe('rate limit defaults', () => {
  it('are on: 600 per key and 1200 per app, per 60 s', () => {
    const config = resolveConfig(
      {
        apps: { demo: { nhncloud: { appSeq: '1' } } },
        apiKeys: [{ name: 'k', sha256: 'a'.repeat(64), apps: ['demo'], scopes: ['read'] }],
      },
      {},
    );
    expect(config.rateLimits).toEqual({
      enabled: true,
      perKey: { points: 600, durationSeconds: 60 },
      perApp: { points: 1200, durationSeconds: 60 },
    });
  });
});

describe('rate limits in memory', () => {
  const open: GatewayHarness[] = [];
  afterEach(async () => {
    for (const g of open.splice(0)) await g.close();
  });
  /** A gateway with these rate limits and metrics of its own, closed after the test. */
  const limitedGateway = async (rateLimits: Record<string, unknown>) => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    const g = await startGateway({ config: { rateLimits }, gatewayOptions: { metrics } });
    open.push(g);
    return { g, metrics };
  };

  it('answers the N+1th call of a key with RateLimitedError and calls no store for it', async () => {
    const { g, metrics } = await limitedGateway({ perKey: { points: 3, durationSeconds: 60 } });
    for (let i = 0; i < 3; i++) expect((await lookup(g, g.keys.rw)).__typename).toBe('NotFoundError');
    const before = await upstreamTotal(g);
    const limited = await lookup(g, g.keys.rw);
    expect(limited).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Mutations answer the same union member.
    expect(at((await g.gql(ACK, {}, { key: g.keys.rw })).data, 'acknowledgePurchase')).toMatchObject({
      __typename: 'RateLimitedError',
      code: 'RATE_LIMITED',
    });
    expect(await upstreamTotal(g)).toBe(before);
    expect(await rejections(metrics, 'key')).toBe(2);
    // Another key has a budget of its own.
    expect((await lookup(g, g.keys.ro)).__typename).toBe('NotFoundError');
  });

  it('shares one budget per app between keys, and leaves other apps alone', async () => {
    const { g, metrics } = await limitedGateway({ perApp: { points: 2, durationSeconds: 60 } });
    expect((await lookup(g, g.keys.rw)).__typename).toBe('NotFoundError');
    expect((await lookup(g, g.keys.ro)).__typename).toBe('NotFoundError');
    const before = await upstreamTotal(g);
    expect((await lookup(g, g.keys.rw)).__typename).toBe('RateLimitedError');
    expect(await upstreamTotal(g)).toBe(before);
    expect(await rejections(metrics, 'app')).toBe(1);
    expect((await lookup(g, g.keys.other, OTHER_APP)).__typename).toBe('NotFoundError');
  });

  it('counts every root field: two aliases spend two points', async () => {
    const g = await startGateway({ config: { rateLimits: { perKey: { points: 2, durationSeconds: 60 } } } });
    open.push(g);
    const query = `{
      a: purchase(app: "${APP}", productId: "gem_100", purchaseToken: "NOSUCHTOKEN000000001") { __typename }
      b: purchase(app: "${APP}", productId: "gem_100", purchaseToken: "NOSUCHTOKEN000000002") { __typename }
    }`;
    expect((await g.gql(query)).data).toEqual({
      a: { __typename: 'NotFoundError' },
      b: { __typename: 'NotFoundError' },
    });
    expect((await lookup(g, g.keys.rw)).__typename).toBe('RateLimitedError');
  });
});

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a TCP connection to the Redis server opens within half a second. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const redisUp = await reachable(REDIS_URL);
if (!redisUp)
  console.warn(`rate limits in Redis: SKIPPED, no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

describe.skipIf(!redisUp)('rate limits in Redis', () => {
  const url = REDIS_URL;
  const prefix = `test:rl:${randomUUID()}`;
  const clients: Redis[] = [];
  const gateways: GatewayHarness[] = [];

  afterAll(async () => {
    for (const g of gateways) await g.close();
    const [first] = clients;
    if (first) {
      const leftovers = await first.keys(`${prefix}*`);
      if (leftovers.length > 0) await first.del(...leftovers);
    }
    for (const client of clients) client.disconnect();
  });

  async function replica(): Promise<GatewayHarness> {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    clients.push(redis);
    if (redis.status !== 'ready') await once(redis, 'ready');
    const g = await startGateway({
      config: { rateLimits: { perKey: { points: 3, durationSeconds: 60 } } },
      gatewayOptions: { rateLimitStore: { redis, keyPrefix: prefix } },
    });
    gateways.push(g);
    return g;
  }

  it('gives two gateways with the same Redis one budget per key', async () => {
    const one = await replica();
    const two = await replica();
    // Both harnesses name their read-write key `rw`: one key, seen by two replicas.
    expect((await lookup(one, one.keys.rw)).__typename).toBe('NotFoundError');
    expect((await lookup(two, two.keys.rw)).__typename).toBe('NotFoundError');
    expect((await lookup(one, one.keys.rw)).__typename).toBe('NotFoundError');
    const before = await upstreamTotal(two);
    const limited = await lookup(two, two.keys.rw);
    expect(limited).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await upstreamTotal(two)).toBe(before);
    expect((await lookup(one, one.keys.rw)).__typename).toBe('RateLimitedError');
    const [first] = clients;
    expect(await first?.keys(`${prefix}*`)).not.toHaveLength(0);
  });
});
