import type { GatewayConfig } from '../config/load.js';
import { subscriptionTrackingSection } from '../config/schema.js';
import { StoreRegistry } from '../entitlements/app-stores.js';
import { webhookRouting } from '../events/routing.js';
import type { Caller, GatewayContext } from '../graphql/context.js';
import { LedgerUnavailable } from '../ledger/index.js';
import {
  type LedgerStorage,
  ledgerStorage,
  openLedgerStorage,
  RedemptionService,
  type RedemptionSettings,
} from '../redemption/service.js';
import type { RequestScope, StoreLogger, StoreObserver } from '../stores/index.js';
import { SubscriptionTracking, type TrackingSettings } from '../subscriptions/index.js';
import { type EntitlementEvents, entitlementEvents } from './entitlement-events.js';
import { EventStreamHub, type StreamLogger } from './event-streams.js';
import { watchLedgerFile } from './ledger-file.js';
import { LedgerState } from './ledger-state.js';
import type { GatewayMetrics } from './metrics.js';
import { type WebhookDelivery, webhookDelivery } from './webhooks/service.js';

/** What the composition root takes from the gateway's options (documented on `GatewayOptions`). */
export interface CompositionOptions {
  /** Clock for entitlement rules and token renewal, ms since epoch. */
  now: () => number;
  metrics: GatewayMetrics;
  /** What the store clients report to: the metrics, through the access log when there is one. */
  observer: StoreObserver;
  /** Store-call, job, stream and webhook lines. Default: silent. */
  logger?: StoreLogger & StreamLogger;
  /** The caller's ledger, which the gateway does not close. Default: an in-memory one, opened on first use. */
  ledger?: LedgerStorage;
}

/** The gateway's parts, each built once, in order, by {@link composeGateway}. */
export interface Composition {
  stores: StoreRegistry;
  /** The one handle on the ledger: requests, the PNS endpoint, the streams and `/readyz` read it. */
  ledger: LedgerState;
  eventStreams: EventStreamHub;
  /** The webhook worker, started when the ledger opens. */
  webhooks: WebhookDelivery;
  /** The subscription scheduler, built (and ticking, when enabled) when the ledger opens. */
  subscriptions: SubscriptionTracking;
  /** The entitlement events worker, started when the ledger opens (unless `entitlementEvents.enabled` is false). */
  entitlementEvents: EntitlementEvents;
  /** The request context of a caller: a request's (with its scope) or a webhook rendering's. */
  contextOf(caller: Caller, scope?: RequestScope): GatewayContext;
  /** Streams first (they read the ledger), webhook attempts in flight next, then pools and the ledger. */
  close(): Promise<void>;
}

function redemptionSettings(l: GatewayConfig['ledger']): RedemptionSettings {
  return {
    leaseMs: l.leaseSeconds * 1000,
    inProgressWaitMs: l.inProgressWaitMs,
    sweepIntervalMs: l.sweepIntervalSeconds * 1000,
    revocationSyncIntervalMs: l.revocationSyncIntervalSeconds * 1000,
    revocationOverlapMs: l.revocationOverlapSeconds * 1000,
    pnsStoreDisagreesTtlMs: l.pnsStoreDisagreesTtlSeconds * 1000,
  };
}

/**
 * `subscriptionTracking` in ms. A claim's lease outlasts a full batch read at the call budget plus
 * the ledger's own lease (which outlasts one upstream call), so a slow batch is not read twice.
 */
function trackingSettings(config: GatewayConfig): TrackingSettings {
  const t = config.subscriptionTracking ?? subscriptionTrackingSection.parse({});
  const batchMs = Math.ceil(t.batchSize / t.callsPerSecond) * 1000;
  return {
    enabled: t.enabled,
    tickMs: Math.round(t.tickSeconds * 1000),
    batchSize: t.batchSize,
    concurrency: t.concurrency,
    callsPerSecond: t.callsPerSecond,
    marginMs: t.marginSeconds * 1000,
    billingIssueIntervalMs: t.billingIssueIntervalSeconds * 1000,
    maxIntervalMs: t.maxIntervalSeconds * 1000,
    retryInitialMs: t.retryInitialSeconds * 1000,
    retryMaxMs: t.retryMaxSeconds * 1000,
    leaseMs: Math.min(86_400_000, config.ledger.leaseSeconds * 1000 + batchMs),
  };
}

