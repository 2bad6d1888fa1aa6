import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { APP, type GatewayHarness, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { captureConsole } from '../helpers/gateway-console.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { type RawAnswer, rawRequest } from '../helpers/raw-http.js';

/**
 * The key before the body (issue 23, point 1): `/graphql` is the one GraphQL path. Yoga also
 * matches `/graphql/`, `//graphql`, any URL ending in `/graphql` (`/foo/graphql`, `/?x=/graphql`)
 * and, for GraphiQL, any GET accepting HTML; each of those used to parse and validate a document
 * without a key, answer 500 and print a stack trace. Now every other spelling is a JSON 404, a GET
 * accepting HTML is 401 where GraphiQL is off, and each refusal carries its request id, is counted
 * and gets one access line.
 */

const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const lines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
const metrics = new GatewayMetrics({ processMetrics: false });
const g = useGateway({ gatewayOptions: { logger: log, metrics, refusedKeyLinesPerSecond: 1_000 } });
// Yoga logs an unexpected error (the context's "request without an authenticated caller") with
// console.error, around the process logger: caught here.
const consoleOut = captureConsole();

beforeEach(() => {
  raw.length = 0;
});

/** A document every validation message would be about: an unknown argument, a missing one, an unknown field. */
const PROBE = `query Probe { grants(app: "${APP}", bogus: 1) { __typename } nope }`;
const VALIDATION = /Unknown argument|was not provided|Cannot query field/;

const post = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(g.url, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: PROBE }),
  });
const get = (path: string, accept: string, headers: Record<string, string> = {}) =>
  rawRequest(g.url, {
    method: 'GET',
    path: `${path}${path.includes('?') ? '&' : '?'}query=${encodeURIComponent(PROBE)}`,
    headers: { accept, 'x-graphql-yoga-csrf': '1', ...headers },
  });

function expectRefusal(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toContain('application/json');
  expect(answer.text).not.toMatch(VALIDATION);
  const requestId = answer.headers['x-request-id'];
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.json).toEqual({
    errors: [{ message: expect.any(String), extensions: { code, requestId } }],
  });
}

async function refusals(): Promise<Record<string, number>> {
  const metric = await metrics.registry.getSingleMetric('gateway_http_refusals_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.reason), v.value]));
}

describe('one GraphQL path', () => {
  it('POST to /graphql/, //graphql, /graphql//, /GraphQL, /foo/graphql, /?x=/graphql without a key: 404 JSON, nothing parsed', async () => {
    const paths = ['/graphql/', '//graphql', '/graphql//', '/GraphQL', '/foo/graphql', '/?x=/graphql'];
    await g.resetStats();
    for (const path of paths) expectRefusal(await post(path), 404, 'NOT_FOUND');
    expect(await upstreamTotal(g)).toBe(0);
    expect(consoleOut.join('\n')).not.toContain('authenticated caller');
  });

  it('a spelling other than /graphql is 404 with a valid key too: no second endpoint', async () => {
    const answer = await post('/graphql/', { authorization: `Bearer ${g.keys.rw}` });
    expectRefusal(answer, 404, 'NOT_FOUND');
  });

  it('a GET accepting text/html with ?query= and no key is 401 where GraphiQL is off', async () => {
    for (const accept of ['text/html', 'text/html, application/json', 'text/html,*/*;q=0.8'])
      expectRefusal(await get('/graphql', accept), 401, 'UNAUTHENTICATED');
    expect(consoleOut.join('\n')).not.toMatch(/authenticated caller|\n\s+at /);
  });

  it("Yoga's own /health suffix check answers nothing: POST /graphql?x=/health still needs the key", async () => {
    expectRefusal(await post('/graphql?x=/health'), 401, 'UNAUTHENTICATED');
    expectRefusal(await get('/health', 'application/json'), 404, 'NOT_FOUND');
  });

  it('methods other than GET and POST on /graphql: 405 JSON with Allow, before the key', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await rawRequest(g.url, { method, path: '/graphql' });
      expectRefusal(answer, 405, 'METHOD_NOT_ALLOWED');
      expect(answer.headers.allow).toBe('GET, POST');
    }
  });

  it('every refusal: one access line with its reason, counted by reason, no stack trace', async () => {
    const before = await refusals();
    await post('/graphql');
    await post('/graphql', { authorization: 'Bearer wrong' });
    await post('//graphql');
    await rawRequest(g.url, { method: 'PUT', path: '/graphql' });
    const access = lines().filter((l) => String(l.msg).startsWith('refused'));
    expect(access).toEqual([
      expect.objectContaining({ msg: 'refused API key', status: 401, reason: 'no API key' }),
      expect.objectContaining({ msg: 'refused API key', status: 401, reason: 'unknown API key' }),
      expect.objectContaining({
        msg: 'refused request',
        status: 404,
        reason: 'unknown path',
        errorCodes: ['NOT_FOUND'],
      }),
      expect.objectContaining({
        msg: 'refused request',
        status: 405,
        reason: 'method not allowed',
        errorCodes: ['METHOD_NOT_ALLOWED'],
      }),
    ]);
    expect(lines().length).toBe(4);
    const after = await refusals();
    const delta = (reason: string) => (after[reason] ?? 0) - (before[reason] ?? 0);
    expect([delta('no_api_key'), delta('unknown_api_key'), delta('unknown_path')]).toEqual([1, 1, 1]);
    expect(delta('method_not_allowed')).toBe(1);
    expect(consoleOut).toEqual([]);
  });
});

