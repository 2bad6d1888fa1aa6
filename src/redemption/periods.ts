import type { Grant, GrantStore, GrantStoreName } from '../ledger/index.js';
import type { Inspection, PeriodKeys, PurchaseAdapter } from './adapters/adapter.js';
import { GrantConflict, NotRedeemable } from './errors.js';
import { ledger } from './ledger-call.js';
import type { OneStoreKind } from './target.js';

/**
 * A grant per paid period (issue 26). A ONE store subscription or monthly product keeps its
 * purchaseToken for life and names each paid period by a new `lastPurchaseId`; the ledger's purchase
 * key of a period is `${purchaseToken}:${lastPurchaseId}` (a token is at most 20 ASCII letters and
 * digits, so the colon cannot be part of it), and the grant's `storeIds.purchaseId` is that period's.
 * Managed products keep the token alone as their key.
 */

/** The ONE store kinds paid period by period. */
export const PERIOD_KINDS: ReadonlySet<OneStoreKind> = new Set(['SUBSCRIPTION', 'MONTHLY']);

/** The revocation field that marks the refund of one paid period (it adds SUBSCRIPTION_PERIOD_REFUNDED). */
export const PERIOD_REFUND = { refunded: 'PERIOD' } as const;

/** The ledger's purchase key of one paid period. */
export function periodKeyOf(purchaseToken: string, purchaseId: string): string {
  return `${purchaseToken}:${purchaseId}`;
}

/** Whether `grant` is a ONE store subscription's or monthly product's, whatever its key. */
export function isPeriodGrant(grant: Pick<Grant, 'store' | 'storeIds'>): boolean {
  const kind = grant.storeIds.kind;
  return grant.store === 'ONESTORE' && kind !== undefined && PERIOD_KINDS.has(kind as OneStoreKind);
}

/** The period an inspection read: the `purchaseId` the adapter keeps in its facts (the lastPurchaseId). */
function periodOf(inspection: Inspection): string {
  const purchaseId = inspection.facts.storeIds.purchaseId;
  if (purchaseId === undefined) throw new Error('a period inspection must name its purchaseId');
  return purchaseId;
}

/**
 * The keys of a ONE store subscription or monthly product. A grant under the token alone (written
 * before this change and lacking a purchaseId, so migration 8 could not give it a period) is taken
 * to be the current period's, as it was before: it keeps answering rather than a second grant being
 * made on a guess. One under the token that names its period (a replica of the earlier version
 * writing during a rolling upgrade) answers for that period only.
 */
export function oneStorePeriods(purchaseToken: string): PeriodKeys {
  return {
    keyOf: (inspection) => periodKeyOf(purchaseToken, periodOf(inspection)),
    grantedBefore: (grant, inspection) => {
      const period = grant.storeIds.purchaseId;
      return period === undefined || period === periodOf(inspection);
    },
    latestGrant: (grants, app) => grants.findLatestByOneStoreToken(app, purchaseToken),
  };
}

/**
 * The grant under the target's own key that answers before any store read (`PeriodKeys.answersUnread`:
 * a Gamebase consumable payment's), of this app or of another holding the same store app; null when
 * there is none, or when it waits for the read. Throws a ledger error.
 */
export async function unreadGrant(
  grants: GrantStore,
  adapter: PurchaseAdapter,
  app: string,
  store: GrantStoreName,
  targetKey: string,
): Promise<Grant | null> {
  const unread = adapter.periods?.answersUnread;
  if (!unread) return null;
  const held =
    (await grants.findByPurchase(app, store, targetKey)) ??
    (await grants.findByStorePurchase(store, adapter.storeApp, targetKey));
  return held && unread(held) ? held : null;
}

/**
 * The read that names a period. When it also proves a grant of this purchase refunded (Gamebase: the
 * subscription REVOKED, naming its current period), that grant is revoked (GRANT_REVOKED, once)
 * before the refusal is thrown.
 */
export async function readPeriod(
  grants: GrantStore,
  adapter: PurchaseAdapter,
  app: string,
  store: GrantStoreName,
): Promise<Inspection> {
  try {
    return await adapter.inspect();
  } catch (error) {
    const proven = error instanceof NotRedeemable ? error.revokes : undefined;
    if (proven)
      await ledger(() => grants.revoke(app, store, proven.purchaseKey, proven.revocation, new Date()));
    throw error;
  }
}

/** GrantConflict's message when an earlier period of the subscription was granted with other parameters. */
const EARLIER_PERIOD =
  'An earlier period of this subscription was redeemed with different parameters (user, product or token): each period is granted to the same player.';

/**
 * A new period of a subscription is granted to whom its earlier periods were (same app, user and
 * ids: the fingerprint), as the purchase was before grants were kept per period: another player
 * holding the token gets GrantConflict, as in the period it was first granted in. (Two players
 * reading either side of a renewal at the same instant, neither period granted yet, can each claim
 * one; the claim's unique key stops any two grants of one period.)
 */
export async function samePlayer(
  grants: GrantStore,
  periods: PeriodKeys,
  app: string,
  fingerprint: string,
): Promise<void> {
  const latestOf = periods.latestGrant;
  // The store's read named the buyer already (Gamebase), and the adapter refused any other.
  if (!latestOf) return;
  const latest = await ledger(() => latestOf(grants, app));
  if (latest && latest.fingerprint !== fingerprint) throw new GrantConflict(latest.id, EARLIER_PERIOD);
}

/** A voided ONE store purchase as the voided list or a payment notification names it. */
export interface VoidedOneStorePurchase {
  purchaseToken: string;
  purchaseId: string;
}

/**
 * Revokes the grants a voided entry names: the grant of its period (`token:purchaseId`), and the
 * grant under the token alone when that one is of the same purchase: a managed product's (as
 * always), or a subscription's written before periods whose purchaseId is the voided one or
 * unknown. A refund of one period never revokes another period's grant. A period's revocation is
 * marked {@link PERIOD_REFUND}, so the ledger writes SUBSCRIPTION_PERIOD_REFUNDED after
 * GRANT_REVOKED in its transaction. Returns the grants this call revoked (first revocation wins).
 */
export async function revokeVoided(
  grants: GrantStore,
  app: string,
  voided: VoidedOneStorePurchase,
  revocation: Record<string, string>,
  revokedAt: Date,
): Promise<Grant[]> {
  const revoked: Grant[] = [];
  const period = periodKeyOf(voided.purchaseToken, voided.purchaseId);
  const ofPeriod = await grants.revoke(
    app,
    'ONESTORE',
    period,
    { ...revocation, ...PERIOD_REFUND },
    revokedAt,
  );
  if (ofPeriod) revoked.push(ofPeriod);
  const whole = await grants.findByPurchase(app, 'ONESTORE', voided.purchaseToken);
  if (whole === null || whole.revokedAt !== null) return revoked;
  const subscription = isPeriodGrant(whole);
  const itsPeriod = whole.storeIds.purchaseId;
  if (subscription && itsPeriod !== undefined && itsPeriod !== voided.purchaseId) return revoked;
  const marked = subscription ? { ...revocation, ...PERIOD_REFUND } : revocation;
  const ofToken = await grants.revoke(app, 'ONESTORE', voided.purchaseToken, marked, revokedAt);
  if (ofToken) revoked.push(ofToken);
  return revoked;
}
