import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeadlineExceededError,
  isStoreError,
  type StoreName,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../errors.js';
import { type StoreLogger, silentLogger } from '../logger.js';
import { type StoreObserver, silentObserver } from '../observer.js';
import type { Bulkhead } from '../resilience/bulkhead.js';
import { type BreakerRegistry, guardedCall } from '../resilience/guard.js';
import type { RequestScope } from '../resilience/request-scope.js';
import { CallSignal } from './call-signal.js';
import { collectResponse } from './collect-response.js';
import { type PoolOptions, PoolRegistry } from './pools.js';
import {
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
  RetryBudget,
  type RetryOptions,
  resolveRetryOptions,
} from './retry.js';
import { classifyTransportError } from './transport-errors.js';

export interface HttpClientOptions {
  store: StoreName;
  /** Sockets to use; share one registry between clients to share keep-alive pools. Default: a private one. */
  pools?: PoolRegistry;
  /** Options for the private pool registry (ignored when `pools` is given). Default: {@link PoolOptions} defaults. */
  poolOptions?: PoolOptions;
  /** Overall deadline of one call including its retries and backoff, in ms. Default `10_000`. */
  deadlineMs?: number;
  /** Longest wait for the response headers of one attempt, in ms. Default `5_000`. */
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks of one attempt, in ms. Default `5_000`. */
  bodyTimeoutMs?: number;
  /** Largest accepted response body, in bytes. Default `1_048_576` (1 MiB). */
  maxResponseBytes?: number;
  /** Retry policy for calls that are safe to repeat. Default: {@link RetryOptions} defaults. */
  retry?: RetryOptions;
  /** Receives one debug line per attempt and one warn line per retry. Default: silent. */
  logger?: StoreLogger;
  /** Circuit breakers per endpoint group, shared between clients. Default: none (no breaker). */
  breakers?: BreakerRegistry;
  /** Concurrency caps every call must pass, in order (e.g. the app's, then the store's). Default: none. */
  bulkheads?: readonly Bulkhead[];
  /** Receives attempt, retry and rejection events for metrics. Default: silent. */
  observer?: StoreObserver;
  /**
   * Whether an answer is the store's maintenance answer, which opens the breaker at once.
   * Default: a 503 carrying `Retry-After`.
   */
  isMaintenance?: (response: HttpResponse) => boolean;
}

export interface HttpCall {
  /** Logical endpoint name used in logs and errors, e.g. `onestore.getPurchaseDetails`. */
  endpoint: string;
  method: 'GET' | 'POST';
  /** Built by `buildUrl`, so already checked. Never logged: it may contain a purchase token. */
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** True when repeating the call cannot apply a state change twice (reads, token, list POSTs). */
  safeToRetry: boolean;
  /** The caller's cancellation; combined with the deadline. */
  signal?: AbortSignal | undefined;
  /** The request this call serves: its deadline bounds the call, its id tags log lines. Default: none. */
  scope?: RequestScope | undefined;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Executes one upstream call over a keep-alive pool with deadline, size cap and retry policy.
 * It answers with whatever HTTP response the store sent last (the store layer interprets it) or
 * throws a {@link StoreError} for transport failures. Redirects are never followed.
 */
export class HttpClient {
  readonly #store: StoreName;
  readonly #pools: PoolRegistry;
  readonly #ownsPools: boolean;
  readonly #deadlineMs: number;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #retry: ResolvedRetryOptions;
  readonly #budget: RetryBudget;
  readonly #logger: StoreLogger;
  readonly #observer: StoreObserver;
  readonly #guard: Parameters<typeof guardedCall>[0];

  constructor(options: HttpClientOptions) {
    this.#store = options.store;
    this.#ownsPools = options.pools === undefined;
    this.#pools = options.pools ?? new PoolRegistry(options.poolOptions);
    this.#deadlineMs = options.deadlineMs ?? 10_000;
    this.#headersTimeoutMs = options.headersTimeoutMs ?? 5_000;
    this.#bodyTimeoutMs = options.bodyTimeoutMs ?? 5_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 1_048_576;
    this.#retry = resolveRetryOptions(options.retry);
    this.#budget = new RetryBudget(this.#retry.budgetRatio, this.#retry.budgetCapacity);
    this.#logger = options.logger ?? silentLogger;
    this.#observer = options.observer ?? silentObserver;
    this.#guard = {
      store: this.#store,
      breakers: options.breakers,
      bulkheads: options.bulkheads ?? [],
      observer: this.#observer,
      isMaintenance: options.isMaintenance ?? defaultIsMaintenance,
    };
  }

