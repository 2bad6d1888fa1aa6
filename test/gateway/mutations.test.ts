import { beforeAll, describe, expect, it } from 'vitest';
import { APP, act, ERROR_FIELDS, nhnItem, nhnPayment, purchase, record } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

const g = useGateway();
let itemSeq = '';
beforeAll(async () => {
  itemSeq = await nhnItem(g, { itemName: 'Gas can', marketItemId: 'gas_can' });
});

const ACK = `mutation ($input: AcknowledgePurchaseInput!) {
  acknowledgePurchase(input: $input) {
    __typename
    ... on AcknowledgePurchaseSuccess {
      purchase { acknowledgementState consumptionState entitlement { active reason } }
      subscription { kind acknowledgementState status }
    }
    ${ERROR_FIELDS}
  }
}`;

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) {
    __typename
    ... on ConsumePurchaseSuccess { purchase { consumptionState acknowledgementState entitlement { active reason } } price { amount currency } }
    ${ERROR_FIELDS}
  }
}`;

const CHANGE = (name: string, input: string) => `mutation ($input: ${input}!) {
  ${name}(input: $input) {
    __typename
    ... on SubscriptionChange { kind subscription { kind status autoRenewing expiresAt nextPaymentAt entitlement { active reason } } }
    ${ERROR_FIELDS}
  }
}`;
const CANCEL = CHANGE('cancelSubscription', 'SubscriptionTargetInput');
const REACTIVATE = CHANGE('reactivateSubscription', 'SubscriptionTargetInput');
const DEFER = CHANGE('deferSubscription', 'DeferSubscriptionInput');

describe('acknowledgePurchase', () => {
  it('acknowledges a managed purchase; acknowledging twice succeeds', async () => {
    const p = await purchase(g, { developerPayload: 'order-1' });
    const input = {
      app: APP,
      productId: p.productId,
      purchaseToken: p.purchaseToken,
      developerPayload: 'order-1',
    };
    for (let i = 0; i < 2; i++) {
      const answer = await g.gql(ACK, { input });
      expect(answer.data.acknowledgePurchase).toEqual({
        __typename: 'AcknowledgePurchaseSuccess',
        purchase: {
          acknowledgementState: 'ACKNOWLEDGED',
          consumptionState: 'NOT_CONSUMED',
          entitlement: { active: true, reason: 'PURCHASED' },
        },
        subscription: null,
      });
    }
    expect(await record(g, p.purchaseToken)).toMatchObject({ acknowledgeState: 1, consumptionState: 0 });
  });

  it('acknowledges a monthly purchase; the payload carries the subscription', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip' });
    const input = { app: APP, productId: m.productId, purchaseToken: m.purchaseToken };
    for (let i = 0; i < 2; i++) {
      const answer = await g.gql(ACK, { input });
      expect(answer.data.acknowledgePurchase).toMatchObject({
        __typename: 'AcknowledgePurchaseSuccess',
        subscription: { kind: 'MONTHLY', acknowledgementState: 'ACKNOWLEDGED', status: 'ACTIVE' },
      });
    }
    expect(await record(g, m.purchaseToken)).toMatchObject({ acknowledgeState: 1 });
  });
});

describe('consumePurchase', () => {
  it('ONE store: consumes, and a second consume is AlreadyConsumedError', async () => {
    const p = await purchase(g, { developerPayload: 'order-2' });
    const input = {
      app: APP,
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken, developerPayload: 'order-2' },
    };
    const first = await g.gql(CONSUME, { input });
    expect(first.data.consumePurchase).toEqual({
      __typename: 'ConsumePurchaseSuccess',
      purchase: {
        consumptionState: 'CONSUMED',
        acknowledgementState: 'ACKNOWLEDGED',
        entitlement: { active: false, reason: 'CONSUMED' },
      },
      price: null,
    });
    const second = await g.gql(CONSUME, { input });
    // Read consumed before any consume is sent: no store code said it.
    expect(second.data.consumePurchase).toMatchObject({
      __typename: 'AlreadyConsumedError',
      code: 'ALREADY_CONSUMED',
      errorStore: 'ONESTORE',
      storeCode: null,
    });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
  });

  it('NHN Cloud: consumes with the price, leaves the unconsumed list; again is AlreadyConsumedError', async () => {
    const pay = await nhnPayment(g, { itemSeq, price: '3300' });
    const input = {
      app: APP,
      nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
    };
    const first = await g.gql(CONSUME, { input });
    expect(first.data.consumePurchase).toEqual({
      __typename: 'ConsumePurchaseSuccess',
      purchase: null,
      price: { amount: '3300', currency: 'KRW' },
    });
    const second = await g.gql(CONSUME, { input });
    expect(second.data.consumePurchase).toMatchObject({
      __typename: 'AlreadyConsumedError',
      code: 'ALREADY_CONSUMED',
      errorStore: 'NHN_CLOUD',
      storeCode: '5018',
    });
    const listed = await g.gql(
      `query ($userKey: String!) { unconsumedPurchases(app: "${APP}", userKey: $userKey) { ... on UnconsumedPurchases { purchases { paymentSeq } } } }`,
      { userKey: pay.userKey },
    );
    expect(listed.data.unconsumedPurchases).toEqual({ purchases: [] });
  });

  it('neither or both of onestore and nhncloud is InvalidInputError', async () => {
    const answer = await g.gql(CONSUME, { input: { app: APP } });
    expect(answer.data.consumePurchase).toMatchObject({ __typename: 'InvalidInputError', field: 'input' });
  });
});

describe('cancelSubscription / reactivateSubscription', () => {
  it('subscription (구독형), with kind and without: cancel reserves, reactivate undoes', async () => {
    for (const kind of ['SUBSCRIPTION', null]) {
      const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
      const input = { app: APP, productId: s.productId, purchaseToken: s.purchaseToken, kind };
      const cancelled = await g.gql(CANCEL, { input });
      expect(cancelled.data.cancelSubscription).toMatchObject({
        __typename: 'SubscriptionChange',
        kind: 'SUBSCRIPTION',
        subscription: {
          status: 'CANCEL_RESERVED',
          autoRenewing: false,
          entitlement: { active: true, reason: 'CANCEL_RESERVED' },
        },
      });
      expect(await record(g, s.purchaseToken)).toMatchObject({ status: 'cancelReserved' });
      const reactivated = await g.gql(REACTIVATE, { input });
      expect(reactivated.data.reactivateSubscription).toMatchObject({
        __typename: 'SubscriptionChange',
        kind: 'SUBSCRIPTION',
        subscription: { status: 'ACTIVE', autoRenewing: true },
      });
      expect(await record(g, s.purchaseToken)).toMatchObject({ status: 'active' });
    }
  });

  it('monthly (월정액), with kind and without: cancelRecurringPurchase / reactivateRecurringPurchase', async () => {
    for (const kind of ['MONTHLY', null]) {
      const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true });
      const input = { app: APP, productId: m.productId, purchaseToken: m.purchaseToken, kind };
      await g.resetStats();
      const cancelled = await g.gql(CANCEL, { input });
      expect(cancelled.data.cancelSubscription).toMatchObject({
        __typename: 'SubscriptionChange',
        kind: 'MONTHLY',
        subscription: {
          kind: 'MONTHLY',
          status: 'CANCEL_RESERVED',
          autoRenewing: false,
          nextPaymentAt: null,
        },
      });
      expect(await g.count('onestore.cancelRecurringPurchase')).toBe(1);
      // Without a kind the subscription endpoint is tried first and answers NoSuchData.
      expect(await g.count('onestore.cancelSubscription')).toBe(kind ? 0 : 1);
      expect(await record(g, m.purchaseToken)).toMatchObject({ autoRenewing: false });
      const reactivated = await g.gql(REACTIVATE, { input });
      expect(reactivated.data.reactivateSubscription).toMatchObject({
        kind: 'MONTHLY',
        subscription: { status: 'ACTIVE', autoRenewing: true },
      });
      expect(await record(g, m.purchaseToken)).toMatchObject({ autoRenewing: true });
    }
  });

  it('reactivating an immediately cancelled subscription is InvalidPurchaseStateError', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    await act(g, s.purchaseToken, 'grace');
    const input = { app: APP, productId: s.productId, purchaseToken: s.purchaseToken, kind: 'SUBSCRIPTION' };
    const cancelled = await g.gql(CANCEL, { input });
    expect(cancelled.data.cancelSubscription).toMatchObject({ subscription: { status: 'CANCELLED' } });
    const answer = await g.gql(REACTIVATE, { input });
    expect(answer.data.reactivateSubscription).toMatchObject({
      __typename: 'InvalidPurchaseStateError',
      code: 'INVALID_PURCHASE_STATE',
      storeCode: 'InvalidPurchaseState',
    });
  });
});

describe('deferSubscription', () => {
  it('moves the expiry by N minutes in the sandbox (the store sandbox counts deferPeriod in minutes)', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
    const before = Number((await record(g, s.purchaseToken)).expiryTime);
    const answer = await g.gql(DEFER, {
      input: { app: APP, productId: s.productId, purchaseToken: s.purchaseToken, deferPeriod: 15 },
    });
    expect(answer.data.deferSubscription).toMatchObject({
      __typename: 'SubscriptionChange',
      kind: 'SUBSCRIPTION',
      subscription: { status: 'ACTIVE', expiresAt: new Date(before + 15 * 60_000).toISOString() },
    });
    expect(Number((await record(g, s.purchaseToken)).expiryTime)).toBe(before + 15 * 60_000);
  });

  it('a monthly token is NotFoundError; deferPeriod out of 1-365 is InvalidInputError', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true });
    const input = { app: APP, productId: m.productId, purchaseToken: m.purchaseToken, deferPeriod: 5 };
    const monthly = await g.gql(DEFER, { input });
    expect(monthly.data.deferSubscription).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
      storeCode: 'NoSuchData',
    });
    const zero = await g.gql(DEFER, { input: { ...input, deferPeriod: 0 } });
    expect(zero.data.deferSubscription).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.deferPeriod',
    });
  });
});
