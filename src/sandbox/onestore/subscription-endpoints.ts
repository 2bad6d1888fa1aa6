import type { Reply } from '../http-io.js';
import { OneStoreFailure, successReply } from './codes.js';
import type { AuthorizedCall, OneStoreDeps } from './deps.js';
import type { SubscriptionPurchase } from './model.js';
import { lookup } from './purchase-endpoints.js';

function subscriptionOf(call: AuthorizedCall, deps: OneStoreDeps): SubscriptionPurchase {
  const p = lookup(call, deps, ['subscription']);
  if (!p) throw new OneStoreFailure('NoSuchData');
  return p;
}

/**
 * 구독결제 해지요청: a reservation (usable until expiry) unless the subscription is paused,
 * in grace (결제유예) or on hold (계정보류), where the document says it is cancelled at once.
 */
export function cancelSubscription(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = subscriptionOf(call, deps);
  switch (p.status) {
    case 'cancelled':
    case 'expired':
      throw new OneStoreFailure('InvalidPurchaseState');
    case 'cancelReserved':
      return successReply();
    case 'paused':
    case 'grace':
    case 'onHold':
      p.status = 'cancelled';
      p.paymentState = null;
      p.expiryTime = call.now;
      p.billingIssue = undefined;
      break;
    case 'active':
    case 'deferred':
    case 'pauseReserved':
      p.status = 'cancelReserved';
      break;
  }
  p.pauseStartTime = undefined;
  p.pauseEndTime = undefined;
  p.cancelledTime = call.now;
  p.cancelReason = 1;
  return successReply();
}

/** 해지 취소: undoes a reservation; an immediate cancellation cannot be undone (the document). */
export function reactivateSubscription(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = subscriptionOf(call, deps);
  if (p.status === 'cancelled' || p.status === 'expired') throw new OneStoreFailure('InvalidPurchaseState');
  if (p.status === 'cancelReserved') {
    p.status = 'active';
    p.cancelledTime = undefined;
    p.cancelReason = undefined;
  }
  return successReply();
}

/** deferPeriod: days (1-365) in production, minutes in the sandbox environment. */
export function deferSubscription(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const period = call.body.deferPeriod;
  if (period === undefined || period === null)
    throw new OneStoreFailure('RequiredValueNotExist', ['deferPeriod']);
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period > 365) {
    throw new OneStoreFailure('InvalidRequest', ['deferPeriod']);
  }
  const p = subscriptionOf(call, deps);
  if (p.status !== 'active') throw new OneStoreFailure('InvalidPurchaseState');
  p.expiryTime += period * deps.deferUnitMs;
  return successReply();
}
