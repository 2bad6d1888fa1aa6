import type { Grant, PlayerReads, TrackedSubscription } from '../ledger/index.js';
import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';

/*
 * What `player` knows of a player's subscriptions: the subscription grants' own facts (each paid
 * period's grant keeps the period's end as the store said at redemption), corrected by the
 * tracked-subscriptions table (each subscription re-read by the gateway's scheduler, with the store's
 * state and expiry): {@link trackedSubscriptions}. A subscription the scheduler has not read yet keeps
 * its grant facts.
 */

/** `ACTIVE`: paid time left now; `EXPIRED`: none; `UNKNOWN`: the facts say no end (nothing is assumed). */
export type SubscriptionState = 'ACTIVE' | 'EXPIRED' | 'UNKNOWN';

export interface PlayerSubscription {
  userId: string;
  store: StoreId;
  productId: string;
  /** Names the subscription across its periods: ONE store purchaseToken; Gamebase originalPaymentId. */
  key: string;
  state: SubscriptionState;
  /** The first paid period's grant time. */
  since: Date;
  /** When the paid time ends (a refunded period's at its refund); null when no period says. */
  expiresAt: Date | null;
  /** Null: the source does not know (grant facts never do). */
  willRenew: boolean | null;
  /** A failed renewal (grace, hold); null: the source does not know. */
  billingIssue: boolean | null;
  /** The latest period's grant. */
  latestGrantId: string;
  /** The latest period's grant's environment. */
  environment: Environment;
  /** Where the state comes from. */
  source: 'GRANT_FACTS' | 'TRACKED';
}

/** The key of the subscription a period grant belongs to. */
export function subscriptionKeyOf(grant: Pick<Grant, 'store' | 'storeIds' | 'productId'>): string {
  const ids = grant.storeIds;
  if (grant.store === 'ONESTORE') return `ONESTORE:${ids.purchaseToken ?? grant.productId}`;
  // Gamebase gives originalPaymentId for some stores only; the product stands in for the others.
  return `${grant.store}:${ids.originalPaymentId ?? `product:${grant.productId}`}`;
}

/** The end of a period grant's paid time: its expiry, cut at its revocation; null when it keeps none. */
export function periodEnd(grant: Grant): Date | null {
  const expiry = grant.storeIds.expiryTime;
  const end = expiry === undefined || Number.isNaN(Date.parse(expiry)) ? null : new Date(expiry);
  if (grant.revokedAt === null) return end;
  return end === null || grant.revokedAt < end ? grant.revokedAt : end;
}

/** Statuses in which the subscription gives access until its expiry (entitlements/records.ts). */
const ACCESS: ReadonlySet<string> = new Set([
  'ACTIVE',
  'CANCEL_RESERVED',
  'PAUSE_RESERVED',
  'IN_GRACE_PERIOD',
  'DEFERRED',
  'PAYMENT_PENDING',
]);
/** Statuses that give no access now, whatever the expiry says (a hold ends the entitlement; a pause stops it). */
const NO_ACCESS: ReadonlySet<string> = new Set(['ON_HOLD', 'PAUSED', 'EXPIRED', 'CANCELLED']);
const BILLING_ISSUE: ReadonlySet<string> = new Set(['IN_GRACE_PERIOD', 'ON_HOLD', 'PAYMENT_PENDING']);

/** The key {@link subscriptionKeyOf} gives the same subscription's grants, from its tracked row. */
function trackedKeyOf(row: Pick<TrackedSubscription, 'store' | 'purchaseToken'>): string {
  // A Gamebase row's token is `${storeCode}:${originalPaymentId}` (ledger/tracked-subscriptions.ts).
  if (row.store === 'GAMEBASE')
    return `GAMEBASE:${row.purchaseToken.slice(row.purchaseToken.indexOf(':') + 1)}`;
  return `${row.store}:${row.purchaseToken}`;
}

const dateOf = (value: unknown): Date | null => {
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
};