/**
 * The composition root: the store clients, the ledger (its routing of webhook events handed to the
 * outbox here), the redemption service with its sweeper and revocation loops, the live-stream hub,
 * the webhook worker, the subscription scheduler and the request context, built in the order they need each other. The only
 * link back is explicit: the worker renders bodies through the request context, which holds the
 * ledger, so it is started by the ledger (`whenOpen`) once both exist.
 */
export function composeGateway(config: GatewayConfig, options: CompositionOptions): Composition {
  const { logger, metrics, now, ledger: given } = options;
  const stores = new StoreRegistry(config, {
    now,
    observer: options.observer,
    ...(logger && { logger }),
  });
  const routing = webhookRouting(config.webhooks);
  let unwatch: (() => void) | undefined;
  const start = async (storage: LedgerStorage): Promise<RedemptionService> => {
    // Before the start-up recovery, whose writes may be the first to fail.
    const file = storage.db.fileCondition;
    if (file && !unwatch) unwatch = watchLedgerFile(file, metrics.ledgerFile, logger);
    const service = new RedemptionService(
      storage,
      stores,
      redemptionSettings(config.ledger),
      logger,
      metrics,
    );
    try {
      const recovered = await service.start([...config.apps.keys()]);
      const { completed, closed, left } = recovered.intents;
      if (recovered.settled + recovered.dropped + recovered.left + completed + closed + left > 0)
        logger?.warn({ ...recovered }, 'start-up recovery of pending grants');
    } catch (error) {
      // A later call opens a new service: this one's loops must not run beside it.
      service.stop();
      throw error;
    }
    return service;
  };
  const ledger = new LedgerState({
    ...(given && { given: given.db }),
    // The given ledger's database with stores of the gateway's own, whose outbox writes the
    // deliveries of config.webhooks; commits are still announced on the given ledger's feed.
    open: async () =>
      given
        ? ledgerStorage(given.db, {
            ...routing,
            feed: given.events.feed,
            ...(given.events.options.snapshots && { snapshots: given.events.options.snapshots }),
          })
        : openLedgerStorage({}, routing),
    start,
  });
  const eventStreams = new EventStreamHub(ledger, config.eventStreams, metrics, logger);
  const contextOf = (caller: Caller, scope?: RequestScope): GatewayContext => ({
    caller,
    stores,
    scope,
    now: () => new Date(now()),
    upstreamConcurrency: config.upstreamConcurrency,
    maxChecks: config.limits.maxChecks,
    ledger,
    eventStreams,
    subscriptions: { refresh },
  });
  // The scheduler exists once the ledger opened (whenOpen below): the refresh waits for that first.
  const refresh = async (app: string, userIds: readonly string[]) => {
    await ledger.redemption();
    const scheduler = subscriptions.scheduler();
    if (!scheduler) throw new LedgerUnavailable({ cause: new Error('subscription scheduler not started') });
    return scheduler.refresh(app, userIds);
  };
  const webhooks = webhookDelivery(config, {
    contextOf,
    observer: metrics.webhooks,
    ...(logger && { logger }),
  });
  ledger.whenOpen((service) => webhooks.start(service));
  const subscriptions = new SubscriptionTracking(trackingSettings(config), {
    stores,
    now,
    observer: metrics.subscriptions,
    ...(logger && { log: logger }),
  });
  ledger.whenOpen((service) => subscriptions.start(service.storage.tracked));
  const entitlements = entitlementEvents(config, now, logger);
  ledger.whenOpen((service) => entitlements.start(service));
  ledger.begin();
  return {
    stores,
    ledger,
    eventStreams,
    webhooks,
    subscriptions,
    entitlementEvents: entitlements,
    contextOf,
    close: async () => {
      subscriptions.stop();
      await entitlements.stop();
      await eventStreams.close();
      await webhooks.stop();
      unwatch?.();
      await Promise.all([stores.close(), ledger.close()]);
    },
  };
}
