import { beforeAll, describe, expect, it } from 'vitest';
import { APP, nhnItem, nhnPayment, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * One request-scoped loader per kind of read, shared by every field and mutation that reads that
 * kind, proven by sandbox counters: a per-field loader (what `t.loadable` makes) would read the
 * same purchase once per field. And a change clears what the request had read of its target, so
 * the read after it in the same operation is fresh. The catalogue is not cached across requests
 * here (catalogTtlSeconds 0), so only the request's item loader can share a catalogue read.
 */

const g = useGateway({ catalogTtlSeconds: 0 });
let itemSeq = '';
beforeAll(async () => {
  itemSeq = await nhnItem(g, { itemName: 'Shared pack', marketItemId: 'shared_pack', marketId: 'TS' });
});

const ref = (p: { productId: string; purchaseToken: string }) =>
  `app: "${APP}", productId: "${p.productId}", purchaseToken: "${p.purchaseToken}"`;

describe('one loader per kind of read, across fields', () => {
  it('purchase, its item, item and checkEntitlements of one token: 1 getPurchaseDetails, 1 itemList', async () => {
    const p = await purchase(g, { productId: 'shared_pack' });
    await g.resetStats();
    const answer = await g.gql(
      `query ($checks: [EntitlementCheckInput!]!) {
        item(app: "${APP}", marketItemId: "shared_pack") { __typename ... on Item { itemSeq } }
        purchase(${ref(p)}) { __typename ... on Purchase { purchaseToken item { ... on Item { itemSeq } } } }
        checkEntitlements(app: "${APP}", checks: $checks) {
          ... on EntitlementCheckList { checks { active purchase { ... on Purchase { purchaseToken } } } } }
      }`,
      { checks: [{ store: 'ONESTORE', productId: p.productId, purchaseToken: p.purchaseToken }] },
    );
    expect(answer.data).toEqual({
      item: { __typename: 'Item', itemSeq },
      purchase: { __typename: 'Purchase', purchaseToken: p.purchaseToken, item: { itemSeq } },
      checkEntitlements: { checks: [{ active: true, purchase: { purchaseToken: p.purchaseToken } }] },
    });
    expect(await upstreamCounts(g)).toMatchObject({
      'onestore.getPurchaseDetails': 1,
      'nhncloud.itemList': 1,
    });
  });

  it('subscription and a SUBSCRIPTION check of one token: 1 getSubscriptionDetail', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    await g.resetStats();
    const answer = await g.gql(
      `query ($checks: [EntitlementCheckInput!]!) {
        subscription(${ref(s)}) { __typename ... on Subscription { status } }
        checkEntitlements(app: "${APP}", checks: $checks) { ... on EntitlementCheckList { checks { active } } }
      }`,
      {
        checks: [
          { store: 'ONESTORE', kind: 'SUBSCRIPTION', productId: s.productId, purchaseToken: s.purchaseToken },
        ],
      },
    );
    expect(answer.data).toEqual({
      subscription: { __typename: 'Subscription', status: 'ACTIVE' },
      checkEntitlements: { checks: [{ active: true }] },
    });
    expect(await upstreamCounts(g)).toMatchObject({ 'onestore.getSubscriptionDetail': 1 });
  });

  it("unconsumedPurchases and a check of that user's payment: 1 consumableList", async () => {
    const pay = await nhnPayment(g, { itemSeq });
    await g.resetStats();
    const answer = await g.gql(
      `query ($checks: [EntitlementCheckInput!]!) {
        unconsumedPurchases(app: "${APP}", userKey: "${pay.userKey}") {
          ... on UnconsumedPurchases { purchases { paymentSeq } } }
        checkEntitlements(app: "${APP}", checks: $checks) { ... on EntitlementCheckList { checks { active } } }
      }`,
      {
        checks: [
          {
            store: 'NHN_CLOUD',
            paymentSeq: pay.paymentSeq,
            purchaseToken: pay.purchaseToken,
            userKey: pay.userKey,
          },
        ],
      },
    );
    expect(answer.data).toEqual({
      unconsumedPurchases: { purchases: [{ paymentSeq: pay.paymentSeq }] },
      checkEntitlements: { checks: [{ active: true }] },
    });
    expect(await upstreamCounts(g)).toEqual({ 'nhncloud.consumableList': 1 });
  });

  it('a failed load is its own key’s union member; the batch’s other key is served', async () => {
    const p = await purchase(g, { productId: 'shared_pack' });
    await g.resetStats();
    const answer = await g.gql(`{
      found: purchase(${ref(p)}) { __typename }
      missing: purchase(${ref({ productId: 'shared_pack', purchaseToken: 'NOSUCHTOKEN000000001' })}) {
        __typename ... on Error { code } }
    }`);
    expect(answer.data).toEqual({
      found: { __typename: 'Purchase' },
      missing: { __typename: 'NotFoundError', code: 'NOT_FOUND' },
    });
    expect(await upstreamCounts(g)).toMatchObject({ 'onestore.getPurchaseDetails': 2 });
  });
});

const SUBSCRIPTION_CHANGE = `__typename ... on SubscriptionChange { subscription { status autoRenewing expiresAt } }`;

describe('a change clears what the request read of its target', () => {
  it('cancel, then reactivate in one operation: the second re-read is fresh', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    const input = `{ ${ref(s)}, kind: SUBSCRIPTION }`;
    await g.resetStats();
    const answer = await g.gql(`mutation {
      cancel: cancelSubscription(input: ${input}) { ${SUBSCRIPTION_CHANGE} }
      reactivate: reactivateSubscription(input: ${input}) { ${SUBSCRIPTION_CHANGE} }
    }`);
    expect(answer.data).toMatchObject({
      cancel: { subscription: { status: 'CANCEL_RESERVED', autoRenewing: false } },
      reactivate: { subscription: { status: 'ACTIVE', autoRenewing: true } },
    });
    expect(await upstreamCounts(g)).toMatchObject({ 'onestore.getSubscriptionDetail': 2 });
  });

  it('defer twice in one operation: the read before the second is the first one’s re-read, each re-read fresh', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    const input = `{ ${ref(s)}, deferPeriod: 10 }`;
    await g.resetStats();
    const answer = await g.gql(`mutation {
      first: deferSubscription(input: ${input}) { ${SUBSCRIPTION_CHANGE} }
      second: deferSubscription(input: ${input}) { ${SUBSCRIPTION_CHANGE} }
    }`);
    const expiry = (name: string) =>
      Date.parse(
        String((answer.data[name] as { subscription: { expiresAt: string } }).subscription.expiresAt),
      );
    expect(expiry('second') - expiry('first')).toBe(10 * 60_000);
    // The first's read before, its re-read (which the second's read before reuses), the second's re-read.
    expect(await upstreamCounts(g)).toMatchObject({
      'onestore.deferSubscription': 2,
      'onestore.getSubscriptionDetail': 3,
    });
  });
});
