import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  type App,
  buy,
  call,
  DAY_MS,
  expectError,
  expectSuccess,
  HOUR_MS,
  KST_MS,
  type Market,
  obj,
  type Purchase,
  pathOf,
  productPath,
  signedInApp,
  tokenOf,
} from './helpers.js';

const h = useSandbox({ reset: true });
let app: App;
let token: string;

const PERIOD = 30 * DAY_MS;

beforeEach(async () => {
  ({ app, token } = await signedInApp(h));
});

/** A fresh token after the clock moved more than an hour. */
async function refresh(): Promise<void> {
  token = await tokenOf(h, app);
}

async function monthly(p: Purchase, market?: Market): Promise<Record<string, unknown>> {
  const answer = await call(h, 'GET', pathOf(app, p, 'auto'), { token, ...(market && { market }) });
  expect(answer.status).toBe(200);
  return obj(answer.json);
}

async function subscription(p: Purchase, market?: Market): Promise<Record<string, unknown>> {
  const answer = await call(h, 'GET', pathOf(app, p, 'subscription'), { token, ...(market && { market }) });
  expect(answer.status).toBe(200);
  return obj(answer.json);
}

/** A change of the purchase (cancel, reactivate…) with the document's headers. */
function change(
  p: Purchase,
  type: 'auto' | 'subscription',
  action: string,
  market?: Market,
): Promise<HttpAnswer> {
  return call(h, 'POST', pathOf(app, p, type, action), { token, ...(market && { market }) });
}

/** Cancels the purchase under MKT_GLB, then reactivates it: both answered Success. */
async function cancelThenReactivate(p: Purchase, type: 'auto' | 'subscription'): Promise<void> {
  expectSuccess(await change(p, type, 'cancel', 'MKT_GLB'));
  expectSuccess(await change(p, type, 'reactivate', 'MKT_GLB'));
}

/** Asserts that each action on the purchase, in order, is refused 409 InvalidPurchaseState. */
async function expectRefused(
  p: Purchase,
  type: 'auto' | 'subscription',
  actions: string[],
  market?: Market,
): Promise<void> {
  for (const action of actions) {
    expectError(await change(p, type, action, market), 409, 'InvalidPurchaseState');
  }
}

/** An acknowledged monthly product bought under MKT_GLB at the sandbox's now, and that time. */
async function vipBoughtNow(): Promise<[Purchase, number]> {
  const purchaseTime = h.sandbox.clock.now();
  const p = await buy(h, app, {
    type: 'auto',
    productId: 'vip',
    purchaseTime,
    acknowledged: true,
    market: 'MKT_GLB',
  });
  return [p, purchaseTime];
}

/** The document's entitlement rule for monthly products. */
const entitled = (d: Record<string, unknown>, nowWire: number) =>
  Number(d.expiryTime) >= nowWire && d.lastPurchaseState === 0;

