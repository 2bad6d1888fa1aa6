import { beforeAll, describe, expect, it } from 'vitest';
import { APP, act, ERROR_FIELDS, type Purchase, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/** Relay paging over the store's continuationKey pages: voidedPurchases and unconfirmedPurchases. */

const HOUR = 3_600_000;
const g = useGateway();
const unconfirmed: Purchase[] = [];
const voided: { p: Purchase; voidedAt: number }[] = [];

beforeAll(async () => {
  const start = g.now();
  // 7 unconfirmed purchases, one an hour apart, the oldest 10 hours ago.
  for (let i = 0; i < 7; i++) {
    unconfirmed.push(await purchase(g, { productId: `gem_${i}`, purchaseTime: start - (10 - i) * HOUR }));
  }
  // 6 voided purchases (acknowledged, so not unconfirmed), voided 10 minutes apart.
  for (let i = 0; i < 6; i++) {
    const p = await purchase(g, { productId: 'pass', acknowledged: true, purchaseTime: start - 20 * HOUR });
    const after = await act(g, p.purchaseToken, 'void');
    voided.push({ p, voidedAt: Number(after.voidedTime) });
    g.h.sandbox.clock.advance(10 * 60_000);
  }
});

const VOIDED = `query ($app: String!, $first: Int, $after: String, $since: DateTime, $until: DateTime) {
  voidedPurchases(app: $app, first: $first, after: $after, since: $since, until: $until) {
    __typename
    ... on VoidedPurchaseConnection { edges { cursor node { purchaseToken purchaseId purchasedAt voidedAt market } }
      pageInfo { hasNextPage hasPreviousPage endCursor } }
    ${ERROR_FIELDS}
  }
}`;

const UNCONFIRMED = `query ($app: String!, $first: Int, $after: String, $since: DateTime, $until: DateTime) {
  unconfirmedPurchases(app: $app, first: $first, after: $after, since: $since, until: $until) {
    __typename
    ... on PurchaseConnection { edges { cursor node { purchaseToken productId purchasedAt kind
      acknowledgementState entitlement { active } } }
      pageInfo { hasNextPage hasPreviousPage endCursor } }
    ${ERROR_FIELDS}
  }
}`;

interface Conn {
  edges: { cursor: string; node: Record<string, unknown> }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

/** Walks every page with `first`; returns the nodes and each page's hasNextPage. */
async function walk(
  query: string,
  field: string,
  vars: Record<string, unknown>,
): Promise<{ nodes: Record<string, unknown>[]; pages: boolean[] }> {
  const nodes: Record<string, unknown>[] = [];
  const pages: boolean[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const answer = await g.gql(query, { app: APP, ...vars, after });
    const conn = answer.data[field] as Conn & { __typename: string };
    expect(conn.__typename).toMatch(/Connection$/);
    expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
    nodes.push(...conn.edges.map((e) => e.node));
    pages.push(conn.pageInfo.hasNextPage);
    if (!conn.pageInfo.hasNextPage) return { nodes, pages };
    after = conn.pageInfo.endCursor;
    expect(after).toEqual(expect.any(String));
  }
  throw new Error('paging did not end');
}

describe('unconfirmedPurchases', () => {
  it('pages with first=3 across 3 store pages: every purchase exactly once, oldest first', async () => {
    await g.resetStats();
    const { nodes, pages } = await walk(UNCONFIRMED, 'unconfirmedPurchases', { first: 3 });
    expect(nodes.map((n) => n.purchaseToken)).toEqual(unconfirmed.map((p) => p.purchaseToken));
    expect(pages).toEqual([true, true, false]);
    expect(nodes[0]).toMatchObject({
      productId: 'gem_0',
      kind: 'ONESTORE_MANAGED',
      acknowledgementState: 'NOT_ACKNOWLEDGED',
      purchasedAt: new Date(unconfirmed[0]?.purchaseTime ?? 0).toISOString(),
      entitlement: { active: true },
    });
    expect(await g.count('onestore.getUnconfirmedPurchases')).toBe(3);
  });

  it('since/until select a window, kept in the cursor while paging', async () => {
    const from = unconfirmed[1]?.purchaseTime ?? 0;
    const to = unconfirmed[5]?.purchaseTime ?? 0;
    const { nodes, pages } = await walk(UNCONFIRMED, 'unconfirmedPurchases', {
      first: 2,
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
    });
    expect(nodes.map((n) => n.purchaseToken)).toEqual(unconfirmed.slice(1, 6).map((p) => p.purchaseToken));
    expect(pages).toEqual([true, true, false]);
  });

  it('a window argument outside the store rules is InvalidInputError naming it, with no store call', async () => {
    await g.resetStats();
    const future = await g.gql(UNCONFIRMED, { app: APP, until: new Date(g.now() + HOUR).toISOString() });
    expect(future.data.unconfirmedPurchases).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'until',
    });
    const old = await g.gql(UNCONFIRMED, {
      app: APP,
      since: new Date(g.now() - 40 * 86_400_000).toISOString(),
    });
    expect(old.data.unconfirmedPurchases).toMatchObject({ __typename: 'InvalidInputError', field: 'since' });
    const first = await g.gql(UNCONFIRMED, { app: APP, first: 0 });
    expect(first.data.unconfirmedPurchases).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'first',
    });
    expect(await upstreamCounts(g)).toEqual({});
  });
});

describe('voidedPurchases', () => {
  it('pages with first=4 across 2 store pages: every voided purchase exactly once, by voided time', async () => {
    const { nodes, pages } = await walk(VOIDED, 'voidedPurchases', { first: 4 });
    expect(nodes.map((n) => n.purchaseToken)).toEqual(voided.map((v) => v.p.purchaseToken));
    expect(pages).toEqual([true, false]);
    expect(nodes[2]).toEqual({
      purchaseToken: voided[2]?.p.purchaseToken,
      purchaseId: voided[2]?.p.purchaseId,
      purchasedAt: new Date(voided[2]?.p.purchaseTime ?? 0).toISOString(),
      voidedAt: new Date(voided[2]?.voidedAt ?? 0).toISOString(),
      market: 'MKT_ONE',
    });
  });

  it('first=1 pages one at a time; since/until select a window', async () => {
    const one = await walk(VOIDED, 'voidedPurchases', { first: 1 });
    expect(one.nodes.map((n) => n.purchaseToken)).toEqual(voided.map((v) => v.p.purchaseToken));
    expect(one.pages).toEqual([true, true, true, true, true, false]);
    const window = await walk(VOIDED, 'voidedPurchases', {
      first: 2,
      since: new Date(voided[2]?.voidedAt ?? 0).toISOString(),
      until: new Date(voided[4]?.voidedAt ?? 0).toISOString(),
    });
    expect(window.nodes.map((n) => n.purchaseToken)).toEqual(
      voided.slice(2, 5).map((v) => v.p.purchaseToken),
    );
  });

  it('a cursor the API did not give out is InvalidInputError (field after), with no store call', async () => {
    await g.resetStats();
    for (const after of ['garbage', '!!!', Buffer.from('[1,2]').toString('base64url'), '']) {
      const answer = await g.gql(VOIDED, { app: APP, first: 2, after: after || 'x' });
      expect(answer.data.voidedPurchases).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'after',
      });
    }
    expect(await upstreamCounts(g)).toEqual({});
  });
});
