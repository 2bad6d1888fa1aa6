import { beforeAll, describe, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, nhnItem, nhnPayment, purchase, record } from '../helpers/gateway.js';
import { injectFault, onestoreConsume } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { sleep } from '../helpers/ledger.js';

/**
 * Issue 24, point 3: the plain mutations after a store answer that does not prove "nothing
 * changed" (a cut 200, 429, maintenance, NHN 5000 ...). The change may have been applied, so the
 * answer is never "nothing changed" (StoreUnavailableError) nor a plain protocol error the caller
 * would retry into AlreadyConsumedError: a ONE store consume is settled by reading the purchase
 * (consumed → success, as the read before the consume showed it unconsumed; cancelled and not
 * consumed → InvalidPurchaseStateError; otherwise UncertainOutcomeError),
 * every other change answers UncertainOutcomeError ("read it again before you deliver"). A read that
 * shows the purchase not consumed is no proof either: the consume may still be in flight.
 */

const g = useGateway({ clearFaults: true });
let itemSeq = '';
beforeAll(async () => {
  itemSeq = await nhnItem(g, { marketItemId: 'uncertain_gas' });
});

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) {
    __typename ... on ConsumePurchaseSuccess { purchase { consumptionState } price { amount } } ${ERROR_FIELDS}
  }
}`;
const ACK = `mutation ($input: AcknowledgePurchaseInput!) {
  acknowledgePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;
const CHANGE = (name: string, input: string) => `mutation ($input: ${input}!) {
  ${name}(input: $input) { __typename ... on SubscriptionChange { kind } ${ERROR_FIELDS} }
}`;
const CANCEL = CHANGE('cancelSubscription', 'SubscriptionTargetInput');
const DEFER = CHANGE('deferSubscription', 'DeferSubscriptionInput');

/** The store applies the change at `endpoint`, then answers as `answer` says. */
const appliedThen = (endpoint: string, answer: Record<string, unknown>) =>
  g.control('POST', '/faults', { endpoint, phase: 'after', count: 1, ...answer });

describe('ONE store consumePurchase: an answer that proves nothing is settled by reading the purchase', () => {
  it('consumed, answered a cut 200: success, the purchase read CONSUMED; no second consume', async () => {
    const p = await purchase(g);
    await appliedThen('onestore.consumePurchase', { cut: true });
    await g.resetStats();
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toEqual({
      __typename: 'ConsumePurchaseSuccess',
      purchase: { consumptionState: 'CONSUMED' },
      price: null,
    });
    expect(await g.count('onestore.consumePurchase')).toBe(1);
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
  });

  it('consumed, answered 429: success, never "nothing was changed"', async () => {
    const p = await purchase(g);
    await appliedThen('onestore.consumePurchase', { status: 429 });
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'ConsumePurchaseSuccess',
      purchase: { consumptionState: 'CONSUMED' },
    });
  });

  it('consumed, answered ServiceMaintenance, and the read refused too: UncertainOutcomeError', async () => {
    const p = await purchase(g);
    // The answer is held back until the read that follows it is refused too (the read before the
    // consume goes through: a refused read there is StoreUnavailableError, nothing sent).
    await appliedThen('onestore.consumePurchase', { code: 'ServiceMaintenance', latencyMs: 800 });
    const pending = g.gql(CONSUME, onestoreConsume(p));
    // The store has applied it (its answer is still held back).
    while ((await record(g, p.purchaseToken)).consumptionState !== 1) await sleep(10);
    await injectFault(g, 'onestore.getPurchaseDetails', { code: 'ServiceMaintenance', count: 10 });
    const answer = await pending;
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      code: 'UNCERTAIN_OUTCOME',
      errorStore: 'ONESTORE',
      storeCode: 'ServiceMaintenance',
    });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
  });

  it('not consumed, answered 429: UncertainOutcomeError, never "nothing changed" (a consume in flight may still land)', async () => {
    const p = await purchase(g);
    await injectFault(g, 'onestore.consumePurchase', { status: 429, retryAfterSeconds: 7 });
    await g.resetStats();
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      errorStore: 'ONESTORE',
      storeCode: 'HTTP_429',
    });
    // The read before the consume, and the one after its answer.
    expect(await g.count('onestore.getPurchaseDetails')).toBe(2);
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });

  it('not consumed, answered a cut 200: UncertainOutcomeError naming the endpoint and what came back', async () => {
    const p = await purchase(g);
    await injectFault(g, 'onestore.consumePurchase', { status: 200, cut: true });
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      errorStore: 'ONESTORE',
      storeCode: 'NOT_JSON',
    });
    expect(String((answer.data.consumePurchase as { message: string }).message)).toContain(
      'onestore.consumePurchase',
    );
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });

  it('refunded and not consumed, answered 429: InvalidPurchaseStateError (it can never be consumed)', async () => {
    const p = await purchase(g, { acknowledged: true });
    await g.control('POST', `/onestore/purchases/${p.purchaseToken}/void`, {});
    await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', status: 429, count: 1 });
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'InvalidPurchaseStateError',
      errorStore: 'ONESTORE',
      storeCode: 'HTTP_429',
    });
  });
});

