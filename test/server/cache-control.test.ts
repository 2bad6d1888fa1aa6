import { describe, expect, it } from 'vitest';
import { APP, purchase, startGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { rawRequest } from '../helpers/raw-http.js';
import { subscribe } from '../helpers/sse.js';

/**
 * `Cache-Control: no-store` on every answer (issue 23, point 7; README, docs/SECURITY.md): a GET
 * that returns purchase data had no Cache-Control at all, so a shared cache between a game server
 * and the gateway could keep it. POST and GET, success and refusal, the event stream included, and
 * every other answer the server gives: service endpoints, notifications, Yoga's own refusals,
 * targets no URL can be made of, GraphiQL's page and a CORS preflight.
 */

const g = useGateway();

const LOOKUP = `query Lookup($t: String!) { purchase(app: "${APP}", productId: "gem_100", purchaseToken: $t) { __typename } }`;

describe('Cache-Control: no-store', () => {
  it('a GET carrying purchase data, and the same as a POST', async () => {
    const bought = await purchase(g);
    const variables = JSON.stringify({ t: bought.purchaseToken });
    const get = await rawRequest(g.url, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(LOOKUP)}&variables=${encodeURIComponent(variables)}`,
      headers: {
        authorization: `Bearer ${g.keys.rw}`,
        'x-graphql-yoga-csrf': '1',
        accept: 'application/json',
      },
    });
    expect(get.json).toEqual({ data: { purchase: { __typename: 'Purchase' } } });
    expect(get.headers['cache-control']).toBe('no-store');
    const post = await rawRequest(g.url, {
      method: 'POST',
      path: '/graphql',
      headers: { authorization: `Bearer ${g.keys.rw}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOOKUP, variables: { t: bought.purchaseToken } }),
    });
    expect(post.json).toEqual({ data: { purchase: { __typename: 'Purchase' } } });
    expect(post.headers['cache-control']).toBe('no-store');
  });

  it('refusals and errors: no key, an invalid document, an unknown path, a method', async () => {
    const answers = await Promise.all([
      rawRequest(g.url, {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      rawRequest(g.url, {
        method: 'POST',
        path: '/graphql',
        headers: {
          authorization: `Bearer ${g.keys.rw}`,
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
        },
        body: JSON.stringify({ query: '{ nope }' }),
      }),
      rawRequest(g.url, { method: 'GET', path: '/graphql/' }),
      rawRequest(g.url, { method: 'PUT', path: '/graphql' }),
    ]);
    expect(answers.map((a) => [a.status, a.headers['cache-control']])).toEqual([
      [401, 'no-store'],
      [400, 'no-store'],
      [404, 'no-store'],
      [405, 'no-store'],
    ]);
  });

  it('the live event stream', async () => {
    const reader = await subscribe(
      `${g.url}/graphql`,
      'subscription ($a: String!) { gatewayEvents(app: $a) { id } }',
      { a: APP },
      { key: g.keys.ro },
    );
    expect(reader.response.headers.get('content-type')).toContain('text/event-stream');
    expect(reader.response.headers.get('cache-control')).toBe('no-store');
    reader.close();
  });

  it('every other answer, with its request id: service paths, notifications, Yoga refusals, bad targets, the page, a preflight', async () => {
    const origin = 'https://console.example.com';
    const s = await startGateway({
      config: { cors: { origins: [origin] }, limits: { maxBodyBytes: 1_000 } },
      gatewayOptions: { graphiql: { defaultQuery: '{ __typename }' } },
    });
    try {
      const key = { authorization: `Bearer ${s.keys.rw}` };
      const asked: [string, Parameters<typeof rawRequest>[1]][] = [
        ['healthz', { method: 'GET', path: '/healthz' }],
        ['readyz', { method: 'GET', path: '/readyz' }],
        ['metrics', { method: 'GET', path: '/metrics' }],
        ['notification, unknown app', { method: 'POST', path: '/notifications/onestore/nope', body: '{}' }],
        ['notification, GET', { method: 'GET', path: `/notifications/onestore/${APP}` }],
        [
          'GET without the CSRF header',
          { method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: key },
        ],
        [
          'body over the limit',
          {
            method: 'POST',
            path: '/graphql',
            headers: { ...key, 'content-type': 'application/json' },
            body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(2_000)}` }),
          },
        ],
        [
          'unsupported content type',
          {
            method: 'POST',
            path: '/graphql',
            headers: { ...key, 'content-type': 'application/xml' },
            body: '<q/>',
          },
        ],
        [
          'a body that is not JSON',
          {
            method: 'POST',
            path: '/graphql',
            headers: { ...key, 'content-type': 'application/json' },
            body: '{',
          },
        ],
        ['OPTIONS *', { method: 'OPTIONS', path: '*' }],
        ['a malformed Host', { method: 'GET', path: '/graphql', headers: { host: 'a b' } }],
        ['GraphiQL', { method: 'GET', path: '/graphql', headers: { accept: 'text/html' } }],
        [
          'CORS preflight',
          {
            method: 'OPTIONS',
            path: '/graphql',
            headers: { origin, 'access-control-request-method': 'POST' },
          },
        ],
      ];
      const found: string[] = [];
      for (const [what, request] of asked) {
        const answer = await rawRequest(s.url, request);
        if (answer.headers['cache-control'] !== 'no-store')
          found.push(`${what}: HTTP ${answer.status}, Cache-Control ${answer.headers['cache-control']}`);
        if (!/^[0-9a-f-]{36}$/.test(answer.headers['x-request-id'] ?? ''))
          found.push(`${what}: HTTP ${answer.status}, no x-request-id`);
        if (/\n\s+at /.test(answer.text)) found.push(`${what}: a stack trace in the body`);
      }
      expect(found).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
