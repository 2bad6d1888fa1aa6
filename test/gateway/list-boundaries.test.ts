import { beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_TOLERANCE_MS, monthBefore } from '../../src/graphql/validate.js';
import type { ListCall } from '../helpers/fake-onestore-lists.js';
import { APP, ERROR_FIELDS } from '../helpers/gateway.js';
import { useListGateway } from '../helpers/gateway-fake-lists.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { gql, LOOP } from '../helpers/paging-gateway.js';

/**
 * Valid values at the edge of every list argument are taken, and the store is asked: the refusals
 * have their property test (test/gateway/input-property.test.ts); this is the other side of each
 * rule. `since` / `until` over the sandbox, which applies the document's window rules (startTime at
 * most one month back, endTime not after now) to what the gateway sends; `after` over a fake store
 * that holds exactly one full page.
 */

const MINUTE = 60_000;
const LISTS = [
  ['voidedPurchases', 'VoidedPurchaseConnection', 'onestore.getVoidedPurchases'],
  ['unconfirmedPurchases', 'PurchaseConnection', 'onestore.getUnconfirmedPurchases'],
] as const;

const iso = (ms: number) => new Date(ms).toISOString();
const listQuery = (field: string, args: string) =>
  `{ ${field}(app: "${APP}", ${args}) { __typename ${ERROR_FIELDS} } }`;

describe('list windows and page sizes at their edges (sandbox store)', () => {
  const g = useGateway();
  beforeEach(async () => {
    await g.resetStats();
  });

  /** Each case: the arguments, computed from the gateway's clock when the request is made. */
  const valid: [string, (now: number) => string][] = [
    ['since exactly one month back', (now) => `since: "${iso(monthBefore(new Date(now)).getTime())}"`],
    [
      'since one month back, computed 1 s before',
      (now) => `since: "${iso(monthBefore(new Date(now - 1_000)).getTime())}"`,
    ],
    [
      'since 10 s inside the tolerance before the month',
      (now) => `since: "${iso(monthBefore(new Date(now)).getTime() - CLOCK_SKEW_TOLERANCE_MS + 10_000)}"`,
    ],
    ['since now', (now) => `since: "${iso(now)}"`],
    ['since now + 2 s (a backend clock ahead)', (now) => `since: "${iso(now + 2_000)}"`],
    ['until now', (now) => `until: "${iso(now)}"`],
    ['until now + 2 s (a backend clock ahead)', (now) => `until: "${iso(now + 2_000)}"`],
    [
      'until 10 s inside the tolerance ahead',
      (now) => `until: "${iso(now + CLOCK_SKEW_TOLERANCE_MS - 10_000)}"`,
    ],
    ['until exactly one month back', (now) => `until: "${iso(monthBefore(new Date(now)).getTime())}"`],
    [
      'the whole month: since one month back, until now + 2 s',
      (now) => `since: "${iso(monthBefore(new Date(now)).getTime())}", until: "${iso(now + 2_000)}"`,
    ],
    ['since = until = now', (now) => `since: "${iso(now)}", until: "${iso(now)}"`],
    ['first: 1', () => 'first: 1'],
    ['first: 100 (MAX_PAGE)', () => 'first: 100'],
  ];

  for (const [field, connection, endpoint] of LISTS) {
    it.each(valid)(`${field}: %s is taken and the store asked once`, async (_name, args) => {
      const answer = await g.gql(listQuery(field, args(g.now())));
      expect(answer.data[field]).toEqual({ __typename: connection });
      expect(await g.count(endpoint)).toBe(1);
    });

    it.each([
      [
        'since beyond the tolerance ahead',
        (now: number) => `since: "${iso(now + CLOCK_SKEW_TOLERANCE_MS + 10_000)}"`,
      ],
      [
        'until beyond the tolerance ahead',
        (now: number) => `until: "${iso(now + CLOCK_SKEW_TOLERANCE_MS + 10_000)}"`,
      ],
      [
        'since beyond the tolerance before the month',
        (now: number) =>
          `since: "${iso(monthBefore(new Date(now)).getTime() - CLOCK_SKEW_TOLERANCE_MS - 10_000)}"`,
      ],
    ])(`${field}: %s is refused with no store call`, async (_name, args) => {
      const answer = await g.gql(listQuery(field, args(g.now())));
      expect(answer.data[field]).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
      expect(await g.count(endpoint)).toBe(0);
    });
  }

  const revoked = (args: string) =>
    `{ revokedGrants(app: "${APP}", ${args}) { __typename ... on InvalidInputError { field message } } }`;
  it.each([
    ['since now + 2 s', (now: number) => `since: "${iso(now + 2_000)}"`],
    [
      'since 10 s inside the tolerance ahead',
      (now: number) => `since: "${iso(now + CLOCK_SKEW_TOLERANCE_MS - 10_000)}"`,
    ],
    ['since now', (now: number) => `since: "${iso(now)}"`],
    ['since the epoch', () => 'since: "1970-01-01T00:00:00Z"'],
    ['first: 1', (now: number) => `since: "${iso(now - MINUTE)}", first: 1`],
    ['first: 100 (MAX_PAGE)', (now: number) => `since: "${iso(now - MINUTE)}", first: 100`],
  ])('revokedGrants: %s is a page (a ledger read, no store asked)', async (_name, args) => {
    const answer = await g.gql(revoked(args(g.now())));
    expect(answer.data.revokedGrants).toEqual({ __typename: 'GrantConnection' });
  });

  it('revokedGrants: since beyond the tolerance ahead is refused', async () => {
    const answer = await g.gql(revoked(`since: "${iso(g.now() + CLOCK_SKEW_TOLERANCE_MS + 10_000)}"`));
    expect(answer.data.revokedGrants).toMatchObject({ __typename: 'InvalidInputError', field: 'since' });
  });
});

