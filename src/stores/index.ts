export * from './errors.js';
export * as gamebase from './gamebase/index.js';
export { HttpClient, type HttpClientOptions } from './http/http-client.js';
export { type PoolOptions, PoolRegistry } from './http/pools.js';
export type { RetryOptions } from './http/retry.js';
export type { SegmentRule } from './http/safe-path.js';
export type { StoreLogger } from './logger.js';
export * as nhncloud from './nhncloud/index.js';
export { type BreakerStateName, type StoreObserver, silentObserver } from './observer.js';
export * as onestore from './onestore/index.js';
export { type BreakerOptions, CircuitBreaker } from './resilience/breaker.js';
export { Bulkhead, type BulkheadOptions } from './resilience/bulkhead.js';
export { BreakerRegistry, endpointGroup } from './resilience/guard.js';
export {
  currentRequestScope,
  outsideRequestScope,
  type RequestScope,
  runInRequestScope,
} from './resilience/request-scope.js';
