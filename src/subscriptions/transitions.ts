import type { SubscriptionRecord, SubscriptionStatus } from '../entitlements/records.js';
import type { LifecycleEventType } from '../vocabulary/event-types.js';

/**
 * What changed between two reads of one subscription, as lifecycle events (docs/events.md,
 * "Lifecycle events"). Pure: the scheduler calls it with the last stored read and the new one, and
 * writes the result with the new read in one compare-and-set, so a transition is told once.
 */
export interface Transition {
  type: LifecycleEventType;
  /** When the store says it happened (the field per type is in docs/events.md), never after the read. */
  occurredAt: Date;
}

/** Payment failed, access kept (grace) or not (hold). PAYMENT_PENDING is the deprecated word for both. */
const BILLING_ISSUE: ReadonlySet<SubscriptionStatus> = new Set([
  'IN_GRACE_PERIOD',
  'ON_HOLD',
  'PAYMENT_PENDING',
]);
/** Nothing more will be paid: the subscription is over. */
export const TERMINAL: ReadonlySet<SubscriptionStatus> = new Set(['EXPIRED', 'CANCELLED']);
/** Paid on schedule: a new period starts at the payment date the read before announced. */
const ON_SCHEDULE: ReadonlySet<SubscriptionStatus> = new Set([
  'ACTIVE',
  'CANCEL_RESERVED',
  'PAUSE_RESERVED',
  'DEFERRED',
]);

const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/**
 * The lifecycle events of `previous` → `next`, in this fixed order (a late read that saw several
 * changes tells them in the order they happen in a subscription's life):
 * 1. PLAN_CHANGED: the product changed, or a linkedPurchaseToken appeared (on a token's first read
 *    too: a new plan's subscription names the one it replaced);
 * 2. RESUMED: PAUSED → neither paused nor over;
 * 3. RECOVERED: grace or hold → neither (nor over, nor paused);
 * 4. RENEWED: a new paid period (lastPurchaseId changed);
 * 5. the new status: GRACE_STARTED, ON_HOLD, PAUSED, EXPIRED (also for CANCELLED: it is over);
 * 6. RENEWAL_CANCELLED / RENEWAL_RESTORED: autoRenewing flipped, unless it is over (the store turns
 *    auto-renew off with the end; EXPIRED says it);
 * 7. PRICE_CHANGE_PENDING (a new priceChange seq, not agreed) or PRICE_CHANGE_AGREED (agreed flipped,
 *    or a new seq seen agreed already).
 * The first read of a subscription (`previous` null) is the baseline: PLAN_CHANGED only.
 */
export function transitions(
  previous: SubscriptionRecord | null,
  next: SubscriptionRecord,
  observedAt: Date,
): Transition[] {
  const out: Transition[] = [];
  const add = (type: LifecycleEventType, at: Date | null) =>
    out.push({ type, occurredAt: at === null ? observedAt : earliest(at, observedAt) });
  const linked = next.linkedPurchaseToken;
  if (previous === null) {
    if (linked !== null) add('SUBSCRIPTION_PLAN_CHANGED', next.startedAt);
    return out;
  }
  if (linked !== null && linked !== previous.linkedPurchaseToken)
    add('SUBSCRIPTION_PLAN_CHANGED', next.startedAt);
  else if (next.productId !== previous.productId) add('SUBSCRIPTION_PLAN_CHANGED', null);

  const over = TERMINAL.has(next.status);
  const wasPaused = previous.status === 'PAUSED';
  if (wasPaused && next.status !== 'PAUSED' && !over) add('SUBSCRIPTION_RESUMED', previous.pauseEndsAt);
  const hadIssue = BILLING_ISSUE.has(previous.status);
  if (hadIssue && !BILLING_ISSUE.has(next.status) && !over && next.status !== 'PAUSED')
    add('SUBSCRIPTION_RECOVERED', null);
  if (next.lastPurchaseId !== previous.lastPurchaseId) add('SUBSCRIPTION_RENEWED', periodStart(previous));

  if (next.status !== previous.status) {
    if (next.status === 'IN_GRACE_PERIOD') add('SUBSCRIPTION_GRACE_STARTED', next.billingIssueSince);
    else if (next.status === 'ON_HOLD') add('SUBSCRIPTION_ON_HOLD', next.expiresAt);
    else if (next.status === 'PAUSED') add('SUBSCRIPTION_PAUSED', next.pauseStartsAt);
    else if (over && !TERMINAL.has(previous.status))
      add(
        'SUBSCRIPTION_EXPIRED',
        next.status === 'CANCELLED' ? (next.cancelledAt ?? next.expiresAt) : next.expiresAt,
      );
  }

  if (!over && next.autoRenewing !== previous.autoRenewing) {
    if (next.autoRenewing) add('SUBSCRIPTION_RENEWAL_RESTORED', null);
    else add('SUBSCRIPTION_RENEWAL_CANCELLED', next.cancelledAt);
  }

  const change = next.priceChange;
  const before = previous.priceChange;
  if (change !== null) {
    const fresh = before === null || before.seq !== change.seq;
    if (fresh && !change.agreed) add('SUBSCRIPTION_PRICE_CHANGE_PENDING', change.appliesAt);
    else if (change.agreed && (fresh || !before.agreed)) add('SUBSCRIPTION_PRICE_CHANGE_AGREED', null);
  }
  return out;
}

/**
 * When the new period began, as far as the reads tell: on schedule, the payment date the read before
 * announced (nextPaymentAt, else its expiry); out of grace, the failed payment's due date (the
 * billing date stays); out of a pause, the pause's end. Otherwise (out of hold, or after expiry) the
 * store gives no time: null, i.e. the read.
 */
function periodStart(previous: SubscriptionRecord): Date | null {
  if (ON_SCHEDULE.has(previous.status)) return previous.nextPaymentAt ?? previous.expiresAt;
  if (previous.status === 'IN_GRACE_PERIOD') return previous.billingIssueSince;
  if (previous.status === 'PAUSED') return previous.pauseEndsAt;
  return null;
}
