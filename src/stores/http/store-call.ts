import type { z } from 'zod';
import type { StoreLogger } from '../logger.js';
import type { RequestScope } from '../resilience/request-scope.js';
import type { HttpClientOptions } from './http-client.js';
import type { PoolRegistry } from './pools.js';
import type { PathPart } from './safe-path.js';

/** What every store client (ONE store, NHN Cloud, Gamebase) takes besides its address and credentials. */
export interface StoreClientOptions {
  /** Keep-alive pools to share with other clients. Default: a private registry closed by `close()`. */
  pools?: PoolRegistry;
  /** Deadlines, size cap, retry policy, breakers, bulkheads. Default: {@link HttpClientOptions} defaults. */
  http?: Omit<HttpClientOptions, 'store' | 'pools' | 'logger'>;
  /** pino-compatible logger; receives no secret, token or URL. Default: silent. */
  logger?: StoreLogger;
}

/** The last argument of every store client method. */
export interface CallOptions {
  /** Cancels the call; combined with the client's deadline. Default: none. */
  signal?: AbortSignal;
  /**
   * The incoming request this call serves: its deadline bounds the call and its id tags the log
   * lines. Default: none (work shared by many requests, or no request at all).
   */
  scope?: RequestScope | undefined;
}

/** One endpoint call as a client method hands it to its store's transport. */
export interface StoreCall<S extends z.ZodType> {
  /** Endpoint name as in the sandbox's stats, e.g. `onestore.consumePurchase`. */
  endpoint: string;
  method: 'GET' | 'POST';
  /** Path segments after the transport's own prefix (base URL, and for ONE store `/v7/apps/{clientId}`). */
  parts: readonly PathPart[];
  /** Query parameters; an undefined value is left out. */
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** A state change is never retried once it may have reached the store. */
  stateChanging: boolean;
  /** The successful answer's shape (for the envelope stores, the shape of its `result`). */
  schema: S;
  signal?: AbortSignal | undefined;
  scope?: RequestScope | undefined;
}
