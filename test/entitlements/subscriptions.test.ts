import { describe, expect, it } from 'vitest';
import type { Market } from '../../src/entitlements/records.js';
import { fromMonthly, fromSubscription } from '../../src/entitlements/subscriptions.js';
import { TimeBasis } from '../../src/entitlements/time-basis.js';
import {
  recurringPurchaseDetailsSchema,
  type SubscriptionDetail,
  subscriptionDetailSchema,
} from '../../src/stores/onestore/schemas.js';
import * as doc from '../stores/fixtures/document-examples.js';

/**
 * The mapping of getSubscriptionDetail and the monthly detail onto the record (docs/entitlements.md),
 * from the document's own examples (the subscription one with its missing comma added), varied one
 * field at a time. MKT_ONE times are UTC+09 wall clock: 9 hours come off.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const KST = 9 * HOUR;
const EXAMPLE = subscriptionDetailSchema.parse(JSON.parse(doc.getSubscriptionDetailCommaAdded.body));
const MONTHLY = recurringPurchaseDetailsSchema.parse(JSON.parse(doc.getRecurringPurchaseDetails.body));
const ref = { productId: 'product01', purchaseToken: 'SANDBOXT000120004476' };

/** The example without its pause and cancellation: a running subscription, as most answers are. */
const RUNNING: SubscriptionDetail = {
  ...EXAMPLE,
  pauseStartTimeMillis: null,
  pauseEndTimeMillis: null,
  autoResumeTimeMillis: null,
  cancelledTimeMillis: null,
  cancelReason: null,
};

const ctx = (nowUtc: number, market: Market = 'MKT_ONE') => ({
  app: 'docs',
  market,
  time: new TimeBasis('market', market),
  now: new Date(nowUtc),
  ref,
});
/** The example's expiry, read in UTC (MKT_ONE). */
const EXPIRY = EXAMPLE.expiryTimeMillis - KST;
const utc = (storeMillis: number) => new Date(storeMillis - KST);
const read = (d: Partial<SubscriptionDetail>, now = EXPIRY - DAY) =>
  fromSubscription({ ...RUNNING, ...d }, ctx(now));

describe('getSubscriptionDetail example: every field on the record', () => {
  it('MKT_ONE: paused (its pause window started), promotion, price change, country; times 9 h back', () => {
    const r = fromSubscription(EXAMPLE, ctx(Date.UTC(2026, 0, 1)));
    const krw = (amount: string, amountMicros: string) => ({ amount, amountMicros, currency: 'KRW' });
    expect(r).toMatchObject({
      status: 'PAUSED',
      countryCode: 'KR',
      price: krw('100', '100000000'),
      nextPrice: krw('150', '150000000'),
      promotion: { price: krw('100', '100000000'), periods: 30 },
      priceChange: {
        seq: 1,
        previousPrice: krw('100', '100000000'),
        newPrice: krw('500', '500000000'),
        appliesAt: new Date(1625670000000 - KST),
        agreed: false,
        agreementDueAt: new Date(1345678920000 - KST),
      },
      // The payment was made at the promotion price.
      periodType: 'PROMOTION',
      // Not agreed, and its due time (2012 in the example) has passed.
      willRenew: false,
      billingIssueSince: null,
      startedAt: new Date(1623337199000 - KST),
      expiresAt: new Date(1625929199000 - KST),
      entitlement: { active: false, reason: 'PAUSED' },
    });
    expect(r.storeTimes).toContainEqual({ field: 'priceChange.applyTimeMillis', millis: 1625670000000 });
    expect(r.storeTimes).toContainEqual({
      field: 'priceChange.agreementDueDateTimeMillis',
      millis: 1345678920000,
    });
  });

  it('MKT_GLB: the same numbers are UTC already', () => {
    const r = fromSubscription(EXAMPLE, ctx(Date.UTC(2026, 0, 1), 'MKT_GLB'));
    expect(r.priceChange).toMatchObject({
      appliesAt: new Date(1625670000000),
      agreementDueAt: new Date(1345678920000),
    });
    expect(r.expiresAt).toEqual(new Date(1625929199000));
  });
});

