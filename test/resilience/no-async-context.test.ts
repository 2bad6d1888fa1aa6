import { executionAsyncId } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';

/**
 * Whether promise hooks are on in this process: with them (an AsyncLocalStorage used once, an
 * async hook enabled), every promise gets an async id, so two continuations run under different
 * ids; without them both run under the id of whatever drains the microtask queue. Promise hooks
 * cost every promise of the process, so the request path must not turn them on while tracing is
 * off. This file runs in its own process (vitest's `forks` pool) and registers no tracer.
 */
async function promiseHooksOn(): Promise<boolean> {
  const first = await Promise.resolve().then(() => executionAsyncId());
  const second = await Promise.resolve().then(() => executionAsyncId());
  return first !== second;
}

const LOOKUP = `query Read($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ${ERROR_FIELDS}
  }
}`;
const CONSUME = `mutation Consume($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;

let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g?.close();
});

describe('the request path with tracing off', () => {
  it('turns on no promise hook: the request scope is passed, not kept in an async context', async () => {
    expect(await promiseHooksOn()).toBe(false);
    const p = await purchase(g);
    const lookup = await g.gql(LOOKUP, { app: APP, ...p });
    expect(lookup.data.purchase).toMatchObject({ __typename: 'Purchase' });
    const q = await purchase(g);
    const ref = { productId: q.productId, purchaseToken: q.purchaseToken };
    const consumed = await g.gql(CONSUME, { input: { app: APP, onestore: ref } });
    expect(consumed.data.consumePurchase).toMatchObject({ __typename: 'ConsumePurchaseSuccess' });
    const r = await purchase(g);
    const redeemed = await redeem(g, {
      app: APP,
      userId: 'player-1',
      onestore: { productId: r.productId, purchaseToken: r.purchaseToken },
    });
    expect(redeemed.__typename).toBe('RedeemPurchaseSuccess');
    expect(await promiseHooksOn()).toBe(false);
  });
});
