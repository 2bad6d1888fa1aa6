import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * Review of e23/edge (issue 23, point 1, "every path and method the server answers"): a request-target
 * that is not origin-form never reaches the edge. The absolute-form (`POST http://host/graphql
 * HTTP/1.1`, which RFC 9112 §3.2.2 says a server MUST accept) and the asterisk-form (`OPTIONS *`, sent
 * by some load balancers) make @whatwg-node/server build an invalid URL before any plugin runs; its
 * fallback answers HTTP 500 with the error's stack (file paths of the installation) as a text/plain
 * body: no JSON, no request id, no access line, no metric. A malformed `Host` header (`[`, `a b`,
 * `x:99999`) does the same on `/graphql` itself.
 */

let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g.close();
});

const refusedAsJson = (answer: Awaited<ReturnType<typeof rawRequest>>) => {
  expect(answer.text, 'a stack trace in the body').not.toMatch(/\n\s+at /);
  expect(answer.status, answer.text.split('\n')[0]).toBeLessThan(500);
  const body = answer.json as { errors?: { extensions?: { requestId?: string } }[] } | undefined;
  expect(body?.errors?.[0]?.extensions?.requestId).toBe(answer.headers['x-request-id']);
};

describe.each([
  ['POST', 'http://gateway.example/graphql'],
  ['GET', 'http://gateway.example/graphql?query=%7B__typename%7D'],
  ['POST', 'http://gateway.example/anything'],
  ['OPTIONS', '*'],
])('%s %s without a key', (method, path) => {
  it('is refused as JSON with the request id, and no stack trace in the body', async () => {
    const answer = await rawRequest(g.url, {
      method,
      path,
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      ...(method === 'POST' && { body: JSON.stringify({ query: '{ __typename }' }) }),
    });
    refusedAsJson(answer);
  });
});

describe.each(['[', 'a b', 'x:99999'])('POST /graphql with Host: %s, without a key', (host) => {
  it('is refused as JSON with the request id, and no stack trace in the body', async () => {
    const answer = await rawRequest(g.url, {
      method: 'POST',
      path: '/graphql',
      headers: { host, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    refusedAsJson(answer);
  });
});
