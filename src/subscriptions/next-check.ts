import type { SubscriptionRecord, SubscriptionStatus } from '../entitlements/records.js';
import { TERMINAL } from './transitions.js';

/** When a tracked subscription is read again (config `subscriptionTracking`; defaults in config/schema.ts). */
export interface NextCheckSettings {
  /** After a time the store announced (expiry, next payment, pause edges, consent due), ms: the store's own lag. */
  marginMs: number;
  /** In grace or hold, the longest wait between reads, ms (a recovery can come any time). */
  billingIssueIntervalMs: number;
  /** Whatever the state, the longest wait between reads, ms (a cancel, a refund, a price change). */
  maxIntervalMs: number;
}

const BILLING_ISSUE: ReadonlySet<SubscriptionStatus> = new Set([
  'IN_GRACE_PERIOD',
  'ON_HOLD',
  'PAYMENT_PENDING',
]);

/**
 * The next read of a subscription just read at `now`: the earliest of `maxIntervalMs` from now, every
 * announced time still ahead plus `marginMs` (expiry, next payment, pause start and end, auto-resume, an
 * unagreed price change's consent due time), and `billingIssueIntervalMs` from now in grace or hold.
 * Null for a subscription that is over (EXPIRED, CANCELLED): it is not read again unless something
 * pulls it (a redemption, a PNS, a change through the gateway).
 */
export function nextCheckAt(s: SubscriptionRecord, now: Date, settings: NextCheckSettings): Date | null {
  if (TERMINAL.has(s.status)) return null;
  const at = now.getTime();
  let next = at + settings.maxIntervalMs;
  const consider = (time: Date | null | undefined) => {
    if (!time) return;
    const due = time.getTime() + settings.marginMs;
    if (time.getTime() >= at && due < next) next = due;
  };
  consider(s.expiresAt);
  consider(s.nextPaymentAt);
  consider(s.pauseStartsAt);
  consider(s.pauseEndsAt);
  consider(s.autoResumeAt);
  if (s.priceChange && !s.priceChange.agreed) consider(s.priceChange.agreementDueAt);
  if (BILLING_ISSUE.has(s.status)) next = Math.min(next, at + settings.billingIssueIntervalMs);
  return new Date(next);
}
