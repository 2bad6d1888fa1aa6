import type { StoreRegistry } from '../entitlements/app-stores.js';
import type { SubscriptionStatus } from '../entitlements/records.js';
import type { NewEvent, TrackedSubscription } from '../ledger/index.js';
import type { CallOptions, gamebase } from '../stores/index.js';
import type { LifecycleEventType } from '../vocabulary/event-types.js';
import type { NextCheckSettings } from './next-check.js';
import { eventsOf, UntrackableError } from './observation.js';
import type { Transition } from './transitions.js';

/**
 * Gamebase AUTO_RENEWABLE subscriptions, tracked through Get Subscriptions Status (docs/events.md,
 * "Lifecycle events"). Gamebase gives less than ONE store: the latest period's paymentId and expiry,
 * renewTime, and a Store Reference Status for Google Play only. So RENEWED (paymentId changed) and
 * EXPIRED (the expiry passed, or Google says EXPIRED or REVOKED) are told for every store, and grace,
 * hold, pause, their recovery and the end of auto-renew only from Google's referenceStatus.
 */

type Status = gamebase.SubscriptionStatus;

/** At most this many payments per Get Subscriptions Status call (the guide's limit). */
export const STATUS_BATCH = 10;

/** The state a status read gives, in the words of `SubscriptionStatus` (previousStatus of the events). */
export function gamebaseState(s: Status, now: Date): SubscriptionStatus {
  switch (s.referenceStatus) {
    case 'EXPIRED':
    case 'REVOKED':
      return 'EXPIRED';
    case 'IN_GRACE':
      return 'IN_GRACE_PERIOD';
    case 'ON_HOLD':
      return 'ON_HOLD';
    case 'PAUSED':
      return 'PAUSED';
    default:
      break;
  }
  if (s.expiryTimeMs !== null && s.expiryTimeMs <= now.getTime()) return 'EXPIRED';
  if (s.referenceStatus === 'CANCELED_SUBSCRIPTION') return 'CANCEL_RESERVED';
  if (s.referenceStatus === 'PAUSE_SCHEDULED') return 'PAUSE_RESERVED';
  return 'ACTIVE';
}

const BILLING_ISSUE: ReadonlySet<SubscriptionStatus> = new Set(['IN_GRACE_PERIOD', 'ON_HOLD']);
const at = (ms: number | null) => (ms === null ? null : new Date(ms));

/** A status read and the state it gave when it was read (kept with it: an expiry passes, a state stays). */
export interface GamebaseRead {
  status: Status;
  state: SubscriptionStatus;
}

/**
 * The lifecycle events of a status read, in the order of ONE store's (transitions.ts): RESUMED,
 * RECOVERED, RENEWED, the new status (GRACE_STARTED, ON_HOLD, PAUSED, EXPIRED), RENEWAL_CANCELLED /
 * _RESTORED. occurredAt: RENEWED the renewTime (else purchaseTime: when the period was paid), EXPIRED the
 * expiry, the others the read (Google's status carries no time of its own); never after the read. The
 * first read is the baseline.
 */
export function gamebaseTransitions(
  previous: GamebaseRead | null,
  next: GamebaseRead,
  observedAt: Date,
): Transition[] {
  if (previous === null) return [];
  const out: Transition[] = [];
  const add = (type: LifecycleEventType, time: Date | null) =>
    out.push({ type, occurredAt: time && time.getTime() < observedAt.getTime() ? time : observedAt });
  const was = previous.state;
  const now = next.state;
  const over = now === 'EXPIRED';
  if (was === 'PAUSED' && now !== 'PAUSED' && !over) add('SUBSCRIPTION_RESUMED', null);
  if (BILLING_ISSUE.has(was) && !BILLING_ISSUE.has(now) && !over && now !== 'PAUSED')
    add('SUBSCRIPTION_RECOVERED', null);
  const p = previous.status;
  const n = next.status;
  if (n.paymentId !== p.paymentId || n.renewTimeMs !== p.renewTimeMs)
    add('SUBSCRIPTION_RENEWED', at(n.renewTimeMs ?? n.purchaseTimeMs));
  if (now !== was) {
    if (now === 'IN_GRACE_PERIOD') add('SUBSCRIPTION_GRACE_STARTED', null);
    else if (now === 'ON_HOLD') add('SUBSCRIPTION_ON_HOLD', null);
    else if (now === 'PAUSED') add('SUBSCRIPTION_PAUSED', null);
    else if (over) add('SUBSCRIPTION_EXPIRED', at(n.expiryTimeMs));
    else if (now === 'CANCEL_RESERVED') add('SUBSCRIPTION_RENEWAL_CANCELLED', null);
    else if (was === 'CANCEL_RESERVED' && n.referenceStatus === 'RESTARTED')
      add('SUBSCRIPTION_RENEWAL_RESTORED', null);
  }
  return out;
}

