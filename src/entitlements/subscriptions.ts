import type { onestore } from '../stores/index.js';
import type {
  Entitlement,
  Market,
  Money,
  PeriodType,
  PriceChange,
  Promotion,
  SubscriptionRecord,
  SubscriptionStatus,
} from './records.js';
import type { TimeBasis } from './time-basis.js';

interface Context {
  app: string;
  market: Market;
  time: TimeBasis;
  now: Date;
  ref: { productId: string; purchaseToken: string };
}

const USABLE: ReadonlySet<SubscriptionStatus> = new Set([
  'ACTIVE',
  'CANCEL_RESERVED',
  'PAUSE_RESERVED',
  'PAYMENT_PENDING',
  'IN_GRACE_PERIOD',
  'DEFERRED',
]);

/** Nothing more will be paid on these: the subscription is over. */
const TERMINAL: ReadonlySet<SubscriptionStatus> = new Set(['CANCELLED', 'EXPIRED']);

const REASON: Record<SubscriptionStatus, Entitlement['reason']> = {
  ACTIVE: 'SUBSCRIPTION_ACTIVE',
  CANCEL_RESERVED: 'CANCEL_RESERVED',
  PAUSE_RESERVED: 'PAUSE_RESERVED',
  PAYMENT_PENDING: 'PAYMENT_PENDING',
  PAUSED: 'PAUSED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  IN_GRACE_PERIOD: 'IN_GRACE_PERIOD',
  ON_HOLD: 'ON_HOLD',
  DEFERRED: 'DEFERRED',
};

/** Usable while the status allows it and the paid period has not run out. */
function entitlementOf(status: SubscriptionStatus, expiresAt: Date, now: Date): Entitlement {
  if (USABLE.has(status) && expiresAt.getTime() >= now.getTime()) {
    return { active: true, expiresAt, reason: REASON[status] };
  }
  const reason = USABLE.has(status) ? 'EXPIRED' : REASON[status];
  return { active: false, expiresAt, reason };
}

const cancelReasonOf = (code: 0 | 1 | null) =>
  code === 0 ? 'CUSTOMER_REQUEST' : code === 1 ? 'OTHER' : null;

/**
 * 월정액 (monthly, `auto`): the document's rule, `expiryTime >= now AND lastPurchaseState == 0`.
 * A cancelled last payment is CANCELLED; stopped auto-payment with time left is CANCEL_RESERVED.
 */
export function fromMonthly(d: onestore.RecurringPurchaseDetails, ctx: Context): SubscriptionRecord {
  const expiresAt = ctx.time.toUtc(d.expiryTime);
  const stillPaid = expiresAt.getTime() >= ctx.now.getTime();
  let status: SubscriptionStatus;
  if (d.lastPurchaseState === 1) status = 'CANCELLED';
  else if (!stillPaid) status = 'EXPIRED';
  else status = d.autoRenewing ? 'ACTIVE' : 'CANCEL_RESERVED';
  const entitlement: Entitlement =
    d.lastPurchaseState === 0 && stillPaid
      ? { active: true, expiresAt, reason: REASON[status] }
      : { active: false, expiresAt, reason: REASON[status] };
  return {
    store: 'ONESTORE',
    app: ctx.app,
    kind: 'MONTHLY',
    ...ctx.ref,
    market: ctx.market,
    status,
    autoRenewing: d.autoRenewing,
    acknowledgementState: d.acknowledgeState === 1 ? 'ACKNOWLEDGED' : 'NOT_ACKNOWLEDGED',
    lastPurchaseId: d.lastPurchaseId,
    developerPayload: null,
    startedAt: ctx.time.toUtc(d.startTime),
    expiresAt,
    nextPaymentAt: d.autoRenewing ? ctx.time.toUtcOrNull(d.nextPaymentTime) : null,
    cancelledAt: ctx.time.toUtcOrNull(d.cancelledTime),
    cancelReason: cancelReasonOf(d.cancelReason),
    pauseStartsAt: null,
    pauseEndsAt: null,
    autoResumeAt: null,
    price: null,
    nextPrice: null,
    linkedPurchaseToken: null,
    countryCode: null,
    periodType: 'NORMAL',
    willRenew: d.autoRenewing && entitlement.active,
    billingIssueSince: null,
    priceChange: null,
    promotion: null,
    storeTimes: ctx.time.collect({
      startTime: d.startTime,
      expiryTime: d.expiryTime,
      nextPaymentTime: d.nextPaymentTime,
      cancelledTime: d.cancelledTime,
    }),
    entitlement,
  };
}

function money(amount: string | null, micros: string | null, currency: string): Money | null {
  return amount === null ? null : { amount, amountMicros: micros, currency };
}

/**
 * 구독형: the status is read from the fields the document gives. paymentState null = expired (or
 * cancelled, when the paid time ended at the cancellation); a pause window = paused or pause reserved;
 * autoRenewing false = cancellation reserved; paymentState 0 = payment not completed: in grace
 * (결제유예) while the paid time has not run out, on hold (계정보류) once it has (the document has no
 * field naming which; docs/entitlements.md); paymentState 3 = a DEFERRED plan change; 1 and 2 (a free
 * period) = active.
 */
