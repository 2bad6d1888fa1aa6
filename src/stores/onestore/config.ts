import type { StoreClientOptions } from '../http/store-call.js';
import type { MarketCode, TokenCache } from './token-cache.js';

export const ONESTORE_BASE_URLS = {
  sandbox: 'https://sbpp.onestore.net',
  production: 'https://iap-apis.onestore.net',
} as const;

export type OneStoreEnvironment = keyof typeof ONESTORE_BASE_URLS;

export interface OneStoreClientOptions extends StoreClientOptions {
  /** Client ID from the developer center (formerly the package name); also the `{clientId}` path segment. */
  clientId: string;
  /** Client secret; sent only in the token request body, never logged or put in an error. */
  clientSecret: string;
  /** `x-market-code` sent on every call: `MKT_ONE` (Korea) or `MKT_GLB` (global). Default `'MKT_ONE'`. */
  market?: MarketCode;
  /**
   * Which ONE store host to call: `'sandbox'` (https://sbpp.onestore.net) or `'production'`
   * (https://iap-apis.onestore.net). Ignored when `baseUrl` is given. Default `'sandbox'`, so a
   * missing setting never reaches real money.
   */
  environment?: OneStoreEnvironment;
  /** Explicit base URL (e.g. the local sandbox); wins over `environment`. Default: none. */
  baseUrl?: string;
  /** Token cache to share between clients. Default: a private cache built from `now` and `renewBeforeExpirySeconds`. */
  tokenCache?: TokenCache;
  /** Clock for a private token cache, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Renewal margin for a private token cache, in seconds. Default `600` (the document's rule). */
  renewBeforeExpirySeconds?: number;
  /**
   * Most pages one list walk reads (`voidedPurchaseWalk`, `unconfirmedPurchaseWalk`; one run of
   * the revocation sync, one Relay walk). Default `100` (`DEFAULT_PAGE_BUDGET`, `stores/paging.ts`).
   */
  pageBudget?: number;
}