/** The next read: the expiry (plus the margin), in grace or hold every few hours, at least daily; none once over. */
export function gamebaseNextCheck(read: GamebaseRead, now: Date, settings: NextCheckSettings): Date | null {
  const { status: s, state } = read;
  if (state === 'EXPIRED') return null;
  const t = now.getTime();
  let next = t + settings.maxIntervalMs;
  if (s.expiryTimeMs !== null && s.expiryTimeMs >= t)
    next = Math.min(next, s.expiryTimeMs + settings.marginMs);
  if (BILLING_ISSUE.has(state)) next = Math.min(next, t + settings.billingIssueIntervalMs);
  return new Date(next);
}

/** The snapshot a row keeps of a status read: the events' `gamebaseSubscription`, and its state then. */
export const gamebaseObservationOf = (read: GamebaseRead) => ({
  gamebaseSubscription: read.status,
  gamebaseState: read.state,
});

/** The read a stored observation holds, or null before the first. */
export function gamebaseReadOf(observation: Record<string, unknown> | null): GamebaseRead | null {
  const status = observation?.gamebaseSubscription;
  const state = observation?.gamebaseState;
  return typeof status === 'object' && status !== null && typeof state === 'string'
    ? { status: status as Status, state: state as SubscriptionStatus }
    : null;
}

/** The events of a status read: subject the row's key; data the status read and the previous state. */
export function gamebaseEvents(
  row: TrackedSubscription,
  previous: GamebaseRead | null,
  next: Status,
  found: readonly Transition[],
  observedAt: Date,
): NewEvent[] {
  return eventsOf(row, found, observedAt, (t) => ({
    store: 'GAMEBASE' as const,
    productId: row.productId,
    paymentSeq: next.paymentSeq,
    gamebaseSubscription: next,
    previousStatus: previous?.state ?? null,
    ...(t.type === 'SUBSCRIPTION_RENEWED' && next.paymentId && { purchaseId: next.paymentId }),
  }));
}

/** Reads the status of several tracked rows of one app in one call; per row, its status or why none. */
export type GamebaseBatchReader = (
  rows: readonly TrackedSubscription[],
  call: CallOptions,
) => Promise<Map<TrackedSubscription, Status | Error>>;

/**
 * Get Subscriptions Status through the app's Gamebase client, one call for up to 10 rows of one app,
 * asked with each row's latest pair. An answer is matched to its row by originalPaymentId (the row's
 * key: the paymentSeq of an answer may be a later period's), else by paymentSeq, else a lone answer to
 * a lone row; a row left without one has failed its read (nothing is inferred from its absence).
 */
export function gamebaseReader(stores: StoreRegistry): GamebaseBatchReader {
  return async (rows, call) => {
    const out = new Map<TrackedSubscription, Status | Error>();
    const first = rows[0];
    const gb = first && stores.app(first.app)?.gamebase;
    const pairs = rows.map((row) => ({
      row,
      paymentSeq: row.storeIds?.paymentSeq,
      purchaseToken: row.storeIds?.purchaseToken,
    }));
    if (!gb) {
      for (const row of rows) out.set(row, new UntrackableError(`no Gamebase client for app ${row.app}`));
      return out;
    }
    const asked = pairs.filter(
      (p): p is { row: TrackedSubscription; paymentSeq: string; purchaseToken: string } =>
        p.paymentSeq !== undefined && p.purchaseToken !== undefined,
    );
    for (const p of pairs)
      if (!asked.includes(p as (typeof asked)[number]))
        out.set(p.row, new UntrackableError('a tracked Gamebase row without its payment pair'));
    if (asked.length === 0) return out;
    const answers = await gb.client.subscriptionsStatus(
      { payments: asked.map(({ paymentSeq, purchaseToken }) => ({ paymentSeq, purchaseToken })) },
      call,
    );
    for (const p of asked) {
      const original = p.row.purchaseToken.slice(p.row.purchaseToken.indexOf(':') + 1);
      const match =
        answers.find((a) => a.originalPaymentId === original) ??
        answers.find((a) => a.paymentSeq === p.paymentSeq) ??
        (asked.length === 1 && answers.length === 1 ? answers[0] : undefined);
      out.set(p.row, match ?? new UntrackableError('Gamebase left the payment out of its status answer'));
    }
    return out;
  };
}

/**
 * A tick's rows split for reading: ONE store rows alone (one call each), Gamebase rows of one app and
 * user together in batches of up to {@link STATUS_BATCH} (one Get Subscriptions Status call each).
 */
export function gamebaseBatches(rows: readonly TrackedSubscription[]) {
  const single: TrackedSubscription[] = [];
  const groups = new Map<string, TrackedSubscription[]>();
  for (const row of rows) {
    if (row.store !== 'GAMEBASE') {
      single.push(row);
      continue;
    }
    const key = JSON.stringify([row.app, row.userId]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const batches: TrackedSubscription[][] = [];
  for (const group of groups.values())
    for (let i = 0; i < group.length; i += STATUS_BATCH) batches.push(group.slice(i, i + STATUS_BATCH));
  return { single, batches };
}
