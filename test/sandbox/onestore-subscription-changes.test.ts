import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { arr, call, DAY_MS, KST_MS, obj, type Purchase, pathOf, tokenOf } from './helpers.js';
import { PERIOD, subscriptionLife, T0 } from './subscription-life.js';

const h = useSandbox({ reset: true });
const s = subscriptionLife(h);

describe('price change (가격변동) waiting for consent', () => {
  const changed = T0 + DAY_MS;
  const due = changed + 37 * DAY_MS;
  const priceChange = (seq: number, agreement: boolean) => ({
    seq,
    previousPrice: '1000',
    previousPriceMicros: 1_000_000_000,
    newPrice: '1500',
    newPriceMicros: 1_500_000_000,
    applyTimeMillis: changed,
    agreement,
    agreementDueDateTimeMillis: due,
  });

  it('is served with its due date (+7+30 days); without consent the first payment after it does not renew', async () => {
    const p = await s.buy();
    s.at(changed);
    await s.act(p, 'priceChange', { price: '1500' });
    expect(await s.detail(p)).toMatchObject({
      priceAmount: '1000',
      nextPriceAmount: '1500',
      nextPriceAmountMicros: 1_500_000_000,
      priceChange: priceChange(1, false),
    });
    // The renewal before the due date charges the old price.
    s.at(T0 + PERIOD);
    const before = await s.detail(p);
    expect(before).toMatchObject({ paymentState: 1, autoRenewing: true, priceAmount: '1000' });
    expect(before.lastPurchaseId).not.toBe(p.purchaseId);
    // The first payment after the due date: no consent, no renewal; the paid period ran out.
    s.at(T0 + 2 * PERIOD);
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: false,
      paymentState: null,
      expiryTimeMillis: T0 + 2 * PERIOD,
      nextPaymentTimeMillis: null,
      lastPurchaseId: before.lastPurchaseId,
      cancelledTimeMillis: null,
      priceChange: priceChange(1, false),
    });
  });

  it('agreed, the next renewal charges the new price; a second change counts seq 2', async () => {
    const p = await s.buy();
    s.at(changed);
    await s.act(p, 'priceChange', { price: '1500' });
    s.at(due + DAY_MS);
    // Still renewing: the subscriber may agree until the first payment after the due date.
    expect((await s.detail(p)).autoRenewing).toBe(true);
    await s.act(p, 'agreePriceChange');
    expect((await s.detail(p)).priceChange).toEqual(priceChange(1, true));
    await s.refused(p, 'agreePriceChange');
    s.at(T0 + 2 * PERIOD);
    expect(await s.detail(p)).toMatchObject({
      paymentState: 1,
      priceAmount: '1500',
      priceAmountMicros: 1_500_000_000,
      nextPriceAmount: '1500',
    });
    expect((await s.periods(p)).map((x) => obj(x.price).amount)).toEqual(['1000', '1000', '1500']);
    await s.act(p, 'priceChange', { price: '1800.5' });
    expect((await s.detail(p)).priceChange).toMatchObject({
      seq: 2,
      previousPrice: '1500',
      newPrice: '1800.5',
      newPriceMicros: 1_800_500_000,
      agreement: false,
    });
  });

  it('under MKT_ONE its times are written in UTC+09 like every other time', async () => {
    const p = await s.buy({ market: 'MKT_ONE' });
    await s.act(p, 'priceChange', { price: '1200' });
    const token = await tokenOf(h, s.app());
    const d = obj((await call(h, 'GET', pathOf(s.app(), p, 'subscription'), { token })).json);
    expect(d.priceChange).toMatchObject({
      applyTimeMillis: T0 + KST_MS,
      agreementDueDateTimeMillis: T0 + 37 * DAY_MS + KST_MS,
    });
    await s.refused(p, 'priceChange');
    await s.refused(p, 'priceChange', { price: '-1' });
  });
});

describe('plan change (업/다운그레이드)', () => {
  it('DEFERRED: the old plan runs to its expiry, the new one shows paymentState 3 until then', async () => {
    const old = await s.buy();
    const at = T0 + 10 * DAY_MS;
    s.at(at);
    const created = await s.act(old, 'changePlan', {
      productId: 'premium_plus',
      mode: 'DEFERRED',
      price: '2000',
    });
    expect(created).toMatchObject({ productId: 'premium_plus', linkedPurchaseToken: old.purchaseToken });
    expect(created.purchaseToken).not.toBe(old.purchaseToken);
    const next: Purchase = {
      ...old,
      ...created,
      productId: 'premium_plus',
      purchaseToken: String(created.purchaseToken),
    };
    expect(await s.detail(next)).toMatchObject({
      autoRenewing: true,
      paymentState: 3,
      priceAmount: '0',
      nextPriceAmount: '2000',
      expiryTimeMillis: T0 + PERIOD,
      nextPaymentTimeMillis: T0 + PERIOD,
      linkedPurchaseToken: old.purchaseToken,
      lastPurchaseId: created.purchaseId,
    });
    expect(await s.detail(old)).toMatchObject({
      autoRenewing: false,
      paymentState: 1,
      expiryTimeMillis: T0 + PERIOD,
      cancelledTimeMillis: at,
      cancelReason: 1,
    });
    s.at(T0 + PERIOD);
    const paid = await s.detail(next);
    expect(paid).toMatchObject({ paymentState: 1, priceAmount: '2000', expiryTimeMillis: T0 + 2 * PERIOD });
    expect(paid.lastPurchaseId).not.toBe(created.purchaseId);
    expect(await s.detail(old)).toMatchObject({ paymentState: null, autoRenewing: false });
  });

  it('IMMEDIATE: the old plan is cancelled now and the new one charged now', async () => {
    const old = await s.buy();
    const at = T0 + 10 * DAY_MS;
    s.at(at);
    const created = await s.act(old, 'changePlan', { productId: 'lite', mode: 'IMMEDIATE' });
    const next: Purchase = {
      ...old,
      ...created,
      productId: 'lite',
      purchaseToken: String(created.purchaseToken),
    };
    expect(await s.detail(next)).toMatchObject({
      paymentState: 1,
      priceAmount: '1000',
      startTimeMillis: at,
      expiryTimeMillis: at + PERIOD,
      linkedPurchaseToken: old.purchaseToken,
    });
    expect(await s.detail(old)).toMatchObject({
      paymentState: null,
      autoRenewing: false,
      expiryTimeMillis: at,
      cancelledTimeMillis: at,
    });
    await s.refused(old, 'changePlan', { productId: 'lite', mode: 'IMMEDIATE' });
    await s.refused(next, 'changePlan', { productId: 'lite' });
  });
});

