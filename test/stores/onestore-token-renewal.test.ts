import { describe, expect, it } from 'vitest';
import { StoreAccessDeniedError } from '../../src/graphql/errors/error-classes.js';
import { toGatewayError } from '../../src/graphql/errors/store-error-map.js';
import type { TokenReissue } from '../../src/sandbox/index.js';
import { StoreApiError } from '../../src/stores/errors.js';
import type { OneStoreClient } from '../../src/stores/onestore/index.js';
import type { SandboxHarness } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { eachStoreTest, oneStoreSetUp } from '../helpers/store-hooks.js';
import { type CreatedPurchase, failure } from '../helpers/stores.js';

const BURST = 50;
const LOOKUP = 'onestore.getPurchaseDetails';

/**
 * The next `BURST` lookups are answered `AccessTokenExpired` (or every lookup, with `keepRefusing`),
 * 1.5 s to 1.9 s late in five waves 100 ms apart: every first attempt is sent with the same token
 * before any answer comes back, and most answers arrive after the first renewal finished. The
 * latency applies to the first attempts only; the repeats are answered at once.
 */
async function lateRefusals(h: SandboxHarness, endpoint: string, keepRefusing = false): Promise<void> {
  await h.control('POST', '/faults', {
    endpoint,
    code: 'AccessTokenExpired',
    ...(keepRefusing ? {} : { count: BURST }),
  });
  // 1.5 s, not the 300 ms: every first attempt must reach the sandbox before the first 401
  // comes back, or an early caller's repeat takes one of the BURST refusals meant for a late first
  // attempt (seen on a loaded machine). The waves after it still land after the first renewal.
  await h.control('POST', '/faults', { endpoint, latencyMs: 1_500, count: BURST });
  for (let wave = 1; wave < 5; wave += 1) {
    await h.control('POST', '/faults', { endpoint, latencyMs: 100, count: wave * 10 });
  }
}

const burst = <T>(call: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: BURST }, () => call()));

describe.each<TokenReissue>(['same', 'new'])(
  'token renewal by generation: a store that re-issues the %s text',
  (reissue) => {
    const h = useSandbox({ sandbox: { onestoreTokenReissue: reissue } });
    let client: OneStoreClient;
    let purchase: CreatedPurchase;
    // The cache is warm: the figures below are about renewals alone.
    eachStoreTest(h, { clearStats: true, clearFaults: true }, oneStoreSetUp(true), (t) => {
      ({ client, purchase } = t);
    });

    it(`${BURST} concurrent lookups answered AccessTokenExpired late make exactly one token request`, async () => {
      const before = await client.getAccessToken();
      await lateRefusals(h, LOOKUP);
      const results = await burst(() => client.getPurchaseDetails(purchase));
      expect(results.map((r) => r.purchaseId)).toEqual(Array(BURST).fill(purchase.purchaseId));
      const stats = await h.stats();
      expect(stats.endpoints['onestore.token']).toEqual({ total: 1, byStatus: { '200': 1 } });
      expect(stats.endpoints[LOOKUP]).toEqual({ total: 2 * BURST, byStatus: { '401': BURST, '200': BURST } });
      // The renewed token is cached: no further token request.
      const after = await client.getAccessToken();
      if (reissue === 'same') expect(after).toBe(before);
      else expect(after).not.toBe(before);
      expect(await h.count('onestore.token')).toBe(1);
    });

    it('a store that keeps refusing: StoreAccessDeniedError after one repeat per call, one token request for the burst', async () => {
      await lateRefusals(h, LOOKUP, true);
      const errors = await burst(() => failure(client.getPurchaseDetails(purchase)));
      for (const err of errors) {
        expect(err).toBeInstanceOf(StoreApiError);
        expect(err).toMatchObject({
          store: 'onestore',
          endpoint: LOOKUP,
          code: 'AccessTokenExpired',
          httpStatus: 401,
        });
        expect(toGatewayError(err)).toBeInstanceOf(StoreAccessDeniedError);
      }
      const stats = await h.stats();
      expect(stats.endpoints['onestore.token']).toEqual({ total: 1, byStatus: { '200': 1 } });
      expect(stats.endpoints[LOOKUP]).toEqual({ total: 2 * BURST, byStatus: { '401': 2 * BURST } });
    });

    it('a store that keeps refusing, one call at a time: each call renews once and repeats once', async () => {
      await h.control('POST', '/faults', { endpoint: LOOKUP, code: 'AccessTokenExpired' });
      for (let i = 0; i < 3; i += 1) {
        expect(toGatewayError(await failure(client.getPurchaseDetails(purchase)))).toBeInstanceOf(
          StoreAccessDeniedError,
        );
      }
      expect(await h.count('onestore.token')).toBe(3);
      expect(await h.count(LOOKUP)).toBe(6);
    });

    it(`${BURST} concurrent consumes refused after renewal: two attempts each, nothing consumed, one token request`, async () => {
      const endpoint = 'onestore.consumePurchase';
      await lateRefusals(h, endpoint, true);
      const errors = await burst(() => failure(client.consumePurchase(purchase)));
      for (const err of errors) {
        expect(err).toMatchObject({ kind: 'StoreApiError', endpoint, code: 'AccessTokenExpired' });
      }
      expect(await h.count('onestore.token')).toBe(1);
      expect(await h.count(endpoint)).toBe(2 * BURST);
      expect(await h.control('GET', `/onestore/purchases/${purchase.purchaseToken}`)).toMatchObject({
        consumptionState: 0,
      });
    });
  },
);
