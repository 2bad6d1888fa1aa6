import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  type App,
  arr,
  buy,
  call,
  createApp,
  DAY_MS,
  expectError,
  expectSuccess,
  HOUR_MS,
  KST_MS,
  type Market,
  obj,
  pathOf,
  signedInApp,
  tokenOf,
} from './helpers.js';

const h = useSandbox({ reset: true });
let app: App;
let token: string;

beforeEach(async () => {
  ({ app, token } = await signedInApp(h));
});

type ListName = 'voided-purchases' | 'unconfirmed-purchases';
const LIST_KEY = {
  'voided-purchases': 'voidedPurchaseList',
  'unconfirmed-purchases': 'unconfirmedPurchaseList',
};

function list(
  name: ListName,
  query: Record<string, string | number> = {},
  market?: Market,
): Promise<HttpAnswer> {
  const qs = new URLSearchParams(
    Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return call(h, 'GET', `/v7/apps/${app.clientId}/${name}${qs ? `?${qs}` : ''}`, {
    token,
    ...(market && { market }),
  });
}

/** Items and continuationKey of a successful list answer. */
async function page(
  name: ListName,
  query: Record<string, string | number> = {},
  market?: Market,
): Promise<{ items: Record<string, unknown>[]; key: string | undefined }> {
  const answer = await list(name, query, market);
  expect(answer.status).toBe(200);
  const body = obj(answer.json);
  const key = body.continuationKey;
  if (key !== undefined && typeof key !== 'string') throw new Error(`continuationKey ${String(key)}`);
  return { items: arr(body[LIST_KEY[name]]).map(obj), key };
}

/** Every page, following continuationKey; returns the page sizes and all items. */
async function allPages(name: ListName, query: Record<string, string | number>, market?: Market) {
  const sizes: number[] = [];
  const items: Record<string, unknown>[] = [];
  let key: string | undefined;
  for (let i = 0; i < 50; i++) {
    const next = await page(name, { ...query, ...(key && { continuationKey: key }) }, market);
    sizes.push(next.items.length);
    items.push(...next.items);
    if (next.key !== undefined) expect(next.key.length).toBeLessThanOrEqual(41);
    key = next.key;
    if (key === undefined) break;
  }
  return { sizes, items };
}

/** n purchases bought at the same instant more than 3 days ago: all voided at the same voidedTime. */
async function voidedBatch(n: number, purchaseTime: number, market?: Market) {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    tokens.push((await buy(h, app, { purchaseTime, ...(market && { market }) })).purchaseToken);
  }
  return tokens;
}

