import { describe, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, purchase, record } from '../helpers/gateway.js';
import { injectFault, onestoreConsume } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * ONE store answers InvalidConsumeState (409) both for "already consumed" and for "cannot be
 * changed": the gateway reads the purchase again before it says AlreadyConsumedError. (A purchase
 * the read before the consume shows consumed gets AlreadyConsumedError without a consume.)
 */

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} } }`;

const g = useGateway();

describe('consumePurchase and InvalidConsumeState', () => {
  it('a purchase that is not consumed but cannot be consumed gets InvalidPurchaseStateError, not AlreadyConsumedError', async () => {
    const p = await purchase(g);
    await injectFault(g, 'onestore.consumePurchase', { code: 'InvalidConsumeState' });
    await g.resetStats();
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'InvalidPurchaseStateError',
      code: 'INVALID_PURCHASE_STATE',
      errorStore: 'ONESTORE',
      storeCode: 'InvalidConsumeState',
    });
    // The read before the consume (not consumed), and the re-read that decided.
    expect(await g.count('onestore.getPurchaseDetails')).toBe(2);
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });

  it('a purchase that is consumed gets AlreadyConsumedError from the read before the consume: no consume sent', async () => {
    const p = await purchase(g, { consumed: true });
    await g.resetStats();
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'AlreadyConsumedError',
      code: 'ALREADY_CONSUMED',
      errorStore: 'ONESTORE',
      storeCode: null,
    });
    expect(await g.count('onestore.consumePurchase')).toBe(0);
    expect(await g.count('onestore.getPurchaseDetails')).toBe(1);
  });

  it('a consumed purchase replayed with another developerPayload: DeveloperPayloadMismatchError, no consume sent', async () => {
    const p = await purchase(g, { consumed: true, developerPayload: 'order-1' });
    await g.resetStats();
    const answer = await g.gql(CONSUME, {
      input: {
        app: APP,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken, developerPayload: 'order-2' },
      },
    });
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'DeveloperPayloadMismatchError',
      errorStore: 'ONESTORE',
    });
    expect(await g.count('onestore.consumePurchase')).toBe(0);
  });

  it('when the re-read fails the answer is that failure, never a guess', async () => {
    const p = await purchase(g);
    await injectFault(g, 'onestore.consumePurchase', { code: 'InvalidConsumeState' });
    await injectFault(g, 'onestore.getPurchaseDetails', { code: 'ServiceMaintenance', count: 10 });
    const answer = await g.gql(CONSUME, onestoreConsume(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'StoreUnavailableError',
      errorStore: 'ONESTORE',
    });
    await g.control('DELETE', '/faults');
  });
});
