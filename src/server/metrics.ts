import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RedemptionObserver } from '../redemption/service.js';
import type { BreakerStateName, StoreObserver, TokenRefreshOutcome } from '../stores/index.js';
import { LedgerFileMetrics } from './ledger-file.js';
import { CounterSets, HistogramSets } from './metric-children.js';
import { OperationLabelCache, type OperationLabels } from './operation-labels.js';
import { SubscriptionMetrics } from './subscription-metrics.js';
import { hasTypedError } from './typed-error.js';
import { WebhookMetrics } from './webhooks/metrics.js';
import { WebSocketMetrics } from './websocket-metrics.js';

export interface MetricsOptions {
  /** Also export prom-client's process metrics (RSS, heap, event-loop lag, GC). Default true. */
  processMetrics?: boolean;
  /** Distinct operation names kept as labels; later ones count as `other`. Default 100. */
  maxOperationNames?: number;
}

const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const OPERATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's Prometheus metrics in a registry of its own (not prom-client's global one), so
 * two gateways in one process (tests) never share counters. It is the store layer's observer and
 * the redemption service's.
 */
export class GatewayMetrics implements StoreObserver, RedemptionObserver {
  readonly registry = new Registry();
  readonly #names = new Set<string>();
  readonly #maxNames: number;

  readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name, type and result (ok, typed_error, error).',
    labelNames: ['operation', 'type', 'result'] as const,
    registers: [this.registry],
  });
  readonly operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL operations.',
    labelNames: ['operation', 'type'] as const,
    buckets: OPERATION_BUCKETS,
    registers: [this.registry],
  });
  readonly upstream = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Upstream attempts, by store, endpoint and HTTP status or transport error code.',
    labelNames: ['store', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly upstreamSeconds = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Duration of one upstream attempt.',
    labelNames: ['store', 'endpoint'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Upstream attempts repeated, by store, endpoint and reason.',
    labelNames: ['store', 'endpoint', 'reason'] as const,
    registers: [this.registry],
  });
  readonly tokenRefreshes = new Counter({
    name: 'gateway_token_refreshes_total',
    help: 'Access token requests to a store, by outcome: success, refused (the token endpoint refused the credentials or configuration), failure (unreachable, 5xx, maintenance).',
    labelNames: ['store', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rateLimitRejections = new Counter({
    name: 'gateway_rate_limit_rejections_total',
    help: 'Requests over their API key budget (limit=key) and apps over their budget within a request (limit=app).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly httpRefusals = new Counter({
    name: 'gateway_http_refusals_total',
    help: 'Requests refused before anything was read (edge.ts), by reason: no_api_key, unknown_api_key, unknown_path, method_not_allowed, missing_scope (/console/graphql without the support scope), invalid_target, invalid_host.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Cache lookups (token, catalog) by result (hit, miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });
  readonly breaker = new Gauge({
    name: 'gateway_breaker_state',
    help: 'Circuit breaker state per store endpoint group: 0 closed, 1 half-open, 2 open.',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });
  readonly breakerTransitions = new Counter({
    name: 'gateway_breaker_transitions_total',
    help: 'Circuit breaker state changes, by group and new state.',
    labelNames: ['group', 'state'] as const,
    registers: [this.registry],
  });
  readonly rejections = new Counter({
    name: 'gateway_upstream_rejections_total',
    help: 'Calls refused without reaching the store: reason breaker (open) or bulkhead (queue full).',
    labelNames: ['reason', 'name'] as const,
    registers: [this.registry],
  });
  readonly pagingLoops = new Counter({
    name: 'gateway_store_paging_loops_total',
    help: 'Store list walks ended because the store repeated a continuationKey of the walk (StoreProtocolError CONTINUATION_LOOP).',
    labelNames: ['store', 'endpoint'] as const,
    registers: [this.registry],
  });
  readonly pagingBudgetsSpent = new Counter({
    name: 'gateway_store_paging_budget_spent_total',
    help: 'Store list walks that read their page budget (pageBudget) with the list going on.',
    labelNames: ['store', 'endpoint'] as const,
    registers: [this.registry],
  });

  readonly redemptions = new Counter({
    name: 'gateway_redemptions_total',
    help: 'redeemPurchase calls by store and result: granted, already_redeemed, or the failure (e.g. ConsumedOutsideLedger, RedemptionInProgress).',
    labelNames: ['store', 'result'] as const,
    registers: [this.registry],
  });
  readonly pendingGrants = new Gauge({
    name: 'gateway_ledger_pending_grants',
    help: 'Pending grants whose writer is gone, found by the last sweep (at most its batch of 100).',
    registers: [this.registry],
  });
  readonly awaitingEvidenceGrants = new Gauge({
    name: 'gateway_ledger_grants_awaiting_evidence',
    help: 'Pending grants whose store change has no evidence yet (answer lost, read inconclusive), counted in the ledger by the last sweep; retried with backoff. See docs/redemption.md.',
    registers: [this.registry],
  });
  readonly openChangeIntents = new Gauge({
    name: 'gateway_change_intents_open',
    help: 'Changes made through the gateway (mutations) whose intent is not completed nor closed, counted in the ledger by the last sweep: their events wait on a read of the store. See docs/events.md.',
    registers: [this.registry],
  });
  readonly sweptChangeIntents = new Counter({
    name: 'gateway_change_intents_swept_total',
    help: 'Change intents the sweeper finished from a read of the store: completed (event written), closed (no change made) or abandoned (every repeat refused for a day; no event).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly sweptGrants = new Counter({
    name: 'gateway_ledger_swept_grants_total',
    help: 'Pending grants the sweeper finished: settled, or dropped (purchase refunded before any change).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly revokedGrants = new Counter({
    name: 'gateway_ledger_revoked_grants_total',
    help: 'Grants marked revoked by the revocation sync (ONE store voided purchases).',
    labelNames: ['app'] as const,
    registers: [this.registry],
  });
  readonly revocationsAppliedUntil = new Gauge({
    name: 'gateway_revocation_sync_applied_until_seconds',
    help: "Unix time up to which every ONE store void of the app and market is applied: the end of the last run that read its window to the end (0: none ever did). Set after each run of this process, failed ones too (then from the ledger's checkpoint); take the max over replicas.",
    labelNames: ['app', 'market'] as const,
    registers: [this.registry],
  });

  readonly onestoreNotifications = new Counter({
    name: 'gateway_onestore_notifications_total',
    help: 'ONE store payment notifications received, by result (accepted, replayed, refused_app, refused_size, refused_body, refused_unsigned, refused_signature, refused_client, refused_method, deferred, failed) and, when accepted, the outcome (revoked, settled, no_grant, ...; none otherwise).',
    labelNames: ['result', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly eventStreamsOpen = new Gauge({
    name: 'gateway_event_streams_open',
    help: 'Live event streams (gatewayEvents subscriptions, over server-sent events or graphql-ws) open in this process.',
    registers: [this.registry],
  });
  readonly eventsStreamed = new Counter({
    name: 'gateway_events_streamed_total',
    help: 'Events sent on live streams, by app and event type.',
    labelNames: ['app', 'type'] as const,
    registers: [this.registry],
  });
  readonly eventStreamRefusals = new Counter({
    name: 'gateway_event_stream_refusals_total',
    help: 'Live streams refused by the gateway itself: reason TOO_MANY_STREAMS (eventStreams.maxPerKey) or SHUTTING_DOWN.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Webhook deliveries: delivered, failed, dead, lag, pending (server/webhooks/metrics.ts). */
  readonly webhooks = new WebhookMetrics(this.registry);
  /** graphql-ws connections and refusals (websocket-metrics.ts). */
  readonly webSockets = new WebSocketMetrics(this.registry);
  /** The embedded ledger's file: writable, WAL size, failed checkpoints (server/ledger-file.ts). */
  readonly ledgerFile = new LedgerFileMetrics(this.registry);
  /** The subscription scheduler: backlog, reads, events (server/subscription-metrics.ts). */
  readonly subscriptions = new SubscriptionMetrics(this.registry);

  // Per-request events go through label-set children kept once (metric-children.ts), not a label object each.
  readonly #operationSets = new CounterSets(this.operations, ['operation', 'type', 'result']);
  readonly #operationSecondsSets = new HistogramSets(this.operationSeconds, ['operation', 'type']);
  readonly #upstreamSets = new CounterSets(this.upstream, ['store', 'endpoint', 'status']);
  readonly #upstreamSecondsSets = new HistogramSets(this.upstreamSeconds, ['store', 'endpoint']);
  readonly #cacheSets = new CounterSets(this.cache, ['cache', 'result']);
  readonly #operationLabels = new OperationLabelCache((name) => this.operationLabel(name));

  constructor(options: MetricsOptions = {}) {
    this.#maxNames = options.maxOperationNames ?? 100;
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  upstreamAttempt(store: string, endpoint: string, status: string, seconds: number): void {
    this.#upstreamSets.inc(store, endpoint, status);
    this.#upstreamSecondsSets.observe(seconds, store, endpoint);
  }
  upstreamRetry(store: string, endpoint: string, reason: string): void {
    this.retries.inc({ store, endpoint, reason });
  }
  tokenRefresh(store: string, outcome: TokenRefreshOutcome): void {
    this.tokenRefreshes.inc({ store, outcome });
  }
  cacheLookup(cache: string, hit: boolean): void {
    this.#cacheSets.inc(cache, hit ? 'hit' : 'miss');
  }
  breakerState(group: string, state: BreakerStateName): void {
    this.breaker.set({ group }, BREAKER_VALUE[state]);
    this.breakerTransitions.inc({ group, state });
  }
  rejected(reason: 'breaker' | 'bulkhead', name: string): void {
    this.rejections.inc({ reason, name });
  }
  pagingLoop(store: string, endpoint: string): void {
    this.pagingLoops.inc({ store, endpoint });
  }
  pagingBudgetSpent(store: string, endpoint: string): void {
    this.pagingBudgetsSpent.inc({ store, endpoint });
  }
  redemption(store: string, result: string): void {
    this.redemptions.inc({ store, result });
  }
  awaitingEvidence(count: number): void {
    this.awaitingEvidenceGrants.set(count);
  }
  intentSweep(open: number, completed: number, closed: number, abandoned: number): void {
    this.openChangeIntents.set(open);
    if (completed > 0) this.sweptChangeIntents.inc({ result: 'completed' }, completed);
    if (closed > 0) this.sweptChangeIntents.inc({ result: 'closed' }, closed);
    if (abandoned > 0) this.sweptChangeIntents.inc({ result: 'abandoned' }, abandoned);
  }
  sweep(found: number, settled: number, dropped: number): void {
    // What is left after this sweep is what needs an operator's eye if it stays above zero.
    this.pendingGrants.set(found - settled - dropped);
    if (settled > 0) this.sweptGrants.inc({ result: 'settled' }, settled);
    if (dropped > 0) this.sweptGrants.inc({ result: 'dropped' }, dropped);
  }
  revoked(app: string, count: number): void {
    this.revokedGrants.inc({ app }, count);
  }
  revocationsApplied(app: string, market: string, appliedUntil: Date | null): void {
    this.revocationsAppliedUntil.set({ app, market }, (appliedUntil?.getTime() ?? 0) / 1000);
  }

  notification(result: string, outcome: string): void {
    this.onestoreNotifications.inc({ result, outcome });
  }

  /** Operation names are client-chosen: bounded so a client cannot grow the label set forever. */
  operationLabel(name: string | undefined): string {
    if (name === undefined) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.#names.has(name)) return name;
    if (this.#names.size >= this.#maxNames) return 'other';
    this.#names.add(name);
    return name;
  }

  #countOperation(labels: OperationLabels, result: 'ok' | 'typed_error' | 'error'): void {
    this.#operationSets.inc(labels.operation, labels.type, result);
  }

  /** `GET /metrics` (text exposition format) and per-operation counters and timings. */
  plugin(): Plugin {
    return {
      onRequest: async ({ url, endResponse }) => {
        if (url.pathname !== '/metrics') return;
        const body = await this.registry.metrics();
        endResponse(new Response(body, { headers: { 'content-type': this.registry.contentType } }));
      },
      onExecute: ({ args }) => {
        const started = performance.now();
        const labels = this.#operationLabels.of(args);
        return {
          onExecuteDone: ({ result }) => {
            // Incremental delivery (an async iterable) is not used by this schema's queries.
            if (!('data' in result) && !('errors' in result)) return;
            const outcome = result.errors?.length
              ? 'error'
              : hasTypedError(result.data)
                ? 'typed_error'
                : 'ok';
            this.#countOperation(labels, outcome);
            this.#operationSecondsSets.observe(
              (performance.now() - started) / 1000,
              labels.operation,
              labels.type,
            );
          },
        };
      },
      // A subscription is counted once, when it is subscribed: ok when its stream opened, error
      // when it was refused. Its lifetime is no operation duration (it has no histogram sample);
      // gateway_event_streams_open and gateway_events_streamed_total tell how streams go.
      onSubscribe: ({ args }) => {
        const labels = this.#operationLabels.of(args);
        return {
          onSubscribeResult: ({ result }) => {
            const refused = 'errors' in result && (result.errors?.length ?? 0) > 0;
            this.#countOperation(labels, refused ? 'error' : 'ok');
          },
          onSubscribeError: () => {
            this.#countOperation(labels, 'error');
          },
        };
      },
    };
  }
}