describe('refund of one period', () => {
  it('a past period joins the voided list under its purchaseId and changes nothing else', async () => {
    const p = await s.buy();
    s.at(T0 + 2 * PERIOD + DAY_MS);
    const [first, second, third] = await s.periods(p);
    await s.act(p, 'void', { purchaseId: second?.purchaseId });
    expect(await s.voided()).toEqual([
      {
        purchaseId: second?.purchaseId,
        purchaseTime: T0 + PERIOD,
        voidedTime: T0 + 2 * PERIOD + DAY_MS,
        purchaseToken: p.purchaseToken,
        marketCode: 'MKT_GLB',
      },
    ]);
    expect(await s.detail(p)).toMatchObject({
      paymentState: 1,
      autoRenewing: true,
      lastPurchaseId: third?.purchaseId,
    });
    expect((await s.periods(p)).map((x) => x.state)).toEqual(['paid', 'refunded', 'paid']);
    // Refunding the current period ends the access.
    s.at(T0 + 2 * PERIOD + 2 * DAY_MS);
    await s.act(p, 'void', { purchaseId: third?.purchaseId });
    expect(await s.detail(p)).toMatchObject({
      paymentState: null,
      autoRenewing: false,
      expiryTimeMillis: T0 + 2 * PERIOD + 2 * DAY_MS,
      cancelReason: 1,
    });
    expect(arr(await s.voided()).map((v) => obj(v).purchaseId)).toEqual([
      second?.purchaseId,
      third?.purchaseId,
    ]);
    expect(first?.purchaseId).toBe(p.purchaseId);
    await s.refused(p, 'void', { purchaseId: '99999999999999999999' });
  });

  it('monthly: a past period keeps lastPurchaseState 0; the last one sets it to 1', async () => {
    const p = await s.buy({ type: 'auto', productId: 'vip' });
    s.at(T0 + PERIOD + DAY_MS);
    const [first, last] = await s.periods(p);
    await s.act(p, 'void', { purchaseId: first?.purchaseId });
    expect(await s.detail(p, 'auto')).toMatchObject({ lastPurchaseState: 0, autoRenewing: true });
    await s.act(p, 'void', { purchaseId: last?.purchaseId });
    expect(await s.detail(p, 'auto')).toMatchObject({
      lastPurchaseState: 1,
      lastPurchaseId: last?.purchaseId,
      autoRenewing: false,
    });
    expect(arr(await s.voided()).map((v) => obj(v).purchaseId)).toEqual([
      first?.purchaseId,
      last?.purchaseId,
    ]);
  });
});

describe('restore (the customer turns auto-renew back on)', () => {
  it('undoes a cancellation of a subscription and of a monthly product; refused when nothing to restore', async () => {
    const p = await s.buy();
    await s.act(p, 'cancel');
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: false,
      cancelledTimeMillis: T0,
      cancelReason: 0,
    });
    await s.act(p, 'restore');
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: true,
      cancelledTimeMillis: null,
      cancelReason: null,
      nextPaymentTimeMillis: T0 + PERIOD,
    });
    await s.refused(p, 'restore');
    const m = await s.buy({ type: 'auto', productId: 'vip' });
    await s.act(m, 'cancel');
    await s.act(m, 'restore');
    expect(await s.detail(m, 'auto')).toMatchObject({ autoRenewing: true, cancelledTime: null });
    s.at(T0 + PERIOD + DAY_MS);
    expect((await s.periods(m)).length).toBe(2);
  });

  it('a cancel in grace cancels at once (as cancelSubscription does); it cannot be restored', async () => {
    const p = await s.buy();
    await s.act(p, 'grace');
    s.at(T0 + DAY_MS);
    await s.act(p, 'cancel');
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: false,
      paymentState: null,
      expiryTimeMillis: T0 + DAY_MS,
      cancelledTimeMillis: T0 + DAY_MS,
      cancelReason: 0,
    });
    await s.refused(p, 'restore');
  });

  it('refuses actions the state does not allow (400)', async () => {
    const p = await s.buy();
    for (const action of ['recover', 'resume', 'agreePriceChange', 'restore']) await s.refused(p, action);
    await s.refused(p, 'changePlan', { mode: 'DEFERRED' });
    await s.refused(p, 'changePlan', { productId: 'x', mode: 'LATER' });
    const m = await s.buy({ type: 'auto', productId: 'vip' });
    for (const action of ['grace', 'hold', 'priceChange', 'changePlan']) await s.refused(m, action);
  });
});
