import type { Money, SubscriptionKind } from '../../entitlements/records.js';
import { changeData } from '../../events/data.js';
import type { ChangeIntent, EventType } from '../../ledger/index.js';
import type { IntentTarget } from '../../redemption/change-intents.js';
import type { RedemptionService } from '../../redemption/service.js';
import { provesNotApplied } from '../../stores/index.js';
import type { GatewayContext } from '../context.js';
import { UNCERTAIN_ANSWER } from './consumed-earlier.js';
import { type OneStoreTarget, rereadPurchase, rereadSubscription } from './shared.js';

/**
 * A change made through the gateway (acknowledge, consume, a subscription change), from its intent
 * to its event (docs/events.md, "Change intents"). The intent is written to the ledger before the
 * store call, so a crash between the call and the event leaves a record that the sweeper completes
 * from a read of the store. Then:
 * - the store answered success: the event is written, observed at the answer, with the object read
 *   again through the request's loader (a payload that selects it costs no second call);
 * - the store refused (an answer that proves nothing changed): the intent is closed, no event;
 * - anything else (no answer, an answer that proves nothing): the intent stays open, and the sweeper
 *   reads the store once its lease has run out, writing the event only if the read shows the change.
 */
export class GatewayChange {
  #uncertain = false;

  private constructor(
    private readonly ctx: GatewayContext,
    private readonly service: RedemptionService,
    readonly intent: ChangeIntent,
  ) {}

  /**
   * Records the intent. Throws LedgerUnavailable when the ledger cannot take it: the change is then
   * not made (nothing would stand for its event).
   */
  static async open(
    ctx: GatewayContext,
    app: string,
    type: EventType,
    subject: string,
    target: IntentTarget,
  ): Promise<GatewayChange> {
    const service = await ctx.redemption();
    return new GatewayChange(ctx, service, await service.openChange({ app, type, subject, target }));
  }

  /** One store call of the change, as the client throws it (before GraphQL's error mapping). */
  async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!provesNotApplied(error)) this.#uncertain = true;
      throw error;
    }
  }

  /**
   * The mutation ends in an error: a refusal closes the intent; an uncertain call leaves it open,
   * marked as answered (`UNCERTAIN_ANSWER`), so that the caller's retry meeting "already consumed"
   * knows this request is over and may be what consumed it (consumed-earlier.ts). The mark is best
   * effort: failing, the intent counts as over once its lease runs out.
   */
  async failed(): Promise<void> {
    if (!this.#uncertain) {
      await this.service.abandonChange(this.intent, this.ctx.scope);
      return;
    }
    const { intents } = this.service.storage;
    await intents.defer(this.intent.id, this.service.owner, 1, UNCERTAIN_ANSWER).catch(() => false);
  }

  /** The store accepted the change at `observedAt`: its event, with `data`. */
  async done(data: object, observedAt: Date): Promise<void> {
    await this.service.completeChange(this.intent, data, observedAt, this.ctx.scope);
  }
}

/** Runs the change's store calls (`run`, each through `change.call`); a failure ends the intent first. */
export async function throughIntent<T>(change: GatewayChange, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await change.failed();
    throw error;
  }
}

/** The intent of a ONE store purchase or subscription change. */
export function oneStoreIntent(
  ctx: GatewayContext,
  type: EventType,
  target: OneStoreTarget,
  extra: { kind?: SubscriptionKind | null; expiresBefore?: string } = {},
): Promise<GatewayChange> {
  return GatewayChange.open(ctx, target.app, type, target.purchaseToken, {
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
  await change.done(changeData.purchase(target.one.market, target.productId, purchase), observedAt);
}

/** An NHN Cloud payment consumed: its identifiers and the price the store reported. */
export async function recordNhnConsume(
  change: GatewayChange,
  payment: { paymentSeq: string; itemSeq: string },
  price: Money,
  observedAt: Date,
): Promise<void> {
  await change.done(changeData.nhnConsume(payment.paymentSeq, payment.itemSeq, price), observedAt);
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
  await change.done(
    changeData.subscription(target.one.market, target.productId, kind, subscription),
    observedAt,
  );
}
