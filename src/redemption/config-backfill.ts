import type { StoreRegistry } from '../entitlements/app-stores.js';
import type { GrantStore } from '../ledger/index.js';
import type { Environment } from '../vocabulary/environments.js';
import { STORE_IDS, type StoreId } from '../vocabulary/stores.js';
import { ledger } from './redeemer.js';
import type { JobLogger } from './sweeper.js';

/**
 * What the start fills in from the config on rows written before the ledger kept it (the store app,
 * migration 5; the environment, migration 11): once, later starts find none.
 */

/**
 * Grants written before the ledger kept their store app get the one each configured app names
 * now, so they count for "one purchase, one grant" too. A purchase already granted under two apps
 * keeps both rows: logged, for an operator to look at.
 */
export async function assignStoreApps(
  grants: GrantStore,
  stores: StoreRegistry,
  appNames: readonly string[],
  log?: JobLogger,
): Promise<void> {
  for (const app of appNames) {
    const configured = stores.app(app);
    for (const store of STORE_IDS) {
      const storeApp = configured?.storeApp(store);
      if (storeApp === undefined) continue;
      const done = await ledger(() => grants.assignStoreApp(app, store, storeApp));
      if (done.assigned > 0) log?.info?.({ app, store, ...done }, 'grants given their store app');
      if (done.duplicates > 0)
        log?.warn(
          { app, store, ...done },
          'grants of a store purchase granted under another app too (before the store identity): left as they are',
        );
    }
  }
}

/**
 * Rows written before the ledger kept environments (migration 11) get the one each configured app's
 * config names now for their store (ledger/grant-environments.ts). Events no rule reaches stay
 * unset, read as PRODUCTION: logged, with their count.
 */
export async function assignEnvironments(
  grants: GrantStore,
  stores: StoreRegistry,
  appNames: readonly string[],
  log?: JobLogger,
): Promise<void> {
  for (const app of appNames) {
    const configured = stores.app(app);
    if (configured === undefined) continue;
    const byStore: Partial<Record<StoreId, Environment>> = {};
    for (const store of STORE_IDS) {
      const environment = configured.environment(store);
      if (environment !== undefined) byStore[store] = environment;
    }
    const done = await ledger(() => grants.assignEnvironments(app, byStore));
    if (done.grants + done.tracked + done.events > 0)
      log?.info?.({ app, ...done }, 'rows from before environments given the configured one');
    if (done.eventsLeft > 0)
      log?.warn(
        { app, ...done },
        "events from before environments whose environment the config cannot tell (the app's stores differ): read as PRODUCTION",
      );
  }
}
