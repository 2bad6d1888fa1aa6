import type { Money, SubscriptionKind } from '../../entitlements/records.js';
import type { EventType } from '../../ledger/index.js';
import type { GatewayContext } from '../context.js';
import { type OneStoreTarget, rereadPurchase, rereadSubscription } from './shared.js';

/**
 * The events of mutations made through the gateway. Each carries the object as the mutation's payload
 * shows it, read again after the change through the request's loader (so a payload that selects it
 * costs no second call). The change is done when this runs: a ledger that cannot be opened or written
 * is logged by the redemption service, never the mutation's answer.
 */
async function record(ctx: GatewayContext, app: string, type: EventType, subject: string, data: object) {
  const service = await ctx.redemption().catch(() => null);
  await service?.recordChange({ app, type, subject, data }, ctx.scope);
}

/** A ONE store purchase acknowledged or consumed: the purchase read again (null if that read failed). */
export async function recordPurchaseChange(
  ctx: GatewayContext,
  type: 'PURCHASE_ACKNOWLEDGED' | 'PURCHASE_CONSUMED',
  target: OneStoreTarget,
): Promise<void> {
  const purchase = await rereadPurchase(ctx, target);
  await record(ctx, target.app, type, target.purchaseToken, {
    store: 'ONESTORE',
    market: target.one.market,
    productId: target.productId,
    purchase,
  });
}

/** An NHN Cloud payment consumed: its identifiers and the price the store reported. */
export async function recordNhnConsume(
  ctx: GatewayContext,
  app: string,
  payment: { paymentSeq: string; itemSeq: string },
  price: Money,
): Promise<void> {
  await record(ctx, app, 'PURCHASE_CONSUMED', payment.paymentSeq, {
    store: 'NHN_CLOUD',
    paymentSeq: payment.paymentSeq,
    itemSeq: payment.itemSeq,
    price,
  });
}

/** A ONE store subscription changed: its kind and the subscription read again (null if that read failed). */
export async function recordSubscriptionChange(
  ctx: GatewayContext,
  type: 'SUBSCRIPTION_CANCELLED' | 'SUBSCRIPTION_REACTIVATED' | 'SUBSCRIPTION_DEFERRED',
  target: OneStoreTarget,
  kind: SubscriptionKind,
): Promise<void> {
  const subscription = await rereadSubscription(ctx, target, kind);
  await record(ctx, target.app, type, target.purchaseToken, {
    store: 'ONESTORE',
    market: target.one.market,
    productId: target.productId,
    kind,
    subscription,
  });
}
