import { beforeAll, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, nhnItem, nhnPayment } from '../helpers/gateway.js';
import { injectFault } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * Review of issue 24 point 3 for NHN Cloud: "the retry then says AlreadyConsumedError 'do not
 * deliver again'". The plain consumePurchase now answers UncertainOutcomeError ("read the purchase
 * again before you deliver or retry"), but NHN Cloud has no read of one payment: the user's
 * unconsumed list no longer shows it, which docs/redemption.md says proves nothing. A game backend
 * that then retries its own consume is told "consumed already; do not deliver again" and never
 * delivers what the player paid for. Neither answer tells it that its own consume went through.
 */

const g = useGateway({ clearFaults: true });
let itemSeq = '';
beforeAll(async () => {
  itemSeq = await nhnItem(g, { marketItemId: 'review3_retry' });
});

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ... on ConsumePurchaseSuccess { price { amount } } ${ERROR_FIELDS} }
}`;

it('NHN consume applied, answered 5000; the retry of the same consume never says "do not deliver again"', async () => {
  const pay = await nhnPayment(g, { itemSeq });
  const input = {
    app: APP,
    nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
  };
  await injectFault(g, 'nhncloud.consume', { phase: 'after', resultCode: 5000 });
  const first = (await g.gql(CONSUME, { input })).data.consumePurchase as { __typename: string };
  expect(first.__typename).toBe('UncertainOutcomeError');
  const retry = (await g.gql(CONSUME, { input })).data.consumePurchase as {
    __typename: string;
    message?: string;
  };
  // The consume that went through was this caller's own: it must not be told to withhold the item.
  expect(`${retry.__typename}: ${retry.message ?? ''}`).not.toContain('do not deliver again');
});
