import type { Scope } from '../config/schema.js';
import type { AppStores, GamebaseApp, NhnCloudApp, OneStoreApp } from '../entitlements/app-stores.js';
import type { GatewayContext } from './context.js';
import { ForbiddenError, InvalidInputError } from './errors/error-classes.js';

/**
 * The app a call may touch, or a ForbiddenError. An unknown app and an app outside the key's list
 * get the same answer, so a key cannot probe which apps exist. The scope was checked already by
 * the field's `authScopes` (scope-auth); it is checked again here as a second lock, should a
 * field ever declare the wrong scope.
 */
export function authorize(ctx: GatewayContext, app: string, scope: Scope): AppStores {
  const stores = ctx.caller.apps.has(app) ? ctx.stores.app(app) : undefined;
  if (!stores) throw new ForbiddenError(`This API key may not use app "${app.slice(0, 64)}".`);
  if (!ctx.caller.scopes.has(scope)) throw new ForbiddenError(`This API key lacks the "${scope}" scope.`);
  // Budgets were consumed before execution (the stores are async, this is not); see rate-limits.ts.
  const limited = ctx.rateLimit?.key ?? ctx.rateLimit?.apps.get(app);
  if (limited) throw limited;
  return stores;
}

export function oneStoreOf(stores: AppStores): OneStoreApp {
  if (!stores.onestore)
    throw new InvalidInputError('app', `App "${stores.name}" has no ONE store configuration.`);
  return stores.onestore;
}

export function nhnCloudOf(stores: AppStores): NhnCloudApp {
  if (!stores.nhncloud)
    throw new InvalidInputError('app', `App "${stores.name}" has no NHN Cloud configuration.`);
  return stores.nhncloud;
}

export function gamebaseOf(stores: AppStores): GamebaseApp {
  if (!stores.gamebase)
    throw new InvalidInputError('app', `App "${stores.name}" has no Gamebase configuration.`);
  return stores.gamebase;
}
