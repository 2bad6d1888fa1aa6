import { APP } from './gateway.js';

/** The redeemPurchase inputs the redemption tests build for app A, one store each. */

/** An NHN Cloud payment redeemed by `userId` (its item is `itemSeq`). */
export function nhnInput(
  pay: { paymentSeq: string; purchaseToken: string },
  itemSeq: string,
  userId: string,
) {
  return {
    app: APP,
    userId,
    nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
  };
}

/** A Gamebase payment redeemed by `userId`. */
export function gamebaseInput(pay: { paymentSeq: string; purchaseToken: string }, userId: string) {
  return { app: APP, userId, gamebase: { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken } };
}

/** A ONE store purchase redeemed by `userId`. */
export function oneStoreInput(p: { productId: string; purchaseToken: string }, userId: string) {
  return { app: APP, userId, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } };
}
