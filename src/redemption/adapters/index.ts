import type { StoreRegistry } from '../../entitlements/app-stores.js';
import type { RedeemTarget } from '../target.js';
import type { PurchaseAdapter } from './adapter.js';
import { gamebaseAdapter } from './gamebase.js';
import { nhnCloudAdapter } from './nhncloud.js';
import { oneStoreAdapter } from './onestore.js';

export type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

/** The app is not configured for the target's store (any more). */
export class StoreNotConfigured extends Error {
  override readonly name = 'StoreNotConfigured';
}

/** The adapter that verifies and settles `target` for `app`. */
export function adapterFor(
  stores: StoreRegistry,
  app: string,
  target: RedeemTarget,
  userId: string,
): PurchaseAdapter {
  const appStores = stores.app(app);
  if (!appStores) throw new StoreNotConfigured(`no app "${app}"`);
  switch (target.store) {
    case 'ONESTORE': {
      if (!appStores.onestore) throw new StoreNotConfigured(`app "${app}" has no ONE store configuration`);
      return oneStoreAdapter(app, appStores.onestore, target, stores.now);
    }
    case 'NHN_CLOUD': {
      if (!appStores.nhncloud) throw new StoreNotConfigured(`app "${app}" has no NHN Cloud configuration`);
      return nhnCloudAdapter(appStores, appStores.nhncloud, target, userId);
    }
    case 'GAMEBASE': {
      if (!appStores.gamebase) throw new StoreNotConfigured(`app "${app}" has no Gamebase configuration`);
      return gamebaseAdapter(appStores.gamebase, target, userId);
    }
  }
}