describe('the other changes answer UncertainOutcomeError', () => {
  it('acknowledgePurchase applied, answered a cut 200', async () => {
    const p = await purchase(g);
    await appliedThen('onestore.acknowledgePurchase', { cut: true });
    const answer = await g.gql(ACK, {
      input: { app: APP, productId: p.productId, purchaseToken: p.purchaseToken },
    });
    expect(answer.data.acknowledgePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      errorStore: 'ONESTORE',
      storeCode: 'INVALID_JSON',
    });
    expect(await record(g, p.purchaseToken)).toMatchObject({ acknowledgeState: 1 });
  });

  it('cancelSubscription applied, answered 429; deferSubscription applied, answered ServiceMaintenance', async () => {
    const sub = await purchase(g, { type: 'subscription', productId: 'sub_monthly' });
    const target = { app: APP, productId: sub.productId, purchaseToken: sub.purchaseToken };
    await appliedThen('onestore.deferSubscription', { code: 'ServiceMaintenance' });
    const deferred = await g.gql(DEFER, { input: { ...target, deferPeriod: 3 } });
    expect(deferred.data.deferSubscription).toMatchObject({
      __typename: 'UncertainOutcomeError',
      storeCode: 'ServiceMaintenance',
    });
    await appliedThen('onestore.cancelSubscription', { status: 429 });
    const cancelled = await g.gql(CANCEL, { input: { ...target, kind: 'SUBSCRIPTION' } });
    expect(cancelled.data.cancelSubscription).toMatchObject({
      __typename: 'UncertainOutcomeError',
      storeCode: 'HTTP_429',
    });
    // Without a kind, an uncertain answer of the subscription endpoint never falls through to the monthly one.
    await appliedThen('onestore.cancelSubscription', { cut: true });
    await g.resetStats();
    const guessed = await g.gql(CANCEL, { input: target });
    expect(guessed.data.cancelSubscription).toMatchObject({ __typename: 'UncertainOutcomeError' });
    expect(await g.count('onestore.cancelRecurringPurchase')).toBe(0);
  });

  it.each([
    ['resultCode 5000', { resultCode: 5000 }, '5000'],
    ['resultCode 9999', { resultCode: 9999 }, '9999'],
    ['503 + Retry-After', { status: 503, retryAfterSeconds: 30 }, 'HTTP_503'],
    ['a cut 200', { cut: true }, 'INVALID_JSON'],
  ])('NHN Cloud consumePurchase applied, answered %s', async (_name, answer, storeCode) => {
    const pay = await nhnPayment(g, { itemSeq });
    await appliedThen('nhncloud.consume', answer);
    const consumed = await g.gql(CONSUME, {
      input: {
        app: APP,
        nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
      },
    });
    expect(consumed.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      code: 'UNCERTAIN_OUTCOME',
      errorStore: 'NHN_CLOUD',
      storeCode,
    });
  });
});
