import { describe, expect, it } from 'vitest';
import { StoreApiError } from '../../src/stores/errors.js';
import type { OneStoreClient } from '../../src/stores/onestore/index.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { eachStoreTest } from '../helpers/store-hooks.js';
import { failure, newOneStoreApp, newPurchase, type OneStoreApp, oneStoreClient } from '../helpers/stores.js';

const h = useSandbox();
let app: OneStoreApp;
let client: OneStoreClient;
eachStoreTest(
  h,
  {},
  async () => {
    const created = await newOneStoreApp(h);
    return { app: created, client: oneStoreClient(h, created) };
  },
  (t) => {
    ({ app, client } = t);
  },
);

describe('every v7 endpoint decodes into its typed result', () => {
  it('token: POST /v7/oauth/token answers a bearer token', async () => {
    const token = await client.requestToken();
    expect(token.token_type.toLowerCase()).toBe('bearer');
    expect(token.expires_in).toBe(3600);
    expect(token.access_token.length).toBeGreaterThan(0);
    expect(await h.count('onestore.token')).toBe(1);
  });

  it('getPurchaseDetails, acknowledgePurchase, consumePurchase', async () => {
    const p = await newPurchase(h, app, { developerPayload: 'order-1', quantity: 2 });
    const before = await client.getPurchaseDetails(p);
    expect(before).toEqual({
      consumptionState: 0,
      developerPayload: 'order-1',
      purchaseState: 0,
      purchaseTime: expect.any(Number),
      purchaseId: p.purchaseId,
      acknowledgeState: 0,
      quantity: 2,
    });
    expect(await client.acknowledgePurchase({ ...p, developerPayload: 'order-1' })).toMatchObject({
      code: 'Success',
    });
    expect((await client.getPurchaseDetails(p)).acknowledgeState).toBe(1);
    expect(await client.consumePurchase(p)).toMatchObject({ code: 'Success' });
    expect((await client.getPurchaseDetails(p)).consumptionState).toBe(1);
  });

  it('percent-encodes a Korean product ID the way the store reads it', async () => {
    const p = await newPurchase(h, app, { productId: '다이아100_20170818000000' });
    expect((await client.getPurchaseDetails(p)).purchaseId).toBe(p.purchaseId);
  });

  it('getRecurringPurchaseDetails, cancelRecurringPurchase, reactivateRecurringPurchase', async () => {
    const p = await newPurchase(h, app, { type: 'auto', productId: 'monthly01' });
    const details = await client.getRecurringPurchaseDetails(p);
    expect(details).toMatchObject({ autoRenewing: true, lastPurchaseState: 0, acknowledgeState: 0 });
    expect(details.expiryTime).toBeGreaterThan(details.startTime);
    await client.cancelRecurringPurchase(p);
    const cancelled = await client.getRecurringPurchaseDetails(p);
    expect(cancelled.autoRenewing).toBe(false);
    expect(cancelled.cancelledTime).toEqual(expect.any(Number));
    await client.reactivateRecurringPurchase(p);
    expect((await client.getRecurringPurchaseDetails(p)).autoRenewing).toBe(true);
  });

  it('getSubscriptionDetail, cancel/reactivate/deferSubscription', async () => {
    const p = await newPurchase(h, app, { type: 'subscription', productId: 'sub.monthly', price: '4900' });
    const detail = await client.getSubscriptionDetail(p);
    expect(detail).toMatchObject({
      autoRenewing: true,
      priceAmount: '4900',
      priceAmountMicros: '4900000000',
    });
    expect(typeof detail.priceAmountMicros).toBe('string');
    await client.deferSubscription({ ...p, deferPeriod: 3 });
    expect((await client.getSubscriptionDetail(p)).expiryTimeMillis).toBe(
      detail.expiryTimeMillis + 3 * 60_000,
    );
    await client.cancelSubscription(p);
    expect((await client.getSubscriptionDetail(p)).autoRenewing).toBe(false);
    await client.reactivateSubscription(p);
    expect((await client.getSubscriptionDetail(p)).autoRenewing).toBe(true);
  });

  it('getVoidedPurchases and its guarded walk follow continuationKey', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const p = await newPurchase(h, app);
      await h.control('POST', `/onestore/purchases/${p.purchaseToken}/void`);
      tokens.push(p.purchaseToken);
    }
    const first = await client.getVoidedPurchases({ maxResults: 2 });
    expect(first.voidedPurchaseList).toHaveLength(2);
    expect(first.continuationKey).toEqual(expect.any(String));
    await h.control('DELETE', '/stats');
    const seen: string[] = [];
    const walk = client.voidedPurchaseWalk({ maxResults: 2 });
    for (let page = await walk.next(); page !== undefined; page = await walk.next())
      seen.push(...page.voidedPurchaseList.map((v) => v.purchaseToken));
    expect(walk.done).toBe(true);
    expect(seen.sort()).toEqual([...tokens].sort());
    expect(await h.count('onestore.getVoidedPurchases')).toBe(3);
  });

  it('getUnconfirmedPurchases and its guarded walk follow continuationKey', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 3; i += 1)
      tokens.push((await newPurchase(h, app, { productId: `gem${i}` })).purchaseToken);
    await newPurchase(h, app, { acknowledged: true });
    await h.control('DELETE', '/stats');
    const pages = [];
    const walk = client.unconfirmedPurchaseWalk({ maxResults: 1 });
    for (let page = await walk.next(); page !== undefined; page = await walk.next()) pages.push(page);
    expect(walk.done).toBe(true);
    expect(pages).toHaveLength(3);
    const items = pages.flatMap((page) => page.unconfirmedPurchaseList);
    expect(items.map((i) => i.purchaseToken).sort()).toEqual([...tokens].sort());
    expect(items[0]).toMatchObject({ type: 'inapp', purchaseState: 0, quantity: 1, marketCode: 'MKT_ONE' });
    expect(await h.count('onestore.getUnconfirmedPurchases')).toBe(3);
  });
});

