import type { ChangeIntent } from '../../ledger/index.js';
import type { IntentTarget } from '../../redemption/change-intents.js';
import { ledger } from '../../redemption/ledger-call.js';
import type { GatewayContext } from '../context.js';
import { AlreadyConsumedError, type ErrorDetails } from '../errors/error-classes.js';

/**
 * The plain consumePurchase met "already consumed" (NHN 5018; ONE store: the purchase read consumed
 * before the consume, or InvalidConsumeState with a read showing it consumed). Whose consume was it?
 *
 * An earlier consumePurchase of the same payment through the gateway (same app, token, item) whose
 * answer proved nothing (UncertainOutcomeError, or a request cut off) left its change intent open
 * until the sweeper proves it. While it is open, it is the evidence that the caller's own earlier
 * consume may be what consumed the payment: telling the caller "do not deliver again" would make it
 * withhold an item it never delivered (issue 24, point 3). So the answer is success ("consumed:
 * deliver now if not done yet"), and the earlier intent is completed now, with its event (written
 * once: completing deletes every open intent of the change in the same transaction). This is the
 * evidence the sweeper itself reads as "consumed" (the store's "already consumed" to a repeat of the
 * same consume).
 *
 * An intent still in flight (its request running, its lease live, no uncertain answer yet) does not
 * count: that request gets its own answer. Without such an intent, "already consumed" is
 * AlreadyConsumedError (someone consumed it before: do not deliver again).
 */
export async function consumedEarlier(
  ctx: GatewayContext,
  app: string,
  subject: string,
  same: (target: IntentTarget) => boolean,
  data: () => Promise<object>,
  details: ErrorDetails,
): Promise<void> {
  const service = await ctx.ledger.redemption();
  const open = await ledger(() => service.storage.intents.openOf(app, 'PURCHASE_CONSUMED', subject));
  const now = Date.now();
  const earlier = open.find((intent) => ended(intent, now) && same(intent.target as IntentTarget));
  if (!earlier) throw alreadyConsumed(details);
  await service.completeChange(earlier, await data(), new Date(), ctx.scope);
}

/** Its request is over without evidence: answered uncertain (marked), or cut off (lease run out). */
const ended = (intent: ChangeIntent, now: number) =>
  intent.lastError !== null || intent.leaseExpiresAt.getTime() <= now;

function alreadyConsumed(details: ErrorDetails): AlreadyConsumedError {
  return new AlreadyConsumedError(
    'Consumed already, and no earlier consumePurchase of it through the gateway is waiting for evidence: do not deliver again. (If your own earlier consumePurchase of it was answered UncertainOutcomeError, its PURCHASE_CONSUMED event in gatewayEvents says it went through.)',
    details,
  );
}
