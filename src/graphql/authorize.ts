import type { AppStores, GamebaseApp, NhnCloudApp, OneStoreApp } from '../entitlements/app-stores.js';
import type { Market } from '../entitlements/records.js';
import { STORES, type StoreId } from '../vocabulary/stores.js';
import type { GatewayContext } from './context.js';
import { ForbiddenError, InvalidInputError } from './errors/error-classes.js';
import { meets, ruleError } from './validate.js';

const FORBIDDEN_APP = 'This API key may not use this app.';

/**
 * The app a root field may touch, or a ForbiddenError: checked once per field, here. An unknown app
 * and an app outside the key's list get the same answer, so a key cannot probe which apps exist.
 * The scope is the field's `authScopes` (scope-auth), which refuses before the resolver runs;
 * `test/server/scope-auth.test.ts` holds every Query field to `read` and every Mutation to `write`.
 * `at` is the argument's path for the InvalidInputError of a malformed name (`input.app`).
 */
export function authorize(ctx: GatewayContext, app: string, at = 'app'): AppStores {
  // A name no config can hold is malformed input, refused as such and never echoed.
  if (!meets('app', app)) throw ruleError('app', at);
  const stores = ctx.caller.apps.has(app) ? ctx.stores.app(app) : undefined;
  // Not repeated: the app is the caller's text, which an error never quotes (docs/SECURITY.md).
  if (!stores) throw new ForbiddenError(FORBIDDEN_APP);
  // Budgets were consumed before execution (the stores are async, this is not); see rate-limits.ts.
  const limited = ctx.rateLimit?.key ?? ctx.rateLimit?.apps.get(app);
  if (limited) throw limited;
  return stores;
}

/**
 * The app of a record read earlier in this request, for a field below it (a purchase's item): the
 * root field authorized the app; this is its one check for the nested field, without a scope (a
 * mutation's payload is read under `write`) and no rate-limit verdict (the root field gave it).
 */
export function recordApp(ctx: GatewayContext, app: string): AppStores {
  const stores = ctx.caller.apps.has(app) ? ctx.stores.app(app) : undefined;
  if (!stores) throw new ForbiddenError(FORBIDDEN_APP);
  return stores;
}

/**
 * The app's ONE store in `market` (its first market when none is given). A market the app is not
 * configured for is refused here, naming the allowed ones, before any upstream call; `at` is the
 * argument's path for that error.
 */
export function oneStoreOf(stores: AppStores, market?: Market | null, at = 'market'): OneStoreApp {
  const markets = stores.onestoreMarkets;
  if (!markets) throw notConfigured(stores, 'ONESTORE');
  if (market === undefined || market === null) return markets.first;
  const one = markets.byMarket.get(market);
  if (!one) {
    const allowed = [...markets.byMarket.keys()].join(', ');
    throw new InvalidInputError(
      at,
      `App "${stores.name}" is not configured for ONE store market ${market}; allowed: ${allowed}.`,
    );
  }
  return one;
}

export function nhnCloudOf(stores: AppStores): NhnCloudApp {
  if (!stores.nhncloud) throw notConfigured(stores, 'NHN_CLOUD');
  return stores.nhncloud;
}

export function gamebaseOf(stores: AppStores): GamebaseApp {
  if (!stores.gamebase) throw notConfigured(stores, 'GAMEBASE');
  return stores.gamebase;
}

/** The app must be configured for `store` (any store: redeemPurchase checks the target's this way). */
export function requireStore(stores: AppStores, store: StoreId): void {
  if (stores.storeApp(store) === undefined) throw notConfigured(stores, store);
}

const notConfigured = (stores: AppStores, store: StoreId) =>
  new InvalidInputError('app', `App "${stores.name}" has no ${STORES[store].label} configuration.`);
