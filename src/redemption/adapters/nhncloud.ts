import type { AppStores, NhnCloudApp } from '../../entitlements/app-stores.js';
import { type CallOptions, isStoreError } from '../../stores/index.js';
import type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

export interface NhnRedeemTarget {
  paymentSeq: string;
  itemSeq: string;
  purchaseToken: string;
}

/** NHN Cloud resultCode ALREADY_CONSUMED (document 000). */
const ALREADY_CONSUMED = 5018;

/**
 * NHN Cloud IAP has no read of a single payment: consume itself verifies the token (5000 when it
 * is wrong or the payment incomplete, 5018 when consumed before). After an uncertain consume the
 * user's unconsumed list (userKey = the redeeming user id) can prove only that it did NOT go
 * through: the payment may be listed under another userKey or channel, so its absence proves
 * nothing; listed under another purchaseToken, it proves ours cannot consume it. The evidence of a
 * consume is its success answer, or 5018 to a repeat of the same consume. 5000 proves nothing, to a
 * first attempt or to its repeat (document 000 says only "Consume 실패", not that the token is
 * checked before the consumed state): a claim with a wrong token stays pending until a list proves
 * it wrong, which the paying user's own redemption does (`refutesClaim`).
 */
export function nhnCloudAdapter(
  stores: AppStores,
  nhn: NhnCloudApp,
  target: NhnRedeemTarget,
  userId: string,
  call: CallOptions,
): PurchaseAdapter {
  /** The payment in the redeeming user's unconsumed list, if it is there. */
  const listedFor = async () => {
    const unconsumed = await nhn.client.getConsumableList({ appSeq: nhn.appSeq, userKey: userId }, call);
    return unconsumed.find((p) => p.paymentSeq === target.paymentSeq);
  };
  return {
    storeApp: nhn.appSeq,
    action: 'CONSUME',
    outcome: 'CONSUMED',
    async inspect(): Promise<Inspection> {
      // The catalogue (cached) names the product; an item it does not list keeps its itemSeq.
      const items = await stores.catalog(call.scope);
      const item = items.find((i) => i.itemSeq === target.itemSeq);
      // NHN Cloud's consume answer and lists carry no test flag (document 003): the config says.
      const facts = {
        productId: item?.marketItemId ?? target.itemSeq,
        quantity: 1,
        storeIds: {},
        environment: nhn.environment,
      };
      return { state: 'unknown', facts };
    },
    async apply() {
      const result = await nhn.client.consume(target, call);
      return { price: result.price, currency: result.currency };
    },
    async reinspect(): Promise<Reinspection> {
      const listed = await listedFor();
      if (!listed) return 'unknown';
      // Unconsumed, and its token is not ours: a consume with our token cannot consume it.
      return listed.purchaseToken === target.purchaseToken ? 'open' : 'refused';
    },
    alreadyDone: async (error) =>
      isStoreError(error) && error.kind === 'StoreApiError' && error.resultCode === ALREADY_CONSUMED,
    async refutesClaim(claim) {
      // The payment is unconsumed under a token that is not the claim's: the store will never
      // consume it with the claim's token, so the claim can never settle (whoever holds it).
      const claimToken = claim.storeIds.purchaseToken;
      if (claimToken === undefined) return false;
      const listed = await listedFor();
      return listed !== undefined && listed.purchaseToken !== claimToken;
    },
  };
}
