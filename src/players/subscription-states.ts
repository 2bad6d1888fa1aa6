import type { Grant, PlayerReads } from '../ledger/index.js';
import type { StoreId } from '../vocabulary/stores.js';

/**
 * What `player` knows of a player's subscriptions, behind one interface so the source can change:
 * today the subscription grants' own facts (each paid period's grant keeps the period's end as the
 * store said at redemption), later the tracked-subscriptions table (a subscription re-read by the
 * gateway, with its state, expiry and next check), which implements the same `forPlayers`.
 */
export interface SubscriptionStates {
  /** The subscriptions of each of `userIds` (at most 100), in one ledger read for all of them. */
  forPlayers(app: string, userIds: readonly string[]): Promise<ReadonlyMap<string, PlayerSubscription[]>>;
}

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

/** The subscriptions told by their period grants (ledger only, one statement per batch). */
export class GrantFactStates implements SubscriptionStates {
  constructor(
    private readonly reads: () => Promise<PlayerReads>,
    private readonly now: () => Date,
  ) {}

  async forPlayers(
    app: string,
    userIds: readonly string[],
  ): Promise<ReadonlyMap<string, PlayerSubscription[]>> {
    const grants = await (await this.reads()).subscriptionGrants(app, userIds);
    return subscriptionsOf(grants, this.now());
  }
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
      source: 'GRANT_FACTS',
    };
    players.set(first.userId, [...(players.get(first.userId) ?? []), subscription]);
  }
  return players;
}
