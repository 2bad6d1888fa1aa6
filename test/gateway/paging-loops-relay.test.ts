import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/create-gateway.js';
import {
  type FakeListStore,
  type ListCall,
  listPage,
  startFakeListStore,
} from '../helpers/fake-onestore-lists.js';
import { ERROR_FIELDS } from '../helpers/gateway.js';
import {
  documentAnswers,
  ENDPOINT,
  gatewayOver,
  gql,
  LOOP,
  loopError,
  metric,
} from '../helpers/paging-gateway.js';

/**
 * Issue 24, point 1, the Relay lists: `voidedPurchases` and `unconfirmedPurchases` over the ONE store
 * document's example answers (`"continuationKey": "continuationKey"`, byte for byte) and over stores
 * that repeat an older key or never end. Each cursor carries its walk, so a key the walk was given
 * in any earlier request ends it with StoreProtocolError (CONTINUATION_LOOP) naming the endpoint, and
 * a walk past listPageBudget is refused before any store call. (NHN Cloud's and Gamebase's
 * unconsumed lists answer in one piece, with no key to repeat: they have no walk.)
 */

const LIST = (field: 'voidedPurchases' | 'unconfirmedPurchases', connection: string) => `
  query ($app: String!, $after: String) { ${field}(app: $app, first: 50, after: $after) { __typename
    ... on ${connection} { edges { cursor } pageInfo { hasNextPage endCursor } } ${ERROR_FIELDS} } }`;

describe('Relay lists over a store that repeats a continuationKey', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    store = await startFakeListStore(documentAnswers);
    ({ gateway } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });
  afterEach(() => {
    store.calls.length = 0;
    store.answering = documentAnswers;
  });

  /** Follows endCursor until the list ends or errs, at most `max` pages; answers every page's result. */
  async function walk(field: 'voidedPurchases' | 'unconfirmedPurchases', max = 10) {
    const connection = field === 'voidedPurchases' ? 'VoidedPurchaseConnection' : 'PurchaseConnection';
    const pages: Record<string, unknown>[] = [];
    let after: string | null = null;
    for (let i = 0; i < max; i++) {
      const page = (await gql(gateway, LIST(field, connection), { app: LOOP.app, after }))[field] as {
        __typename: string;
        pageInfo?: { hasNextPage: boolean; endCursor: string | null };
      };
      pages.push(page);
      if (page.__typename !== connection || !page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return pages;
  }

  for (const [field, list, endpoint] of [
    ['voidedPurchases', 'voided-purchases', 'onestore.getVoidedPurchases'],
    ['unconfirmedPurchases', 'unconfirmed-purchases', 'onestore.getUnconfirmedPurchases'],
  ] as const) {
    it(`${field}: the document example's second page is StoreProtocolError naming ${endpoint}`, async () => {
      const pages = await walk(field);
      expect(pages).toHaveLength(2);
      expect(pages[0]).toMatchObject({ pageInfo: { hasNextPage: true } });
      expect(pages[1]).toEqual(loopError(endpoint));
      expect(store.of(LOOP.clientId, 'MKT_ONE', list).map((c) => c.continuationKey)).toEqual([
        null,
        'continuationKey',
      ]);
    });

    it(`${field}: a key seen two pages before (A, B, A) ends the walk too`, async () => {
      const next: Record<string, string> = { '': 'key-A', 'key-A': 'key-B', 'key-B': 'key-A' };
      store.answering = (call) => listPage(call.list, next[call.continuationKey ?? ''] ?? null);
      const pages = await walk(field);
      expect(pages.map((p) => p.__typename).at(-1)).toBe('StoreProtocolError');
      expect(pages.at(-1)).toEqual(loopError(endpoint));
      expect(store.of(LOOP.clientId, 'MKT_ONE', list).map((c) => c.continuationKey)).toEqual([
        null,
        'key-A',
        'key-B',
      ]);
    });
  }
});

describe('Relay lists: a page budget per walk (listPageBudget)', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  const chain = (call: ListCall) => {
    const n = call.continuationKey === null ? 0 : Number(call.continuationKey.slice(1));
    return listPage(call.list, `k${n + 1}`);
  };
  beforeAll(async () => {
    store = await startFakeListStore(chain);
    ({ gateway } = gatewayOver(store, { listPageBudget: 2 }));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('the page past the budget is refused before any store call, naming `after`', async () => {
    const query = LIST('voidedPurchases', 'VoidedPurchaseConnection');
    let after: string | null = null;
    for (let i = 0; i < 2; i++) {
      const page = (await gql(gateway, query, { app: LOOP.app, after })).voidedPurchases as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      expect(page.pageInfo.hasNextPage).toBe(true);
      after = page.pageInfo.endCursor;
    }
    const past = (await gql(gateway, query, { app: LOOP.app, after })).voidedPurchases;
    expect(past).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'after' });
    expect(store.calls.map((c) => c.continuationKey)).toEqual([null, 'k1']);
    expect(
      await metric(
        gateway,
        'gateway_store_paging_budget_spent_total',
        `store="onestore",endpoint="${ENDPOINT}"`,
      ),
    ).toBe(1);
  });

  it('a cursor given out before cursors carried the walk still pages on', async () => {
    store.calls.length = 0;
    const old = Buffer.from(JSON.stringify(['k1', 0, null, null])).toString('base64url');
    const page = (
      await gql(gateway, LIST('voidedPurchases', 'VoidedPurchaseConnection'), { app: LOOP.app, after: old })
    ).voidedPurchases;
    expect(page).toMatchObject({ __typename: 'VoidedPurchaseConnection', pageInfo: { hasNextPage: true } });
    expect(store.calls.map((c) => c.continuationKey)).toEqual(['k1']);
  });
});

describe('Relay lists: a store page with no entries but a continuationKey', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    // Page 1: nothing yet, more to come; page 2: one entry, the last page.
    store = await startFakeListStore((call) =>
      call.continuationKey === null ? listPage(call.list, 'k1', 0) : listPage(call.list, null, 1),
    );
    ({ gateway } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it("hands out the next page's cursor, so the walk goes on instead of starting again", async () => {
    const query = LIST('voidedPurchases', 'VoidedPurchaseConnection');
    const first = (await gql(gateway, query, { app: LOOP.app, after: null })).voidedPurchases as {
      edges: unknown[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    expect(first).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
    });
    const second = (await gql(gateway, query, { app: LOOP.app, after: first.pageInfo.endCursor }))
      .voidedPurchases;
    expect(second).toMatchObject({ edges: [{}], pageInfo: { hasNextPage: false } });
    expect(store.calls.map((c) => c.continuationKey)).toEqual([null, 'k1']);
  });
});
