import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { isStoreError, type StoreName, UpstreamUnavailableError } from '../errors.js';
import { parseRetryAfter } from '../http/retry.js';
import { type StoreObserver, silentObserver } from '../observer.js';
import { activeTracer } from '../tracing.js';
import { type BreakerOptions, CircuitBreaker, type Permit, resolveBreakerOptions } from './breaker.js';
import type { Bulkhead } from './bulkhead.js';

/** The part of an upstream answer the guard reads. */
export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface GuardedCall {
  endpoint: string;
  method: string;
  safeToRetry: boolean;
}

/** One breaker per store endpoint group, shared by every client of the process (all apps). */
export class BreakerRegistry {
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #options: ReturnType<typeof resolveBreakerOptions>;

  constructor(
    options: BreakerOptions = {},
    readonly observer: StoreObserver = silentObserver,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#options = resolveBreakerOptions(options);
  }

  get(group: string): CircuitBreaker {
    let breaker = this.#breakers.get(group);
    if (breaker === undefined) {
      breaker = new CircuitBreaker(group, this.#options, this.now, (state) =>
        this.observer.breakerState(group, state),
      );
      this.#breakers.set(group, breaker);
      this.observer.breakerState(group, 'closed');
    }
    return breaker;
  }

  /** Every breaker used so far and its state. */
  states(): Record<string, string> {
    return Object.fromEntries([...this.#breakers].map(([group, b]) => [group, b.state]));
  }
}

/**
 * Endpoint groups share fate: the token endpoint, reads and state changes of one store fail for
 * different reasons (auth service, read replicas, payment back end), so each has its own breaker.
 */
export function endpointGroup(store: StoreName, call: GuardedCall): string {
  const groups = groupsOf(store);
  if (call.endpoint === groups.token) return groups.token;
  return call.safeToRetry ? groups.read : groups.write;
}

/** The group names of each store, built once rather than per call (they key the breaker map). */
const GROUPS = new Map<StoreName, { token: string; read: string; write: string }>();

function groupsOf(store: StoreName): { token: string; read: string; write: string } {
  let groups = GROUPS.get(store);
  if (groups === undefined) {
    groups = { token: `${store}.token`, read: `${store}.read`, write: `${store}.write` };
    GROUPS.set(store, groups);
  }
  return groups;
}

export interface GuardOptions {
  store: StoreName;
  breakers: BreakerRegistry | undefined;
  bulkheads: readonly Bulkhead[];
  observer: StoreObserver;
  isMaintenance: (response: GuardedResponse) => boolean;
}

/**
 * What stops a call (`CallSignal` of the HTTP client): `aborted` is read on every call, the real
 * AbortSignal only when a call has to wait for a bulkhead slot.
 */
export interface CallAbort {
  readonly aborted: boolean;
  readonly signal: AbortSignal;
}

/** The permit of a call without a breaker: read only, so one object serves them all. */
const NO_BREAKER_PERMIT: Permit = Object.freeze({ ok: true, probe: false });

/**
 * Runs one upstream call (with its retries) behind the breaker and the bulkheads, as a client
 * span when tracing is on (a child of the request's: the SDK's context manager carries it). Nothing is sent while the breaker is open or the bulkheads are full, so the error says
 * "nothing changed" truthfully even for a state change.
 */
export function guardedCall(
  g: GuardOptions,
  call: GuardedCall,
  signal: CallAbort,
  run: () => Promise<GuardedResponse>,
): Promise<GuardedResponse> {
  const tracer = activeTracer();
  if (tracer === undefined) return guarded(g, call, signal, run);
  // Attributes are names and statuses only: the URL (which holds a purchase token) never goes in.
  const attributes = {
    'gateway.store': g.store,
    'gateway.endpoint': call.endpoint,
    'http.request.method': call.method,
  };
  return tracer.startActiveSpan(call.endpoint, { kind: SpanKind.CLIENT, attributes }, (span) =>
    guarded(g, call, signal, run, span),
  );
}

/** The call inside its span, if any (one async function for both: one promise less per call). */
async function guarded(
  g: GuardOptions,
  call: GuardedCall,
  signal: CallAbort,
  run: () => Promise<GuardedResponse>,
  span?: Span,
): Promise<GuardedResponse> {
  try {
    const breaker = g.breakers?.get(endpointGroup(g.store, call));
    const permit: Permit = breaker?.tryAcquire() ?? NO_BREAKER_PERMIT;
    if (!permit.ok) {
      g.observer.rejected('breaker', breaker?.name ?? g.store);
      throw unavailable(g.store, call, 'CIRCUIT_OPEN', permit.retryAfterMs, 'circuit open, not sent');
    }
    const releases: (() => void)[] = [];
    try {
      for (const bulkhead of g.bulkheads) {
        // A free slot is taken at once; only a queued (or aborted) call waits on a promise.
        const release =
          (signal.aborted ? undefined : bulkhead.tryAcquire()) ??
          (await bulkhead.acquire(signal.signal).catch(() => null));
        if (release === null) throw abortedWhileQueued(g.store, call);
        if (release === undefined) {
          g.observer.rejected('bulkhead', bulkhead.name);
          throw unavailable(
            g.store,
            call,
            'BULKHEAD_FULL',
            1_000,
            `too many calls waiting (${bulkhead.name})`,
          );
        }
        releases.push(release);
      }
    } catch (err) {
      breaker?.neutral(permit);
      for (const release of releases) release();
      throw err;
    }
    let response: GuardedResponse;
    try {
      response = await run();
      if (g.isMaintenance(response)) {
        breaker?.failure(permit, { forMs: parseRetryAfter(response.headers['retry-after']) });
      } else if (response.status >= 500 || response.status === 429) breaker?.failure(permit);
      else breaker?.success(permit);
    } catch (err) {
      if (breaker !== undefined) settle(breaker, permit, err);
      throw err;
    } finally {
      for (const release of releases) release();
    }
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500)
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
    }
    return response;
  } catch (err) {
    if (span !== undefined) markFailed(span, err);
    throw err;
  } finally {
    span?.end();
  }
}

/** Timeouts, resets and unreachable stores count against the store; a caller giving up does not. */
function settle(breaker: CircuitBreaker, permit: Permit, err: unknown): void {
  const countsAgainst =
    isStoreError(err) &&
    (err.kind === 'StoreUnavailableError' ||
      err.kind === 'UncertainOutcomeError' ||
      (err.kind === 'DeadlineExceededError' && err.code !== 'ABORTED'));
  if (countsAgainst) breaker.failure(permit);
  else breaker.neutral(permit);
}

function unavailable(store: StoreName, call: GuardedCall, code: string, retryAfterMs: number, why: string) {
  return new UpstreamUnavailableError({
    store,
    endpoint: call.endpoint,
    code,
    retryAfterMs,
    message: `${call.endpoint}: ${why}`,
  });
}

function abortedWhileQueued(store: StoreName, call: GuardedCall) {
  // Nothing was sent, so this is "unavailable, nothing changed" even for a state change.
  return unavailable(
    store,
    call,
    'DEADLINE_EXCEEDED',
    1_000,
    'deadline passed while waiting for a free slot',
  );
}

function markFailed(span: Span, err: unknown): void {
  const kind = isStoreError(err) ? `${err.kind}:${err.code}` : 'Error';
  span.setAttribute('gateway.error', kind);
  span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
}