describe('paymentState', () => {
  it('1 paid: ACTIVE; 2 free period: ACTIVE in a FREE_TRIAL period', () => {
    expect(read({ paymentState: 1 })).toMatchObject({
      status: 'ACTIVE',
      periodType: 'PROMOTION',
      billingIssueSince: null,
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
    expect(read({ paymentState: 2 })).toMatchObject({
      status: 'ACTIVE',
      periodType: 'FREE_TRIAL',
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
  });

  it('0 with paid time left (expiry = now included): IN_GRACE_PERIOD, still entitled', () => {
    for (const now of [EXPIRY - DAY, EXPIRY]) {
      // willRenew: the store still tries to take the payment (the example's lapsed price change aside).
      expect(read({ paymentState: 0, priceChange: null }, now)).toMatchObject({
        status: 'IN_GRACE_PERIOD',
        willRenew: true,
        billingIssueSince: utc(EXAMPLE.nextPaymentTimeMillis ?? 0),
        entitlement: { active: true, expiresAt: new Date(EXPIRY), reason: 'IN_GRACE_PERIOD' },
      });
    }
  });

  it('0 with the paid time run out: ON_HOLD, the entitlement ends', () => {
    expect(read({ paymentState: 0 }, EXPIRY + 1)).toMatchObject({
      status: 'ON_HOLD',
      billingIssueSince: new Date(1623337199000 - KST),
      entitlement: { active: false, expiresAt: new Date(EXPIRY), reason: 'ON_HOLD' },
    });
  });

  it('3: DEFERRED plan change, entitled until expiry, then EXPIRED', () => {
    expect(read({ paymentState: 3 })).toMatchObject({
      status: 'DEFERRED',
      entitlement: { active: true, reason: 'DEFERRED' },
    });
    expect(read({ paymentState: 3 }, EXPIRY + 1)).toMatchObject({
      status: 'DEFERRED',
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });

  it('null: EXPIRED, and never renews whatever autoRenewing says', () => {
    expect(read({ paymentState: null }, EXPIRY + 1)).toMatchObject({
      status: 'EXPIRED',
      willRenew: false,
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });
});

describe('willRenew and a price change', () => {
  const change = (agreement: boolean, due: number | null) => ({
    priceChange: { ...(EXAMPLE.priceChange ?? fail()), agreement, agreementDueDateTimeMillis: due },
  });
  const now = EXPIRY - DAY;
  const storeNow = now + KST;

  it('unagreed: renews until the due time, not after it', () => {
    expect(read(change(false, storeNow + 1), now).willRenew).toBe(true);
    expect(read(change(false, storeNow), now).willRenew).toBe(true);
    expect(read(change(false, storeNow - 1), now).willRenew).toBe(false);
  });

  it('agreed, or no due time given: autoRenewing stands', () => {
    expect(read(change(true, storeNow - DAY), now).willRenew).toBe(true);
    expect(read(change(false, null), now)).toMatchObject({
      willRenew: true,
      priceChange: { agreementDueAt: null },
    });
    expect(read({ ...change(true, storeNow + DAY), autoRenewing: false }, now)).toMatchObject({
      status: 'CANCEL_RESERVED',
      willRenew: false,
    });
  });

  it('no price change: null, and willRenew is autoRenewing', () => {
    expect(read({ priceChange: null })).toMatchObject({ priceChange: null, willRenew: true });
  });
});

describe('periodType and promotion', () => {
  it('PROMOTION only while the payment was the promotion price (micros compared as integers)', () => {
    expect(read({ priceAmount: '150', priceAmountMicros: '150000000' })).toMatchObject({
      periodType: 'NORMAL',
      promotion: { periods: 30 },
    });
    expect(read({ promotionPrice: null })).toMatchObject({ periodType: 'NORMAL', promotion: null });
    expect(read({ countryCode: null }).countryCode).toBeNull();
  });
});

describe('monthly (auto): the fields it does not have', () => {
  const expiry = MONTHLY.expiryTime - KST;
  const monthly = (d: Partial<typeof MONTHLY>, now: number) => fromMonthly({ ...MONTHLY, ...d }, ctx(now));

  it('no country, price change or promotion; NORMAL; willRenew while active and renewing', () => {
    expect(monthly({}, expiry)).toMatchObject({
      countryCode: null,
      periodType: 'NORMAL',
      priceChange: null,
      promotion: null,
      billingIssueSince: null,
      willRenew: true,
    });
    expect(monthly({}, expiry + 1).willRenew).toBe(false);
    expect(monthly({ autoRenewing: false }, expiry).willRenew).toBe(false);
    expect(monthly({ lastPurchaseState: 1 }, expiry).willRenew).toBe(false);
  });
});

function fail(): never {
  throw new Error('the example has a priceChange');
}
