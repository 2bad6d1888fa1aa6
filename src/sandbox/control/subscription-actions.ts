import type { IdGenerator } from '../onestore/ids.js';
import { endPause, expire } from '../onestore/lifecycle.js';
import {
  DAY_MS,
  DEFAULT_GRACE_MS,
  DEFAULT_HOLD_MS,
  PRICE_AGREEMENT_MS,
  priceOf,
  type SubscriptionPurchase,
} from '../onestore/model.js';
import { chargePeriod, renewAt } from '../onestore/periods.js';
import type { NewPurchase } from '../onestore/state.js';

export class ActionRefused extends Error {}

/** The body fields of a control action (each action reads the ones it names). */
export interface ActionInput {
  /** pause: days of pause, default 7; grace: grace days, default 7; hold: hold days, default 30. */
  days?: number;
  /** void: the period to refund; default the last one. */
  purchaseId?: string;
  /** priceChange (required): the new decimal price. changePlan: the new plan's price; default the old one's. */
  price?: string;
  /** changePlan (required): the new plan's product id. */
  productId?: string;
  /** changePlan (required). */
  mode?: 'IMMEDIATE' | 'DEFERRED';
}

export interface SubscriptionContext {
  now: number;
  ids: IdGenerator;
  input: ActionInput;
  /** Makes a new purchase in the store (changePlan). */
  create: (input: NewPurchase) => SubscriptionPurchase;
}

function refuseUnless(p: SubscriptionPurchase, ...allowed: SubscriptionPurchase['status'][]): void {
  if (!allowed.includes(p.status)) throw new ActionRefused(`subscription is ${p.status}`);
}

const clearCancel = (p: SubscriptionPurchase) => {
  p.cancelledTime = undefined;
  p.cancelReason = undefined;
};

/**
 * The payment due now failed. The paid period ends now; `grace` keeps the access for the grace days
 * (expiryTime = the grace end), `hold` ends it at once (expiryTime 1 ms before now, so the rule
 * `expiryTime >= now` is already false); grace runs out into hold, hold into expiry (lifecycle.ts).
 */
function failPayment(p: SubscriptionPurchase, ctx: SubscriptionContext, onHold: boolean): void {
  const { now } = ctx;
  const days = ctx.input.days === undefined ? undefined : ctx.input.days * DAY_MS;
  const since = p.billingIssue?.since ?? now;
  const current = p.periods.at(-1);
  if (current && current.end > now) current.end = now;
  if (onHold) {
    p.status = 'onHold';
    p.expiryTime = Math.min(p.expiryTime, now - 1);
    p.billingIssue = { since, graceEnd: now, holdEnd: now + (days ?? DEFAULT_HOLD_MS) };
  } else {
    const graceEnd = now + (days ?? DEFAULT_GRACE_MS);
    p.status = 'grace';
    p.expiryTime = graceEnd;
    p.billingIssue = { since, graceEnd, holdEnd: graceEnd + DEFAULT_HOLD_MS };
  }
  p.paymentState = 0;
}

/**
 * The old plan's end and the new plan's purchase: IMMEDIATE cancels the old one now and charges the
 * new one now; DEFERRED lets the old one run to its expiry, the new one showing paymentState 3 until
 * then. Proration is not played: the new plan charges its full price.
 */
function changePlan(p: SubscriptionPurchase, ctx: SubscriptionContext): SubscriptionPurchase {
  const { productId, mode } = ctx.input;
  if (!productId || !mode) throw new ActionRefused('changePlan needs productId and mode');
  refuseUnless(p, 'active', 'cancelReserved', 'grace');
  const deferred = mode === 'DEFERRED';
  const created = ctx.create({
    clientId: p.clientId,
    productId,
    type: 'subscription',
    market: p.market,
    developerPayload: p.developerPayload,
    periodMs: p.periodMs,
    price: ctx.input.price ?? p.regularPrice.amount,
    currency: p.currency,
    linkedPurchaseToken: p.purchaseToken,
    ...(deferred && { deferredUntil: p.expiryTime }),
  });
  if (deferred) {
    p.status = 'cancelReserved';
  } else {
    p.status = 'cancelled';
    p.paymentState = null;
    p.expiryTime = ctx.now;
    p.billingIssue = undefined;
  }
  p.cancelledTime = ctx.now;
  p.cancelReason = 1;
  return created;
}

