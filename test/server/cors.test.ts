import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * CORS (issue 23, point 2): Yoga's default reflected any Origin, `null` included, with
 * `access-control-allow-credentials: true` on /graphql and /metrics, and preflights granted any
 * header. Now there is none unless `cors.origins` lists the origin, and then only on /graphql,
 * with that origin alone and never credentials.
 */

const CONSOLE = 'https://console.example.com';
const QUERY = JSON.stringify({ query: '{ __typename }' });

const corsHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));

const preflight = (g: GatewayHarness, origin: string, path = '/graphql') =>
  rawRequest(g.url, {
    method: 'OPTIONS',
    path,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, x-graphql-yoga-csrf, x-evil',
    },
  });

const post = (g: GatewayHarness, origin: string, key: string | null) =>
  rawRequest(g.url, {
    method: 'POST',
    path: '/graphql',
    headers: {
      origin,
      'content-type': 'application/json',
      ...(key !== null && { authorization: `Bearer ${key}` }),
    },
    body: QUERY,
  });

describe('CORS off by default', () => {
  const g = useGateway();

  it('no origin, `null` included, gets a CORS header on /graphql or /metrics, nor credentials', async () => {
    for (const origin of ['https://evil.example', 'null', CONSOLE]) {
      const answer = await post(g, origin, g.keys.rw);
      expect(answer.status).toBe(200);
      expect(corsHeaders(answer.headers), origin).toEqual({});
      const metrics = await rawRequest(g.url, { method: 'GET', path: '/metrics', headers: { origin } });
      expect(metrics.status).toBe(200);
      expect(corsHeaders(metrics.headers), `${origin} /metrics`).toEqual({});
    }
  });

  it('a preflight is granted nothing: 405, no header allowed, no origin', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const answer = await preflight(g, origin);
      expect(answer.status).toBe(405);
      expect(corsHeaders(answer.headers)).toEqual({});
    }
    expect(corsHeaders((await preflight(g, 'null', '/metrics')).headers)).toEqual({});
  });
});

describe('cors.origins', () => {
  let g: GatewayHarness;
  beforeAll(async () => {
    g = await startGateway({ config: { cors: { origins: [CONSOLE, 'http://localhost:5173'] } } });
  });
  afterAll(async () => {
    await g.close();
  });

  it('a preflight from a listed origin: that origin, GET and POST, the listed headers, no credentials', async () => {
    const answer = await preflight(g, CONSOLE);
    expect(answer.status).toBe(204);
    expect(corsHeaders(answer.headers)).toEqual({
      'access-control-allow-origin': CONSOLE,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers':
        'content-type, authorization, x-api-key, x-request-id, x-graphql-yoga-csrf, graphql-require-preflight',
      'access-control-max-age': '600',
    });
    expect(answer.headers.vary).toBe('Origin');
  });

  it('its requests (the 401 too) carry that origin and expose x-request-id, never credentials', async () => {
    for (const key of [g.keys.rw, null]) {
      const answer = await post(g, CONSOLE, key);
      expect(answer.status).toBe(key === null ? 401 : 200);
      expect(corsHeaders(answer.headers)).toEqual({
        'access-control-allow-origin': CONSOLE,
        'access-control-expose-headers': 'x-request-id',
      });
      expect(answer.headers.vary).toContain('Origin');
    }
  });

  it('another origin, `null`, a look-alike and /metrics get no CORS header', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      `${CONSOLE}.evil.example`,
      'http://console.example.com',
    ]) {
      expect(corsHeaders((await post(g, origin, g.keys.rw)).headers), origin).toEqual({});
      const refused = await preflight(g, origin);
      expect([refused.status, corsHeaders(refused.headers)], origin).toEqual([405, {}]);
    }
    const metrics = await rawRequest(g.url, {
      method: 'GET',
      path: '/metrics',
      headers: { origin: CONSOLE },
    });
    expect(corsHeaders(metrics.headers)).toEqual({});
    const health = await preflight(g, CONSOLE, '/healthz');
    expect(corsHeaders(health.headers)).toEqual({});
  });
});

describe('cors.origins in the config file', () => {
  const config = (origins: unknown) =>
    resolveConfig(
      {
        apps: { game: { nhncloud: { appSeq: '1' } } },
        apiKeys: [{ name: 'k', sha256: sha256Hex('k'), apps: ['game'], scopes: ['read'] }],
        cors: { origins },
      },
      {},
    );

  it('defaults to no origin', () => {
    const { cors } = resolveConfig(
      {
        apps: { game: { nhncloud: { appSeq: '1' } } },
        apiKeys: [{ name: 'k', sha256: sha256Hex('k'), apps: ['game'], scopes: ['read'] }],
      },
      {},
    );
    expect(cors).toEqual({ origins: [] });
  });

  it('takes serialised origins and refuses *, null, paths, trailing slashes and other schemes', () => {
    expect(config(['https://a.example', 'http://localhost:5173']).cors?.origins).toHaveLength(2);
    for (const bad of [
      '*',
      'null',
      'https://a.example/',
      'https://a.example/app',
      'https://A.example',
      'ftp://a.example',
      'a.example',
    ]) {
      expect(() => config([bad]), bad).toThrow(ConfigError);
    }
  });
});
