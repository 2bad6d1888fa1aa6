export { readStoreCode, storeCodeOf } from './codes.js';
export * from './errors.js';
export * as gamebase from './gamebase/index.js';
export { HttpClient, type HttpClientOptions } from './http/http-client.js';
export { type PoolOptions, PoolRegistry } from './http/pools.js';
export type { RetryOptions } from './http/retry.js';
export type { SegmentRule } from './http/safe-path.js';
export type { CallOptions } from './http/store-call.js';
export type { StoreLogger } from './logger.js';
export * as nhncloud from './nhncloud/index.js';
export {
  type BreakerStateName,
  type StoreObserver,
  silentObserver,
  type TokenRefreshOutcome,
} from './observer.js';
export * as onestore from './onestore/index.js';
export {
  DEFAULT_PAGE_BUDGET,
  isWalked,
  type KeyedPage,
  keysWalked,
  MAX_PAGE_BUDGET,
  PageWalk,
  type WalkStart,
} from './paging.js';
export { type BreakerOptions, CircuitBreaker } from './resilience/breaker.js';
export { Bulkhead, type BulkheadOptions } from './resilience/bulkhead.js';
export { BreakerRegistry, endpointGroup } from './resilience/guard.js';
export type { RequestScope } from './resilience/request-scope.js';
export { activeTracer } from './tracing.js';
