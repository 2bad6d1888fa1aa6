import type { AppStores, NhnCloudApp } from '../../entitlements/app-stores.js';
import { type CallOptions, isStoreError } from '../../stores/index.js';
import type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

export interface NhnRedeemTarget {
  paymentSeq: string;
  itemSeq: string;
  purchaseToken: string;
}

/** NHN Cloud resultCodes ALREADY_CONSUMED and CONSUME_FAILED (document 000). */
const ALREADY_CONSUMED = 5018;
const CONSUME_FAILED = 5000;

/**
 * NHN Cloud IAP has no read of a single payment: consume itself verifies the token (5000 when it
 * is wrong or the payment incomplete, 5018 when consumed before). After an uncertain consume the
 * user's unconsumed list (userKey = the redeeming user id) can prove only that it did NOT go
 * through: the payment may be listed under another userKey or channel, so its absence proves
 * nothing; listed under another purchaseToken, it proves ours cannot consume it. The evidence of a
 * consume is its success answer, or 5018 to a repeat of the same consume (the token is checked
 * before the consumed state, so 5018 speaks of this payment); by the same order, 5000 to a repeat
 * proves that no attempt with this token consumed it, while 5000 to a first attempt is uncertain.
 */
export function nhnCloudAdapter(
  stores: AppStores,
  nhn: NhnCloudApp,
  target: NhnRedeemTarget,
  userId: string,
  call: CallOptions,
): PurchaseAdapter {
  return {
    storeApp: nhn.appSeq,
    action: 'CONSUME',
    outcome: 'CONSUMED',
    async inspect(): Promise<Inspection> {
      // The catalogue (cached) names the product; an item it does not list keeps its itemSeq.
      const items = await stores.catalog(call.scope);
      const item = items.find((i) => i.itemSeq === target.itemSeq);
      const facts = {
        productId: item?.marketItemId ?? target.itemSeq,
        quantity: 1,
        storeIds: {},
      };
      return { state: 'unknown', facts };
    },
    async apply() {
      const result = await nhn.client.consume(target, call);
      return { price: result.price, currency: result.currency };
    },
    async reinspect(): Promise<Reinspection> {
      const unconsumed = await nhn.client.getConsumableList({ appSeq: nhn.appSeq, userKey: userId }, call);
      const listed = unconsumed.find((p) => p.paymentSeq === target.paymentSeq);
      if (!listed) return 'unknown';
      // Unconsumed, and its token is not ours: a consume with our token cannot consume it.
      return listed.purchaseToken === target.purchaseToken ? 'open' : 'refused';
    },
    alreadyDone: async (error) =>
      isStoreError(error) && error.kind === 'StoreApiError' && error.resultCode === ALREADY_CONSUMED,
    // The token is checked before the consumed state: had an earlier attempt with this token
    // consumed the payment, the repeat would be answered 5018, not 5000.
    refusedOnRepeat: (error) => isStoreError(error) && error.resultCode === CONSUME_FAILED,
  };
}
