import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { DAY_MS } from './helpers.js';
import { PERIOD, subscriptionLife, T0 } from './subscription-life.js';

const h = useSandbox({ reset: true });
const s = subscriptionLife(h);
const KRW_1000 = { priceAmount: '1000', priceAmountMicros: 1_000_000_000 };

describe('renewals through the sandbox clock', () => {
  it('a year of a subscription: 12 periods, 12 distinct lastPurchaseIds, each in the history', async () => {
    const p = await s.buy();
    const seen: unknown[] = [];
    for (let n = 0; n < 12; n++) {
      s.at(T0 + n * PERIOD);
      const d = await s.detail(p);
      expect(d).toMatchObject({ paymentState: 1, expiryTimeMillis: T0 + (n + 1) * PERIOD, ...KRW_1000 });
      seen.push(d.lastPurchaseId);
    }
    expect(new Set(seen).size).toBe(12);
    expect(seen[0]).toBe(p.purchaseId);
    const periods = await s.periods(p);
    expect(periods.map((x) => x.purchaseId)).toEqual(seen);
    expect(periods[11]).toEqual({
      purchaseId: seen[11],
      start: T0 + 11 * PERIOD,
      end: T0 + 12 * PERIOD,
      price: { amount: '1000', micros: 1_000_000_000 },
      state: 'paid',
    });
  });

  it('one clock jump over eleven renewals still charges each period with its own purchaseId', async () => {
    const p = await s.buy();
    s.at(T0 + 11 * PERIOD + DAY_MS);
    const d = await s.detail(p);
    const periods = await s.periods(p);
    expect(periods.map((x) => x.start)).toEqual(Array.from({ length: 12 }, (_, n) => T0 + n * PERIOD));
    expect(new Set(periods.map((x) => x.purchaseId)).size).toBe(12);
    expect(d.lastPurchaseId).toBe(periods[11]?.purchaseId);
  });

  it('a year of a monthly product (auto): 12 distinct lastPurchaseIds', async () => {
    const p = await s.buy({ type: 'auto', productId: 'vip' });
    const seen: unknown[] = [];
    for (let n = 0; n < 12; n++) {
      s.at(T0 + n * PERIOD);
      const d = await s.detail(p, 'auto');
      expect(d).toMatchObject({ lastPurchaseState: 0, expiryTime: T0 + (n + 1) * PERIOD - 1 });
      seen.push(d.lastPurchaseId);
    }
    expect(new Set(seen).size).toBe(12);
    expect((await s.periods(p)).map((x) => x.purchaseId)).toEqual(seen);
  });
});

describe('billing failure: grace (결제유예), hold (계정보류), expiry', () => {
  it('grace keeps the access 7 days, then hold 30 days without access, then expiry', async () => {
    const p = await s.buy();
    const failed = T0 + 10 * DAY_MS;
    s.at(failed);
    await s.act(p, 'grace');
    const graceEnd = failed + 7 * DAY_MS;
    expect(await s.detail(p)).toEqual({
      acknowledgementState: 1,
      developerPayload: '',
      autoRenewing: true,
      paymentState: 0,
      ...KRW_1000,
      nextPriceAmount: '1000',
      nextPriceAmountMicros: 1_000_000_000,
      nextPaymentTimeMillis: failed,
      priceCurrencyCode: 'KRW',
      countryCode: 'KR',
      startTimeMillis: T0,
      expiryTimeMillis: graceEnd,
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
    s.at(graceEnd - 1);
    expect(await s.detail(p)).toMatchObject({ paymentState: 0, expiryTimeMillis: graceEnd });
    s.at(graceEnd);
    const holdEnd = graceEnd + 30 * DAY_MS;
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: true,
      paymentState: 0,
      expiryTimeMillis: graceEnd,
      nextPaymentTimeMillis: failed,
    });
    s.at(holdEnd - 1);
    expect((await s.detail(p)).paymentState).toBe(0);
    s.at(holdEnd);
    expect(await s.detail(p)).toMatchObject({
      autoRenewing: false,
      paymentState: null,
      expiryTimeMillis: graceEnd,
      nextPaymentTimeMillis: null,
      nextPriceAmount: null,
      lastPurchaseId: p.purchaseId,
    });
  });

  it('grace takes its length from days; hold ends the access at once for days (default 30)', async () => {
    const graced = await s.buy();
    await s.act(graced, 'grace', { days: 3 });
    expect(await s.detail(graced)).toMatchObject({ paymentState: 0, expiryTimeMillis: T0 + 3 * DAY_MS });
    const held = await s.buy();
    await s.act(held, 'hold');
    expect(await s.detail(held)).toMatchObject({
      autoRenewing: true,
      paymentState: 0,
      expiryTimeMillis: T0 - 1,
      // The failed payment's due time, kept through grace and hold (wire.ts).
      nextPaymentTimeMillis: T0,
    });
    const short = await s.buy();
    await s.act(short, 'hold', { days: 10 });
    s.at(T0 + 10 * DAY_MS);
    expect(await s.detail(short)).toMatchObject({ paymentState: null, autoRenewing: false });
    expect(await s.detail(held)).toMatchObject({ paymentState: 0 });
  });

  it('recover out of grace keeps the billing date; out of hold a new period starts now', async () => {
    const graced = await s.buy();
    const held = await s.buy();
    const failed = T0 + 5 * DAY_MS;
    s.at(failed);
    await s.act(graced, 'grace');
    await s.act(held, 'hold');
    const recovered = T0 + 8 * DAY_MS;
    s.at(recovered);
    await s.act(graced, 'recover');
    await s.act(held, 'recover');
    const g = await s.detail(graced);
    expect(g).toMatchObject({ paymentState: 1, autoRenewing: true, expiryTimeMillis: failed + PERIOD });
    expect(g.lastPurchaseId).not.toBe(graced.purchaseId);
    const hd = await s.detail(held);
    expect(hd).toMatchObject({ paymentState: 1, expiryTimeMillis: recovered + PERIOD });
    expect(hd.lastPurchaseId).not.toBe(held.purchaseId);
    expect((await s.periods(held)).map((x) => [x.start, x.end, x.state])).toEqual([
      [T0, failed, 'paid'],
      [recovered, recovered + PERIOD, 'paid'],
    ]);
    await s.refused(held, 'recover');
  });
});