/**
 * A subscription as the grant facts tell it, corrected by the scheduler's last read of it (its
 * tracked row): the store's status and expiry, so a renewal the game has not redeemed yet still
 * counts, a hold or a pause ends the access though the paid period's expiry is ahead, and
 * `willRenew` and `billingIssue` are known. A row never read yet (or of a status this does not
 * know) leaves the grant facts as they are.
 */
export function withTracked(s: PlayerSubscription, row: TrackedSubscription, now: Date): PlayerSubscription {
  if (row.status === null || row.lastReadAt === null) return s;
  const status = row.status;
  if (!ACCESS.has(status) && !NO_ACCESS.has(status)) return s;
  const observed = row.observation?.subscription as
    | { willRenew?: unknown; pauseStartsAt?: unknown }
    | undefined;
  let expiresAt = row.expiresAt ?? s.expiresAt;
  if (NO_ACCESS.has(status)) {
    // The access ended when the store says (a pause: at its start), at the latest when it was seen ended.
    const ended = status === 'PAUSED' ? (dateOf(observed?.pauseStartsAt) ?? row.lastReadAt) : expiresAt;
    expiresAt = ended === null || ended > row.lastReadAt ? row.lastReadAt : ended;
  }
  const willRenew = typeof observed?.willRenew === 'boolean' ? observed.willRenew : null;
  return {
    ...s,
    state: NO_ACCESS.has(status) || expiresAt === null || expiresAt <= now ? 'EXPIRED' : 'ACTIVE',
    expiresAt,
    willRenew: NO_ACCESS.has(status) ? false : willRenew,
    billingIssue: BILLING_ISSUE.has(status),
    source: 'TRACKED',
  };
}

/**
 * The subscriptions of each of `userIds` (at most 100) told by their period grants, each corrected by
 * its tracked row where the scheduler has read it (two statements per batch: the grants, the rows).
 */
export async function trackedSubscriptions(
  reads: PlayerReads,
  app: string,
  userIds: readonly string[],
  now: Date,
): Promise<Map<string, PlayerSubscription[]>> {
  const [grants, rows] = await Promise.all([
    reads.subscriptionGrants(app, userIds),
    reads.trackedFor(app, userIds),
  ]);
  const tracked = new Map(rows.map((row) => [`${row.userId}\u0000${trackedKeyOf(row)}`, row]));
  const players = subscriptionsOf(grants, now);
  for (const [userId, subscriptions] of players)
    players.set(
      userId,
      subscriptions.map((s) => {
        const row = tracked.get(`${userId}\u0000${s.key}`);
        return row === undefined ? s : withTracked(s, row, now);
      }),
    );
  return players;
}

/** Each player's subscriptions from their period grants (oldest first), by subscription key. */
export function subscriptionsOf(grants: readonly Grant[], now: Date): Map<string, PlayerSubscription[]> {
  const byKey = new Map<string, Grant[]>();
  for (const grant of grants) {
    const key = `${grant.userId}\u0000${subscriptionKeyOf(grant)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), grant]);
  }
  const players = new Map<string, PlayerSubscription[]>();
  for (const periods of byKey.values()) {
    const first = periods[0];
    const latest = periods.at(-1);
    if (first === undefined || latest === undefined) continue;
    let expiresAt: Date | null = null;
    for (const grant of periods) {
      const end = periodEnd(grant);
      if (end !== null && (expiresAt === null || end > expiresAt)) expiresAt = end;
    }
    const state: SubscriptionState = expiresAt === null ? 'UNKNOWN' : expiresAt > now ? 'ACTIVE' : 'EXPIRED';
    const subscription: PlayerSubscription = {
      userId: first.userId,
      store: first.store,
      productId: latest.productId,
      key: subscriptionKeyOf(first),
      state,
      since: first.createdAt,
      expiresAt,
      willRenew: null,
      billingIssue: null,
      latestGrantId: latest.id,
      environment: latest.environment,
      source: 'GRANT_FACTS',
    };
    players.set(first.userId, [...(players.get(first.userId) ?? []), subscription]);
  }
  return players;
}
