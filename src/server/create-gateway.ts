import { randomUUID } from 'node:crypto';
import { performance as clock } from 'node:perf_hooks';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig } from '../config/load.js';
import type { Caller, GatewayContext } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { EntitlementEventWorker } from '../players/index.js';
import type { LedgerStorage, RedemptionService } from '../redemption/service.js';
import type { RequestScope, StoreLogger } from '../stores/index.js';
import type { SubscriptionScheduler } from '../subscriptions/index.js';
import { AccessLog, type AccessLogger } from './access-log.js';
import { ApiKeyRing } from './api-keys.js';
import { composeGateway } from './composition.js';
import { consolePathOf } from './console/paths.js';
import { consolePlugin } from './console/plugin.js';
import { corsPlugin } from './cors.js';
import { edge, GRAPHQL_PATH, isGraphQLPath, isServicePath, YOGA_HEALTH_CHECK_NEVER } from './edge.js';
import type { EventStreamHub } from './event-streams.js';
import { graphiqlAssetsPlugin } from './graphiql-assets.js';
import { healthPlugin, Lifecycle } from './health.js';
import { GatewayMetrics } from './metrics.js';
import { onestorePnsPlugin } from './onestore-pns.js';
import { type PerformanceOptions, performancePlugins } from './performance.js';
import { loadManifest } from './persisted-operations.js';
import { type RateLimitStoreOptions, rateLimitPlugin } from './rate-limits.js';
import { maskedErrors, requestScopePlugin } from './request-scope.js';
import { CSRF_HEADERS, executionChecksPlugin, securityPlugins } from './security.js';
import { type ErrorLogger, unexpectedErrorRequests, yogaLogger } from './unexpected-errors.js';
import type { WebhookDelivery } from './webhooks/service.js';
import { type WebSocketTransport, webSocketTransport } from './websocket.js';

