export * from './errors.js';
export { HttpClient, type HttpClientOptions } from './http/http-client.js';
export { type PoolOptions, PoolRegistry } from './http/pools.js';
export type { RetryOptions } from './http/retry.js';
export type { StoreLogger } from './logger.js';
export * as nhncloud from './nhncloud/index.js';
export * as onestore from './onestore/index.js';