describe('store state answers map to typed errors', () => {
  const apiError = async (call: Promise<unknown>, code: string, httpStatus: number) => {
    const err = await failure(call);
    expect(err).toBeInstanceOf(StoreApiError);
    expect(err).toMatchObject({ kind: 'StoreApiError', store: 'onestore', code, httpStatus });
    return err;
  };

  it('consuming twice is InvalidConsumeState (409)', async () => {
    const p = await newPurchase(h, app);
    await client.consumePurchase(p);
    await apiError(client.consumePurchase(p), 'InvalidConsumeState', 409);
  });

  it('an unknown token is NoSuchData (404); a managed token on the monthly endpoint too', async () => {
    await apiError(
      client.getPurchaseDetails({ productId: 'gem100', purchaseToken: 'SANDBOXT000000000000' }),
      'NoSuchData',
      404,
    );
    const p = await newPurchase(h, app);
    await apiError(client.getRecurringPurchaseDetails(p), 'NoSuchData', 404);
  });

  it('a wrong developerPayload is DeveloperPayloadNotMatch (400)', async () => {
    const p = await newPurchase(h, app, { developerPayload: 'right' });
    await apiError(
      client.acknowledgePurchase({ ...p, developerPayload: 'wrong' }),
      'DeveloperPayloadNotMatch',
      400,
    );
  });

  it('acknowledging a voided purchase is InvalidPurchaseState (409)', async () => {
    const p = await newPurchase(h, app);
    await h.control('POST', `/onestore/purchases/${p.purchaseToken}/void`);
    await apiError(client.acknowledgePurchase(p), 'InvalidPurchaseState', 409);
  });

  it('a wrong client secret is refused at the token endpoint', async () => {
    const wrong = oneStoreClient(h, { ...app, clientSecret: 'not-the-secret' });
    const err = await apiError(
      wrong.getPurchaseDetails({ productId: 'a', purchaseToken: 'B' }),
      'UnauthorizedAccess',
      403,
    );
    expect(err).toMatchObject({ endpoint: 'onestore.token' });
    await wrong.close();
  });

  it('a blocked app is AccessBlocked (403)', async () => {
    const p = await newPurchase(h, app);
    await client.getPurchaseDetails(p);
    await h.control('POST', `/onestore/apps/${app.clientId}/block`, { blocked: true });
    await apiError(client.getPurchaseDetails(p), 'AccessBlocked', 403);
  });
});
