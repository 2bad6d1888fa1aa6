import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayHarness, startGateway } from '../helpers/gateway.js';

/**
 * docs/SECURITY.md, "What an error may contain": no request body. Yoga refuses a body key it does not
 * know with `Unexpected parameter "<key>" in the request body.`, the key quoted (a client that sends
 * `{ "query": …, "<token>": … }`, or a JSON body built from a purchase record, gets it back).
 */
const SECRET = 'SECRETTOKEN5';
let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g.close();
});

it('a body with a key Yoga does not know: refused without quoting the key', async () => {
  const response = await fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${g.keys.rw}`,
    },
    body: JSON.stringify({ query: '{ __typename }', [SECRET]: 1 }),
  });
  expect(response.status).toBe(400);
  expect(await response.text()).not.toContain(SECRET);
});