describe('after at its edges (a store holding exactly one full page of 100 voids)', () => {
  const at = 1_760_000_000_000;
  const hundred = (_call: ListCall) => ({
    status: 200,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({
      voidedPurchaseList: Array.from({ length: 100 }, (_, i) => ({
        purchaseId: `P${i}`,
        purchaseTime: at,
        voidedTime: at + 1_000,
        purchaseToken: `T${i}`,
        marketCode: 'MKT_ONE',
      })),
    }),
  });
  const QUERY = `query ($after: String, $first: Int) { voidedPurchases(app: "${LOOP.app}", first: $first, after: $after) {
    __typename ... on VoidedPurchaseConnection { edges { cursor node { purchaseId } } pageInfo { hasNextPage endCursor } }
    ${ERROR_FIELDS} } }`;
  type Page = {
    __typename: string;
    edges: { cursor: string; node: { purchaseId: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  const page = async (variables: object) =>
    (await gql(listed.gateway, QUERY, variables)).voidedPurchases as Page;

  const listed = useListGateway(hundred);
  beforeEach(() => {
    listed.store.calls.length = 0;
  });

  it("the last page's endCursor (skip 100) is taken: an empty last page, the store asked", async () => {
    const full = await page({ first: 100 });
    expect(full.edges).toHaveLength(100);
    expect(full.pageInfo.hasNextPage).toBe(false);
    const after = await page({ first: 1, after: full.pageInfo.endCursor });
    expect(after).toMatchObject({
      __typename: 'VoidedPurchaseConnection',
      edges: [],
      pageInfo: { hasNextPage: false },
    });
    expect(listed.store.calls).toHaveLength(2);
  });

  it("the cursor of the page's first and 99th edges are taken, with first: 1 and first: 100", async () => {
    const full = await page({ first: 100 });
    const [first, , , , , , , , , , ...rest] = full.edges;
    const ninetyNinth = rest.at(-2);
    expect((await page({ first: 100, after: first?.cursor })).edges).toHaveLength(99);
    expect(
      (await page({ first: 1, after: ninetyNinth?.cursor })).edges.map((e) => e.node.purchaseId),
    ).toEqual(['P99']);
    // Every request asks the store for a whole page, whatever `first` is.
    expect(listed.store.calls.map((c) => c.maxResults)).toEqual([100, 100, 100]);
  });
});