describe('getVoidedPurchases', () => {
  it('answers an empty list without continuationKey, under the key without the example typo', async () => {
    const answer = await list('voided-purchases');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ voidedPurchaseList: [] });
  });

  it('lists refunds and 3-day cancellations of both markets with the fields of the document', async () => {
    const refunded = await buy(h, app, { acknowledged: true, market: 'MKT_GLB' });
    await h.control('POST', `/onestore/purchases/${refunded.purchaseToken}/void`);
    const purchaseTime = h.sandbox.clock.now() - 4 * DAY_MS;
    const [late] = await voidedBatch(1, purchaseTime);
    // Another app's voided purchase is not listed.
    const other = await createApp(h);
    const theirs = await buy(h, other, { purchaseTime });
    const { items } = await page('voided-purchases', {}, 'MKT_GLB');
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      purchaseId: expect.stringMatching(/^\d{20}$/),
      purchaseTime,
      voidedTime: purchaseTime + 3 * DAY_MS,
      purchaseToken: late,
      marketCode: 'MKT_ONE',
    });
    expect(items[1]).toMatchObject({ purchaseToken: refunded.purchaseToken, marketCode: 'MKT_GLB' });
    expect(items.map((i) => i.purchaseToken)).not.toContain(theirs.purchaseToken);
    // The same list under MKT_ONE: KST wall-clock millis.
    const korean = await page('voided-purchases');
    expect(korean.items[0]).toMatchObject({
      purchaseTime: purchaseTime + KST_MS,
      voidedTime: purchaseTime + 3 * DAY_MS + KST_MS,
    });
  });

  it('pages with maxResults and continuationKey, each entry exactly once, ties included', async () => {
    const tokens = await voidedBatch(25, h.sandbox.clock.now() - 4 * DAY_MS);
    const { sizes, items } = await allPages('voided-purchases', { maxResults: 10 });
    expect(sizes).toEqual([10, 10, 5]);
    expect(items.map((i) => i.purchaseToken).sort()).toEqual([...tokens].sort());
    const exact = await allPages('voided-purchases', { maxResults: 25 });
    expect(exact.sizes).toEqual([25]);
    const single = await allPages('voided-purchases', { maxResults: 1 });
    expect(single.sizes).toHaveLength(25);
  });

  it('answers at most 100 by default', async () => {
    await voidedBatch(105, h.sandbox.clock.now() - 4 * DAY_MS);
    const first = await page('voided-purchases');
    expect(first.items).toHaveLength(100);
    expect(first.key).toBeDefined();
    const { sizes } = await allPages('voided-purchases', {});
    expect(sizes).toEqual([100, 5]);
    expect((await page('voided-purchases', { maxResults: 100 })).items).toHaveLength(100);
  });

  it('filters by startTime and endTime; either alone sets the other one month away', async () => {
    const now = h.sandbox.clock.now();
    const at = (daysAgo: number) => now - (daysAgo + 3) * DAY_MS;
    const [ancient] = await voidedBatch(1, at(40), 'MKT_GLB');
    const [beyondMonth] = await voidedBatch(1, at(34), 'MKT_GLB');
    const [old] = await voidedBatch(1, at(20), 'MKT_GLB');
    const [middle] = await voidedBatch(1, at(10), 'MKT_GLB');
    const [recent] = await voidedBatch(1, at(1), 'MKT_GLB');
    const tokens = async (query: Record<string, number>, market: Market = 'MKT_GLB') =>
      (await page('voided-purchases', query, market)).items.map((i) => i.purchaseToken);
    // Default window: the last month up to now.
    expect(await tokens({})).toEqual([old, middle, recent]);
    // startTime alone: up to a month after it.
    expect(await tokens({ startTime: now - 15 * DAY_MS })).toEqual([middle, recent]);
    // endTime alone: from a month before it, which reaches past the default window.
    expect(await tokens({ endTime: now - 5 * DAY_MS })).toEqual([beyondMonth, old, middle]);
    expect(await tokens({ startTime: now - 15 * DAY_MS, endTime: now - 5 * DAY_MS })).toEqual([middle]);
    expect(await tokens({ endTime: now - 5 * DAY_MS })).not.toContain(ancient);
    // The same window written in the MKT_ONE time basis.
    expect(
      await tokens({ startTime: now - 15 * DAY_MS + KST_MS, endTime: now - 5 * DAY_MS + KST_MS }, 'MKT_ONE'),
    ).toEqual([middle]);
  });

  it('answers InvalidRequest naming each bad parameter', async () => {
    const now = h.sandbox.clock.now();
    const cases: [Record<string, string | number>, string][] = [
      [{ maxResults: 0 }, 'maxResults'],
      [{ maxResults: 101 }, 'maxResults'],
      [{ maxResults: -1 }, 'maxResults'],
      [{ maxResults: 1.5 }, 'maxResults'],
      [{ maxResults: 'ten' }, 'maxResults'],
      [{ startTime: now - 32 * DAY_MS }, 'startTime'],
      [{ startTime: 'yesterday' }, 'startTime'],
      [{ endTime: now + HOUR_MS }, 'endTime'],
      [{ endTime: '-5' }, 'endTime'],
      [{ startTime: now - 40 * DAY_MS, endTime: now + DAY_MS }, 'startTime, endTime'],
      [{ startTime: now - DAY_MS, endTime: now - 2 * DAY_MS }, 'startTime, endTime'],
      [{ continuationKey: 'not-a-key' }, 'continuationKey'],
      [{ continuationKey: `1_${'a'.repeat(40)}` }, 'continuationKey'],
    ];
    for (const [query, fields] of cases) {
      expectError(
        await list('voided-purchases', query, 'MKT_GLB'),
        400,
        'InvalidRequest',
        `Request parameters are invalid. [ ${fields} ]`,
      );
    }
    // Under MKT_ONE the query is KST wall clock: the true "now" plus 9 h is not in the future.
    expect((await list('voided-purchases', { endTime: now + KST_MS })).status).toBe(200);
    expectError(await list('voided-purchases', { endTime: now + KST_MS + HOUR_MS }), 400, 'InvalidRequest');
  });

  it('measures "one month back" in calendar months, clamped to the end of the shorter month', async () => {
    h.sandbox.clock.set(Date.UTC(2025, 2, 31, 12, 0, 0));
    token = await tokenOf(h, app);
    expect(
      (await list('voided-purchases', { startTime: Date.UTC(2025, 1, 28, 12, 0, 1) }, 'MKT_GLB')).status,
    ).toBe(200);
    expect(
      (await list('voided-purchases', { startTime: Date.UTC(2025, 2, 1, 12, 0, 0) }, 'MKT_GLB')).status,
    ).toBe(200);
    expectError(
      await list('voided-purchases', { startTime: Date.UTC(2025, 1, 28, 11, 59, 59) }, 'MKT_GLB'),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ startTime ]',
    );
  });
});

