import type { EntitlementMark, EntitlementMarks, NewEvent } from '../ledger/index.js';
import { playerSubject } from '../ledger/index.js';
import type { EntitlementEventType } from '../vocabulary/event-types.js';
import type { PlayerEntitlement } from './entitlements.js';

/** The data of an ENTITLEMENT_* event (docs/events.md, "Entitlement events"). */
export interface EntitlementEventData {
  userId: string;
  /** The entitlement as computed after the change. */
  entitlement: PlayerEntitlement;
  /** As the computation before left it; null: the player did not have it. */
  previous: EntitlementMark | null;
}

/** One change between two computations of a player's set. */
export interface EntitlementChange {
  type: EntitlementEventType;
  entitlement: PlayerEntitlement;
  previous: EntitlementMark | null;
  /** When the change took effect: the end it reached for EXPIRED (and a revocation in the past), else `now`. */
  occurredAt: Date;
}

/** A computed set as the state keeps it: per entitlement id, whether active and until when. */
export function marksOf(set: readonly PlayerEntitlement[]): EntitlementMarks {
  const marks: EntitlementMarks = {};
  for (const e of set) marks[e.id] = { active: e.active, expiresAt: e.expiresAt };
  return marks;
}

/** Later of two ends, null being forever: -1 when `a` ends first, 1 when `b` does, 0 alike. */
function compareEnds(a: Date | null, b: Date | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return Math.sign(a.getTime() - b.getTime());
}

/**
 * The changes of one entitlement (none, one, or EXPIRED then GRANTED): only the `active` flag and the
 * end count (willRenew, billingIssue and the like are lifecycle events').
 * - inactive or absent → active: GRANTED;
 * - active → active with a later end (or none, forever): EXTENDED; with an earlier end: REVOKED (the
 *   event's entitlement is still active: its time was cut, e.g. one of two stacked passes refunded);
 *   active → active again in a new run that started after the old end: EXPIRED, then GRANTED (the
 *   computation at the old end came late);
 * - active → inactive: EXPIRED when it ran to (or past) the end it had, REVOKED when it ended before
 *   (a revocation, a refund, a hold or a pause).
 */
export function changesOf(
  previous: EntitlementMark | null,
  next: PlayerEntitlement,
  now: Date,
): EntitlementChange[] {
  const change = (type: EntitlementEventType, occurredAt: Date = now): EntitlementChange => ({
    type,
    entitlement: next,
    previous,
    occurredAt,
  });
  if (previous === null || !previous.active) return next.active ? [change('ENTITLEMENT_GRANTED')] : [];
  const ends = compareEnds(next.expiresAt, previous.expiresAt);
  if (next.active) {
    if (previous.expiresAt !== null && next.since > previous.expiresAt)
      return [change('ENTITLEMENT_EXPIRED', previous.expiresAt), change('ENTITLEMENT_GRANTED')];
    return ends > 0 ? [change('ENTITLEMENT_EXTENDED')] : ends < 0 ? [change('ENTITLEMENT_REVOKED')] : [];
  }
  const endedAt = next.expiresAt !== null && next.expiresAt <= now ? next.expiresAt : now;
  if (previous.expiresAt !== null && ends >= 0) return [change('ENTITLEMENT_EXPIRED', endedAt)];
  return [change('ENTITLEMENT_REVOKED', endedAt)];
}

/**
 * A player's set `next` (computed at `now`) against the last one (`previous`; null: none yet, a
 * baseline that tells nothing): the changes in entitlement id order, the state to keep, and when the
 * set must be computed again: the earliest future end of an active entitlement or start of a queued
 * one (null: nothing changes it but a new fact). An entitlement the catalogue no longer has is
 * dropped from the state without an event (the app's config changed, not the player's facts).
 */
export function diffEntitlements(
  previous: EntitlementMarks | null,
  next: readonly PlayerEntitlement[],
  now: Date,
): { changes: EntitlementChange[]; state: EntitlementMarks; dueAt: Date | null } {
  const changes: EntitlementChange[] = [];
  const state: EntitlementMarks = {};
  let dueAt: Date | null = null;
  const sooner = (at: Date) => {
    if (at > now && (dueAt === null || at < dueAt)) dueAt = at;
  };
  for (const entitlement of next) {
    state[entitlement.id] = { active: entitlement.active, expiresAt: entitlement.expiresAt };
    if (previous !== null) {
      changes.push(...changesOf(previous[entitlement.id] ?? null, entitlement, now));
    }
    if (entitlement.active && entitlement.expiresAt !== null) sooner(entitlement.expiresAt);
    else if (!entitlement.active) sooner(entitlement.since);
  }
  return { changes, state, dueAt };
}

/** The outbox event of a change: subject the player, so one player's deliveries keep their order. */
export function entitlementEvent(app: string, userId: string, change: EntitlementChange): NewEvent {
  const data: EntitlementEventData = { userId, entitlement: change.entitlement, previous: change.previous };
  return {
    app,
    type: change.type,
    subject: playerSubject(userId),
    occurredAt: change.occurredAt,
    // The grant's that gives it (a test purchase's entitlement is SANDBOX), so an endpoint that takes
    // PRODUCTION only is not told of a tester's entitlements.
    environment: change.entitlement.environment,
    data,
  };
}