describe('monthly products (auto)', () => {
  it('answers getRecurringPurchaseDetails with the fields of the document', async () => {
    const purchaseTime = h.sandbox.clock.now() - HOUR_MS;
    const p = await buy(h, app, { type: 'auto', productId: 'vip', purchaseTime, market: 'MKT_GLB' });
    expect(await monthly(p, 'MKT_GLB')).toEqual({
      startTime: purchaseTime,
      expiryTime: purchaseTime + PERIOD - 1,
      nextPaymentTime: purchaseTime + PERIOD,
      autoRenewing: true,
      cancelReason: null,
      cancelledTime: null,
      acknowledgeState: 0,
      lastPurchaseId: p.purchaseId,
      lastPurchaseState: 0,
    });
    // Under MKT_ONE (another purchase), every time is the KST wall clock written as UTC.
    const one = await buy(h, app, { type: 'auto', productId: 'vip', purchaseTime, acknowledged: true });
    expect(await monthly(one)).toMatchObject({
      startTime: purchaseTime + KST_MS,
      expiryTime: purchaseTime + PERIOD - 1 + KST_MS,
      nextPaymentTime: purchaseTime + PERIOD + KST_MS,
      acknowledgeState: 1,
    });
  });

  it('renews on every period as the clock advances, keeping the entitlement rule true', async () => {
    const [p, purchaseTime] = await vipBoughtNow();
    h.sandbox.clock.advance(PERIOD + HOUR_MS);
    await refresh();
    const once = await monthly(p, 'MKT_GLB');
    expect(once.expiryTime).toBe(purchaseTime + 2 * PERIOD - 1);
    expect(once.nextPaymentTime).toBe(purchaseTime + 2 * PERIOD);
    expect(once.lastPurchaseId).not.toBe(p.purchaseId);
    expect(entitled(once, h.sandbox.clock.now())).toBe(true);
    h.sandbox.clock.advance(2 * PERIOD);
    await refresh();
    const thrice = await monthly(p, 'MKT_GLB');
    expect(thrice.expiryTime).toBe(purchaseTime + 4 * PERIOD - 1);
    expect(thrice.lastPurchaseId).not.toBe(once.lastPurchaseId);
    expect(entitled(thrice, h.sandbox.clock.now())).toBe(true);
  });

  it('cancelRecurringPurchase stops renewal; the product stays usable until expiryTime', async () => {
    const [p, purchaseTime] = await vipBoughtNow();
    const before = h.sandbox.clock.now();
    expectSuccess(await change(p, 'auto', 'cancel', 'MKT_GLB'));
    const after = h.sandbox.clock.now();
    const cancelled = await monthly(p, 'MKT_GLB');
    expect(cancelled).toMatchObject({ autoRenewing: false, cancelReason: 1, lastPurchaseState: 0 });
    expect(Number(cancelled.cancelledTime)).toBeGreaterThanOrEqual(before);
    expect(Number(cancelled.cancelledTime)).toBeLessThanOrEqual(after);
    expect(entitled(cancelled, h.sandbox.clock.now())).toBe(true);
    // Repeating it is Success and changes nothing.
    expectSuccess(await change(p, 'auto', 'cancel', 'MKT_GLB'));
    h.sandbox.clock.advance(PERIOD + HOUR_MS);
    await refresh();
    const over = await monthly(p, 'MKT_GLB');
    expect(over.expiryTime).toBe(purchaseTime + PERIOD - 1);
    expect(entitled(over, h.sandbox.clock.now())).toBe(false);
    await expectRefused(p, 'auto', ['cancel', 'reactivate'], 'MKT_GLB');
  });

  it('reactivateRecurringPurchase undoes the cancellation and renewals resume', async () => {
    const [p, purchaseTime] = await vipBoughtNow();
    await cancelThenReactivate(p, 'auto');
    expect(await monthly(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: true,
      cancelReason: null,
      cancelledTime: null,
    });
    // Reactivating a renewing product is Success too.
    expectSuccess(await change(p, 'auto', 'reactivate', 'MKT_GLB'));
    h.sandbox.clock.advance(PERIOD + HOUR_MS);
    await refresh();
    expect((await monthly(p, 'MKT_GLB')).expiryTime).toBe(purchaseTime + 2 * PERIOD - 1);
  });

  it('answers InvalidPurchaseState for a voided or expired monthly product', async () => {
    const voided = await buy(h, app, { type: 'auto', productId: 'vip', acknowledged: true });
    await h.control('POST', `/onestore/purchases/${voided.purchaseToken}/void`);
    expect(await monthly(voided)).toMatchObject({ lastPurchaseState: 1, autoRenewing: false });
    const expired = await buy(h, app, { type: 'auto', productId: 'vip', acknowledged: true });
    await h.control('POST', `/onestore/purchases/${expired.purchaseToken}/expire`);
    for (const p of [voided, expired]) await expectRefused(p, 'auto', ['cancel', 'reactivate']);
  });

  it('answers NoSuchData for managed and subscription tokens and unknown tokens on monthly endpoints', async () => {
    const managed = await buy(h, app);
    const sub = await buy(h, app, { type: 'subscription', productId: 'pro' });
    for (const p of [managed, sub]) {
      expectError(await call(h, 'GET', pathOf(app, p, 'auto'), { token }), 404, 'NoSuchData');
      for (const action of ['cancel', 'reactivate']) {
        expectError(await call(h, 'POST', pathOf(app, p, 'auto', action), { token }), 404, 'NoSuchData');
      }
    }
    expectError(
      await call(h, 'POST', productPath(app.clientId, 'auto', 'vip', 'SANDBOXT999999999999', 'cancel'), {
        token,
      }),
      404,
      'NoSuchData',
    );
  });
});

