import type { IdGenerator } from '../onestore/ids.js';
import { voidPurchase } from '../onestore/lifecycle.js';
import { DAY_MS, type OneStorePurchase, type VoidedEntry } from '../onestore/model.js';

export const ACTIONS = ['void', 'cancel', 'renew', 'expire', 'pause', 'grace', 'hold'] as const;
export type PurchaseAction = (typeof ACTIONS)[number];

export class ActionRefused extends Error {}

interface ActionContext {
  now: number;
  ids: IdGenerator;
  voided: VoidedEntry[];
  /** pause: days of pause; default 7. */
  days?: number;
}

/**
 * What the store or the customer can do to a purchase outside the server API, for tests to script:
 * void (refund: joins the voided list), cancel (the customer stops renewal; a managed product is
 * voided), renew (one renewal now, also out of grace/hold/expiry), expire, pause (reserved from the
 * next payment date), grace (결제유예) and hold (계정보류).
 */
export function applyAction(p: OneStorePurchase, action: PurchaseAction, ctx: ActionContext): void {
  const { now } = ctx;
  if (action === 'void' || (action === 'cancel' && p.type === 'inapp')) {
    voidPurchase(p, now, ctx.voided);
    return;
  }
  if (p.type === 'inapp') throw new ActionRefused(`${action} applies to monthly and subscription products`);
  if (p.voidedTime !== undefined) throw new ActionRefused('the purchase was voided');
  if (p.type === 'auto') {
    switch (action) {
      case 'cancel':
        p.autoRenewing = false;
        p.cancelledTime = now;
        p.cancelReason = 0;
        return;
      case 'renew':
        p.expiryTime = Math.max(p.expiryTime, now) + p.periodMs;
        p.nextPaymentTime = p.expiryTime + 1;
        p.lastPurchaseId = ctx.ids.purchaseId(now);
        p.autoRenewing = true;
        return;
      case 'expire':
        p.autoRenewing = false;
        p.expiryTime = now - 1;
        return;
      default:
        throw new ActionRefused(`${action} applies to subscription products`);
    }
  }
  switch (action) {
    case 'cancel':
      if (p.status === 'cancelled' || p.status === 'expired')
        throw new ActionRefused(`subscription is ${p.status}`);
      p.status = 'cancelReserved';
      p.cancelledTime = now;
      p.cancelReason = 0;
      return;
    case 'renew':
      p.status = 'active';
      p.paymentState = 1;
      p.expiryTime = Math.max(p.expiryTime, now) + p.periodMs;
      p.lastPurchaseId = ctx.ids.purchaseId(now);
      p.cancelledTime = undefined;
      p.cancelReason = undefined;
      return;
    case 'expire':
      p.status = 'expired';
      p.paymentState = null;
      p.expiryTime = now;
      return;
    case 'pause':
      if (p.status !== 'active') throw new ActionRefused(`subscription is ${p.status}`);
      p.status = 'pauseReserved';
      p.pauseStartTime = p.expiryTime;
      p.pauseEndTime = p.expiryTime + (ctx.days ?? 7) * DAY_MS;
      return;
    case 'grace':
    case 'hold':
      if (p.status === 'cancelled' || p.status === 'expired')
        throw new ActionRefused(`subscription is ${p.status}`);
      p.status = action === 'grace' ? 'grace' : 'onHold';
      p.paymentState = 0;
      return;
  }
}
