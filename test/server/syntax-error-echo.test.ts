import { describe, expect, it } from 'vitest';
import { APP } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { subscribe } from '../helpers/sse.js';

/**
 * docs/SECURITY.md, "What an error may contain": never "a literal of the document". A document that
 * does not parse gets graphql-js's lexer message, which prints the token it stopped at, string and
 * block-string literals included: `Syntax Error: Expected Name, found String "<token>".` A client
 * that builds its document by pasting a purchase token in (one stray quote or a missing comma) gets
 * the token back, over POST, GET and SSE.
 */
const SECRET = 'SECRETTOKEN5';
const g = useGateway();

const DOCUMENTS = {
  'a string after a string (a missing argument name)': `{ purchase(app: "${APP}", productId: "gem_100", purchaseToken: "x" "${SECRET}") { __typename } }`,
  'a block string where a name belongs': `{ purchase(app: "${APP}", productId: "gem_100", purchaseToken: """x""" """${SECRET}""") { __typename } }`,
  'a number where a name belongs': `{ purchase(app: "${APP}", productId: "gem_100", purchaseToken: "x" 51234567) { __typename } }`,
};
const numbers = /51234567/;

describe('a document that does not parse: the error quotes no literal', () => {
  for (const [name, query] of Object.entries(DOCUMENTS)) {
    it(`POST, ${name}`, async () => {
      const answer = await g.gql(query);
      expect(answer.body.errors?.length).toBe(1);
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(numbers);
    });
  }

  it('GET', async () => {
    const params = new URLSearchParams({ query: Object.values(DOCUMENTS)[0] ?? '' });
    const response = await fetch(`${g.url}/graphql?${params}`, {
      headers: {
        authorization: `Bearer ${g.keys.rw}`,
        'x-graphql-yoga-csrf': '1',
        accept: 'application/json',
      },
    });
    expect(await response.text()).not.toContain(SECRET);
  });

  it('SSE', async () => {
    const reader = await subscribe(
      `${g.url}/graphql`,
      `subscription { gatewayEvents(app: "${APP}", after: "x" "${SECRET}") { id } }`,
      {},
      { key: g.keys.rw },
    );
    const first = await reader.payload();
    reader.close();
    expect(JSON.stringify(first)).not.toContain(SECRET);
  });
});
