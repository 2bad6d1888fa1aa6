// Tracked subscriptions (issue 26): the scheduler that re-reads every subscription the ledger granted
// when it can have changed, and writes its lifecycle events. Uses ledger/, events/, entitlements/ and
// stores/; the composition root (server/composition.ts) starts it when the ledger opens.

import type { StoreRegistry } from '../entitlements/app-stores.js';
import { subscriptionReadRetry } from '../events/retry-policies.js';
import type { TrackedSubscriptionStore } from '../ledger/index.js';
import { gamebaseReader } from './gamebase.js';
import type { NextCheckSettings } from './next-check.js';
import { storeReader } from './observation.js';
import { type SchedulerLogger, type SchedulerObserver, SubscriptionScheduler } from './scheduler.js';

export { CallBudget } from './budget.js';
export { addFigures, NO_FIGURES, type PlayerRefresh, type TickFigures } from './figures.js';
export {
  type GamebaseBatchReader,
  type GamebaseRead,
  gamebaseReader,
  gamebaseState,
  gamebaseTransitions,
} from './gamebase.js';
export { type NextCheckSettings, nextCheckAt } from './next-check.js';
export { lifecycleEvents, type SubscriptionReader, storeReader, UntrackableError } from './observation.js';
export {
  type SchedulerLogger,
  type SchedulerObserver,
  type SchedulerOptions,
  SubscriptionScheduler,
} from './scheduler.js';
export { type Transition, transitions } from './transitions.js';

/** The config file's `subscriptionTracking`, in ms (defaults in config/schema.ts). */
export interface TrackingSettings extends NextCheckSettings {
  enabled: boolean;
  /** 0: no timer. */
  tickMs: number;
  batchSize: number;
  concurrency: number;
  callsPerSecond: number;
  retryInitialMs: number;
  retryMaxMs: number;
  leaseMs: number;
}

export interface TrackingDeps {
  stores: StoreRegistry;
  /** The scheduler's clock: the gateway's (the store registry's). */
  now: () => number;
  /** The metrics. Default: none. */
  observer?: SchedulerObserver;
  /** Default: silent. */
  log?: SchedulerLogger;
}

/** The scheduler of the open ledger: built when the ledger opens, its timer on when enabled. */
export class SubscriptionTracking {
  #scheduler: SubscriptionScheduler | undefined;

  constructor(
    readonly settings: TrackingSettings,
    readonly deps: TrackingDeps,
  ) {}

  /** Builds the scheduler over the opened ledger's table; starts its ticks when enabled. */
  start(tracked: TrackedSubscriptionStore): SubscriptionScheduler {
    this.#scheduler?.stop();
    const s = this.settings;
    const scheduler = new SubscriptionScheduler(tracked, storeReader(this.deps.stores), {
      now: this.deps.now,
      leaseMs: s.leaseMs,
      batchSize: s.batchSize,
      concurrency: s.concurrency,
      callsPerSecond: s.callsPerSecond,
      intervalMs: s.enabled ? s.tickMs : 0,
      marginMs: s.marginMs,
      billingIssueIntervalMs: s.billingIssueIntervalMs,
      maxIntervalMs: s.maxIntervalMs,
      retry: subscriptionReadRetry(s.retryInitialMs, s.retryMaxMs),
      gamebase: gamebaseReader(this.deps.stores),
      ...(this.deps.observer && { observer: this.deps.observer }),
      ...(this.deps.log && { log: this.deps.log }),
    });
    this.#scheduler = scheduler;
    scheduler.start();
    return scheduler;
  }

  /** The scheduler once the ledger opened (undefined before). */
  scheduler(): SubscriptionScheduler | undefined {
    return this.#scheduler;
  }

  stop(): void {
    this.#scheduler?.stop();
  }
}