/** Subscription actions; changePlan answers the new subscription. */
export function applySubscriptionAction(
  p: SubscriptionPurchase,
  action: string,
  ctx: SubscriptionContext,
): SubscriptionPurchase | undefined {
  const { now, ids } = ctx;
  switch (action) {
    case 'cancel':
      refuseUnless(p, 'active', 'pauseReserved', 'paused', 'grace', 'onHold', 'deferred', 'cancelReserved');
      // As cancelSubscription: paused, in grace or on hold it is cancelled at once (document 002).
      if (p.status === 'paused' || p.status === 'grace' || p.status === 'onHold') {
        p.status = 'cancelled';
        p.paymentState = null;
        p.expiryTime = now;
        p.billingIssue = undefined;
      } else {
        p.status = 'cancelReserved';
      }
      p.pauseStartTime = undefined;
      p.pauseEndTime = undefined;
      p.cancelledTime = now;
      p.cancelReason = 0;
      return;
    case 'restore':
      refuseUnless(p, 'cancelReserved');
      p.status = 'active';
      clearCancel(p);
      return;
    case 'renew':
      chargePeriod(p, ids, Math.max(p.expiryTime, now));
      clearCancel(p);
      p.pauseStartTime = undefined;
      p.pauseEndTime = undefined;
      return;
    case 'expire':
      expire(p);
      p.expiryTime = now;
      return;
    case 'pause':
      refuseUnless(p, 'active');
      p.status = 'pauseReserved';
      p.pauseStartTime = p.expiryTime;
      p.pauseEndTime = p.expiryTime + (ctx.input.days ?? 7) * DAY_MS;
      return;
    case 'resume':
      refuseUnless(p, 'pauseReserved', 'paused');
      if (p.status === 'pauseReserved') {
        p.status = 'active';
        p.pauseStartTime = undefined;
        p.pauseEndTime = undefined;
      } else {
        endPause(p);
        renewAt(p, ids, now);
      }
      return;
    case 'grace':
      refuseUnless(p, 'active');
      failPayment(p, ctx, false);
      return;
    case 'hold':
      refuseUnless(p, 'active', 'grace');
      failPayment(p, ctx, true);
      return;
    case 'recover': {
      refuseUnless(p, 'grace', 'onHold');
      // Out of grace the billing date stays (the period starts when the failed payment was due); out
      // of hold the new period starts now.
      const since = p.billingIssue?.since ?? now;
      chargePeriod(p, ids, p.status === 'grace' ? since : now);
      return;
    }
    case 'priceChange': {
      if (ctx.input.price === undefined) throw new ActionRefused('priceChange needs price');
      refuseUnless(p, 'active', 'cancelReserved', 'pauseReserved', 'paused', 'grace', 'onHold', 'deferred');
      p.priceChange = {
        seq: (p.priceChange?.seq ?? 0) + 1,
        previousPrice: p.regularPrice,
        newPrice: priceOf(ctx.input.price),
        applyTime: now,
        agreement: false,
        agreementDueDate: now + PRICE_AGREEMENT_MS,
        applied: false,
      };
      return;
    }
    case 'agreePriceChange':
      if (!p.priceChange || p.priceChange.applied || p.priceChange.agreement)
        throw new ActionRefused('no price change waits for agreement');
      refuseUnless(p, 'active', 'cancelReserved', 'pauseReserved', 'paused', 'grace', 'onHold', 'deferred');
      p.priceChange.agreement = true;
      return;
    case 'changePlan':
      return changePlan(p, ctx);
    default:
      throw new ActionRefused(`${action} applies to other product types`);
  }
}
