import type { IdGenerator } from './ids.js';
import {
  ACK_DEADLINE_MS,
  type ManagedPurchase,
  type MonthlyPurchase,
  type OneStorePurchase,
  type SubscriptionPurchase,
  type VoidedEntry,
} from './model.js';

/**
 * Time-driven transitions, applied lazily whenever a purchase is read, so that moving the
 * sandbox clock has the same effect as waiting: the 3-day acknowledgement rule, renewals,
 * expiry, and the start and end of a pause.
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
      settleSubscription(p, now, ids);
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
  if (p.autoRenewing && now >= p.nextPaymentTime) {
    const periods = Math.floor((now - p.nextPaymentTime) / p.periodMs) + 1;
    p.expiryTime += periods * p.periodMs;
    p.nextPaymentTime += periods * p.periodMs;
    p.lastPurchaseId = ids.purchaseId(now);
  }
}

function settleSubscription(p: SubscriptionPurchase, now: number, ids: IdGenerator): void {
  if (p.status === 'pauseReserved' && now >= p.expiryTime) {
    p.status = 'paused';
    p.paymentState = null;
  }
  if (p.status === 'paused' && p.pauseEndTime !== undefined && now >= p.pauseEndTime) {
    // Auto-resume: a new payment starts a new period at the end of the pause.
    p.status = 'active';
    p.paymentState = 1;
    p.expiryTime = p.pauseEndTime + p.periodMs;
    p.lastPurchaseId = ids.purchaseId(p.pauseEndTime);
    p.pauseStartTime = undefined;
    p.pauseEndTime = undefined;
  }
  if (p.status === 'active' && now >= p.expiryTime) {
    const periods = Math.floor((now - p.expiryTime) / p.periodMs) + 1;
    p.expiryTime += periods * p.periodMs;
    p.paymentState = 1;
    p.lastPurchaseId = ids.purchaseId(now);
    p.price = p.nextPrice;
  }
  if (p.status === 'cancelReserved' && now >= p.expiryTime) {
    p.status = 'expired';
    p.paymentState = null;
  }
}

/** The store takes the purchase back (refund, or not acknowledged in time): it joins the voided list. */
export function voidPurchase(p: OneStorePurchase, at: number, voided: VoidedEntry[]): void {
  if (p.voidedTime !== undefined) return;
  p.voidedTime = at;
  switch (p.type) {
    case 'inapp':
      p.purchaseState = 1;
      break;
    case 'auto':
      p.lastPurchaseState = 1;
      p.autoRenewing = false;
      p.cancelledTime = at;
      p.cancelReason = 1;
      break;
    case 'subscription':
      p.status = 'cancelled';
      p.paymentState = null;
      p.expiryTime = Math.min(p.expiryTime, at);
      p.cancelledTime = at;
      p.cancelReason = 1;
      break;
  }
  voided.push({
    clientId: p.clientId,
    purchaseId: p.purchaseId,
    purchaseTime: p.purchaseTime,
    voidedTime: at,
    purchaseToken: p.purchaseToken,
    marketCode: p.market,
  });
}
