import { expect, it } from 'vitest';
import { APP, ERROR_FIELDS, purchase, record } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * Review of issue 24 point 3 (`consumedAfterAll`): after an answer that proves nothing, a ONE store
 * consumePurchase that reads the purchase consumed answers success ("Consumed: deliver the item
 * now"). The read cannot tell who consumed it: a purchase consumed and delivered yesterday, whose
 * token is replayed today and meets a 429 (the store refused it, nothing changed), is answered
 * success, where the same replay without the 429 is AlreadyConsumedError "do not deliver again".
 * A game backend that follows docs/errors.md delivers twice.
 */

const g = useGateway({ clearFaults: true });

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;

it('a replay of a consumed purchase that meets a 429 is never answered ConsumePurchaseSuccess', async () => {
  const p = await purchase(g);
  const input = { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } };
  // Yesterday: consumed and delivered.
  const first = await g.gql(CONSUME, { input });
  expect(first.data.consumePurchase).toMatchObject({ __typename: 'ConsumePurchaseSuccess' });
  // The same token replayed, without a fault: "do not deliver again".
  const replay = await g.gql(CONSUME, { input });
  expect(replay.data.consumePurchase).toMatchObject({ __typename: 'AlreadyConsumedError' });
  // Replayed once more; the store is busy and refuses it before handling (nothing changes).
  await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', status: 429, count: 1 });
  const busy = await g.gql(CONSUME, { input });
  expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
  expect((busy.data.consumePurchase as { __typename: string }).__typename).not.toBe('ConsumePurchaseSuccess');
});
