export type { CallOptions } from '../http/store-call.js';
export { type DeferRef, OneStoreClient, type PayloadRef } from './client.js';
export { isOneStoreErrorCode, ONESTORE_ERROR_CODES, type OneStoreErrorCode } from './codes.js';
export { ONESTORE_BASE_URLS, type OneStoreClientOptions, type OneStoreEnvironment } from './config.js';
export { oneStoreChangeAnswer } from './evidence.js';
export {
  CONTINUATION_KEY_RULE,
  isContinuationKey,
  type ListQuery,
  MAX_RESULTS,
  PRODUCT_ID_RULE,
  PURCHASE_TOKEN_RULE,
  type PurchaseRef,
  STORE_CLOCK_MARGIN_MS,
} from './inputs.js';
export type {
  PurchaseDetails,
  RecurringPurchaseDetails,
  SubscriptionDetail,
  SuccessResult,
  TokenResponse,
  UnconfirmedPurchase,
  UnconfirmedPurchasesPage,
  VoidedPurchase,
  VoidedPurchasesPage,
} from './schemas.js';
export {
  type MarketCode,
  TokenCache,
  type TokenCacheOptions,
  type TokenIssuer,
  type TokenKey,
  type TokenLease,
} from './token-cache.js';
