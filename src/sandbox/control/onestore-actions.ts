import type { IdGenerator } from '../onestore/ids.js';
import { voidPurchase } from '../onestore/lifecycle.js';
import type {
  MonthlyPurchase,
  OneStorePurchase,
  SubscriptionPurchase,
  VoidedEntry,
} from '../onestore/model.js';
import { openPeriod, refundPeriod } from '../onestore/periods.js';
import type { NewPurchase } from '../onestore/state.js';
import { type ActionInput, ActionRefused, applySubscriptionAction } from './subscription-actions.js';

export type { ActionInput } from './subscription-actions.js';
export { ActionRefused } from './subscription-actions.js';

export const ACTIONS = [
  'void',
  'cancel',
  'restore',
  'renew',
  'expire',
  'pause',
  'resume',
  'grace',
  'hold',
  'recover',
  'priceChange',
  'agreePriceChange',
  'changePlan',
] as const;
export type PurchaseAction = (typeof ACTIONS)[number];

export interface ActionContext {
  now: number;
  ids: IdGenerator;
  voided: VoidedEntry[];
  /** The action's body; default none. */
  input?: ActionInput;
  /** Makes a new subscription in the store (changePlan only; refused without it). */
  create?: (input: NewPurchase) => SubscriptionPurchase;
}

/**
 * What the store or the customer can do to a purchase outside the server API, for tests to script
 * (src/sandbox/README.md lists each action and its body). Answers the purchase an action created
 * (changePlan), else undefined.
 */
export function applyAction(
  p: OneStorePurchase,
  action: PurchaseAction,
  ctx: ActionContext,
): OneStorePurchase | undefined {
  const { now } = ctx;
  const input = ctx.input ?? {};
  if (action === 'void' && p.type !== 'inapp' && input.purchaseId !== undefined) {
    if (!refundPeriod(p, now, ctx.voided, input.purchaseId))
      throw new ActionRefused(`no period ${input.purchaseId} in this purchase`);
    return;
  }
  if (action === 'void' || (action === 'cancel' && p.type === 'inapp')) {
    voidPurchase(p, now, ctx.voided);
    return;
  }
  if (p.type === 'inapp') throw new ActionRefused(`${action} applies to monthly and subscription products`);
  if (p.voidedTime !== undefined) throw new ActionRefused('the purchase was voided');
  if (p.type === 'auto') {
    monthlyAction(p, action, ctx);
    return;
  }
  const { create } = ctx;
  return applySubscriptionAction(p, action, {
    now,
    ids: ctx.ids,
    input,
    create: (next) => {
      if (!create) throw new ActionRefused('changePlan is not available here');
      return create(next);
    },
  });
}

function monthlyAction(p: MonthlyPurchase, action: PurchaseAction, ctx: ActionContext): void {
  const { now } = ctx;
  switch (action) {
    case 'cancel':
      p.autoRenewing = false;
      p.cancelledTime = now;
      p.cancelReason = 0;
      return;
    case 'restore':
      if (now > p.expiryTime) throw new ActionRefused('the monthly product expired');
      p.autoRenewing = true;
      p.cancelledTime = undefined;
      p.cancelReason = undefined;
      return;
    case 'renew': {
      const start = Math.max(p.expiryTime, now);
      p.expiryTime = start + p.periodMs;
      p.nextPaymentTime = p.expiryTime + 1;
      openPeriod(p, ctx.ids, { start, end: p.expiryTime, price: p.price, state: 'paid' });
      p.autoRenewing = true;
      return;
    }
    case 'expire':
      p.autoRenewing = false;
      p.expiryTime = now - 1;
      return;
    default:
      throw new ActionRefused(`${action} applies to subscription products`);
  }
}
