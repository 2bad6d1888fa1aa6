import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP,
  act,
  ERROR_FIELDS,
  list,
  nhnItem,
  nhnPayment,
  purchase,
  upstreamCounts,
} from '../helpers/gateway.js';
import { purchaseVars } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';

const g = useGateway();
/** Created before anything reads the catalogue, which the gateway caches for catalogTtlSeconds. */
let gasSeq = '';
let crystalSeq = '';
beforeAll(async () => {
  gasSeq = await nhnItem(g, { itemName: 'Gas can', marketItemId: 'gas_can' });
  crystalSeq = await nhnItem(g, { itemName: 'Crystal pack', marketItemId: 'crystal_pack', marketId: 'TS' });
});

const PURCHASE = `query ($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename
    ... on Purchase { store app kind productId purchaseToken purchaseId quantity purchaseState consumptionState
      acknowledgementState developerPayload purchasedAt acknowledgeDeadline market
      entitlement { active reason expiresAt } }
    ${ERROR_FIELDS}
  }
}`;

const SUBSCRIPTION = `query ($app: String!, $productId: String!, $purchaseToken: String!, $kind: SubscriptionKind) {
  subscription(app: $app, productId: $productId, purchaseToken: $purchaseToken, kind: $kind) {
    __typename
    ... on Subscription { kind status autoRenewing productId purchaseToken expiresAt startedAt nextPaymentAt
      acknowledgementState price { amount currency } entitlement { active reason } }
    ${ERROR_FIELDS}
  }
}`;

describe('purchase', () => {
  it('reads a managed purchase with its states and the 3-day acknowledge deadline', async () => {
    const p = await purchase(g, { productId: 'gem_100', developerPayload: 'order-7', quantity: 3 });
    const answer = await g.gql(PURCHASE, { app: APP, ...p });
    expect(answer.status).toBe(200);
    expect(answer.data.purchase).toMatchObject({
      __typename: 'Purchase',
      store: 'ONESTORE',
      app: APP,
      kind: 'ONESTORE_MANAGED',
      productId: 'gem_100',
      purchaseToken: p.purchaseToken,
      purchaseId: p.purchaseId,
      quantity: 3,
      purchaseState: 'PURCHASED',
      consumptionState: 'NOT_CONSUMED',
      acknowledgementState: 'NOT_ACKNOWLEDGED',
      developerPayload: 'order-7',
      market: 'MKT_ONE',
      purchasedAt: new Date(p.purchaseTime).toISOString(),
      acknowledgeDeadline: new Date(p.purchaseTime + 3 * 86_400_000).toISOString(),
      entitlement: { active: true, reason: 'PURCHASED', expiresAt: null },
    });
  });

  it('an unknown token is NotFoundError (the store said NoSuchData)', async () => {
    const answer = await g.gql(PURCHASE, {
      app: APP,
      productId: 'gem_100',
      purchaseToken: 'NOSUCHTOKEN000000001',
    });
    expect(answer.data.purchase).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      errorStore: 'ONESTORE',
      storeCode: 'NoSuchData',
    });
  });
});

describe('subscription', () => {
  it('reads a subscription (구독형) with and without kind', async () => {
    const s = await purchase(g, {
      type: 'subscription',
      productId: 'pro',
      price: '4900',
      acknowledged: true,
    });
    await g.resetStats();
    const without = await g.gql(SUBSCRIPTION, purchaseVars(s));
    expect(without.data.subscription).toMatchObject({
      __typename: 'Subscription',
      kind: 'SUBSCRIPTION',
      status: 'ACTIVE',
      autoRenewing: true,
      acknowledgementState: 'ACKNOWLEDGED',
      price: { amount: '4900', currency: 'KRW' },
      startedAt: new Date(s.purchaseTime).toISOString(),
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
    const withKind = await g.gql(SUBSCRIPTION, { app: APP, ...s, kind: 'SUBSCRIPTION' });
    expect(withKind.data.subscription).toMatchObject({ __typename: 'Subscription', kind: 'SUBSCRIPTION' });
    expect(await upstreamCounts(g)).toMatchObject({ 'onestore.getSubscriptionDetail': 2 });
    expect(await g.count('onestore.getRecurringPurchaseDetails')).toBe(0);
  });

  it('reads a monthly token (월정액) with and without kind; without kind it falls back after NoSuchData', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true });
    await g.resetStats();
    const without = await g.gql(SUBSCRIPTION, purchaseVars(m));
    expect(without.data.subscription).toMatchObject({
      __typename: 'Subscription',
      kind: 'MONTHLY',
      status: 'ACTIVE',
      autoRenewing: true,
      price: null,
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
    expect(await g.count('onestore.getSubscriptionDetail')).toBe(1);
    expect(await g.count('onestore.getRecurringPurchaseDetails')).toBe(1);
    await g.resetStats();
    const withKind = await g.gql(SUBSCRIPTION, { app: APP, ...m, kind: 'MONTHLY' });
    expect(withKind.data.subscription).toMatchObject({ __typename: 'Subscription', kind: 'MONTHLY' });
    expect(await g.count('onestore.getSubscriptionDetail')).toBe(0);
    expect(await g.count('onestore.getRecurringPurchaseDetails')).toBe(1);
  });

  it('kind SUBSCRIPTION on a monthly token is NotFoundError, with no fallback', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip' });
    await g.resetStats();
    const answer = await g.gql(SUBSCRIPTION, { app: APP, ...m, kind: 'SUBSCRIPTION' });
    expect(answer.data.subscription).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await g.count('onestore.getRecurringPurchaseDetails')).toBe(0);
  });
});