export function subscriptionStatus(
  d: onestore.SubscriptionDetail,
  now: Date,
  time: TimeBasis,
): SubscriptionStatus {
  // The pause fields exist only while a pause is reserved or running (document 002); a running
  // pause has no paid period, so paymentState may be null then: read the pause first.
  const pauseStart = time.toUtcOrNull(d.pauseStartTimeMillis);
  if (pauseStart) return now.getTime() >= pauseStart.getTime() ? 'PAUSED' : 'PAUSE_RESERVED';
  if (d.paymentState === null) {
    // Cancelled at once (paid time cut short at the cancellation) versus run out after a reservation.
    const cut = d.cancelledTimeMillis !== null && d.expiryTimeMillis <= d.cancelledTimeMillis;
    return cut ? 'CANCELLED' : 'EXPIRED';
  }
  if (!d.autoRenewing) return 'CANCEL_RESERVED';
  if (d.paymentState === 0) {
    return time.toUtc(d.expiryTimeMillis).getTime() >= now.getTime() ? 'IN_GRACE_PERIOD' : 'ON_HOLD';
  }
  if (d.paymentState === 3) return 'DEFERRED';
  return 'ACTIVE';
}

export function fromSubscription(d: onestore.SubscriptionDetail, ctx: Context): SubscriptionRecord {
  const expiresAt = ctx.time.toUtc(d.expiryTimeMillis);
  const status = subscriptionStatus(d, ctx.now, ctx.time);
  const nextPaymentAt = ctx.time.toUtcOrNull(d.nextPaymentTimeMillis);
  const priceChange = priceChangeOf(d, ctx.time);
  const promotion = promotionOf(d);
  return {
    store: 'ONESTORE',
    app: ctx.app,
    kind: 'SUBSCRIPTION',
    ...ctx.ref,
    market: ctx.market,
    status,
    autoRenewing: d.autoRenewing,
    acknowledgementState: d.acknowledgementState === 1 ? 'ACKNOWLEDGED' : 'NOT_ACKNOWLEDGED',
    lastPurchaseId: d.lastPurchaseId,
    developerPayload: d.developerPayload,
    startedAt: ctx.time.toUtc(d.startTimeMillis),
    expiresAt,
    nextPaymentAt,
    cancelledAt: ctx.time.toUtcOrNull(d.cancelledTimeMillis),
    cancelReason: cancelReasonOf(d.cancelReason),
    pauseStartsAt: ctx.time.toUtcOrNull(d.pauseStartTimeMillis),
    pauseEndsAt: ctx.time.toUtcOrNull(d.pauseEndTimeMillis),
    autoResumeAt: ctx.time.toUtcOrNull(d.autoResumeTimeMillis),
    price: money(d.priceAmount, d.priceAmountMicros, d.priceCurrencyCode),
    nextPrice: money(d.nextPriceAmount, d.nextPriceAmountMicros, d.priceCurrencyCode),
    linkedPurchaseToken: d.linkedPurchaseToken,
    countryCode: d.countryCode,
    periodType: periodTypeOf(d),
    willRenew: willRenew(d.autoRenewing, status, priceChange, ctx.now),
    billingIssueSince: d.paymentState === 0 ? nextPaymentAt : null,
    priceChange,
    promotion,
    storeTimes: ctx.time.collect({
      startTimeMillis: d.startTimeMillis,
      expiryTimeMillis: d.expiryTimeMillis,
      nextPaymentTimeMillis: d.nextPaymentTimeMillis,
      pauseStartTimeMillis: d.pauseStartTimeMillis,
      pauseEndTimeMillis: d.pauseEndTimeMillis,
      autoResumeTimeMillis: d.autoResumeTimeMillis,
      cancelledTimeMillis: d.cancelledTimeMillis,
      'priceChange.applyTimeMillis': d.priceChange?.applyTimeMillis,
      'priceChange.agreementDueDateTimeMillis': d.priceChange?.agreementDueDateTimeMillis,
    }),
    entitlement: entitlementOf(status, expiresAt, ctx.now),
  };
}

function priceChangeOf(d: onestore.SubscriptionDetail, time: TimeBasis): PriceChange | null {
  const c = d.priceChange;
  if (!c) return null;
  const currency = d.priceCurrencyCode;
  return {
    seq: c.seq,
    previousPrice: { amount: c.previousPrice, amountMicros: c.previousPriceMicros, currency },
    newPrice: { amount: c.newPrice, amountMicros: c.newPriceMicros, currency },
    appliesAt: time.toUtc(c.applyTimeMillis),
    agreed: c.agreement,
    agreementDueAt: time.toUtcOrNull(c.agreementDueDateTimeMillis),
  };
}

function promotionOf(d: onestore.SubscriptionDetail): Promotion | null {
  const p = d.promotionPrice;
  if (!p) return null;
  return {
    price: { amount: p.promotionPrice, amountMicros: p.promotionPriceMicros, currency: d.priceCurrencyCode },
    periods: p.promotionPeriod,
  };
}

/**
 * paymentState 2 is the free period. promotionPeriod counts rounds, and the document gives no count of
 * rounds paid so far, so a promotion period is recognised by its price: the current payment
 * (priceAmountMicros) equals the promotion price. A promotion priced like the normal price cannot be
 * told apart (docs/entitlements.md).
 */
function periodTypeOf(d: onestore.SubscriptionDetail): PeriodType {
  if (d.paymentState === 2) return 'FREE_TRIAL';
  const promotion = d.promotionPrice;
  // Micros compared as integers: the store may write "100000000" or 100000000.
  if (promotion && BigInt(promotion.promotionPriceMicros) === BigInt(d.priceAmountMicros)) return 'PROMOTION';
  return 'NORMAL';
}

/**
 * The document: a subscriber may agree to a price change until the first automatic payment after its
 * due time; one who never agrees is not renewed. Past the due time unagreed reads as not renewing (an
 * agreement before that payment shows on the next read). Without a due time autoRenewing stands.
 */
function willRenew(
  autoRenewing: boolean,
  status: SubscriptionStatus,
  change: PriceChange | null,
  now: Date,
): boolean {
  if (!autoRenewing || TERMINAL.has(status)) return false;
  const lapsed = change?.agreementDueAt && change.agreementDueAt.getTime() < now.getTime();
  return !(change && !change.agreed && lapsed);
}
