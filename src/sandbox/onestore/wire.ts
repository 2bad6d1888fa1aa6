import type {
  ManagedPurchase,
  Market,
  MonthlyPurchase,
  OneStorePurchase,
  SubscriptionPurchase,
  VoidedEntry,
} from './model.js';
import { shownNextPrice } from './periods.js';

/**
 * The document: "times in server API responses are based on UTC+09 for MKT_ONE and UTC+00 for
 * MKT_GLB". The sandbox reads this literally: under MKT_ONE a millisecond value is the Korean
 * wall-clock time written as if it were UTC (true epoch + 9 h); under MKT_GLB it is the true epoch.
 * The request's x-market-code decides, for responses and for startTime/endTime query values alike.
 */
export class WireTimeBasis {
  /** @param mktOneOffsetMinutes shift applied under MKT_ONE; default 540 (UTC+09). 0 = plain epoch. */
  constructor(readonly mktOneOffsetMinutes = 540) {}

  toWire(ms: number, market: Market): number {
    return market === 'MKT_ONE' ? ms + this.mktOneOffsetMinutes * 60_000 : ms;
  }

  fromWire(ms: number, market: Market): number {
    return market === 'MKT_ONE' ? ms - this.mktOneOffsetMinutes * 60_000 : ms;
  }

  optional(ms: number | undefined, market: Market): number | null {
    return ms === undefined ? null : this.toWire(ms, market);
  }
}

export function managedDetails(p: ManagedPurchase, t: WireTimeBasis, m: Market) {
  return {
    consumptionState: p.consumptionState,
    developerPayload: p.developerPayload,
    purchaseState: p.purchaseState,
    purchaseTime: t.toWire(p.purchaseTime, m),
    purchaseId: p.purchaseId,
    acknowledgeState: p.acknowledgeState,
    quantity: p.quantity,
  };
}

export function monthlyDetails(p: MonthlyPurchase, t: WireTimeBasis, m: Market) {
  return {
    startTime: t.toWire(p.startTime, m),
    expiryTime: t.toWire(p.expiryTime, m),
    nextPaymentTime: t.toWire(p.nextPaymentTime, m),
    autoRenewing: p.autoRenewing,
    cancelReason: p.cancelReason ?? null,
    cancelledTime: t.optional(p.cancelledTime, m),
    acknowledgeState: p.acknowledgeState,
    lastPurchaseId: p.lastPurchaseId,
    lastPurchaseState: p.lastPurchaseState,
  };
}

const RENEWING = new Set(['active', 'pauseReserved', 'paused', 'grace', 'onHold', 'deferred']);

/**
 * When the next payment is due: after a pause, at a period's end. In grace and on hold it stays the
 * due time of the payment that failed (the store retries that payment; the document does not say what
 * it shows then, and this sandbox's reading keeps one value from grace to hold).
 */
function nextPaymentOf(p: SubscriptionPurchase): number | undefined {
  switch (p.status) {
    case 'paused':
    case 'pauseReserved':
      return p.pauseEndTime;
    case 'grace':
    case 'onHold':
      return p.billingIssue?.since;
    case 'active':
    case 'deferred':
      return p.expiryTime;
    default:
      return undefined;
  }
}

/**
 * getSubscriptionDetail, every field of the document's table in its order and type: amounts as
 * decimal strings, micros as numbers, absent values null. countryCode is "KR" in both markets: the
 * table says "국가코드(KR 고정)" and names no other value for MKT_GLB.
 */
export function subscriptionDetail(p: SubscriptionPurchase, t: WireTimeBasis, m: Market) {
  const renewing = RENEWING.has(p.status);
  const paused = p.status === 'paused' || p.status === 'pauseReserved';
  const next = renewing ? shownNextPrice(p) : null;
  const change = p.priceChange;
  return {
    acknowledgementState: p.acknowledgementState,
    developerPayload: p.developerPayload,
    // 구독해지예약, 해지, 만료: false; 나머지: true.
    autoRenewing: renewing,
    paymentState: p.paymentState,
    priceAmount: p.price.amount,
    priceAmountMicros: p.price.micros,
    nextPriceAmount: next?.amount ?? null,
    nextPriceAmountMicros: next?.micros ?? null,
    nextPaymentTimeMillis: t.optional(nextPaymentOf(p), m),
    priceCurrencyCode: p.currency,
    countryCode: 'KR',
    startTimeMillis: t.toWire(p.startTime, m),
    expiryTimeMillis: t.toWire(p.expiryTime, m),
    pauseStartTimeMillis: paused ? t.optional(p.pauseStartTime, m) : null,
    pauseEndTimeMillis: paused ? t.optional(p.pauseEndTime, m) : null,
    // 일시정지 예약/확정/일시정지중: 다음결제일 + 일시정지일자, i.e. the end of the pause.
    autoResumeTimeMillis: paused ? t.optional(p.pauseEndTime, m) : null,
    linkedPurchaseToken: p.linkedPurchaseToken,
    lastPurchaseId: p.lastPurchaseId,
    cancelledTimeMillis: t.optional(p.cancelledTime, m),
    cancelReason: p.cancelReason ?? null,
    promotionPrice: p.promotion
      ? {
          promotionPrice: p.promotion.price.amount,
          promotionPriceMicros: p.promotion.price.micros,
          promotionPeriod: p.promotion.periods,
        }
      : null,
    priceChange: change
      ? {
          seq: change.seq,
          previousPrice: change.previousPrice.amount,
          previousPriceMicros: change.previousPrice.micros,
          newPrice: change.newPrice.amount,
          newPriceMicros: change.newPrice.micros,
          applyTimeMillis: t.toWire(change.applyTime, m),
          agreement: change.agreement,
          agreementDueDateTimeMillis: t.toWire(change.agreementDueDate, m),
        }
      : null,
  };
}

export function voidedItem(v: VoidedEntry, t: WireTimeBasis, m: Market) {
  return {
    purchaseId: v.purchaseId,
    purchaseTime: t.toWire(v.purchaseTime, m),
    voidedTime: t.toWire(v.voidedTime, m),
    purchaseToken: v.purchaseToken,
    marketCode: v.marketCode,
  };
}

export function unconfirmedItem(
  p: Exclude<OneStorePurchase, SubscriptionPurchase>,
  t: WireTimeBasis,
  m: Market,
) {
  return {
    type: p.type,
    orderId: p.orderId,
    productId: p.productId,
    purchaseToken: p.purchaseToken,
    purchaseId: p.purchaseId,
    purchaseTime: t.toWire(p.purchaseTime, m),
    purchaseState: p.type === 'inapp' ? p.purchaseState : p.lastPurchaseState,
    developerPayload: p.developerPayload,
    quantity: p.type === 'inapp' ? p.quantity : 1,
    marketCode: p.market,
  };
}
