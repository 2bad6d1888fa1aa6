import type { NhnCloudApp } from '../entitlements/app-stores.js';
import { fromNhnPayment } from '../entitlements/purchases.js';
import type { PurchaseRecord } from '../entitlements/records.js';
import { storeCall } from './errors/store-error-map.js';
import { mapLimited, requestLoader } from './loaders.js';

/** One user's unconsumed list; `nhn` is the app's NHN Cloud, as `authorize` handed it over. */
export interface UnconsumedKey {
  readonly app: string;
  readonly nhn: NhnCloudApp;
  readonly userChannel: string;
  readonly userKey: string;
}

/**
 * NHN Cloud has no "get one payment" call: a payment is verified through its user's unconsumed list.
 * This request-scoped loader fetches each (app, channel, user) list once, however many payments of
 * that user one operation checks.
 */
export const unconsumedLoader = requestLoader<UnconsumedKey, PurchaseRecord[]>(
  (keys, ctx) =>
    mapLimited(keys, ctx.upstreamConcurrency, async ({ app, nhn, userChannel, userKey }) => {
      const list = await storeCall(() =>
        nhn.client.getConsumableList({ appSeq: nhn.appSeq, userKey, userChannel }),
      );
      return list.map((payment) => fromNhnPayment(payment, app));
    }),
  (k) => JSON.stringify([k.app, k.userChannel, k.userKey]),
);