  execute(call: HttpCall): Promise<HttpResponse> {
    // The incoming request's deadline bounds every call it causes, on top of the call's own: one
    // timer for whichever comes first, cleared when the call ends.
    const requestLeft = (call.scope?.deadlineAt ?? Number.POSITIVE_INFINITY) - performance.now();
    const signal = new CallSignal(Math.max(0, Math.min(this.#deadlineMs, requestLeft)), call.signal);
    return guardedCall(this.#guard, call, signal, () => this.#run(call, signal)).finally(() =>
      signal.dispose(),
    );
  }

  async #run(call: HttpCall, signal: CallSignal): Promise<HttpResponse> {
    const startedAt = performance.now();
    this.#budget.deposit();
    for (let attempt = 1; ; attempt += 1) {
      if (signal.aborted) throw this.#abortError(call, signal, false);
      let retryIn: number | undefined;
      const attemptStart = performance.now();
      try {
        const response = await this.#attempt(call, signal);
        this.#observer.upstreamAttempt(
          this.#store,
          call.endpoint,
          String(response.status),
          seconds(attemptStart),
          call.scope,
        );
        this.#logger.debug(
          {
            requestId: call.scope?.requestId,
            store: this.#store,
            endpoint: call.endpoint,
            status: response.status,
            attempt,
            ms: elapsed(attemptStart),
          },
          'upstream response',
        );
        if (!call.safeToRetry || !isRetryableStatus(response.status)) return response;
        const hint = parseRetryAfter(response.headers['retry-after']);
        retryIn = this.#retryDelay(attempt, hint, startedAt);
        if (retryIn === undefined) return response;
        this.#logRetry(call, attempt, `HTTP_${response.status}`, retryIn);
      } catch (err) {
        if (isStoreError(err)) throw err;
        const outcome = signal.aborted ? (signal.timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED') : undefined;
        this.#observer.upstreamAttempt(
          this.#store,
          call.endpoint,
          outcome ?? classifyTransportError(err).code,
          seconds(attemptStart),
          call.scope,
        );
        // An abort mid-attempt may come after the request was written: uncertain for a state change.
        if (signal.aborted) throw this.#abortError(call, signal, !call.safeToRetry, err);
        const failure = classifyTransportError(err);
        this.#logger.debug(
          {
            requestId: call.scope?.requestId,
            store: this.#store,
            endpoint: call.endpoint,
            error: failure.code,
            attempt,
            ms: elapsed(attemptStart),
          },
          'upstream transport failure',
        );
        if (failure.sent === 'maybe' && !call.safeToRetry) {
          throw new UpstreamUncertainOutcomeError({
            store: this.#store,
            endpoint: call.endpoint,
            code: failure.code,
            message: `${call.endpoint}: the request may have reached the store but no answer arrived (${failure.code})`,
            cause: err,
          });
        }
        retryIn = this.#retryDelay(attempt, undefined, startedAt);
        if (retryIn === undefined) {
          throw new UpstreamUnavailableError({
            store: this.#store,
            endpoint: call.endpoint,
            code: failure.code,
            message: `${call.endpoint}: store unreachable after ${attempt} attempt(s) (${failure.code})`,
            cause: err,
          });
        }
        this.#logRetry(call, attempt, failure.code, retryIn);
      }
      try {
        await sleep(retryIn, undefined, { signal: signal.signal });
      } catch {
        // Between attempts nothing is in flight, so even a state change is known not applied here.
        throw this.#abortError(call, signal, false);
      }
    }
  }

  /** Closes the sockets if this client created them. */
  async close(): Promise<void> {
    if (this.#ownsPools) await this.#pools.close();
  }

  #attempt(call: HttpCall, signal: CallSignal): Promise<HttpResponse> {
    return collectResponse(this.#pools.get(call.url.origin), {
      method: call.method,
      path: `${call.url.pathname}${call.url.search}`,
      headers: call.headers,
      body: call.body,
      signal,
      headersTimeout: this.#headersTimeoutMs,
      bodyTimeout: this.#bodyTimeoutMs,
      maxBytes: this.#maxResponseBytes,
      tooLarge: () => this.#tooLarge(call),
    });
  }

  #retryDelay(attempt: number, retryAfterMs: number | undefined, startedAt: number): number | undefined {
    if (attempt >= this.#retry.maxAttempts) return undefined;
    if (retryAfterMs !== undefined && retryAfterMs > this.#retry.maxRetryAfterMs) return undefined;
    const delay = Math.max(backoffDelay(attempt, this.#retry), retryAfterMs ?? 0);
    if (elapsed(startedAt) + delay >= this.#deadlineMs) return undefined;
    if (!this.#budget.tryWithdraw()) return undefined;
    return delay;
  }

  #logRetry(call: HttpCall, attempt: number, reason: string, delayMs: number): void {
    this.#observer.upstreamRetry(this.#store, call.endpoint, reason);
    this.#logger.warn(
      {
        requestId: call.scope?.requestId,
        store: this.#store,
        endpoint: call.endpoint,
        attempt,
        reason,
        retryInMs: delayMs,
      },
      'retrying upstream call',
    );
  }

  #abortError(call: HttpCall, signal: CallSignal, mayHaveApplied: boolean, cause?: unknown) {
    const code = signal.timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED';
    const init = { store: this.#store, endpoint: call.endpoint, code, cause };
    if (mayHaveApplied) {
      return new UpstreamUncertainOutcomeError({
        ...init,
        message: `${call.endpoint}: ${code} after the request may have reached the store`,
      });
    }
    return new DeadlineExceededError({
      ...init,
      message: `${call.endpoint}: ${code} before an answer arrived`,
    });
  }

  #tooLarge(call: HttpCall): UpstreamProtocolError | UpstreamUncertainOutcomeError {
    const init = {
      store: this.#store,
      endpoint: call.endpoint,
      code: 'RESPONSE_TOO_LARGE',
      message: `${call.endpoint}: response body exceeds ${this.#maxResponseBytes} bytes`,
    };
    // An answer we will not read may follow a change the store applied.
    return call.safeToRetry
      ? new UpstreamProtocolError(init)
      : new UpstreamUncertainOutcomeError({
          ...init,
          message: `${init.message}; the change may or may not have been applied`,
        });
  }
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function defaultIsMaintenance(response: HttpResponse): boolean {
  return response.status === 503 && response.headers['retry-after'] !== undefined;
}
