import { describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/server/access-log.js';
import { createLogger } from '../../src/server/logger.js';
import { APP, ERROR_FIELDS, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * The access log through the process logger (pino, as `npm start` uses it): one `info` line per
 * GraphQL request, refused keys with their reason, and never a key or a purchase token.
 */

const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const access = () =>
  raw
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => ['graphql request', 'refused API key'].includes(String(l.msg)));
const g = useGateway({ gatewayOptions: { logger: log } });

/**
 * What the sandbox counted, without access-token requests: a token request is shared by every
 * request waiting for it, so it runs outside any one request and no access line counts it.
 */
async function requestCalls(): Promise<[Record<string, number>, number]> {
  const counts = await upstreamCounts(g);
  const own = Object.entries(counts).filter(([name]) => !/token/i.test(name));
  return [counts, own.reduce((a, [, n]) => a + n, 0)];
}

const LOOKUP = `query Lookup($app: String!, $p: String!, $t: String!) {
  purchase(app: $app, productId: $p, purchaseToken: $t) { __typename ${ERROR_FIELDS} } }`;

describe('access log', () => {
  it('a success: request id, operation, app, key name, status, upstream calls, no codes', async () => {
    const bought = await purchase(g);
    await g.resetStats();
    raw.length = 0;
    const vars = { app: APP, p: bought.productId, t: bought.purchaseToken };
    expect((await g.gql(LOOKUP, vars)).data).toMatchObject({ purchase: { __typename: 'Purchase' } });
    const [counts, upstream] = await requestCalls();
    expect(Object.keys(counts).length).toBe(2); // the token and the read
    const [line, ...more] = access();
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      msg: 'graphql request',
      status: 200,
      operationName: 'Lookup',
      operationType: 'query',
      apps: [APP],
      keyName: 'rw',
      upstreamCalls: upstream,
      errorCodes: [],
    });
    expect(line?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof line?.durationMs).toBe('number');
    expect(raw.join('')).not.toContain(bought.purchaseToken);
    expect(raw.join('')).not.toContain(g.keys.rw);
  });

  it('a typed error: the code of the union error member (NotFoundError for a made-up token)', async () => {
    await g.resetStats();
    raw.length = 0;
    const vars = { app: APP, p: 'gem_100', t: 'NOSUCHTOKEN000000001' };
    expect((await g.gql(LOOKUP, vars, { key: g.keys.ro })).data).toMatchObject({
      purchase: { __typename: 'NotFoundError', code: 'NOT_FOUND' },
    });
    expect(access()).toEqual([
      expect.objectContaining({
        status: 200,
        operationName: 'Lookup',
        keyName: 'ro',
        upstreamCalls: (await requestCalls())[1],
        errorCodes: ['NOT_FOUND'],
      }),
    ]);
  });

  it('a top-level error: its extensions.code', async () => {
    raw.length = 0;
    const answer = await g.gql('query Broken { nope }');
    expect(answer.status).toBe(400);
    expect(access()).toEqual([
      expect.objectContaining({
        status: 400,
        operationName: 'Broken',
        operationType: 'query',
        keyName: 'rw',
        upstreamCalls: 0,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      }),
    ]);
  });

  it("operationName is one the document defines, bounded; a name it lacks is a fixed marker, never the client's text", async () => {
    const long = `Op${'x'.repeat(200)}`;
    const asked: [query: string, operationName: string | undefined, logged: string | null][] = [
      ['query Real { __typename }', 'SECRETTOKEN5', '(not in document)'],
      ['query Real { __typename } query Other { __typename }', 'SECRETTOKEN5', '(not in document)'],
      ['query Real { __typename', 'SECRETTOKEN5', '(not in document)'],
      ['{ __typename }', 'SECRETTOKEN5', '(not in document)'],
      [`query ${long} { __typename }`, undefined, long.slice(0, 64)],
      [`query ${long} { __typename } query B { __typename }`, long, long.slice(0, 64)],
      ['query Real { __typename } query Other { __typename }', 'Other', 'Other'],
      ['{ __typename }', undefined, null],
    ];
    for (const [query, operationName, logged] of asked) {
      raw.length = 0;
      await g.gql(query, {}, operationName === undefined ? {} : { operationName });
      expect(
        access().map((l) => l.operationName),
        `${query} / ${operationName}`,
      ).toEqual([logged]);
      expect(raw.join(''), query).not.toContain('SECRETTOKEN5');
    }
  });

  it('a refused key: no key and a wrong key, each with its reason and never the key', async () => {
    raw.length = 0;
    const wrong = `${g.keys.rw}x`;
    expect((await g.gql(LOOKUP, {}, { key: null })).status).toBe(401);
    expect((await g.gql(LOOKUP, {}, { key: wrong })).status).toBe(401);
    const lines = access();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'refused API key',
        status: 401,
        reason: 'no API key',
        errorCodes: ['UNAUTHENTICATED'],
      }),
      expect.objectContaining({ msg: 'refused API key', status: 401, reason: 'unknown API key' }),
    ]);
    expect(lines[1]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(raw.join('')).not.toContain(wrong.slice(3, -1));
  });
});

