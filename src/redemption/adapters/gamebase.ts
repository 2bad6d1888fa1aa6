import type { GamebaseApp } from '../../entitlements/app-stores.js';
import { type CallOptions, isStoreError } from '../../stores/index.js';
import { NotRedeemable } from '../errors.js';
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
 */
export function gamebaseAdapter(
  gb: GamebaseApp,
  target: GamebaseRedeemTarget,
  userId: string,
  call: CallOptions,
): PurchaseAdapter {
  const read = () =>
    gb.client.getPaymentTransaction(
      { paymentSeq: target.paymentSeq, purchaseToken: target.purchaseToken },
      call,
    );
  return {
    storeApp: gb.appId,
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
        storeIds: {
          storeCode: tx.marketId,
          price: tx.price,
          currency: tx.currency,
          ...(tx.paymentId && { paymentId: tx.paymentId }),
          ...(tx.productSeq != null && { itemSeq: String(tx.productSeq) }),
        },
      };
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