/** Performance levers (`jit`, `parseCache`) are documented in `performance.ts`. */
export interface GatewayOptions extends PerformanceOptions {
  /** Clock for entitlement rules and token renewal, ms since epoch. Default `Date.now` (sandbox mode: the sandbox clock). */
  now?: () => number;
  /** GraphiQL on GET /graphql from a browser. Default false; sandbox mode turns it on. */
  graphiql?: false | { defaultQuery?: string; headers?: Record<string, string> };
  /**
   * pino-compatible logger for the store clients; lines carry `requestId`. When it has `info` (a
   * pino logger does), it also gets the access log, one line per GraphQL request (`access-log.ts`);
   * unexpected errors go to its `error` (else `warn`), one line each without any message
   * (`unexpected-errors.ts`). Default: silent, Yoga's console logger included.
   */
  logger?: StoreLogger & Partial<AccessLogger> & Partial<ErrorLogger>;
  /** Most refused-API-key access lines per second; the rest are counted in a summary line. Default 10. */
  refusedKeyLinesPerSecond?: number;
  /** Prometheus registry behind `GET /metrics`; pass one to read it in process. Default: a new {@link GatewayMetrics}. */
  metrics?: GatewayMetrics;
  /** Set `lifecycle.draining` to turn `/readyz` false before shutting down. Default: a new {@link Lifecycle}. */
  lifecycle?: Lifecycle;
  /** Where rate-limit budgets live (`redis`, `keyPrefix`); see `rate-limits.ts`. Default: in memory, per process. */
  rateLimitStore?: RateLimitStoreOptions;
  /** The API keys; pass one to swap keys without a restart (`ApiKeyRing.replace`). Default: a ring of `config.apiKeys`. */
  keys?: ApiKeyRing;
  /**
   * The grant ledger behind `redeemPurchase` (`openLedgerStorage`); the gateway starts its sweeper,
   * revocation sync and webhook worker but does not close it. It works on the ledger's database with
   * stores of its own whose outbox writes the webhook deliveries of `config.webhooks` (commits are
   * still announced on `ledger.events.feed`): write through `gateway.redemption()` for deliveries.
   * It opens at once (start-up recovery); a failed open is retried by the next request that needs it.
   * Default: an in-memory ledger opened on first use and closed with the gateway (tests, embedding;
   * `main.ts` always passes a durable one). See `composition.ts`.
   */
  ledger?: LedgerStorage;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext> & {
  /** The gateway's redemption service (opening its default ledger if needed), for jobs and tests in process. */
  readonly redemption: () => Promise<RedemptionService>;
  /** The live event streams (open count, shared wake-ups), for tests and diagnosis in process. */
  readonly eventStreams: EventStreamHub;
  /**
   * Ends every live event stream (each client gets `complete` and resumes elsewhere with its last
   * cursor) and refuses new ones, then closes every graphql-ws socket with 1001 (Going away):
   * shutdown calls it before waiting for connections to close, as an open stream or socket would
   * otherwise hold its connection until the grace period ends. `dispose()` does too.
   */
  readonly endEventStreams: () => Promise<void>;
  /** Subscriptions over graphql-ws at /graphql (`websocket.ts`); `createGatewayServer` routes upgrades to it. */
  readonly webSockets: WebSocketTransport;
  /** The webhook worker (config.webhooks), started when the ledger opens and stopped on dispose. */
  readonly webhooks: WebhookDelivery;
  /**
   * The subscription scheduler over the gateway's ledger (opening it if needed), for tests and the
   * benchmark: `tick()` / `runDue()` read what is due without waiting for the timer.
   */
  readonly subscriptionScheduler: () => Promise<SubscriptionScheduler>;
  /**
   * The entitlement events worker over the gateway's ledger (opening it if needed), for tests:
   * `runDue()` writes what is due without waiting for a wake-up or the poll.
   */
  readonly entitlementEventWorker: () => Promise<EntitlementEventWorker>;
};

const consoleStatic = (pathname: string) => {
  const path = consolePathOf(pathname);
  return path === 'page' || path === 'asset';
};

/** The logger's `error`, or its `warn` for a logger without one; none without a logger. */
function errorLine(logger: GatewayOptions['logger']): ErrorLogger | undefined {
  if (!logger) return undefined;
  const error = logger.error ?? logger.warn;
  return { error: (obj, msg) => error.call(logger, obj, msg) };
}

/** The gateway: a Yoga instance serving /graphql, /healthz, /readyz, /metrics and /notifications/onestore/{app}. `yoga.dispose()` closes its pools. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? new GatewayMetrics();
  const callers = new WeakMap<Request, Caller>();
  // Filled by requestScopePlugin before any other hook runs; read by the plugins and the context.
  const scopes = new WeakMap<Request, RequestScope>();
  const scopeOf = (request: Request) => scopes.get(request);
  const info = options.logger?.info;
  const keys = options.keys ?? new ApiKeyRing(config.apiKeys);
  const consoleOn = config.console?.enabled === true;
  const gate = edge({ keys, callers, metrics, scopeOf, console: consoleOn });
  const accessLog =
    info &&
    new AccessLog(
      { info: info.bind(options.logger) },
      {
        sampleSuccesses: config.accessLogSampleSuccesses,
        keyName: (request) => callers.get(request)?.keyName,
        scopeOf,
        // The console's page and assets are static: no line. Its GraphQL path gets one, and the
        // operation it runs at /graphql another.
        skips: (url) => isServicePath(url.pathname) || (consoleOn && consoleStatic(url.pathname)),
        refusalOf: gate.refusalOf,
        ...(options.refusedKeyLinesPerSecond !== undefined && {
          refusedPerSecond: options.refusedKeyLinesPerSecond,
        }),
      },
    );
  const { stores, ledger, eventStreams, webhooks, subscriptions, entitlementEvents, contextOf, close } =
    composeGateway(config, {
      now,
      metrics,
      observer: accessLog ? accessLog.observe(metrics) : metrics,
      ...(options.logger && { logger: options.logger }),
      ...(options.ledger && { ledger: options.ledger }),
    });
  const performance = performancePlugins(options);
  const graphiqlPage = options.graphiql && {
    title: 'Entitlement gateway',
    ...options.graphiql,
    headers: JSON.stringify(options.graphiql.headers ?? {}),
    // Sent with every request besides the header editor's: GraphiQL runs a subscription as a
    // GET (text/event-stream), which CSRF prevention refuses without one of these headers.
    additionalHeaders: { [CSRF_HEADERS[0] as string]: 'graphiql' },
  };
  const yoga: YogaServerInstance<Record<string, unknown>, GatewayContext> = createYoga<
    Record<string, unknown>,
    GatewayContext
  >({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    // CORS is corsPlugin's (cors.ts), /healthz and /readyz are healthPlugin's: Yoga's own would
    // answer every OPTIONS (reflecting any origin, with credentials) and any URL ending in /health,
    // before any gateway plugin runs.
    cors: false,
    healthCheckEndpoint: YOGA_HEALTH_CHECK_NEVER,
    // Bundled GraphiQL: the page works with no network, like the rest of sandbox mode. Loaded on
    // first use only: the bundle costs ~45 MB of memory that a production gateway never needs.
    renderGraphiQL: async (graphiqlOptions) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    // At /graphql only: Yoga would render it for any URL ending in /graphql or /graphql/.
    graphiql: graphiqlPage ? (request) => (isGraphQLPath(request) ? graphiqlPage : false) : false,
    parserAndValidationCache: performance.parserAndValidationCache,
    // No file uploads exist; multipart parsing would be attack surface only.
    multipart: false,
    // bodyLimitPlugin (security.ts) enforces limits.maxBodyBytes from Content-Length; Yoga's own
    // limit (25 MB unless set) would pipe every body through a counting stream.
    maxRequestBodySize: false,
    maskedErrors,
    // Yoga logs each error it masks: as one JSON line of ours, never its default console output.
    logging: yogaLogger(errorLine(options.logger)),
    plugins: [
      // First: GraphiQL's static assets need no key, and the edge would refuse their path.
      ...(graphiqlPage ? [graphiqlAssetsPlugin()] : []),
      requestScopePlugin(config.requestDeadlineMs, scopes),
      unexpectedErrorRequests(scopeOf),
      // A preflight an allow-listed origin sends is answered before it counts as a request.
      corsPlugin(config.cors?.origins ?? []),
      accessLog ? accessLog.plugin() : {},
      // Path, method and API key, before any other plugin reads the request.
      gate.plugin,
      // The support console's page, assets and operations (console/plugin.ts); its operations run
      // at /graphql through this same Yoga, so every plugin below applies to them.
      ...(consoleOn
        ? [consolePlugin({ fetch: () => yoga.fetch, maxBodyBytes: config.limits.maxBodyBytes, scopeOf })]
        : []),
      healthPlugin({
        lifecycle: options.lifecycle ?? new Lifecycle(),
        breakers: () => stores.breakers.states(),
        ledger: () => ledger.describe(),
        ledgerWriteProblem: () => ledger.writeProblem(),
      }),
      // Before the body-limit plugin: the path has its own limit (and no key: ONE store sends none).
      onestorePnsPlugin(config, ledger, metrics, info && { info: info.bind(options.logger) }, scopeOf),
      metrics.plugin(),
      executionChecksPlugin(config.limits),
      rateLimitPlugin(config.rateLimits, metrics, options.rateLimitStore) ?? {},
      ...securityPlugins(config),
      ...performance.plugins,
      // Streams first: they read the ledger it may close. Webhook attempts in flight finish next
      // (each within webhooks.timeoutMs); then pools and the ledger close (composition.ts).
      { onDispose: () => endEventStreams().then(close) },
    ],
    context: ({ request }): GatewayContext => {
      const caller = callers.get(request);
      // The edge answered 401 already when there is no caller; this is a second lock.
      if (!caller) throw new Error('request without an authenticated caller');
      return contextOf(caller, scopes.get(request));
    },
  });
  const webSockets = webSocketTransport({
    yoga,
    keys,
    // What the edge and requestScopePlugin give an HTTP request, for each operation on a socket.
    admit: (request, caller) => {
      const requestId = randomUUID();
      callers.set(request, caller);
      scopes.set(request, { requestId, deadlineAt: clock.now() + config.requestDeadlineMs });
      return requestId;
    },
    origins: config.cors?.origins ?? [],
    maxPayloadBytes: config.limits.maxBodyBytes,
    maxConnectionsPerKey: config.eventStreams.maxPerKey,
    ...(config.persistedOperations && { manifest: loadManifest() }),
    metrics: metrics.webSockets,
    ...(info && { log: info.bind(options.logger) }),
  });
  const endEventStreams = async () => {
    await eventStreams.close();
    await webSockets.close();
  };
  return Object.assign(yoga, {
    redemption: () => ledger.redemption(),
    subscriptionScheduler: async () => {
      await ledger.redemption();
      const scheduler = subscriptions.scheduler();
      if (!scheduler) throw new Error('the subscription scheduler starts with the ledger');
      return scheduler;
    },
    entitlementEventWorker: async () => {
      await ledger.redemption();
      const worker = entitlementEvents.worker();
      if (!worker) throw new Error('the entitlement events worker starts with the ledger, when enabled');
      return worker;
    },
    eventStreams,
    endEventStreams,
    webSockets,
    webhooks,
  });
}
