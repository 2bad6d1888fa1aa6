import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { type RawAnswer, rawRequest } from '../helpers/raw-http.js';

/**
 * Requests whose target is not origin-form, or whose Host is not an authority. The absolute-form
 * (`POST http://host/graphql HTTP/1.1`, which RFC 9112 §3.2.2 says a server MUST accept) is served
 * as its path and query, through the same key check, with the target's authority instead of the
 * Host header. Any other target (`OPTIONS *`, `graphql`, a userinfo, another scheme) and a Host that
 * is no authority (`[`, `a b`, `x:99999`, `x/graphql?`, two Host lines: RFC 9112 §3.2) are the edge's
 * JSON 400, with the request id, `no-store`, counted and access-logged. These used to reach
 * @whatwg-node/server as an invalid URL before any plugin ran: HTTP 500 with the stack (install
 * paths) as a text/plain body, no request id, no access line, no metric.
 */

const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const metrics = new GatewayMetrics({ processMetrics: false });
const g = useGateway({ gatewayOptions: { logger: log, metrics, refusedKeyLinesPerSecond: 1_000 } });
beforeEach(() => {
  raw.length = 0;
});

const ACCESS_LINES = ['graphql request', 'refused API key', 'refused request'];
const accessLines = () =>
  raw
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => ACCESS_LINES.includes(String(l.msg)));

async function refusals(): Promise<Record<string, number>> {
  const metric = await metrics.registry.getSingleMetric('gateway_http_refusals_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.reason), v.value]));
}

/** The edge's refusal: JSON with the request id (body and header), no-store, no stack trace, one access line. */
function expectRefused(answer: RawAnswer, status: number, code: string): void {
  expect(answer.text, 'a stack trace in the body').not.toMatch(/\n\s+at /);
  expect(answer.status, answer.text.split('\n')[0]).toBe(status);
  expect(answer.headers['content-type']).toContain('application/json');
  expect(answer.headers['cache-control']).toBe('no-store');
  const requestId = answer.headers['x-request-id'];
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.json).toEqual({ errors: [{ message: expect.any(String), extensions: { code, requestId } }] });
  expect(accessLines()).toEqual([expect.objectContaining({ requestId, status, errorCodes: [code] })]);
}

