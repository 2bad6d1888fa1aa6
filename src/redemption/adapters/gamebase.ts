import type { GamebaseApp } from '../../entitlements/app-stores.js';
import { type CallOptions, isStoreError } from '../../stores/index.js';
import { NotRedeemable } from '../errors.js';
import { currentPeriod, gamebasePeriods, isPeriodType, ownPeriod } from '../gamebase-periods.js';
import type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

export interface GamebaseRedeemTarget {
  paymentSeq: string;
  purchaseToken: string;
  productId?: string;
}

/** Gamebase resultCodes (error-code guide, Server table). */
const INVALID_PARAMETERS = 1100;
const ALREADY_CONSUMED = 5018;
/** Product types the consume API accepts; an AUTO_RENEWABLE payment is verified and recorded only. */
const CONSUMABLE_TYPES: ReadonlySet<string> = new Set(['CONSUMABLE', 'CONSUMABLE_AUTO_RENEWABLE']);

/**
 * A payment the store marks as a test: Get Payment Transaction's `isTestPurchase` (API v1.3), or the
 * receipt's `purchaseType: "Test"` (the SDK guide, document 004: Google's test purchases), should the
 * server answer carry it. Neither set: the app's configured environment.
 */
const isTestPayment = (tx: { isTestPurchase?: boolean | null; purchaseType?: string | null }) =>
  tx.isTestPurchase === true || tx.purchaseType === 'Test';

const hasResultCode = (error: unknown, code: number) =>
  isStoreError(error) && error.kind === 'StoreApiError' && error.resultCode === code;

/**
 * Gamebase, as its Consume Flow asks: Get Payment Transaction verifies paymentSeq and token (and
 * names the buyer, who must be the redeeming user), then Consume. At verification, `isConsumable`
 * false on a consumable payment is read as consumed before (no grant is made on it). After an
 * uncertain consume it settles nothing: `isConsumable` true proves the consume did not happen,
 * false is no proof that it did (the guide does not say it means "consumed"); the evidence is
 * 5018 to a repeat of the same consume, which a read must not contradict.
 *
 * 1100 INVALID_PARAMETERS to a re-read proves nothing either: the error-code guide names it a
 * parameter error, not "refunded", and a store may well answer it for the token of a payment that
 * is consumed now (ours, perhaps). So a re-read answered 1100 is `unknown` (the claim stays, the
 * consume is repeated), and it does not contradict a 5018.
 *
 * An AUTO_RENEWABLE payment (Consume refuses it) is recorded once per paid period: Get Subscriptions
 * Status names the subscription's current period, whichever of its payments is redeemed, and the
 * grant keeps that period's paymentId and expiryTime (gamebase-periods.ts).
 */
export function gamebaseAdapter(
  gb: GamebaseApp,
  target: GamebaseRedeemTarget,
  userId: string,
  now: () => number,
  call: CallOptions,
): PurchaseAdapter {
  const pair = { paymentSeq: target.paymentSeq, purchaseToken: target.purchaseToken };
  const read = () => gb.client.getPaymentTransaction(pair, call);
  /**
   * Get Subscriptions Status for this payment: the subscription's latest paid period, whichever of its
   * payments asks. Its answer is matched by paymentSeq (a lone answer to a lone payment otherwise, as the
   * status query does: the guide's example answers other paymentSeqs); undefined when it leaves the
   * payment out (the SDK guide serves subscription status for Google Play only on Android).
   */
  const status = async () => {
    const answers = await gb.client.subscriptionsStatus({ payments: [pair] }, call);
    return (
      answers.find((a) => a.paymentSeq === target.paymentSeq) ??
      (answers.length === 1 ? answers[0] : undefined)
    );
  };
  return {
    storeApp: gb.appId,
    // AUTO_RENEWABLE is granted per paid period; any other payment keeps its paymentSeq (gamebase-periods.ts).
    periods: gamebasePeriods(target.paymentSeq),
    action: 'CONSUME',
    outcome: 'CONSUMED',
    async inspect(): Promise<Inspection> {
      const tx = await read();
      if (tx.userId !== userId)
        throw new NotRedeemable(
          'USER_MISMATCH',
          'The payment was made by another Gamebase user than input.userId.',
        );
      if (target.productId !== undefined && tx.gamebaseProductId !== target.productId)
        throw new NotRedeemable('PRODUCT_MISMATCH', 'The payment is for another gamebaseProductId.');
      const consumable = CONSUMABLE_TYPES.has(tx.productType);
      const facts = {
        productId: tx.gamebaseProductId ?? String(tx.productSeq ?? target.paymentSeq),
        quantity: 1,
        environment: isTestPayment(tx) ? ('SANDBOX' as const) : gb.environment,
        storeIds: {
          storeCode: tx.marketId,
          price: tx.price,
          currency: tx.currency,
          ...(tx.paymentId && { paymentId: tx.paymentId }),
          ...(tx.productSeq != null && { itemSeq: String(tx.productSeq) }),
        },
      };
      if (isPeriodType(tx.productType)) {
        // A payment the status call leaves out is granted for the period it paid itself (its own paymentId).
        const subscription = await status();
        const period = subscription
          ? currentPeriod(subscription, tx.marketId, now(), tx.paymentId)
          : ownPeriod(tx.marketId, tx.paymentId);
        const storeIds = { ...facts.storeIds, ...period.storeIds };
        return {
          state: 'open',
          facts: { ...facts, storeIds },
          action: 'NONE',
          ...(period.periodKey !== undefined && { periodKey: period.periodKey }),
        };
      }
      if (!consumable) return { state: 'open', facts, action: 'NONE' };
      return { state: tx.isConsumable ? 'open' : 'done', facts };
    },
    async apply() {
      const result = await gb.client.consume(
        { paymentSeq: target.paymentSeq, purchaseToken: target.purchaseToken },
        call,
      );
      return { price: result.price, currency: result.currency };
    },
    async reinspect(): Promise<Reinspection> {
      try {
        return (await read()).isConsumable ? 'open' : 'unknown';
      } catch (error) {
        if (hasResultCode(error, INVALID_PARAMETERS)) return 'unknown';
        throw error;
      }
    },
    async alreadyDone(error) {
      if (!hasResultCode(error, ALREADY_CONSUMED)) return false;
      try {
        // Only a read showing the payment still consumable contradicts "already consumed".
        return !(await read()).isConsumable;
      } catch (readError) {
        if (hasResultCode(readError, INVALID_PARAMETERS)) return true;
        throw readError;
      }
    },
  };
}