describe('NHN Cloud: unconsumedPurchases, items, item', () => {
  it("lists a user's unconsumed payments with price and item", async () => {
    const itemSeq = gasSeq;
    const p1 = await nhnPayment(g, { itemSeq, price: '1200' });
    const p2 = await nhnPayment(g, { itemSeq, userKey: p1.userKey, price: '2400', currency: 'USD' });
    await nhnPayment(g, { itemSeq }); // another user's
    const answer = await g.gql(
      `query ($app: String!, $userKey: String!) {
        unconsumedPurchases(app: $app, userKey: $userKey) {
          __typename
          ... on UnconsumedPurchases { purchases { store kind paymentSeq itemSeq purchaseToken
            price { amount currency } entitlement { active reason } item { __typename ... on Item { name itemSeq } } } }
          ${ERROR_FIELDS}
        }
      }`,
      { app: APP, userKey: p1.userKey },
    );
    const purchases = list(answer.data, 'unconsumedPurchases', 'purchases');
    expect(purchases).toHaveLength(2);
    expect(purchases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          store: 'NHN_CLOUD',
          kind: 'NHN_CLOUD_PAYMENT',
          paymentSeq: p1.paymentSeq,
          itemSeq,
          purchaseToken: p1.purchaseToken,
          price: { amount: '1200', currency: 'KRW' },
          entitlement: { active: true, reason: 'UNCONSUMED_PAYMENT' },
          item: { __typename: 'Item', name: 'Gas can', itemSeq },
        }),
        expect.objectContaining({ paymentSeq: p2.paymentSeq, price: { amount: '2400', currency: 'USD' } }),
      ]),
    );
  });

  it('items lists the catalogue; item finds one by itemSeq and by marketItemId', async () => {
    const seq = crystalSeq;
    const items = await g.gql(
      `query ($app: String!) { items(app: $app) { __typename ... on ItemCatalog { items { itemSeq name marketItemId marketId inUse store app } } ${ERROR_FIELDS} } }`,
      { app: APP },
    );
    expect(list(items.data, 'items', 'items')).toContainEqual({
      itemSeq: seq,
      name: 'Crystal pack',
      marketItemId: 'crystal_pack',
      marketId: 'TS',
      inUse: true,
      store: 'NHN_CLOUD',
      app: APP,
    });
    const ITEM = `query ($app: String!, $itemSeq: String, $marketItemId: String) {
      item(app: $app, itemSeq: $itemSeq, marketItemId: $marketItemId) { __typename ... on Item { itemSeq name } ${ERROR_FIELDS} } }`;
    const bySeq = await g.gql(ITEM, { app: APP, itemSeq: seq });
    expect(bySeq.data.item).toEqual({ __typename: 'Item', itemSeq: seq, name: 'Crystal pack' });
    const byMarket = await g.gql(ITEM, { app: APP, marketItemId: 'crystal_pack' });
    expect(byMarket.data.item).toEqual({ __typename: 'Item', itemSeq: seq, name: 'Crystal pack' });
    const missing = await g.gql(ITEM, { app: APP, itemSeq: '99999999' });
    expect(missing.data.item).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const both = await g.gql(ITEM, { app: APP, itemSeq: seq, marketItemId: 'crystal_pack' });
    expect(both.data.item).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
  });
});