const post = (path: string, headers: Record<string, string> = {}) =>
  rawRequest(g.url, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

describe('the absolute-form is served as its path, through the key check', () => {
  it.each([
    ['POST', 'http://gateway.example/graphql', 401, 'UNAUTHENTICATED'],
    ['GET', 'http://gateway.example/graphql?query=%7B__typename%7D', 401, 'UNAUTHENTICATED'],
    ['POST', 'HTTP://gateway.example:8080/graphql', 401, 'UNAUTHENTICATED'],
    ['POST', 'http://gateway.example/anything', 404, 'NOT_FOUND'],
    ['POST', 'http://gateway.example//graphql', 404, 'NOT_FOUND'],
    ['POST', 'http://gateway.example', 404, 'NOT_FOUND'],
  ])('%s %s without a key: %i', async (method, path, status, code) => {
    const answer = await rawRequest(g.url, {
      method,
      path,
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      ...(method === 'POST' && { body: JSON.stringify({ query: '{ __typename }' }) }),
    });
    expectRefused(answer, status, code);
  });

  it('with a key it is answered, and the Host header is ignored for the target authority', async () => {
    const key = { authorization: `Bearer ${g.keys.rw}` };
    for (const host of [undefined, '[', 'a b']) {
      const answer = await post('http://gateway.example/graphql', { ...key, ...(host && { host }) });
      expect([answer.status, answer.json]).toEqual([200, { data: { __typename: 'Query' } }]);
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('any other target, and a Host that is no authority: 400 JSON', () => {
  it.each([
    ['OPTIONS', '*'],
    ['GET', '*'],
    ['POST', 'http://user:pass@gateway.example/graphql'],
    ['POST', 'http://[/graphql'],
    ['POST', 'http://gateway.example:99999/graphql'],
    ['POST', 'ftp://gateway.example/graphql'],
  ])('%s %s: invalid_target', async (method, path) => {
    const before = (await refusals()).invalid_target ?? 0;
    const answer = await rawRequest(g.url, {
      method,
      path,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
      ...(method === 'POST' && { body: JSON.stringify({ query: '{ __typename }' }) }),
    });
    expectRefused(answer, 400, 'BAD_REQUEST');
    expect(accessLines()[0]).toMatchObject({ msg: 'refused request', reason: 'invalid request target' });
    expect((await refusals()).invalid_target).toBe(before + 1);
  });

  it.each(['[', 'a b', 'x:99999', 'x/graphql?', 'user@x', '999.999.999.999'])(
    'POST /graphql with Host: %s, with a valid key: invalid_host',
    async (host) => {
      const before = (await refusals()).invalid_host ?? 0;
      expectRefused(
        await post('/graphql', { host, authorization: `Bearer ${g.keys.rw}` }),
        400,
        'BAD_REQUEST',
      );
      expect(accessLines()[0]).toMatchObject({ msg: 'refused request', reason: 'invalid Host header' });
      expect((await refusals()).invalid_host).toBe(before + 1);
    },
  );

  it('two Host lines, or none in HTTP/1.1 (RFC 9112 §3.2: 400); none in HTTP/1.0 is allowed', async () => {
    const get = 'GET /graphql?query=%7B__typename%7D';
    const key = `Authorization: Bearer ${g.keys.rw}\r\nX-GraphQL-Yoga-CSRF: 1\r\nConnection: close\r\n\r\n`;
    for (const request of [
      `${get} HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n${key}`,
      `${get} HTTP/1.1\r\n${key}`,
      `${get} HTTP/1.1\r\nHost: \r\n${key}`,
    ]) {
      const text = await rawExchange(g.url, request);
      expect(text.split('\r\n')[0], request).toMatch(/^HTTP\/1\.1 400\b/);
      expect(text).toContain('"code":"BAD_REQUEST"');
      expect(text.toLowerCase()).toContain('cache-control: no-store');
    }
    const old = await rawExchange(g.url, `${get} HTTP/1.0\r\n${key}`);
    expect(old.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 200\b/);
    expect(old).toContain('{"data":{"__typename":"Query"}}');
  });

  it("a target Node's HTTP parser refuses (`graphql`, `http:/graphql`) is Node's bare 400: no body", async () => {
    for (const target of ['graphql', 'http:/graphql', 'x:1']) {
      const text = await rawExchange(g.url, `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(text).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    expect(raw).toEqual([]);
  });

  it('a tame Host is served: a name, a port, IPv4, IPv6', async () => {
    for (const host of ['gateway.example', 'gateway.example:443', '10.0.0.1:80', '[::1]:4000', 'localhost:'])
      expect((await post('/graphql', { host, authorization: `Bearer ${g.keys.rw}` })).status, host).toBe(200);
  });
});

/** A request written byte for byte on a socket: Node's client refuses to send two Host lines. */
function rawExchange(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('the gateway process (src/main.ts) answers the same', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('absolute-form served, OPTIONS * and a bad Host refused as JSON with an access line', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        SANDBOX_PORT: '0',
        LOG_LEVEL: 'info',
        DEMO_API_KEY: 'demo-target-key',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    let url: string | undefined;
    for (let i = 0; i < 1_000 && url === undefined; i++) {
      url = /Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/.exec(out)?.[1];
      if (child.exitCode !== null) throw new Error(`exited: ${out}`);
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (url === undefined) throw new Error(`never listened: ${out}`);
    const served = await rawRequest(url, {
      method: 'POST',
      path: 'http://gateway.example/graphql',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-target-key' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect([served.status, served.json]).toEqual([200, { data: { __typename: 'Query' } }]);
    const star = await rawRequest(url, { method: 'OPTIONS', path: '*' });
    const host = await rawRequest(url, { method: 'GET', path: '/graphql', headers: { host: 'a b' } });
    for (const answer of [star, host]) {
      expect(answer.status, answer.text.split('\n')[0]).toBe(400);
      const requestId = answer.headers['x-request-id'];
      expect(answer.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST', requestId } }],
      });
      // The access line is written as the response goes out: wait for it.
      for (let i = 0; i < 100 && !out.includes(`"requestId":"${requestId}"`); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(out).toContain(`"requestId":"${requestId}"`);
    }
    expect(out).not.toMatch(/\n\s+at /);
  }, 30_000);
});
