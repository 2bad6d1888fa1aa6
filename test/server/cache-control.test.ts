import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/raw-http.js';
import { subscribe } from '../helpers/sse.js';

/**
 * `Cache-Control: no-store` on every GraphQL answer (issue 23, point 7): a GET that returns
 * purchase data had no Cache-Control at all, so a shared cache between a game server and the
 * gateway could keep it. POST and GET, success and refusal, the event stream included.
 */

let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g.close();
});

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
});
