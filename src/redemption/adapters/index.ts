import type { StoreRegistry } from '../../entitlements/app-stores.js';
import type { CallOptions } from '../../stores/index.js';
import { StoreNotConfigured } from '../errors.js';
import type { RedeemTarget } from '../target.js';
import type { PurchaseAdapter } from './adapter.js';
import { gamebaseAdapter } from './gamebase.js';
import { nhnCloudAdapter } from './nhncloud.js';
import { oneStoreAdapter } from './onestore.js';

export type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

/**
 * The adapter that verifies and settles `target` for `app`; `call` goes with every store call it
 * makes (a redemption's request scope). Default: none (the sweeper's background work).
 */
export function adapterFor(
  stores: StoreRegistry,
  app: string,
  target: RedeemTarget,
  userId: string,
  call: CallOptions = {},
): PurchaseAdapter {
  const appStores = stores.app(app);
  if (!appStores) throw new StoreNotConfigured(app);
  switch (target.store) {
    case 'ONESTORE': {
      const one = target.market ? appStores.onestoreMarkets?.byMarket.get(target.market) : appStores.onestore;
      if (!one) throw new StoreNotConfigured(app, 'ONESTORE');
      return oneStoreAdapter(app, one, target, stores.now, call);
    }
    case 'NHN_CLOUD': {
      if (!appStores.nhncloud) throw new StoreNotConfigured(app, 'NHN_CLOUD');
      return nhnCloudAdapter(appStores, appStores.nhncloud, target, userId, call);
    }
    case 'GAMEBASE': {
      if (!appStores.gamebase) throw new StoreNotConfigured(app, 'GAMEBASE');
      return gamebaseAdapter(appStores.gamebase, target, userId, stores.now, call);
    }
  }
}
