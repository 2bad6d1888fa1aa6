import { expect, it } from 'vitest';
import { UNKNOWN_BODY_KEY } from '../../src/server/security.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * docs/SECURITY.md, "What an error may contain": no request body. Yoga refuses a body key it does not
 * know with `Unexpected parameter "<key>" in the request body.`, the key quoted (a client that sends
 * `{ "query": …, "<token>": … }`, or a JSON body built from a purchase record, gets it back).
 */
const SECRET = 'SECRETTOKEN5';
const g = useGateway();

const post = (body: object) =>
  fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${g.keys.rw}`,
    },
    body: JSON.stringify(body),
  });

it('a body with a key Yoga does not know: refused without quoting the key', async () => {
  const response = await post({ query: '{ __typename }', [SECRET]: 1 });
  expect(response.status).toBe(400);
  const text = await response.text();
  expect(text).not.toContain(SECRET);
  expect(JSON.parse(text)).toMatchObject({
    errors: [{ message: UNKNOWN_BODY_KEY, extensions: { code: 'BAD_REQUEST' } }],
  });
});

it('a key Yoga ignores (null) is still ignored', async () => {
  const response = await post({ query: '{ __typename }', [SECRET]: null });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
});
