import type { Reply } from '../http-io.js';
import { payloadOf } from './checks.js';
import { OneStoreFailure, successReply } from './codes.js';
import type { AuthorizedCall, OneStoreDeps } from './deps.js';
import type { ManagedPurchase, MonthlyPurchase, OneStorePurchase, ProductType } from './model.js';
import { managedDetails, monthlyDetails, subscriptionDetail } from './wire.js';

type Of<T extends ProductType> = Extract<OneStorePurchase, { type: T }>;

/** The call's purchase if it exists under this app, product, market and one of `types`. */
export function lookup<T extends ProductType>(
  call: AuthorizedCall,
  deps: OneStoreDeps,
  types: readonly T[],
): Of<T> | undefined {
  const p = deps.state.find(call.purchaseToken, call.now);
  if (!p || p.clientId !== call.clientId || p.productId !== call.productId || p.market !== call.market) {
    return undefined;
  }
  return (types as readonly ProductType[]).includes(p.type) ? (p as Of<T>) : undefined;
}

/** Detail lookups answer NoSuchData for a token of another product type, as the document says. */
function existing<T extends ProductType>(call: AuthorizedCall, deps: OneStoreDeps, type: T): Of<T> {
  const p = lookup(call, deps, [type]);
  if (!p) throw new OneStoreFailure('NoSuchData');
  return p;
}

export function getPurchaseDetails(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  return { status: 200, body: managedDetails(existing(call, deps, 'inapp'), deps.time, call.market) };
}

export function getRecurringPurchaseDetails(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  return { status: 200, body: monthlyDetails(existing(call, deps, 'auto'), deps.time, call.market) };
}

export function getSubscriptionDetail(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  return {
    status: 200,
    body: subscriptionDetail(existing(call, deps, 'subscription'), deps.time, call.market),
  };
}

function purchased(p: ManagedPurchase | MonthlyPurchase): boolean {
  return p.type === 'inapp' ? p.purchaseState === 0 : p.lastPurchaseState === 0;
}

function checkPayload(p: OneStorePurchase, call: AuthorizedCall): void {
  const payload = payloadOf(call.body);
  if (payload !== undefined && payload !== p.developerPayload)
    throw new OneStoreFailure('DeveloperPayloadNotMatch');
}

/**
 * `purchases/all/.../acknowledge` covers managed and monthly products (all = inapp + auto).
 * Acknowledging twice is answered Success: the document names no code for it and nothing changes.
 */
export function acknowledgePurchase(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = lookup(call, deps, ['inapp', 'auto']);
  if (!p || !purchased(p)) throw new OneStoreFailure('InvalidPurchaseState');
  checkPayload(p, call);
  p.acknowledgeState = 1;
  return successReply();
}

/** A consumed purchase also counts as acknowledged, so the 3-day rule no longer applies to it. */
export function consumePurchase(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = lookup(call, deps, ['inapp']);
  if (!p || !purchased(p)) throw new OneStoreFailure('InvalidPurchaseState');
  checkPayload(p, call);
  if (p.consumptionState === 1) throw new OneStoreFailure('InvalidConsumeState');
  p.consumptionState = 1;
  p.acknowledgeState = 1;
  return successReply();
}

/** A monthly product that was voided, or whose auto-payment stopped and whose time ran out. */
function monthlyOver(p: MonthlyPurchase, now: number): boolean {
  return p.lastPurchaseState !== 0 || (!p.autoRenewing && now > p.expiryTime);
}

/** Stops the auto-payment; the product stays usable until expiryTime. Repeating it is Success. */
export function cancelRecurringPurchase(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = existing(call, deps, 'auto');
  if (monthlyOver(p, call.now)) throw new OneStoreFailure('InvalidPurchaseState');
  if (p.autoRenewing) {
    p.autoRenewing = false;
    p.cancelledTime = call.now;
    // 1 = 기타 시스템 처리: the developer's server, not the customer, asked for it.
    p.cancelReason = 1;
  }
  return successReply();
}

export function reactivateRecurringPurchase(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const p = existing(call, deps, 'auto');
  if (monthlyOver(p, call.now)) throw new OneStoreFailure('InvalidPurchaseState');
  p.autoRenewing = true;
  p.cancelledTime = undefined;
  p.cancelReason = undefined;
  return successReply();
}
