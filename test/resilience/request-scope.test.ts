import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoreLogger } from '../../src/stores/index.js';
import { APP, ERROR_FIELDS, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';

/**
 * The request's scope (deadline, id) reaches store calls by explicit passing, not by an async
 * context: these cover the paths where it is handed on by something other than a resolver's own
 * call (a DataLoader batch, a mutation, the redemption service, the shared token request). The
 * request deadline is far below the upstream one and the injected latency lies between them, so
 * the answer's type alone says which deadline cut the call (with the upstream one, each would
 * succeed late): no timing is asserted.
 */
const REQUEST_DEADLINE_MS = 300;
const LATENCY_MS = 1_500;

const TWO_PURCHASES = `query Two($app: String!, $a: String!, $b: String!, $productId: String!) {
  a: purchase(app: $app, productId: $productId, purchaseToken: $a) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
  b: purchase(app: $app, productId: $productId, purchaseToken: $b) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
}`;
const CONSUME = `mutation Consume($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;

const lines: Record<string, unknown>[] = [];
const logger: StoreLogger = { debug: (obj) => lines.push(obj), warn: (obj) => lines.push(obj) };
let g: GatewayHarness;

beforeAll(async () => {
  g = await startGateway({
    config: { requestDeadlineMs: REQUEST_DEADLINE_MS, upstreamDeadlineMs: 20_000 },
    gatewayOptions: { logger },
  });
});
beforeEach(async () => {
  await g.control('DELETE', '/faults');
  lines.length = 0;
});
afterAll(async () => {
  await g?.close();
});

/** Two purchases of one product: two keys of one DataLoader batch. */
async function twoPurchases() {
  const a = await purchase(g);
  const b = await purchase(g, { productId: a.productId });
  return { app: APP, productId: a.productId, a: a.purchaseToken, b: b.purchaseToken };
}

async function post(query: string, variables: object, requestId: string) {
  const response = await fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${g.keys.rw}`,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, { __typename: string }> };
}

describe('the request deadline bounds', () => {
  it('the upstream calls of a DataLoader batch', async () => {
    const vars = await twoPurchases();
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', latencyMs: LATENCY_MS });
    const answer = await g.gql(TWO_PURCHASES, vars);
    expect(answer.data.a).toMatchObject({ __typename: 'StoreUnavailableError' });
    expect(answer.data.b).toMatchObject({ __typename: 'StoreUnavailableError' });
  });

  it("a mutation's state change (an uncertain outcome)", async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', latencyMs: LATENCY_MS });
    const answer = await g.gql(CONSUME, {
      input: { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
    });
    expect(answer.data.consumePurchase).toMatchObject({ __typename: 'UncertainOutcomeError' });
  });

  it("redeemPurchase's store read", async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', latencyMs: LATENCY_MS });
    const answer = await redeem(g, {
      app: APP,
      userId: 'player-1',
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
    });
    expect(answer.__typename).toBe('StoreUnavailableError');
  });
});

describe('the request id', () => {
  it('is on the store log lines of every call of a DataLoader batch', async () => {
    const vars = await twoPurchases();
    const answer = await post(TWO_PURCHASES, vars, 'req-batch');
    expect(answer.data.a?.__typename).toBe('Purchase');
    expect(answer.data.b?.__typename).toBe('Purchase');
    const reads = lines.filter((l) => l.endpoint === 'onestore.getPurchaseDetails');
    expect(reads).toHaveLength(2);
    expect(reads.map((l) => l.requestId)).toEqual(['req-batch', 'req-batch']);
  });
});

describe('the shared token request', () => {
  it('started by a request whose deadline passes, still completes and serves the next request', async () => {
    // A gateway of its own: its token cache is empty, so the first lookup starts the token request.
    const fresh = await startGateway({
      config: { requestDeadlineMs: REQUEST_DEADLINE_MS, upstreamDeadlineMs: 20_000 },
    });
    try {
      const p = await purchase(fresh);
      const vars = { app: APP, productId: p.productId, a: p.purchaseToken, b: p.purchaseToken };
      await fresh.resetStats();
      await fresh.control('POST', '/faults', { endpoint: 'onestore.token', latencyMs: LATENCY_MS });
      // The token arrives after this request's deadline: the request fails, the token request does not.
      const late = await fresh.gql(TWO_PURCHASES, vars);
      expect(late.data.a).toMatchObject({ __typename: 'StoreUnavailableError' });
      // Still delayed: a second token request would fail this request too; the first one's token serves it.
      const next = await fresh.gql(TWO_PURCHASES, vars);
      expect(next.data.a).toMatchObject({ __typename: 'Purchase' });
      expect((await fresh.h.stats()).endpoints['onestore.token']?.total).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