const CHECK = `query ($app: String!, $checks: [EntitlementCheckInput!]!) {
  checkEntitlements(app: $app, checks: $checks) {
    __typename
    ... on EntitlementCheckList { checks { index store kind productId paymentSeq active entitlement { reason }
      purchase { __typename ... on Purchase { purchaseToken } ${ERROR_FIELDS} }
      subscription { __typename ... on Subscription { kind status } ${ERROR_FIELDS} } } }
    ... on Error { code message } ... on InvalidInputError { field }
  }
}`;

describe('checkEntitlements', () => {
  it('checks ONE store purchases, subscriptions and NHN payments, each entry with its own outcome', async () => {
    const active = await purchase(g, { productId: 'gem_100' });
    const consumed = await purchase(g, { productId: 'gem_100', consumed: true });
    const voided = await purchase(g, { productId: 'gem_100', acknowledged: true });
    await act(g, voided.purchaseToken, 'void');
    const sub = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    const monthly = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true });
    const pay = await nhnPayment(g, { itemSeq: gasSeq });
    const checks = [
      { store: 'ONESTORE', productId: active.productId, purchaseToken: active.purchaseToken },
      { store: 'ONESTORE', productId: consumed.productId, purchaseToken: consumed.purchaseToken },
      { store: 'ONESTORE', productId: voided.productId, purchaseToken: voided.purchaseToken },
      { store: 'ONESTORE', kind: 'SUBSCRIPTION', productId: sub.productId, purchaseToken: sub.purchaseToken },
      {
        store: 'ONESTORE',
        kind: 'SUBSCRIPTION',
        productId: monthly.productId,
        purchaseToken: monthly.purchaseToken,
      },
      {
        store: 'NHN_CLOUD',
        paymentSeq: pay.paymentSeq,
        purchaseToken: pay.purchaseToken,
        userKey: pay.userKey,
      },
      // per-entry errors
      { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'NOSUCHTOKEN000000009' },
      { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'bad/token' },
      { store: 'NHN_CLOUD', paymentSeq: pay.paymentSeq, purchaseToken: 'wrongtoken', userKey: pay.userKey },
      { store: 'NHN_CLOUD', purchaseToken: pay.purchaseToken, userKey: pay.userKey },
    ];
    const answer = await g.gql(CHECK, { app: APP, checks });
    const out = list(answer.data, 'checkEntitlements', 'checks');
    expect(out.map((c) => (c as { index: number }).index)).toEqual(checks.map((_, i) => i));
    expect(out).toMatchObject([
      {
        active: true,
        entitlement: { reason: 'PURCHASED' },
        purchase: { __typename: 'Purchase' },
        subscription: null,
      },
      { active: false, entitlement: { reason: 'CONSUMED' }, purchase: { __typename: 'Purchase' } },
      { active: false, entitlement: { reason: 'CANCELLED' }, purchase: { __typename: 'Purchase' } },
      {
        kind: 'SUBSCRIPTION',
        active: true,
        purchase: null,
        subscription: { __typename: 'Subscription', kind: 'SUBSCRIPTION', status: 'ACTIVE' },
      },
      { active: true, subscription: { __typename: 'Subscription', kind: 'MONTHLY', status: 'ACTIVE' } },
      {
        store: 'NHN_CLOUD',
        paymentSeq: pay.paymentSeq,
        active: true,
        entitlement: { reason: 'UNCONSUMED_PAYMENT' },
        purchase: { __typename: 'Purchase', purchaseToken: pay.purchaseToken },
      },
      { active: false, entitlement: null, purchase: { __typename: 'NotFoundError', code: 'NOT_FOUND' } },
      {
        active: false,
        purchase: { __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'checks.7.purchaseToken' },
      },
      {
        active: false,
        purchase: { __typename: 'NotFoundError', code: 'NOT_FOUND', errorStore: 'NHN_CLOUD' },
      },
      { active: false, purchase: { __typename: 'InvalidInputError', field: 'checks.9.paymentSeq' } },
    ]);
  });

  it('more than 100 checks is InvalidInputError and reaches no store', async () => {
    const checks = Array.from({ length: 101 }, () => ({
      store: 'ONESTORE',
      productId: 'gem_100',
      purchaseToken: 'NOSUCHTOKEN000000001',
    }));
    await g.resetStats();
    const answer = await g.gql(CHECK, { app: APP, checks });
    expect(answer.data.checkEntitlements).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      field: 'checks',
    });
    expect(await upstreamCounts(g)).toEqual({});
  });
});
