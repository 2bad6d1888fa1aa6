import type { SubscriptionKind } from '../../entitlements/records.js';
import type { ChangeEventType } from '../../events/types.js';
import type { IntentTarget } from '../../redemption/change-intents.js';
import { GatewayChange } from '../../redemption/gateway-change.js';
import type { GatewayContext } from '../context.js';
import { type OneStoreTarget, rereadPurchase, rereadSubscription } from './shared.js';

/**
 * The mutations' side of a change made through the gateway: the intent, its event and its payload
 * are the redemption service's GatewayChange (redemption/gateway-change.ts); here the request's
 * context opens it, and the object is read again through the request's loader (a payload that
 * selects it costs no second call).
 */

/** Records the intent of a change (see {@link GatewayChange.open}). */
export async function openChange(
  ctx: GatewayContext,
  app: string,
  type: ChangeEventType,
  subject: string,
  target: IntentTarget,
): Promise<GatewayChange> {
  return GatewayChange.open(await ctx.ledger.redemption(), ctx.scope, { app, type, subject, target });
}

/** The intent of a ONE store purchase or subscription change. */
export function oneStoreIntent(
  ctx: GatewayContext,
  type: ChangeEventType,
  target: OneStoreTarget,
  extra: { kind?: SubscriptionKind | null; expiresBefore?: string } = {},
): Promise<GatewayChange> {
  return openChange(ctx, target.app, type, target.purchaseToken, {
    store: 'ONESTORE',
    market: target.one.market,
    productId: target.productId,
    purchaseToken: target.purchaseToken,
    ...extra,
  });
}

/** A ONE store purchase acknowledged or consumed: the purchase read again (null if that read failed). */
export async function recordPurchaseChange(
  ctx: GatewayContext,
  change: GatewayChange,
  target: OneStoreTarget,
  observedAt: Date,
): Promise<void> {
  const purchase = await rereadPurchase(ctx, target);
  await change.purchaseChanged(observedAt, target.one.market, target.productId, purchase);
}

/** A ONE store subscription changed: its kind and the subscription read again (null if that read failed). */
export async function recordSubscriptionChange(
  ctx: GatewayContext,
  change: GatewayChange,
  target: OneStoreTarget,
  kind: SubscriptionKind,
  observedAt: Date,
): Promise<void> {
  const subscription = await rereadSubscription(ctx, target, kind);
  await change.subscriptionChanged(observedAt, target.one.market, target.productId, kind, subscription);
  // The scheduler reads a tracked subscription soon after a change (its lifecycle events); best
  // effort: the change is made and recorded, and the daily read comes anyway.
  const service = await ctx.ledger.redemption().catch(() => undefined);
  await service?.storage.tracked.nudge(target.app, 'ONESTORE', target.purchaseToken).catch(() => false);
}
