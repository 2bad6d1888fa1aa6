import { beforeAll, describe, expect, it } from 'vitest';
import { APP, nhnItem, type Purchase, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/** Batching, deduplication, catalogue caching and cache invalidation, proven by sandbox counters. */

const g = useGateway({ catalogTtlSeconds: 60 });
const tokens: Purchase[] = [];
beforeAll(async () => {
  for (let i = 0; i < 5; i++) {
    await nhnItem(g, { itemName: `Pack ${i}`, marketItemId: `pack_${i}`, marketId: 'TS' });
    tokens.push(await purchase(g, { productId: `pack_${i}` }));
  }
});

/** 20 aliased purchase fields over the 5 tokens (each asked 4 times), each with its item. */
function twentyPurchases(): string {
  const fields = Array.from({ length: 20 }, (_, i) => {
    const p = tokens[i % 5];
    return `p${i}: purchase(app: "${APP}", productId: "${p?.productId}", purchaseToken: "${p?.purchaseToken}") {
      __typename ... on Purchase { purchaseToken item { __typename ... on Item { marketItemId name } } } }`;
  });
  return `query Twenty { ${fields.join('\n')} }`;
}

describe('batching (issue 4)', () => {
  it('20 purchases over 5 tokens with their items: 5 getPurchaseDetails, 1 itemList, at most 1 token', async () => {
    await g.resetStats();
    const answer = await g.gql(twentyPurchases());
    for (let i = 0; i < 20; i++) {
      const p = tokens[i % 5];
      expect(answer.data[`p${i}`]).toEqual({
        __typename: 'Purchase',
        purchaseToken: p?.purchaseToken,
        item: { __typename: 'Item', marketItemId: p?.productId, name: `Pack ${i % 5}` },
      });
    }
    const counts = await upstreamCounts(g);
    expect(counts['onestore.getPurchaseDetails']).toBe(5);
    expect(counts['nhncloud.itemList']).toBe(1);
    expect(counts['onestore.token'] ?? 0).toBeLessThanOrEqual(1);
    expect(Object.keys(counts).sort()).toEqual(
      ['nhncloud.itemList', 'onestore.getPurchaseDetails', 'onestore.token'].filter((k) => k in counts),
    );
  });

  it('a second operation within the catalogue TTL makes no itemList request (and no token request)', async () => {
    await g.gql(twentyPurchases());
    await g.resetStats();
    const answer = await g.gql(twentyPurchases());
    expect(answer.data.p0).toMatchObject({ __typename: 'Purchase' });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 5 });
  });

  it('checkEntitlements: identical entries reach the store once', async () => {
    const p = tokens[0];
    const checks = Array.from({ length: 10 }, () => ({
      store: 'ONESTORE',
      productId: p?.productId,
      purchaseToken: p?.purchaseToken,
    }));
    await g.resetStats();
    const answer = await g.gql(
      `query ($checks: [EntitlementCheckInput!]!) { checkEntitlements(app: "${APP}", checks: $checks) {
        ... on EntitlementCheckList { checks { active } } } }`,
      { checks },
    );
    expect(answer.data.checkEntitlements).toEqual({ checks: checks.map(() => ({ active: true })) });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
  });
});

describe('a mutation invalidates what the request read', () => {
  it('in one operation: acknowledge (re-reads and caches the purchase), then consume re-reads it fresh', async () => {
    const p = await purchase(g, { productId: 'pack_0' });
    await g.resetStats();
    const ref = `app: "${APP}", productId: "${p.productId}", purchaseToken: "${p.purchaseToken}"`;
    const answer = await g.gql(`mutation {
      ack: acknowledgePurchase(input: { ${ref} }) {
        __typename ... on AcknowledgePurchaseSuccess { purchase { acknowledgementState consumptionState } } }
      consume: consumePurchase(input: { app: "${APP}", onestore: { productId: "${p.productId}", purchaseToken: "${p.purchaseToken}" } }) {
        __typename ... on ConsumePurchaseSuccess { purchase { consumptionState entitlement { active reason } } } }
    }`);
    expect(answer.data).toEqual({
      ack: {
        __typename: 'AcknowledgePurchaseSuccess',
        purchase: { acknowledgementState: 'ACKNOWLEDGED', consumptionState: 'NOT_CONSUMED' },
      },
      consume: {
        __typename: 'ConsumePurchaseSuccess',
        purchase: { consumptionState: 'CONSUMED', entitlement: { active: false, reason: 'CONSUMED' } },
      },
    });
    // One read after each change: the consume's read was not served from the acknowledge's cache.
    expect(await upstreamCounts(g)).toMatchObject({
      'onestore.acknowledgePurchase': 1,
      'onestore.consumePurchase': 1,
      'onestore.getPurchaseDetails': 2,
    });
  });

  it('a query in a new request after a mutation is fresh', async () => {
    const p = await purchase(g, { productId: 'pack_1' });
    const QUERY = `{ purchase(app: "${APP}", productId: "${p.productId}", purchaseToken: "${p.purchaseToken}") {
      ... on Purchase { consumptionState } } }`;
    expect((await g.gql(QUERY)).data.purchase).toEqual({ consumptionState: 'NOT_CONSUMED' });
    const consumed = await g.gql(
      `mutation { consumePurchase(input: { app: "${APP}", onestore: { productId: "${p.productId}", purchaseToken: "${p.purchaseToken}" } }) { __typename } }`,
    );
    expect(consumed.data.consumePurchase).toEqual({ __typename: 'ConsumePurchaseSuccess' });
    expect((await g.gql(QUERY)).data.purchase).toEqual({ consumptionState: 'CONSUMED' });
  });
});
