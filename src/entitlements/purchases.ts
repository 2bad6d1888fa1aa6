import type { nhncloud, onestore } from '../stores/index.js';
import type { Entitlement, Market, PurchaseRecord } from './records.js';
import type { TimeBasis } from './time-basis.js';

/** The store cancels a purchase neither acknowledged nor consumed within 3 days (document 002). */
export const ACKNOWLEDGE_WINDOW_MS = 3 * 86_400_000;

interface OneStoreContext {
  app: string;
  market: Market;
  time: TimeBasis;
}

/**
 * A managed product is usable while it is purchased and not yet consumed: a consumed consumable was
 * delivered already, so replaying its token entitles to nothing more.
 */
export function managedEntitlement(purchased: boolean, consumed: boolean): Entitlement {
  if (!purchased) return { active: false, expiresAt: null, reason: 'CANCELLED' };
  if (consumed) return { active: false, expiresAt: null, reason: 'CONSUMED' };
  return { active: true, expiresAt: null, reason: 'PURCHASED' };
}

function deadline(purchasedAt: Date, purchased: boolean, acknowledged: boolean): Date | null {
  return purchased && !acknowledged ? new Date(purchasedAt.getTime() + ACKNOWLEDGE_WINDOW_MS) : null;
}

export function fromPurchaseDetails(
  details: onestore.PurchaseDetails,
  ref: { productId: string; purchaseToken: string },
  ctx: OneStoreContext,
): PurchaseRecord {
  const purchased = details.purchaseState === 0;
  const consumed = details.consumptionState === 1;
  const acknowledged = details.acknowledgeState === 1;
  const purchasedAt = ctx.time.toUtc(details.purchaseTime);
  return {
    store: 'ONESTORE',
    app: ctx.app,
    kind: 'ONESTORE_MANAGED',
    productId: ref.productId,
    purchaseToken: ref.purchaseToken,
    purchaseId: details.purchaseId,
    orderId: null,
    market: ctx.market,
    quantity: details.quantity,
    purchaseState: purchased ? 'PURCHASED' : 'CANCELLED',
    consumptionState: consumed ? 'CONSUMED' : 'NOT_CONSUMED',
    acknowledgementState: acknowledged ? 'ACKNOWLEDGED' : 'NOT_ACKNOWLEDGED',
    developerPayload: details.developerPayload,
    purchasedAt,
    acknowledgeDeadline: deadline(purchasedAt, purchased, acknowledged || consumed),
    paymentSeq: null,
    itemSeq: null,
    price: null,
    storeTimes: ctx.time.collect({ purchaseTime: details.purchaseTime }),
    entitlement: managedEntitlement(purchased, consumed),
  };
}

/** An unconfirmed purchase is, by definition, neither acknowledged nor consumed. */
export function fromUnconfirmed(item: onestore.UnconfirmedPurchase, ctx: OneStoreContext): PurchaseRecord {
  const purchased = item.purchaseState === 0;
  const purchasedAt = ctx.time.toUtc(item.purchaseTime);
  const market =
    item.marketCode === 'MKT_GLB' || item.marketCode === 'MKT_ONE' ? item.marketCode : ctx.market;
  return {
    store: 'ONESTORE',
    app: ctx.app,
    kind: item.type === 'auto' ? 'ONESTORE_MONTHLY' : 'ONESTORE_MANAGED',
    productId: item.productId,
    purchaseToken: item.purchaseToken,
    purchaseId: item.purchaseId,
    orderId: item.orderId,
    market,
    quantity: item.quantity,
    purchaseState: purchased ? 'PURCHASED' : 'CANCELLED',
    consumptionState: 'NOT_CONSUMED',
    acknowledgementState: 'NOT_ACKNOWLEDGED',
    developerPayload: item.developerPayload,
    purchasedAt,
    acknowledgeDeadline: deadline(purchasedAt, purchased, false),
    paymentSeq: null,
    itemSeq: null,
    price: null,
    storeTimes: ctx.time.collect({ purchaseTime: item.purchaseTime }),
    entitlement: managedEntitlement(purchased, false),
  };
}

/** An NHN Cloud payment in the unconsumed list: paid, and the item not yet delivered. */
export function fromNhnPayment(payment: nhncloud.ConsumablePayment, app: string): PurchaseRecord {
  return {
    store: 'NHN_CLOUD',
    app,
    kind: 'NHN_CLOUD_PAYMENT',
    productId: null,
    purchaseToken: payment.purchaseToken,
    purchaseId: null,
    orderId: null,
    market: null,
    quantity: 1,
    purchaseState: 'PURCHASED',
    consumptionState: 'NOT_CONSUMED',
    acknowledgementState: 'NOT_ACKNOWLEDGED',
    developerPayload: null,
    purchasedAt: null,
    acknowledgeDeadline: null,
    paymentSeq: payment.paymentSeq,
    itemSeq: payment.itemSeq,
    price: { amount: payment.price, amountMicros: null, currency: payment.currency },
    storeTimes: [],
    entitlement: { active: true, expiresAt: null, reason: 'UNCONSUMED_PAYMENT' },
  };
}
