import type { Grant } from '../ledger/index.js';
import type { gamebase } from '../stores/index.js';
import type { Inspection, PeriodKeys } from './adapters/adapter.js';
import { NotRedeemable } from './errors.js';

/**
 * A grant per paid period for Gamebase AUTO_RENEWABLE (issue 26). The period's identity is the
 * store's payment id of the latest paid period, as Get Subscriptions Status answers it for any of
 * the subscription's payments: the Android SDK guide (seed 004) says in as many words that "a
 * subscription's paymentId changes at every renewal" (originalPaymentId stays), whereas it never says
 * whether paymentSeq does. So one key serves a game that keeps the first purchase's (paymentSeq,
 * token) and one that redeems each renewal's own pair: `${storeCode}:${paymentId}` (a paymentSeq is
 * digits only, so no period key can be a payment's key; the store code keeps two stores' payment ids
 * apart). CONSUMABLE_AUTO_RENEWABLE is not keyed by period: the guide treats it as consumable items
 * paid for every period, each period a payment listed unconsumed and consumed once by its own pair,
 * which is a grant per paid period already.
 */

/** The Gamebase product types paid period by period in the ledger. */
const PERIOD_TYPES: ReadonlySet<string> = new Set(['AUTO_RENEWABLE']);

/** Whether a payment of `productType` is granted per paid period. */
export const isPeriodType = (productType: string): boolean => PERIOD_TYPES.has(productType);

/** The ledger's purchase key of one paid period of a Gamebase subscription. */
export function gamebasePeriodKeyOf(storeCode: string, paymentId: string): string {
  return `${storeCode}:${paymentId}`;
}

/** The `revocation.source` of a period's grant revoked on a status read that says REVOKED. */
export const REVOKED_SOURCE = 'gamebase.subscriptions-status';

/** Store Reference Statuses (Google) under which the subscription gives no access, whatever its expiryTime. */
const NO_ACCESS: ReadonlySet<string> = new Set(['ON_HOLD', 'PAUSED', 'EXPIRED']);

/**
 * The paid period Get Subscriptions Status names, checked for access now: refused when the store
 * says the subscription was revoked (its current period refunded) or it gives no access (expired, on
 * hold, paused: its expiryTime passed, or a Google status says so). In grace the latest paid period
 * is still the current one (a failed renewal pays nothing): its grant answers, no new one is made.
 */
export function currentPeriod(
  status: gamebase.SubscriptionStatus,
  storeCode: string,
  now: number,
  /** The redeemed payment's own paymentId (Get Payment Transaction's). */
  ownPaymentId: string | null | undefined,
): { periodKey?: string; storeIds: Record<string, string> } {
  if (status.referenceStatus === 'REVOKED') {
    // Google's REVOKED ends the subscription before expiry and refunds it (the guide's Revoke
    // Subscriptions: "cancel ... immediately and proceed with a refund"): the current period's, the
    // one paymentId names, so that period's grant, if any, is revoked.
    const revokes = status.paymentId
      ? {
          purchaseKey: gamebasePeriodKeyOf(storeCode, status.paymentId),
          revocation: { source: REVOKED_SOURCE, paymentId: status.paymentId, referenceStatus: 'REVOKED' },
        }
      : undefined;
    throw new NotRedeemable(
      'CANCELLED',
      'Gamebase reports the subscription revoked (its current period refunded): no paid period to grant.',
      revokes,
    );
  }
  const expiry = status.expiryTimeMs;
  const closed = status.referenceStatus !== null && NO_ACCESS.has(status.referenceStatus);
  if (closed || (expiry !== null && expiry <= now))
    throw new NotRedeemable(
      'EXPIRED',
      'The subscription gives no access now (expired, on hold or paused): no paid period to grant.',
    );
  const storeIds: Record<string, string> = {
    ...(status.paymentId && { paymentId: status.paymentId }),
    ...(status.originalPaymentId && { originalPaymentId: status.originalPaymentId }),
    ...(expiry !== null && { expiryTime: new Date(expiry).toISOString() }),
  };
  // Without the latest payment id the status cannot name the period: the payment's own, as when it is left out.
  if (!status.paymentId) return { ...ownPeriod(storeCode, ownPaymentId), storeIds };
  return { periodKey: gamebasePeriodKeyOf(storeCode, status.paymentId), storeIds };
}

/**
 * The period a subscription payment paid for itself, named by its own paymentId (Get Payment
 * Transaction's), when Get Subscriptions Status leaves the payment out: granted once as that period,
 * with no expiry and no access check (the status is what tells them). Without a paymentId, once
 * under its paymentSeq.
 */
export function ownPeriod(
  storeCode: string,
  paymentId: string | null | undefined,
): { periodKey?: string; storeIds: Record<string, string> } {
  return paymentId
    ? { periodKey: gamebasePeriodKeyOf(storeCode, paymentId), storeIds: {} }
    : { storeIds: {} };
}

/**
 * The keys of a Gamebase payment. An AUTO_RENEWABLE read names its period (`periodKey`); any other
 * payment keeps its paymentSeq, and its grant (a consumable's, settled by Consume) answers before any
 * read, as it always did. A grant under a paymentSeq written before periods (an AUTO_RENEWABLE
 * payment recorded with the payment id it read then) answers for its own period only, whichever pair
 * redeems it now; one that kept no payment id is taken to be the current period's, rather than a
 * second grant being made on a guess.
 */
export function gamebasePeriods(paymentSeq: string): PeriodKeys {
  return {
    keyOf: (inspection: Inspection) => inspection.periodKey ?? paymentSeq,
    grantedBefore: (grant, inspection) => {
      const period = grant.storeIds.paymentId;
      return period === undefined || period === inspection.facts.storeIds.paymentId;
    },
    // A renewal's grant written before periods, under its own pair's paymentSeq (the user index serves it).
    formerGrant: async (grants, app, userId, inspection) => {
      const paymentId = inspection.facts.storeIds.paymentId;
      if (inspection.periodKey === undefined || paymentId === undefined) return null;
      return grants.findGamebaseRecordedByPaymentId(app, userId, paymentId);
    },
    answersUnread: (grant: Pick<Grant, 'action'>) => grant.action === 'CONSUME',
    // Only a period's grant: Get Payment Transaction named the buyer, and the adapter refused any other user.
    sameRedemption: (grant, request, inspection) =>
      inspection.periodKey !== undefined && grant.userId === request.userId,
  };
}