describe('the service endpoints keep their rules; their other spellings are 404', () => {
  it('/healthz, /readyz and /metrics answer without a key; /healthz/, //metrics, /readyz/ are 404', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics'])
      expect((await rawRequest(g.url, { method: 'GET', path })).status, path).toBe(200);
    for (const path of ['/healthz/', '//metrics', '/readyz/', '/metrics/graphql', '/healthz/graphql'])
      expectRefusal(await post(path), 404, 'NOT_FOUND');
  });

  it('the ONE store notification path keeps its own answers; //notifications/... is 404', async () => {
    const own = await rawRequest(g.url, { method: 'GET', path: `/notifications/onestore/${APP}` });
    expect([own.status, (own.json as { result?: string }).result]).toEqual([405, 'refused_method']);
    expectRefusal(await post(`//notifications/onestore/${APP}`), 404, 'NOT_FOUND');
  });

  it('the notification path is exact: a longer or empty one is the edge 404, logged and counted', async () => {
    const paths = [
      `/notifications/onestore/${APP}/graphql`,
      `/notifications/onestore/${APP}/`,
      '/notifications/onestore/',
      '/notifications/onestore//graphql',
      '/notifications/onestore',
    ];
    const before = (await refusals()).unknown_path ?? 0;
    for (const path of paths) {
      expectRefusal(await post(path), 404, 'NOT_FOUND');
      expectRefusal(await rawRequest(g.url, { method: 'GET', path }), 404, 'NOT_FOUND');
    }
    expect((await refusals()).unknown_path).toBe(before + paths.length * 2);
    const access = lines().filter((l) => l.msg === 'refused request');
    expect(access).toHaveLength(paths.length * 2);
    expect(access.every((l) => l.reason === 'unknown path' && l.status === 404)).toBe(true);
  });
});

describe('GraphiQL (sandbox profile)', () => {
  let s: GatewayHarness;
  const sandboxMetrics = new GatewayMetrics({ processMetrics: false });
  beforeAll(async () => {
    s = await startGateway({
      config: { introspection: true, limits: { exposeLimits: true } },
      gatewayOptions: { graphiql: { defaultQuery: '{ __typename }' }, metrics: sandboxMetrics },
    });
  });
  afterAll(async () => {
    await s.close();
  });
  const executed = async () =>
    ((await sandboxMetrics.registry.getSingleMetric('gateway_graphql_operations_total')?.get())?.values ?? [])
      .map((v) => v.value)
      .reduce((a, b) => a + b, 0);

  it('a GET accepting HTML gets the page at /graphql, with ?query= too, and executes nothing', async () => {
    const query = encodeURIComponent(`{ grants(app: "${APP}", userId: "u") { __typename } }`);
    const asked: Record<string, string>[] = [{}, { authorization: `Bearer ${s.keys.rw}` }];
    for (const headers of asked) {
      const page = await rawRequest(s.url, {
        method: 'GET',
        path: `/graphql?query=${query}`,
        headers: { accept: 'text/html', ...headers },
      });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('<title>Entitlement gateway</title>');
    }
    expect(await executed()).toBe(0);
  });

  it('the page is served at /graphql only: /graphql/ and //graphql accepting HTML are 404', async () => {
    for (const path of ['/graphql/', '//graphql', '/foo/graphql']) {
      const answer = await rawRequest(s.url, { method: 'GET', path, headers: { accept: 'text/html' } });
      expectRefusal(answer, 404, 'NOT_FOUND');
    }
  });
});