describe('access log limits', () => {
  const request = (headers: Record<string, string> = {}) =>
    new Request('http://gw/graphql', { method: 'POST', headers });
  const response = (status: number) => new Response('{}', { status });
  type Hooks = {
    onRequest(p: { request: Request; url: URL }): void;
    onResponse(p: { request: Request; response: Response }): void;
  };
  const serve = (hooks: Hooks, status: number, headers?: Record<string, string>) => {
    const r = request(headers);
    hooks.onRequest({ request: r, url: new URL(r.url) });
    hooks.onResponse({ request: r, response: response(status) });
  };

  it('samples successes but never errors', () => {
    const lines: Record<string, unknown>[] = [];
    const draws = [0.05, 0.5, 0.95, 0.05];
    const log = new AccessLog(
      { info: (obj) => lines.push(obj) },
      { sampleSuccesses: 0.1, keyName: () => 'k', random: () => draws.shift() ?? 1 },
    );
    const hooks = log.plugin() as unknown as Hooks;
    for (let i = 0; i < 3; i++) serve(hooks, 200);
    serve(hooks, 500);
    serve(hooks, 503);
    // Draws 0.05 (kept), 0.5 and 0.95 (dropped); the errors draw nothing.
    expect(lines.map((l) => l.status)).toEqual([200, 500, 503]);
    expect(draws).toEqual([0.05]);
  });

  it('a refused line is written for what the edge refused only, with its reason; any other 401 is a served line', () => {
    const lines: Record<string, unknown>[] = [];
    const refused = new WeakSet<Request>();
    const log = new AccessLog(
      { info: (obj, msg) => lines.push({ ...obj, msg }) },
      {
        keyName: () => undefined,
        refusalOf: (r) => (refused.has(r) ? { reason: 'no API key', code: 'UNAUTHENTICATED' } : undefined),
      },
    );
    const hooks = log.plugin() as unknown as Hooks;
    const byEdge = request();
    refused.add(byEdge);
    hooks.onRequest({ request: byEdge, url: new URL(byEdge.url) });
    hooks.onResponse({ request: byEdge, response: response(401) });
    serve(hooks, 401, { authorization: 'Bearer not-from-the-edge' });
    expect(lines.map((l) => [l.msg, l.status, l.reason])).toEqual([
      ['refused API key', 401, 'no API key'],
      ['graphql request', 401, undefined],
    ]);
  });

  it('a flood of refused keys writes at most N lines a second, then one summary count', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 1_000_000;
    const log = new AccessLog(
      { info: (obj, msg) => lines.push({ ...obj, msg }) },
      {
        refusedPerSecond: 3,
        keyName: () => undefined,
        now: () => now,
        refusalOf: () => ({ reason: 'unknown API key', code: 'UNAUTHENTICATED' }),
      },
    );
    const hooks = log.plugin() as unknown as Hooks;
    for (let i = 0; i < 50; i++) serve(hooks, 401, { authorization: `Bearer guess-${i}` });
    expect(lines.length).toBe(3);
    now += 1_000;
    serve(hooks, 401);
    expect(lines.map((l) => l.msg)).toEqual([
      'refused API key',
      'refused API key',
      'refused API key',
      'refused requests suppressed',
      'refused API key',
    ]);
    expect(lines[3]).toMatchObject({ suppressed: 47, second: new Date(1_000_000).toISOString() });
    expect(JSON.stringify(lines)).not.toContain('guess-');
  });
});
