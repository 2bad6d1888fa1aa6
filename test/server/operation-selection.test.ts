import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DemoGateways, startDemoGateways } from '../helpers/demo-gateway.js';

/**
 * A document with several operations (a saved `.graphql` file sent whole) runs the operation named
 * by `operationName`, every time, whatever the same document text ran before: graphql-jit's compiled
 * operations were cached per document alone, so the first name asked for won for good.
 */

const selection =
  '__typename ... on Purchase { purchaseToken productId consumptionState } ... on Error { code }';
const TEXT = `
query Fake { purchase(app: "demo", productId: "gem_500", purchaseToken: "DEMOINAPP00000000003") { ${selection} } }
query Real { purchase(app: "demo", productId: "gem_100", purchaseToken: "DEMOINAPP00000000001") { ${selection} } }
mutation Consume {
  consumePurchase(
    input: { app: "demo", onestore: { productId: "gem_100", purchaseToken: "DEMOINAPP00000000001", developerPayload: "order-1001" } }
  ) { __typename ... on ConsumePurchaseSuccess { purchase { consumptionState } } ... on Error { code } }
}
`;

let documents = 0;
/** The same operations in a document text never sent before (a comment differs), so no test sees another's caches. */
const fresh = () => `${TEXT}# ${++documents}\n`;

const real = (consumptionState: string) => ({
  data: {
    purchase: {
      __typename: 'Purchase',
      purchaseToken: 'DEMOINAPP00000000001',
      productId: 'gem_100',
      consumptionState,
    },
  },
});

let d: DemoGateways;
beforeAll(async () => {
  d = await startDemoGateways();
}, 60_000);
afterAll(async () => {
  await d.close();
});
beforeEach(async () => {
  await d.reset();
});

describe.each([
  ['jit on', true],
  ['jit off', false],
])('operation selection (%s)', (_, jit) => {
  const on = () => (jit ? d.jitOn : d.jitOff);

  it('query Real answers its own result after query Fake ran from the same document text', async () => {
    const DOCUMENT = fresh();
    const fake = await d.send(on(), { method: 'POST', query: DOCUMENT, operationName: 'Fake' });
    expect(fake.body).toEqual({
      data: {
        purchase: {
          __typename: 'Purchase',
          purchaseToken: 'DEMOINAPP00000000003',
          productId: 'gem_500',
          consumptionState: 'CONSUMED',
        },
      },
    });
    for (const method of ['POST', 'GET'] as const) {
      const answer = await d.send(on(), { method, query: DOCUMENT, operationName: 'Real' });
      expect(answer.status, method).toBe(200);
      expect(answer.body, method).toEqual(real('NOT_CONSUMED'));
    }
  });

  it('a GET of a query after a POST of a mutation from the same document never runs the mutation', async () => {
    const DOCUMENT = fresh();
    const consumed = await d.send(on(), { method: 'POST', query: DOCUMENT, operationName: 'Consume' });
    expect(consumed.body).toEqual({
      data: {
        consumePurchase: { __typename: 'ConsumePurchaseSuccess', purchase: { consumptionState: 'CONSUMED' } },
      },
    });
    expect(d.stateChanges()).toBe(1);
    // Attempts, whatever their answer: a stale token's 401 counts as one too.
    const attempts = d.upstream()['onestore.consumePurchase'];

    const read = await d.send(on(), { method: 'GET', query: DOCUMENT, operationName: 'Real' });
    expect(read.body).toEqual(real('CONSUMED'));
    const refused = await d.send(on(), { method: 'GET', query: DOCUMENT, operationName: 'Consume' });
    expect(refused.status).toBe(405);
    expect(d.upstream()['onestore.consumePurchase']).toBe(attempts);
    expect(d.stateChanges()).toBe(1);
  });

  it('counts each operation under the name and type of the operation that ran', async () => {
    const DOCUMENT = fresh();
    const before = await d.operationCounts(on());
    await d.send(on(), { method: 'POST', query: DOCUMENT, operationName: 'Consume' });
    await d.send(on(), { method: 'GET', query: DOCUMENT, operationName: 'Real' });
    await d.send(on(), { method: 'POST', query: DOCUMENT, operationName: 'Fake' });
    const after = await d.operationCounts(on());
    const delta = Object.fromEntries(
      Object.entries(after).flatMap(([k, v]) => (v === (before[k] ?? 0) ? [] : [[k, v - (before[k] ?? 0)]])),
    );
    expect(delta).toEqual({ 'Consume/mutation/ok': 1, 'Real/query/ok': 1, 'Fake/query/ok': 1 });
  });
});
