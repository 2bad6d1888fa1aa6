import type { EntitlementCatalogue } from '../config/entitlements.js';
import type { Grant, PlayerReads, SupportGrant } from '../ledger/index.js';
import { computeEntitlements, type PlayerEntitlement, productMatchOf } from './entitlements.js';
import { type PlayerSubscription, trackedSubscriptions } from './subscription-states.js';

/** What the ledger tells of one player: their entitlements at `now`, their subscriptions and support grants. */
export interface PlayerFacts {
  entitlements: PlayerEntitlement[];
  subscriptions: PlayerSubscription[];
  /** Revoked ones too, oldest first. */
  supportGrants: SupportGrant[];
  /**
   * The entitlements as these facts stood at `instant` (computed at it): grants and support grants
   * made after it left out, revocations after it undone. Subscriptions are taken as they are now (the
   * scheduler keeps no history of its reads). The entitlement events worker's baseline (migration 13).
   */
  asOf(instant: Date): PlayerEntitlement[];
}

/** A grant or a support grant as it stood at `instant`; null when it did not exist yet. */
function asOf<G extends Pick<Grant | SupportGrant, 'createdAt' | 'revokedAt'>>(
  grant: G,
  instant: Date,
): G | null {
  if (grant.createdAt > instant) return null;
  return grant.revokedAt !== null && grant.revokedAt > instant ? { ...grant, revokedAt: null } : grant;
}

const present = <T>(value: T | null): value is T => value !== null;

/**
 * The facts of `userIds` (at most 100) of one app, through the app's catalogue, at `now`: the one path
 * both `player` (graphql/types/player.ts) and the entitlement events worker read, so a new kind of
 * fact counts for both. Catalogue grants, subscriptions and support grants are independent reads (one
 * round trip's wait).
 */
export async function readPlayerFacts(
  reads: PlayerReads,
  app: string,
  userIds: readonly string[],
  catalogue: EntitlementCatalogue,
  now: Date,
): Promise<Map<string, PlayerFacts>> {
  const [grants, subscriptions, supportGrants] = await Promise.all([
    reads.grantsFor(app, userIds, productMatchOf(catalogue)),
    trackedSubscriptions(reads, app, userIds, now),
    reads.supportGrantsFor(app, userIds),
  ]);
  const facts = new Map<string, PlayerFacts>();
  for (const userId of userIds) {
    const own = subscriptions.get(userId) ?? [];
    const mine = grants.filter((g) => g.userId === userId);
    const given = supportGrants.filter((s) => s.userId === userId);
    facts.set(userId, {
      entitlements: computeEntitlements(catalogue, mine, own, now, given),
      subscriptions: own,
      supportGrants: given,
      asOf: (instant) =>
        computeEntitlements(
          catalogue,
          mine.map((g) => asOf(g, instant)).filter(present),
          own,
          instant,
          given.map((s) => asOf(s, instant)).filter(present),
        ),
    });
  }
  return facts;
}
