import DataLoader from 'dataloader';
import { fromNhnPayment } from '../entitlements/purchases.js';
import type { PurchaseRecord } from '../entitlements/records.js';
import { nhnCloudOf } from './authorize.js';
import type { GatewayContext } from './context.js';
import { ForbiddenError } from './errors/error-classes.js';
import { storeCall } from './errors/store-error-map.js';
import { mapLimited } from './loaders.js';

export const unconsumedKey = (app: string, userChannel: string, userKey: string) =>
  JSON.stringify([app, userChannel, userKey]);

const loaders = new WeakMap<GatewayContext, DataLoader<string, PurchaseRecord[]>>();

/**
 * NHN Cloud has no "get one payment" call: a payment is verified through its user's unconsumed list.
 * This request-scoped loader fetches each (app, channel, user) list once, however many payments of
 * that user one operation checks.
 */
export function unconsumedLoader(ctx: GatewayContext): DataLoader<string, PurchaseRecord[]> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((keys) =>
      mapLimited(keys, ctx.upstreamConcurrency, async (key) => {
        const [app = '', userChannel = '', userKey = ''] = JSON.parse(key) as string[];
        const stores = ctx.caller.apps.has(app) ? ctx.stores.app(app) : undefined;
        if (!stores) throw new ForbiddenError(`This API key may not use app "${app}".`);
        const nhn = nhnCloudOf(stores);
        const list = await storeCall(() =>
          nhn.client.getConsumableList({ appSeq: nhn.appSeq, userKey, userChannel }),
        );
        return list.map((payment) => fromNhnPayment(payment, app));
      }),
    );
    loaders.set(ctx, loader);
  }
  return loader;
}
