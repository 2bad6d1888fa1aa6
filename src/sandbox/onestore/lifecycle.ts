import type { IdGenerator } from './ids.js';
import {
  ACK_DEADLINE_MS,
  type ManagedPurchase,
  type MonthlyPurchase,
  type OneStorePurchase,
  type SubscriptionPurchase,
  type VoidedEntry,
} from './model.js';
import { openPeriod, refundPeriod, renewAt, voidedEntry } from './periods.js';

/**
 * Time-driven transitions, applied lazily whenever a purchase is read, so that moving the
 * sandbox clock has the same effect as waiting: the 3-day acknowledgement rule, renewals (one
 * purchase id per period), expiry, the start and end of a pause, grace running out into hold and
 * hold into expiry.
 */
export function settle(p: OneStorePurchase, now: number, ids: IdGenerator, voided: VoidedEntry[]): void {
  switch (p.type) {
    case 'inapp':
      settleManaged(p, now, voided);
      break;
    case 'auto':
      settleMonthly(p, now, ids, voided);
      break;
    case 'subscription':
      while (subscriptionStep(p, now, ids)) {
        // Each step moves the subscription past a moment at or before `now`; repeat until none is due.
      }
      break;
  }
}

function settleManaged(p: ManagedPurchase, now: number, voided: VoidedEntry[]): void {
  const deadline = p.purchaseTime + ACK_DEADLINE_MS;
  // A consumed purchase counts as acknowledged (the document), so only untouched ones are cancelled.
  if (p.purchaseState === 0 && p.acknowledgeState === 0 && p.consumptionState === 0 && now >= deadline) {
    voidPurchase(p, deadline, voided);
  }
}

function settleMonthly(p: MonthlyPurchase, now: number, ids: IdGenerator, voided: VoidedEntry[]): void {
  if (p.lastPurchaseState !== 0) return;
  const deadline = p.purchaseTime + ACK_DEADLINE_MS;
  if (p.acknowledgeState === 0 && now >= deadline) {
    voidPurchase(p, deadline, voided);
    return;
  }
  while (p.autoRenewing && now >= p.nextPaymentTime) {
    const start = p.nextPaymentTime;
    p.expiryTime = start + p.periodMs - 1;
    p.nextPaymentTime = start + p.periodMs;
    openPeriod(p, ids, { start, end: p.expiryTime, price: p.price, state: 'paid' });
  }
}

/** One due transition of a subscription at or before `now`; false when none is due. */
function subscriptionStep(p: SubscriptionPurchase, now: number, ids: IdGenerator): boolean {
  switch (p.status) {
    case 'pauseReserved':
      if (now < p.expiryTime) return false;
      p.status = 'paused';
      p.paymentState = null;
      return true;
    case 'paused':
      if (p.pauseEndTime === undefined || now < p.pauseEndTime) return false;
      // Auto-resume: a new payment starts a new period at the end of the pause.
      endPause(p);
      renewAt(p, ids, p.expiryTime);
      return true;
    case 'active':
    case 'deferred':
      if (now < p.expiryTime) return false;
      renewAt(p, ids, p.expiryTime);
      return true;
    case 'grace':
      if (!p.billingIssue || now < p.billingIssue.graceEnd) return false;
      // No recovery within the grace period: 계정보류, the access ends (expiryTime is now past).
      p.status = 'onHold';
      return true;
    case 'onHold':
      if (!p.billingIssue || now < p.billingIssue.holdEnd) return false;
      expire(p);
      return true;
    case 'cancelReserved':
      if (now < p.expiryTime) return false;
      expire(p);
      return true;
    case 'cancelled':
    case 'expired':
      return false;
  }
}

/** The pause is over: the next payment is due at its end (moved into expiryTime for renewAt). */
export function endPause(p: SubscriptionPurchase): void {
  if (p.pauseEndTime !== undefined) p.expiryTime = p.pauseEndTime;
  p.status = 'active';
  p.pauseStartTime = undefined;
  p.pauseEndTime = undefined;
}

export function expire(p: SubscriptionPurchase): void {
  p.status = 'expired';
  p.paymentState = null;
  p.billingIssue = undefined;
}

/**
 * The store takes the purchase back (refund, or not acknowledged in time): it joins the voided
 * list. For monthly products and subscriptions it is the last period that is refunded.
 */
export function voidPurchase(p: OneStorePurchase, at: number, voided: VoidedEntry[]): void {
  if (p.voidedTime !== undefined) return;
  if (p.type !== 'inapp') {
    refundPeriod(p, at, voided);
    return;
  }
  p.voidedTime = at;
  p.purchaseState = 1;
  voided.push(voidedEntry(p, p.purchaseId, p.purchaseTime, at));
}
