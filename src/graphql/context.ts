import type { Scope } from '../config/schema.js';
import type { AppStores, StoreRegistry } from '../entitlements/app-stores.js';
import type { EventType } from '../events/types.js';
import type { LedgerEvent } from '../ledger/index.js';
import type { RedemptionService } from '../redemption/service.js';
import type { RequestScope } from '../stores/index.js';
import type { PlayerRefresh } from '../subscriptions/index.js';
import type { RateLimitedError } from './errors/error-classes.js';

/** Who is calling: the API key's name, and the apps and scopes it may use. */
export interface Caller {
  keyName: string;
  apps: ReadonlySet<string>;
  scopes: ReadonlySet<Scope>;
}

/** One per GraphQL request: the request-scoped DataLoaders hang off this object. */
export interface GatewayContext {
  caller: Caller;
  stores: StoreRegistry;
  /**
   * The HTTP request's scope (deadline, id): every store call the request causes passes it in its
   * options (`{ scope }`), so the deadline bounds it and its log lines carry the id. Undefined
   * outside a request (a webhook's rendering).
   */
  scope: RequestScope | undefined;
  /** Entitlement rules read this clock (the sandbox's in sandbox mode). */
  now(): Date;
  /** Most upstream calls this request runs at once. */
  upstreamConcurrency: number;
  /** Most entries in one `checkEntitlements` call (`limits.maxChecks`, at most 100). */
  maxChecks: number;
  /** The gateway's ledger (`server/ledger-state.ts`); a request that needs no ledger never touches it. */
  ledger: LedgerHandle;
  /** Budgets already found spent for this request (set before execution); absent when limits are off. */
  rateLimit?: RateLimitDecision;
  /** The gateway's live event streams (`server/event-streams.ts`). */
  eventStreams: EventStreams;
  /** `player(refresh: true)`'s reads, by the subscription scheduler of the open ledger. */
  subscriptions: SubscriptionRefresher;
}

/** Reads players' tracked subscriptions now (src/subscriptions/scheduler.ts `refresh`). */
export interface SubscriptionRefresher {
  /** Waits for the ledger to open; rejects with `LedgerUnavailable` while it cannot. */
  refresh(app: string, userIds: readonly string[]): Promise<ReadonlyMap<string, PlayerRefresh>>;
}

/** The gateway's ledger as a request reaches it: one handle, built by the composition root. */
export interface LedgerHandle {
  /**
   * The redemption service over the open ledger: waits while the ledger opens (start-up recovery);
   * rejects with `LedgerUnavailable` while it cannot be opened (the next call tries again).
   */
  redemption(): Promise<RedemptionService>;
}

/** What a subscription asks the gateway's streams for; app and cursor are checked already. */
export interface EventStreamOpening {
  keyName: string;
  app: string;
  /** After this seq; null: from the app's first event. */
  afterSeq: string | null;
  types?: readonly EventType[];
  /** The request's: a client gone before or while the stream opens must not keep its place. Default: none. */
  signal?: AbortSignal;
  /** The request's id, for the stream's log lines. Default: none. */
  requestId?: string;
}

/** Opens live streams of an app's events, within the per-key cap; every one ends at shutdown. */
export interface EventStreams {
  /**
   * Rejects with `TooManyStreamsError`, `StreamsClosedError` or `LedgerUnavailable` before
   * anything streams; the iterator's `return()` ends the stream and frees its place.
   */
  open(opening: EventStreamOpening): Promise<AsyncIterableIterator<LedgerEvent>>;
}

/** What the rate-limit pass decided before execution; `authorize` answers with it. */
export interface RateLimitDecision {
  /** The API key's budget is spent: every root field answers this. */
  key: RateLimitedError | null;
  /** Apps whose budget is spent, by app name. */
  apps: ReadonlyMap<string, RateLimitedError>;
}

export type { AppStores };
