import type { RequestScope } from './resilience/request-scope.js';

/**
 * What the store layer reports about itself, for metrics. `stores/` defines the interface and the
 * server implements it (prom-client), so this layer depends on no metrics library and no global.
 * Labels are endpoint names, statuses and codes only: never URLs, tokens or secrets.
 */
export type BreakerStateName = 'closed' | 'open' | 'half-open';
export type TokenRefreshOutcome = 'success' | 'failure' | 'refused';

export interface StoreObserver {
  /**
   * One upstream attempt ended: `status` is the HTTP status or a transport code (`ECONNRESET`,
   * `DEADLINE_EXCEEDED`); `scope` is the request it served, if any.
   */
  upstreamAttempt(
    store: string,
    endpoint: string,
    status: string,
    seconds: number,
    scope?: RequestScope,
  ): void;
  /** An attempt is about to be repeated. */
  upstreamRetry(store: string, endpoint: string, reason: string): void;
  /**
   * A new access token was requested from a store: `refused` when the token endpoint answered with
   * an error code (the credentials or the configuration are wrong), `failure` for anything else
   * (unreachable, 5xx, maintenance, an answer outside the protocol).
   */
  tokenRefresh(store: string, outcome: TokenRefreshOutcome): void;
  /** A cache lookup (`token`, `catalog`). */
  cacheLookup(cache: string, hit: boolean): void;
  /** A circuit breaker changed state. */
  breakerState(group: string, state: BreakerStateName): void;
  /** A call was refused without reaching the store: `breaker` open, or a full `bulkhead`. */
  rejected(reason: 'breaker' | 'bulkhead', name: string): void;
  /** A list walk ended because the store answered a continuationKey it had given before in the walk. */
  pagingLoop(store: string, endpoint: string): void;
  /** A list walk read its budget of pages with the list going on (`PageWalk`, `stores/paging.ts`). */
  pagingBudgetSpent(store: string, endpoint: string): void;
}

export const silentObserver: StoreObserver = {
  upstreamAttempt() {},
  upstreamRetry() {},
  tokenRefresh() {},
  cacheLookup() {},
  breakerState() {},
  rejected() {},
  pagingLoop() {},
  pagingBudgetSpent() {},
};
