import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * No part of a request is echoed in an error: Yoga answers a malformed JSON body with
 * `extensions.originalError`, whose message (from JSON.parse) quotes the body, purchase tokens
 * included. The gateway under test has the production profile (a config file's defaults).
 */

const BAD_BODY = {
  errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
};
const BAD_PARAMS = {
  errors: [
    {
      message: 'The variables or extensions parameter is not valid JSON.',
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};

const g = useGateway();

async function post(body: string): Promise<{ status: number; text: string }> {
  const response = await g.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      authorization: `Bearer ${g.keys.rw}`,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('malformed requests (production profile)', () => {
  it('a truncated JSON body holding a purchase token answers a fixed message, without the body', async () => {
    const body =
      '{"query": "{ purchase(app: \\"game\\", productId: \\"gem_100\\", purchaseToken: \\"SECRETTOKEN0000000001\\"';
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual(BAD_BODY);
  });

  it('any body that is not JSON answers the same fixed error (property, fixed seed)', async () => {
    const notJson = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    await fc.assert(
      fc.asyncProperty(notJson, async (body) => {
        const answer = await post(body);
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.text)).toEqual(BAD_BODY);
      }),
      { seed: 8, numRuns: 200 },
    );
  });

  it('malformed variables in a GET answer a 400 without the parameter (not a masked 500)', async () => {
    const params = new URLSearchParams({
      query: '{ __typename }',
      variables: '{"token": "SECRETTOKEN0000000002"',
    });
    const response = await g.gateway.fetch(`http://gateway/graphql?${params}`, {
      headers: { authorization: `Bearer ${g.keys.rw}`, 'x-graphql-yoga-csrf': '1' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(BAD_PARAMS);
  });

  it('with NODE_ENV=development too: masked errors never carry the original error', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const answer = await post('{"purchaseToken": "SECRETTOKEN0000000003"');
      expect(JSON.parse(answer.text)).toEqual(BAD_BODY);
      const params = new URLSearchParams({
        query: '{ __typename }',
        extensions: '{"token": "SECRETTOKEN0000000004"',
      });
      const response = await g.gateway.fetch(`http://gateway/graphql?${params}`, {
        headers: { authorization: `Bearer ${g.keys.rw}`, 'x-graphql-yoga-csrf': '1' },
      });
      expect(await response.json()).toEqual(BAD_PARAMS);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
