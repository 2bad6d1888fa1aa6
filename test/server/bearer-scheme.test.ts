import { describe, expect, it } from 'vitest';
import { presentedKey } from '../../src/server/api-keys.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * `Authorization: bearer <key>` (issue 23, point 6): an HTTP authentication scheme is
 * case-insensitive (RFC 9110 §11.1) and is separated from its credentials by one or more spaces,
 * so `bearer`, `BEARER` and `Bearer  <key>` present the key as `Bearer <key>` does.
 */

const headers = (authorization: string, extra: Record<string, string> = {}) =>
  new Headers({ authorization, ...extra });

describe('presentedKey', () => {
  it('reads the Bearer scheme in any case, after one or more spaces', () => {
    for (const value of ['Bearer k1', 'bearer k1', 'BEARER k1', 'bEaReR k1', 'Bearer   k1', 'bearer k1 '])
      expect(presentedKey(headers(value)), value).toBe('k1');
  });

  it('another scheme or no credentials is no Bearer key: x-api-key is read instead', () => {
    expect(presentedKey(headers('Basic a2V5', { 'x-api-key': 'k2' }))).toBe('k2');
    expect(presentedKey(headers('Bearerk1'))).toBeNull();
    expect(presentedKey(headers('Bearer '))).toBeNull();
    expect(presentedKey(headers('Bearers k1'))).toBeNull();
  });
});

describe('over HTTP', () => {
  const g = useGateway();

  it('authorization: bearer <key> (lower case) is accepted', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const answer = await rawRequest(g.url, {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `${scheme} ${g.keys.rw}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect([answer.status, answer.json], scheme).toEqual([200, { data: { __typename: 'Query' } }]);
    }
  });
});
