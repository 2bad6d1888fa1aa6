import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/create-gateway.js';
import {
  type FakeListStore,
  type ListCall,
  listPage,
  startFakeListStore,
} from '../helpers/fake-onestore-lists.js';
import { ERROR_FIELDS } from '../helpers/gateway.js';
import { gatewayOver, gql, LOOP } from '../helpers/paging-gateway.js';

/**
 * Relay cursors over ONE store's lists (issue 24, point 1). `listPageBudget` counts store pages of the
 * store's size ("default 100, i.e. 10,000 voids"): every request asks the store for a whole page and
 * serves `first` entries of it, so a client following endCursor with `first: 10` reads as far as one
 * with `first: 100` (here the budget is 5, 500 voids, and the list 60: it is read whole). The endCursor
 * of a last store page of exactly 100 entries read with `first: 100` (skip 100) is a cursor the API
 * takes back. And a key the client would not send back ends the walk: no cursor carries it.
 */

const TOTAL = 60;

/** A store holding `total` voids that honours maxResults; its continuationKey is the next offset. */
const voids = (total: number) => (call: ListCall) => {
  const offset = call.continuationKey === null ? 0 : Number(call.continuationKey.slice(1));
  const size = call.maxResults ?? 100;
  const end = Math.min(total, offset + size);
  const at = 1_760_000_000_000;
  const list = Array.from({ length: end - offset }, (_, i) => ({
    purchaseId: `P${offset + i}`,
    purchaseTime: at,
    voidedTime: at + 1_000,
    purchaseToken: `T${offset + i}`,
    marketCode: 'MKT_ONE',
  }));
  return {
    status: 200,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({ ...(end < total && { continuationKey: `o${end}` }), voidedPurchaseList: list }),
  };
};

const QUERY = `query ($app: String!, $after: String) { voidedPurchases(app: $app, first: 10, after: $after) {
  __typename ... on VoidedPurchaseConnection { edges { node { purchaseId } } pageInfo { hasNextPage endCursor } }
  ${ERROR_FIELDS} } }`;

describe('a Relay walk with a small `first` and listPageBudget 5 (500 voids at the store page size)', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    store = await startFakeListStore(voids(TOTAL));
    ({ gateway } = gatewayOver(store, { listPageBudget: 5 }));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('reads all 60 voids (less than one store page of 100) by following endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let request = 0; request < 20; request++) {
      const page = (await gql(gateway, QUERY, { app: LOOP.app, after })).voidedPurchases as {
        __typename: string;
        edges?: { node: { purchaseId: string } }[];
        pageInfo?: { hasNextPage: boolean; endCursor: string | null };
      };
      expect(page, `request ${request + 1}, after ${seen.length} voids`).toMatchObject({
        __typename: 'VoidedPurchaseConnection',
      });
      seen.push(...(page.edges ?? []).map((e) => e.node.purchaseId));
      if (!page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(TOTAL);
    // A whole store page per request, its budget counted in those pages.
    expect(new Set(store.calls.map((c) => c.maxResults))).toEqual(new Set([100]));
  });
});

describe('a store page whose continuationKey the client would not send back', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    store = await startFakeListStore((call) => listPage(call.list, 'next page'));
    ({ gateway } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('is StoreProtocolError naming the endpoint: no cursor the API would then refuse', async () => {
    const page = (await gql(gateway, QUERY, { app: LOOP.app, after: null })).voidedPurchases;
    expect(page).toEqual({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
      message: 'The store answered onestore.getVoidedPurchases outside its documented protocol.',
      errorStore: 'ONESTORE',
      storeCode: 'CONTINUATION_KEY_REFUSED',
    });
    expect(store.calls).toHaveLength(1);
  });
});

describe('the endCursor of a last store page of exactly 100 entries, read with first: 100', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    store = await startFakeListStore(voids(100));
    ({ gateway } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('is a cursor the API takes back (a client resuming later from the end it reached)', async () => {
    const query = QUERY.replace('first: 10', 'first: 100');
    const page = (await gql(gateway, query, { app: LOOP.app, after: null })).voidedPurchases as {
      edges: unknown[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    expect(page.edges).toHaveLength(100);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const again = (await gql(gateway, query, { app: LOOP.app, after: page.pageInfo.endCursor }))
      .voidedPurchases;
    expect(again).toMatchObject({ __typename: 'VoidedPurchaseConnection' });
  });
});
