import { afterEach, describe, expect, it } from 'vitest';
import { APP, purchase } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

const BURST = 50;
const LOOKUP = 'onestore.getPurchaseDetails';
const PURCHASE = `query ($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseId } ... on Error { code } ... on StoreAccessDeniedError { storeCode }
  }
}`;

const g = useGateway();

afterEach(async () => {
  await g.control('DELETE', '/faults');
  await g.control('POST', '/onestore/tokens', { reissue: 'same' });
});

/**
 * The next `BURST` lookups answered AccessTokenExpired (every one with `keepRefusing`), 1.5 to 1.9 s
 * late in five waves, so most 401s arrive after the first renewal finished.
 */
async function lateRefusals(keepRefusing: boolean): Promise<void> {
  await g.control('POST', '/faults', {
    endpoint: LOOKUP,
    code: 'AccessTokenExpired',
    ...(keepRefusing ? {} : { count: BURST }),
  });
  // 1.5 s, not the 300 ms: every first attempt must reach the sandbox before the first 401
  // comes back, or an early caller's repeat takes one of the BURST refusals meant for a late first
  // attempt (seen on a loaded machine). The waves after it still land after the first renewal.
  await g.control('POST', '/faults', { endpoint: LOOKUP, latencyMs: 1_500, count: BURST });
  for (let wave = 1; wave < 5; wave += 1) {
    await g.control('POST', '/faults', { endpoint: LOOKUP, latencyMs: 100, count: wave * 10 });
  }
}

/** `BURST` concurrent GraphQL requests, each one lookup; answers each `purchase` field. */
async function burstOfLookups(p: { productId: string; purchaseToken: string }): Promise<unknown[]> {
  const variables = { app: APP, productId: p.productId, purchaseToken: p.purchaseToken };
  const answers = await Promise.all(Array.from({ length: BURST }, () => g.gql(PURCHASE, variables)));
  return answers.map((a) => a.data.purchase);
}

describe('token renewal through the gateway', () => {
  it.each(['same', 'new'])(
    `${BURST} concurrent lookups answered AccessTokenExpired late: one token request (%s text on renewal)`,
    async (reissue) => {
      await g.control('POST', '/onestore/tokens', { reissue });
      const p = await purchase(g);
      // Warm the token cache, so the figures are about the renewal alone.
      await g.gql(PURCHASE, { app: APP, productId: p.productId, purchaseToken: p.purchaseToken });
      await g.resetStats();
      await lateRefusals(false);
      const results = await burstOfLookups(p);
      expect(results).toEqual(Array(BURST).fill({ __typename: 'Purchase', purchaseId: p.purchaseId }));
      const stats = await g.h.stats();
      expect(stats.endpoints['onestore.token']).toEqual({ total: 1, byStatus: { '200': 1 } });
      expect(stats.endpoints[LOOKUP]).toEqual({ total: 2 * BURST, byStatus: { '401': BURST, '200': BURST } });
    },
  );

  it(`a store that keeps refusing: ${BURST} × StoreAccessDeniedError, one repeat each, one token request`, async () => {
    const p = await purchase(g);
    await g.gql(PURCHASE, { app: APP, productId: p.productId, purchaseToken: p.purchaseToken });
    await g.resetStats();
    await lateRefusals(true);
    const results = await burstOfLookups(p);
    expect(results).toEqual(
      Array(BURST).fill({
        __typename: 'StoreAccessDeniedError',
        code: 'STORE_ACCESS_DENIED',
        storeCode: 'AccessTokenExpired',
      }),
    );
    const stats = await g.h.stats();
    expect(stats.endpoints['onestore.token']).toEqual({ total: 1, byStatus: { '200': 1 } });
    expect(stats.endpoints[LOOKUP]).toEqual({ total: 2 * BURST, byStatus: { '401': 2 * BURST } });
  });
});