describe('pause and resume', () => {
  it('resume before the pause starts drops the reservation; resume during it starts a new period now', async () => {
    const reserved = await s.buy();
    await s.act(reserved, 'pause', { days: 5 });
    expect(await s.detail(reserved)).toMatchObject({
      pauseStartTimeMillis: T0 + PERIOD,
      pauseEndTimeMillis: T0 + PERIOD + 5 * DAY_MS,
      autoResumeTimeMillis: T0 + PERIOD + 5 * DAY_MS,
      nextPaymentTimeMillis: T0 + PERIOD + 5 * DAY_MS,
    });
    await s.act(reserved, 'resume');
    expect(await s.detail(reserved)).toMatchObject({
      paymentState: 1,
      pauseStartTimeMillis: null,
      pauseEndTimeMillis: null,
      autoResumeTimeMillis: null,
      nextPaymentTimeMillis: T0 + PERIOD,
    });
    const paused = await s.buy();
    await s.act(paused, 'pause', { days: 20 });
    s.at(T0 + PERIOD + 2 * DAY_MS);
    expect(await s.detail(paused)).toMatchObject({ paymentState: null, autoRenewing: true });
    await s.act(paused, 'resume');
    const d = await s.detail(paused);
    expect(d).toMatchObject({
      paymentState: 1,
      expiryTimeMillis: T0 + PERIOD + 2 * DAY_MS + PERIOD,
      pauseStartTimeMillis: null,
      autoResumeTimeMillis: null,
    });
    expect(d.lastPurchaseId).not.toBe(paused.purchaseId);
    await s.refused(paused, 'resume');
  });
});

describe('free trials and promotions at creation', () => {
  it('a trial is a free first period (paymentState 2) with its own purchase id; then it is charged', async () => {
    const p = await s.buy({ trialDays: 7 });
    expect(await s.detail(p)).toMatchObject({
      paymentState: 2,
      priceAmount: '0',
      priceAmountMicros: 0,
      nextPriceAmount: '1000',
      lastPurchaseId: p.purchaseId,
      expiryTimeMillis: T0 + 7 * DAY_MS,
      nextPaymentTimeMillis: T0 + 7 * DAY_MS,
    });
    s.at(T0 + 7 * DAY_MS);
    const paid = await s.detail(p);
    expect(paid).toMatchObject({ paymentState: 1, ...KRW_1000, expiryTimeMillis: T0 + 7 * DAY_MS + PERIOD });
    expect(paid.lastPurchaseId).not.toBe(p.purchaseId);
    expect((await s.periods(p)).map((x) => x.state)).toEqual(['free', 'paid']);
  });

  it('a promotion charges its price for its periods (after a trial), served as promotionPrice', async () => {
    const p = await s.buy({ trialDays: 7, promotion: { price: '100', periods: 2 } });
    const promotionPrice = { promotionPrice: '100', promotionPriceMicros: 100_000_000, promotionPeriod: 2 };
    expect(await s.detail(p)).toMatchObject({ paymentState: 2, nextPriceAmount: '100', promotionPrice });
    const charged: unknown[] = [];
    for (let n = 0; n < 3; n++) {
      s.at(T0 + 7 * DAY_MS + n * PERIOD);
      const d = await s.detail(p);
      expect(d.promotionPrice).toEqual(promotionPrice);
      charged.push([d.priceAmount, d.priceAmountMicros, d.nextPriceAmount, d.nextPriceAmountMicros]);
    }
    expect(charged).toEqual([
      ['100', 100_000_000, '100', 100_000_000],
      ['100', 100_000_000, '1000', 1_000_000_000],
      ['1000', 1_000_000_000, '1000', 1_000_000_000],
    ]);
    const promoted = await s.buy({ promotion: { price: '0.5', periods: 1 } });
    expect(await s.detail(promoted)).toMatchObject({
      paymentState: 1,
      priceAmount: '0.5',
      priceAmountMicros: 500_000,
      nextPriceAmount: '1000',
    });
  });
});