describe('subscriptions', () => {
  async function subscribe(market?: Market): Promise<Purchase> {
    return buy(h, app, {
      type: 'subscription',
      productId: 'premium_global',
      purchaseTime: h.sandbox.clock.now() - HOUR_MS,
      acknowledged: true,
      developerPayload: 'sub-1',
      ...(market === 'MKT_GLB' ? { market, price: '4.99', currency: 'USD' } : {}),
    });
  }

  it('answers getSubscriptionDetail with the fields of the document', async () => {
    const p = await subscribe('MKT_GLB');
    expect(await subscription(p, 'MKT_GLB')).toEqual({
      acknowledgementState: 1,
      developerPayload: 'sub-1',
      autoRenewing: true,
      paymentState: 1,
      priceAmount: '4.99',
      priceAmountMicros: 4_990_000,
      nextPriceAmount: '4.99',
      nextPriceAmountMicros: 4_990_000,
      nextPaymentTimeMillis: p.purchaseTime + PERIOD,
      priceCurrencyCode: 'USD',
      countryCode: 'KR',
      startTimeMillis: p.purchaseTime,
      expiryTimeMillis: p.purchaseTime + PERIOD,
      pauseStartTimeMillis: null,
      pauseEndTimeMillis: null,
      autoResumeTimeMillis: null,
      linkedPurchaseToken: null,
      lastPurchaseId: p.purchaseId,
      cancelledTimeMillis: null,
      cancelReason: null,
      promotionPrice: null,
      priceChange: null,
    });
    const korean = await subscribe();
    expect(await subscription(korean)).toMatchObject({
      priceAmount: '1000',
      priceAmountMicros: 1_000_000_000,
      priceCurrencyCode: 'KRW',
      startTimeMillis: korean.purchaseTime + KST_MS,
      expiryTimeMillis: korean.purchaseTime + PERIOD + KST_MS,
    });
    // Another market does not see it.
    expectError(
      await call(h, 'GET', pathOf(app, korean, 'subscription'), { token, market: 'MKT_GLB' }),
      404,
      'NoSuchData',
    );
  });

  it('renews when the clock passes the expiry', async () => {
    const p = await subscribe('MKT_GLB');
    h.sandbox.clock.advance(PERIOD);
    await refresh();
    const renewed = await subscription(p, 'MKT_GLB');
    expect(renewed).toMatchObject({
      autoRenewing: true,
      paymentState: 1,
      expiryTimeMillis: p.purchaseTime + 2 * PERIOD,
    });
    expect(renewed.lastPurchaseId).not.toBe(p.purchaseId);
  });

  it('cancelSubscription on an active subscription is a reservation, undone by reactivateSubscription', async () => {
    const p = await subscribe('MKT_GLB');
    const before = h.sandbox.clock.now();
    expectSuccess(await change(p, 'subscription', 'cancel', 'MKT_GLB'));
    const reserved = await subscription(p, 'MKT_GLB');
    expect(reserved).toMatchObject({
      autoRenewing: false,
      paymentState: 1,
      expiryTimeMillis: p.purchaseTime + PERIOD,
      nextPaymentTimeMillis: null,
      cancelReason: 1,
    });
    expect(Number(reserved.cancelledTimeMillis)).toBeGreaterThanOrEqual(before);
    await cancelThenReactivate(p, 'subscription');
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: true,
      cancelledTimeMillis: null,
      cancelReason: null,
      nextPaymentTimeMillis: p.purchaseTime + PERIOD,
    });
    // Reactivating an active subscription is Success and changes nothing.
    expectSuccess(await change(p, 'subscription', 'reactivate', 'MKT_GLB'));
  });

  it('a reserved cancellation expires at expiryTime; then cancel and reactivate answer InvalidPurchaseState', async () => {
    const p = await subscribe('MKT_GLB');
    expectSuccess(await change(p, 'subscription', 'cancel', 'MKT_GLB'));
    h.sandbox.clock.advance(PERIOD);
    await refresh();
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: false,
      paymentState: null,
      expiryTimeMillis: p.purchaseTime + PERIOD,
    });
    await expectRefused(p, 'subscription', ['cancel', 'reactivate'], 'MKT_GLB');
  });

  for (const state of ['pause', 'grace', 'hold'] as const) {
    it(`cancelSubscription during ${state} cancels at once; it cannot be reactivated`, async () => {
      const p = await subscribe('MKT_GLB');
      await h.control('POST', `/onestore/purchases/${p.purchaseToken}/${state}`);
      if (state === 'pause') {
        // Reserved from the next payment date; reach the pause itself.
        h.sandbox.clock.advance(PERIOD);
        await refresh();
        expect(await subscription(p, 'MKT_GLB')).toMatchObject({ autoRenewing: true, paymentState: null });
      } else {
        expect(await subscription(p, 'MKT_GLB')).toMatchObject({ autoRenewing: true, paymentState: 0 });
      }
      const before = h.sandbox.clock.now();
      expectSuccess(await change(p, 'subscription', 'cancel', 'MKT_GLB'));
      const cancelled = await subscription(p, 'MKT_GLB');
      expect(cancelled).toMatchObject({
        autoRenewing: false,
        paymentState: null,
        cancelReason: 1,
        pauseStartTimeMillis: null,
        pauseEndTimeMillis: null,
        autoResumeTimeMillis: null,
        nextPaymentTimeMillis: null,
      });
      expect(Number(cancelled.expiryTimeMillis)).toBeGreaterThanOrEqual(before);
      expect(Number(cancelled.expiryTimeMillis)).toBeLessThan(
        p.purchaseTime + (state === 'pause' ? 2 : 1) * PERIOD,
      );
      await expectRefused(p, 'subscription', ['reactivate', 'cancel'], 'MKT_GLB');
    });
  }

  it('shows a reserved pause, the pause, and the automatic resume', async () => {
    const p = await subscribe('MKT_GLB');
    const expiry = p.purchaseTime + PERIOD;
    await h.control('POST', `/onestore/purchases/${p.purchaseToken}/pause`, { days: 7 });
    const pauseEnd = expiry + 7 * DAY_MS;
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: true,
      paymentState: 1,
      pauseStartTimeMillis: expiry,
      pauseEndTimeMillis: pauseEnd,
      autoResumeTimeMillis: pauseEnd,
      nextPaymentTimeMillis: pauseEnd,
    });
    h.sandbox.clock.advance(PERIOD);
    await refresh();
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      paymentState: null,
      pauseEndTimeMillis: pauseEnd,
    });
    h.sandbox.clock.advance(7 * DAY_MS);
    await refresh();
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: true,
      paymentState: 1,
      expiryTimeMillis: pauseEnd + PERIOD,
      pauseStartTimeMillis: null,
      autoResumeTimeMillis: null,
    });
  });

  it('cancelSubscription during a reserved pause is a reservation and clears the pause', async () => {
    const p = await subscribe('MKT_GLB');
    await h.control('POST', `/onestore/purchases/${p.purchaseToken}/pause`);
    expectSuccess(await change(p, 'subscription', 'cancel', 'MKT_GLB'));
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      autoRenewing: false,
      paymentState: 1,
      expiryTimeMillis: p.purchaseTime + PERIOD,
      pauseStartTimeMillis: null,
      autoResumeTimeMillis: null,
    });
    expectSuccess(await change(p, 'subscription', 'reactivate', 'MKT_GLB'));
    expect((await subscription(p, 'MKT_GLB')).autoRenewing).toBe(true);
  });

  it("defers the next payment by deferPeriod minutes (the document's example: 3)", async () => {
    const p = await subscribe('MKT_GLB');
    const answer = await call(h, 'POST', pathOf(app, p, 'subscription', 'defer'), {
      token,
      market: 'MKT_GLB',
      rawBody: '{\n\t"deferPeriod" : 3\n}',
    });
    expectSuccess(answer);
    expect(await subscription(p, 'MKT_GLB')).toMatchObject({
      expiryTimeMillis: p.purchaseTime + PERIOD + 3 * 60_000,
      nextPaymentTimeMillis: p.purchaseTime + PERIOD + 3 * 60_000,
    });
    expectSuccess(
      await call(h, 'POST', pathOf(app, p, 'subscription', 'defer'), {
        token,
        market: 'MKT_GLB',
        body: { deferPeriod: 365 },
      }),
    );
    expect((await subscription(p, 'MKT_GLB')).expiryTimeMillis).toBe(p.purchaseTime + PERIOD + 368 * 60_000);
    expectSuccess(
      await call(h, 'POST', pathOf(app, p, 'subscription', 'defer'), {
        token,
        market: 'MKT_GLB',
        body: { deferPeriod: 1 },
      }),
    );
  });

  it('answers RequiredValueNotExist without deferPeriod and InvalidRequest outside 1..365', async () => {
    const p = await subscribe('MKT_GLB');
    const path = pathOf(app, p, 'subscription', 'defer');
    for (const body of [undefined, {}, { deferPeriod: null }]) {
      expectError(
        await call(h, 'POST', path, { token, market: 'MKT_GLB', ...(body !== undefined && { body }) }),
        400,
        'RequiredValueNotExist',
        'Request parameters are required. [ deferPeriod ]',
      );
    }
    for (const deferPeriod of [0, -1, 366, 1.5, '3', true]) {
      expectError(
        await call(h, 'POST', path, { token, market: 'MKT_GLB', body: { deferPeriod } }),
        400,
        'InvalidRequest',
        'Request parameters are invalid. [ deferPeriod ]',
      );
    }
    expect((await subscription(p, 'MKT_GLB')).expiryTimeMillis).toBe(p.purchaseTime + PERIOD);
  });

  it('answers InvalidPurchaseState when deferring a subscription that is not active', async () => {
    const reserved = await subscribe('MKT_GLB');
    expectSuccess(
      await call(h, 'POST', pathOf(app, reserved, 'subscription', 'cancel'), { token, market: 'MKT_GLB' }),
    );
    const grace = await subscribe('MKT_GLB');
    await h.control('POST', `/onestore/purchases/${grace.purchaseToken}/grace`);
    for (const p of [reserved, grace]) {
      expectError(
        await call(h, 'POST', pathOf(app, p, 'subscription', 'defer'), {
          token,
          market: 'MKT_GLB',
          body: { deferPeriod: 3 },
        }),
        409,
        'InvalidPurchaseState',
      );
    }
  });

  it('answers NoSuchData for managed, monthly and unknown tokens on subscription endpoints', async () => {
    const managed = await buy(h, app);
    const auto = await buy(h, app, { type: 'auto', productId: 'vip' });
    const unknown = { ...managed, purchaseToken: 'SANDBOXT999999999999' };
    for (const p of [managed, auto, unknown]) {
      expectError(await call(h, 'GET', pathOf(app, p, 'subscription'), { token }), 404, 'NoSuchData');
      for (const action of ['cancel', 'reactivate']) {
        expectError(
          await call(h, 'POST', pathOf(app, p, 'subscription', action), { token }),
          404,
          'NoSuchData',
        );
      }
      expectError(
        await call(h, 'POST', pathOf(app, p, 'subscription', 'defer'), { token, body: { deferPeriod: 3 } }),
        404,
        'NoSuchData',
      );
    }
  });
});
