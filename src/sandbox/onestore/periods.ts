import type { IdGenerator } from './ids.js';
import type {
  MonthlyPurchase,
  OneStorePurchase,
  Period,
  Price,
  SubscriptionPurchase,
  VoidedEntry,
} from './model.js';

type Recurring = MonthlyPurchase | SubscriptionPurchase;

/**
 * Starts a period: a new purchase id (each automatic payment is a purchase of its own, which the
 * voided list names when it is refunded), which becomes `lastPurchaseId`.
 */
export function openPeriod(
  p: Recurring,
  ids: IdGenerator,
  period: Omit<Period, 'purchaseId'>,
  purchaseId = ids.purchaseId(period.start),
): Period {
  const opened = { purchaseId, ...period };
  p.periods.push(opened);
  p.lastPurchaseId = purchaseId;
  return opened;
}

/** Periods that were charged (a refund does not make a period free): what a promotion counts. */
function chargedPeriods(p: SubscriptionPurchase): number {
  return p.periods.filter((period) => period.state !== 'free').length;
}

/** A price change the subscriber has not yet paid the new price of. */
function pendingChange(p: SubscriptionPurchase) {
  const change = p.priceChange;
  return change && !change.applied ? change : null;
}

/** The promotion price while the promotion's periods last, else the regular price. */
function chargeOf(p: SubscriptionPurchase, regular: Price): Price {
  const promotion = p.promotion;
  return promotion && chargedPeriods(p) < promotion.periods ? promotion.price : regular;
}

/**
 * nextPriceAmount: a pending price change shows its new price at once, though without consent the
 * renewals before the due date still charge the old one (the subscriber may agree until the first
 * automatic payment after the due date, document 002).
 */
export function shownNextPrice(p: SubscriptionPurchase): Price {
  return chargeOf(p, pendingChange(p)?.newPrice ?? p.regularPrice);
}

/** One automatic payment at `start`: the agreed new price becomes the regular price with it. */
export function chargePeriod(p: SubscriptionPurchase, ids: IdGenerator, start: number): void {
  const change = pendingChange(p);
  if (change?.agreement) {
    change.applied = true;
    p.regularPrice = change.newPrice;
  }
  const price = chargeOf(p, p.regularPrice);
  openPeriod(p, ids, { start, end: start + p.periodMs, price, state: 'paid' });
  p.price = price;
  p.paymentState = 1;
  p.status = 'active';
  p.expiryTime = start + p.periodMs;
  p.billingIssue = undefined;
}

/**
 * The automatic payment due at `at`. A price change not agreed by its due date stops renewal at the
 * first payment after that date: the subscription expires at the end of its paid period.
 */
export function renewAt(p: SubscriptionPurchase, ids: IdGenerator, at: number): void {
  const change = pendingChange(p);
  if (change && !change.agreement && at >= change.agreementDueDate) {
    p.status = 'expired';
    p.paymentState = null;
    return;
  }
  chargePeriod(p, ids, at);
}

/** Ends the access the last period gave: what a refund of it does to the purchase. */
function revokeLastPeriod(p: Recurring, at: number): void {
  p.voidedTime = at;
  if (p.type === 'auto') {
    p.lastPurchaseState = 1;
    p.autoRenewing = false;
  } else {
    p.status = 'cancelled';
    p.paymentState = null;
    p.expiryTime = Math.min(p.expiryTime, at);
    p.billingIssue = undefined;
  }
  p.cancelledTime = at;
  p.cancelReason = 1;
}

/**
 * The store refunds one period (default the last): it joins the voided list under its own
 * purchaseId. Refunding the last period ends the purchase's access; an earlier one changes nothing
 * else. Refunding a refunded period again does nothing. Answers false when no period has that id.
 */
export function refundPeriod(p: Recurring, at: number, voided: VoidedEntry[], purchaseId?: string): boolean {
  const last = p.periods.at(-1);
  const period = purchaseId === undefined ? last : p.periods.find((x) => x.purchaseId === purchaseId);
  if (!period) return false;
  if (period.state === 'refunded') return true;
  period.state = 'refunded';
  if (period === last) revokeLastPeriod(p, at);
  voided.push(voidedEntry(p, period.purchaseId, period.start, at));
  return true;
}

export function voidedEntry(
  p: OneStorePurchase,
  purchaseId: string,
  purchaseTime: number,
  voidedTime: number,
): VoidedEntry {
  return {
    clientId: p.clientId,
    purchaseId,
    purchaseTime,
    voidedTime,
    purchaseToken: p.purchaseToken,
    marketCode: p.market,
  };
}