describe('getUnconfirmedPurchases', () => {
  it('lists purchased, unacknowledged, unconsumed managed and monthly products with the fields of the document', async () => {
    const purchaseTime = h.sandbox.clock.now() - HOUR_MS;
    const open = await buy(h, app, {
      productId: '다이아100_20170818000000',
      developerPayload: 'E23DEFB029F84F4383ECB0E53B46B6A2',
      quantity: 1,
      purchaseTime,
    });
    const monthly = await buy(h, app, { type: 'auto', productId: 'vip', purchaseTime: purchaseTime + 1 });
    const global = await buy(h, app, { quantity: 2, purchaseTime: purchaseTime + 2, market: 'MKT_GLB' });
    await buy(h, app, { acknowledged: true, purchaseTime });
    await buy(h, app, { consumed: true, purchaseTime });
    await buy(h, app, { type: 'subscription', productId: 'pro', purchaseTime });
    await buy(h, app, { type: 'auto', productId: 'vip', acknowledged: true, purchaseTime });
    const refunded = await buy(h, app, { purchaseTime });
    await h.control('POST', `/onestore/purchases/${refunded.purchaseToken}/void`);
    const { items, key } = await page('unconfirmed-purchases');
    expect(key).toBeUndefined();
    expect(items).toEqual([
      {
        type: 'inapp',
        orderId: expect.any(String),
        productId: '다이아100_20170818000000',
        purchaseToken: open.purchaseToken,
        purchaseId: open.purchaseId,
        purchaseTime: purchaseTime + KST_MS,
        purchaseState: 0,
        developerPayload: 'E23DEFB029F84F4383ECB0E53B46B6A2',
        quantity: 1,
        marketCode: 'MKT_ONE',
      },
      expect.objectContaining({
        type: 'auto',
        purchaseToken: monthly.purchaseToken,
        quantity: 1,
        marketCode: 'MKT_ONE',
      }),
      expect.objectContaining({
        type: 'inapp',
        purchaseToken: global.purchaseToken,
        quantity: 2,
        marketCode: 'MKT_GLB',
        purchaseTime: purchaseTime + 2 + KST_MS,
      }),
    ]);
    const orderId = String(items[0]?.orderId);
    expect(orderId.length).toBeLessThanOrEqual(40);
    // Under MKT_GLB the times are plain epoch millis.
    expect((await page('unconfirmed-purchases', {}, 'MKT_GLB')).items[0]?.purchaseTime).toBe(purchaseTime);
  });

  it('drops a purchase once it is acknowledged or consumed, and after the 3-day rule voided it', async () => {
    const a = await buy(h, app);
    const b = await buy(h, app);
    const c = await buy(h, app);
    expectSuccess(await call(h, 'POST', pathOf(app, a, 'all', 'acknowledge'), { token }));
    expectSuccess(await call(h, 'POST', pathOf(app, b, 'inapp', 'consume'), { token }));
    expect((await page('unconfirmed-purchases')).items.map((i) => i.purchaseToken)).toEqual([
      c.purchaseToken,
    ]);
    h.sandbox.clock.advance(3 * DAY_MS);
    token = await tokenOf(h, app);
    expect((await page('unconfirmed-purchases')).items).toEqual([]);
    const voided = (await page('voided-purchases')).items.map((i) => i.purchaseToken);
    expect(voided).toEqual([c.purchaseToken]);
  });

  it('pages with maxResults and continuationKey over purchases bought at the same instant', async () => {
    const purchaseTime = h.sandbox.clock.now() - HOUR_MS;
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) tokens.push((await buy(h, app, { purchaseTime })).purchaseToken);
    const { sizes, items } = await allPages('unconfirmed-purchases', { maxResults: 5 });
    expect(sizes).toEqual([5, 5, 2]);
    expect(items.map((i) => i.purchaseToken).sort()).toEqual([...tokens].sort());
    expectError(await list('unconfirmed-purchases', { maxResults: 101 }), 400, 'InvalidRequest');
    expectError(
      await list('unconfirmed-purchases', { startTime: h.sandbox.clock.now() - 40 * DAY_MS }, 'MKT_GLB'),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ startTime ]',
    );
  });
});
