import { randomUUID } from 'node:crypto';
import type { StoreRegistry } from '../entitlements/app-stores.js';
import {
  type ChangeIntent,
  ChangeIntentStore,
  CheckpointStore,
  DeliveryStore,
  EventStore,
  type EventStoreOptions,
  type Grant,
  GrantStore,
  type LedgerDb,
  type LedgerDbOptions,
  type NewIntent,
  NotificationStore,
  openLedgerDb,
  PlayerEntitlementStore,
  TrackedSubscriptionStore,
} from '../ledger/index.js';
import type { CallOptions, RequestScope } from '../stores/index.js';
import { adapterFor } from './adapters/index.js';
import { changeEnvironment, IntentRecovery } from './change-intents.js';
import { assignEnvironments, assignStoreApps } from './config-backfill.js';
import { PaymentNotifications } from './notifications.js';
import { ledger, Redeemer, type Redemption } from './redeemer.js';
import { RevocationSync, type SyncResult } from './revocations.js';
import { type JobLogger, Sweeper, type SweepResult } from './sweeper.js';
import { type RedeemRequest, targetOfGrant } from './target.js';

/** The ledger's database and its tables' stores. */
export interface LedgerStorage {
  db: LedgerDb;
  grants: GrantStore;
  checkpoints: CheckpointStore;
  /** The outbox the grant changes write to (grants.events), and the mutations' events. */
  events: EventStore;
  /** The webhook deliveries the outbox writes with its events. */
  deliveries: DeliveryStore;
  /** Changes made through the gateway, recorded before their store call (their events once proven). */
  intents: ChangeIntentStore;
  /** The subscriptions the scheduler re-reads (src/subscriptions/); settled subscription grants add theirs. */
  tracked: TrackedSubscriptionStore;
  /** Each player's last computed entitlements, which the entitlement events worker diffs (src/players/). */
  entitlements: PlayerEntitlementStore;
}

/** The stores over an open ledger database; `events` says which webhook endpoints get which events. */
export function ledgerStorage(db: LedgerDb, events: EventStoreOptions = {}): LedgerStorage {
  const eventStore = new EventStore(db, events);
  return {
    db,
    grants: new GrantStore(db, eventStore),
    checkpoints: new CheckpointStore(db),
    events: eventStore,
    deliveries: new DeliveryStore(db, events),
    intents: new ChangeIntentStore(db, eventStore),
    tracked: new TrackedSubscriptionStore(db, eventStore),
    entitlements: new PlayerEntitlementStore(db, eventStore),
  };
}

/** Opens (and migrates) the ledger: PostgreSQL when `url` is set, else SQLite in `dataDir` or in memory. */
export async function openLedgerStorage(
  options: LedgerDbOptions,
  events: EventStoreOptions = {},
): Promise<LedgerStorage> {
  return ledgerStorage(await openLedgerDb(options), events);
}

/** Receives redemption events (metrics); every label value comes from a small fixed set. */
export interface RedemptionObserver {
  /** `result`: `granted`, `already_redeemed`, or the failure's class name. */
  redemption(store: string, result: string): void;
  /** After a sweep: pending grants it found (at most its batch), settled and dropped. */
  sweep(found: number, settled: number, dropped: number): void;
  /** After a sweep: pending grants in the ledger that attempts left without evidence of their store change. */
  awaitingEvidence?(count: number): void;
  /** After a sweep: change intents still open in the ledger, and those it completed or closed. */
  intentSweep?(open: number, completed: number, closed: number, abandoned: number): void;
  /** Grants a revocation sync marked revoked. */
  revoked(app: string, count: number): void;
  /** After a run of one market: every void up to `appliedUntil` is applied (null: no run ever completed). */
  revocationsApplied?(app: string, market: string, appliedUntil: Date | null): void;
}

/**
 * Apps one revocation pass syncs at once. Enough that a slow app leaves the rest going; few enough
 * that hundreds of apps do not start hundreds of walks against the stores' bulkheads at one tick.
 */
const SYNC_CONCURRENCY = 8;

/** Timings of the redemption jobs, from the config file's `ledger` section (defaults there). */
export interface RedemptionSettings {
  leaseMs: number;
  inProgressWaitMs: number;
  sweepIntervalMs: number;
  revocationSyncIntervalMs: number;
  revocationOverlapMs: number;
  /** How long a CANCELED payment notification the store contradicted is remembered, ms (0: not at all). */
  pnsStoreDisagreesTtlMs: number;
  /** How long a change intent whose every repeat is refused stays open, ms; default a day (change-intents.ts). */
  changeIntentGiveUpMs?: number;
}

/** Redemption, crash recovery and revocation sync over one ledger, for every configured app. */
export class RedemptionService {
  /** This process's claim-holder id; a restart is a new owner, so its old claims expire or are recovered. */
  readonly owner = `gw-${randomUUID()}`;
  readonly redeemer: Redeemer;
  readonly sweeper: Sweeper;
  /** Completes the change intents the sweeper finds (mutations whose answer or event was lost). */
  readonly intents: IntentRecovery;
  readonly revocations: RevocationSync;
  /** ONE store payment notifications (PNS), acted on after a re-read of the store. */
  readonly notifications: PaymentNotifications;
  #syncTimer: NodeJS.Timeout | undefined;
  /** The revocation pass the timer started, while it runs; `stop()` cancels its store calls. */
  #syncPass: { stopped: AbortController } | undefined;

  constructor(
    readonly storage: LedgerStorage,
    readonly stores: StoreRegistry,
    readonly settings: RedemptionSettings,
    readonly log?: JobLogger,
    readonly observer?: RedemptionObserver,
  ) {
    this.redeemer = new Redeemer(storage.grants, {
      owner: this.owner,
      leaseMs: settings.leaseMs,
      inProgressWaitMs: settings.inProgressWaitMs,
    });
    this.intents = new IntentRecovery(
      storage.intents,
      stores,
      {
        owner: this.owner,
        leaseMs: settings.leaseMs,
        ...(settings.changeIntentGiveUpMs !== undefined && { giveUpMs: settings.changeIntentGiveUpMs }),
      },
      log,
    );
    this.sweeper = new Sweeper(
      storage.grants,
      this.redeemer,
      (grant: Grant, call?: CallOptions) =>
        adapterFor(stores, grant.app, targetOfGrant(grant), grant.userId, call),
      {
        intervalMs: settings.sweepIntervalMs,
        embedded: storage.db.kind === 'sqlite',
        intents: this.intents,
        onSweep: (r) => {
          observer?.sweep(r.settled + r.dropped + r.left, r.settled, r.dropped);
          observer?.awaitingEvidence?.(r.awaitingEvidence);
          observer?.intentSweep?.(r.intents.open, r.intents.completed, r.intents.closed, r.intents.abandoned);
        },
      },
      log,
    );
    this.revocations = new RevocationSync(
      stores,
      storage.grants,
      storage.checkpoints,
      { owner: this.owner, leaseMs: settings.leaseMs, overlapMs: settings.revocationOverlapMs },
      log,
    );
    this.notifications = new PaymentNotifications(
      stores,
      storage.grants,
      new NotificationStore(storage.db),
      this.sweeper,
      { storeDisagreesTtlMs: settings.pnsStoreDisagreesTtlMs, tracked: storage.tracked },
    );
  }

  /** `scope`: the request asking, whose deadline bounds the store calls and whose id tags the log. */
  async redeem(request: RedeemRequest, scope?: RequestScope): Promise<Redemption> {
    const store = request.target.store;
    try {
      const adapter = adapterFor(this.stores, request.app, request.target, request.userId, { scope });
      const done = await this.redeemer.redeem(request, adapter);
      this.observer?.redemption(store, done.alreadyRedeemed ? 'already_redeemed' : 'granted');
      return done;
    } catch (error) {
      this.observer?.redemption(store, error instanceof Error ? error.name : 'unknown');
      throw error;
    }
  }

  /**
   * A read of the ledger for the GraphQL queries, its failure typed as in a redemption
   * (LedgerUnavailable, LedgerInputError, or LedgerFault: masked for the caller, and logged by the
   * gateway as one `unexpected error` line with the request id, `server/unexpected-errors.ts`).
   */
  read<T>(call: (grants: GrantStore) => Promise<T>): Promise<T> {
    return ledger(() => call(this.storage.grants));
  }

  /**
   * Records the intent of a change about to be made through the gateway (a mutation), before its
   * store call, leased to this process for `ledger.leaseSeconds`. Throws LedgerUnavailable (or a
   * LedgerFault, logged as an unexpected error): the change must then not be made, as its event
   * could be lost.
   */
  openChange(intent: NewIntent): Promise<ChangeIntent> {
    return ledger(() => this.storage.intents.open(intent, this.owner, this.settings.leaseMs));
  }

  /**
   * The change is proven (the store's answer, observed at `observedAt`): its event is written with
   * `data`. The change is done, so a ledger failure here is logged and not thrown (an error answer
   * would tell the caller it failed); the intent stays open and the sweeper writes the event from a
   * read of the store instead.
   */
  async completeChange(intent: ChangeIntent, data: object, observedAt: Date, scope?: RequestScope) {
    try {
      await this.storage.intents.complete(
        intent.id,
        data,
        observedAt,
        changeEnvironment(this.stores, intent),
      );
    } catch (error) {
      this.#changeNotFinished(
        intent,
        error,
        scope,
        'event of a store change not recorded yet; the sweeper will',
      );
    }
  }

  /** The store refused the change (nothing changed): the intent is closed with no event. */
  async abandonChange(intent: ChangeIntent, scope?: RequestScope): Promise<void> {
    try {
      await this.storage.intents.close(intent.id);
    } catch (error) {
      this.#changeNotFinished(intent, error, scope, 'refused change intent not closed; the sweeper will');
    }
  }

  /**
   * The change's request ended without proof either way: the intent stays open for the sweeper,
   * marked as answered with `reason`. Best effort: failing, the intent counts as over once its lease
   * runs out.
   */
  async markChangeAnswered(intent: ChangeIntent, reason: string): Promise<void> {
    await this.storage.intents.defer(intent.id, this.owner, 1, reason).catch(() => false);
  }

  #changeNotFinished(intent: ChangeIntent, error: unknown, scope: RequestScope | undefined, message: string) {
    const line = {
      requestId: scope?.requestId,
      app: intent.app,
      type: intent.type,
      intentId: intent.id,
      err: error instanceof Error ? error.name : 'unknown',
    };
    this.#logError(line, message);
  }

  /** At error level; a logger without one (JobLogger's is optional) gets it as a warning. */
  #logError(line: Record<string, unknown>, message: string): void {
    if (this.log?.error) this.log.error(line, message);
    else this.log?.warn(line, message);
  }

  /**
   * One revocation sync of one app now (the `syncRevocations` mutation), reported to the observer.
   * Every market runs; each one that failed is in `failed` with its error, none hidden behind another.
   */
  async syncApp(app: string, scope?: RequestScope): Promise<SyncResult> {
    return this.#syncApp(app, { scope });
  }

  async #syncApp(app: string, call: CallOptions): Promise<SyncResult> {
    const result = await this.revocations.syncApp(app, call);
    if (result.grantsRevoked > 0) this.observer?.revoked(app, result.grantsRevoked);
    for (const { market, appliedUntil } of result.progress)
      this.observer?.revocationsApplied?.(app, market, appliedUntil);
    return result;
  }

  /** Start-up recovery (resolves when done) and the periodic sweeper and revocation sync. */
  async start(appNames: readonly string[]): Promise<SweepResult> {
    // Rows from before the ledger kept a store app or an environment, filled from the config.
    await assignStoreApps(this.storage.grants, this.stores, appNames, this.log);
    await assignEnvironments(this.storage.grants, this.stores, appNames, this.log);
    if (this.settings.revocationSyncIntervalMs > 0) {
      this.#syncTimer = setInterval(() => this.#tick(appNames), this.settings.revocationSyncIntervalMs);
      this.#syncTimer.unref();
    }
    return this.sweeper.start();
  }

  /** A tick while the last pass still runs starts nothing: that pass goes on, and the next tick tries again. */
  #tick(appNames: readonly string[]): void {
    if (this.#syncPass) return;
    const stopped = new AbortController();
    this.#syncPass = { stopped };
    void this.syncRevocations(appNames, stopped.signal)
      .then(
        () => undefined,
        (error: unknown) => this.#syncFailed(error),
      )
      .finally(() => {
        this.#syncPass = undefined;
      });
  }

  /**
   * One pass over every app (what the timer runs): up to SYNC_CONCURRENCY apps at a time, so an app
   * whose store fails or hangs delays none of the others. Each failed market is in its app's
   * `failed` and logged; none is thrown.
   */
  async syncRevocations(appNames: readonly string[], signal?: AbortSignal): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < appNames.length; i = next++) {
        const app = appNames[i] ?? '';
        results[i] = await this.#syncApp(app, signal ? { signal } : {});
      }
    };
    await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, appNames.length) }, worker));
    return results;
  }

  stop(): void {
    this.sweeper.stop();
    clearInterval(this.#syncTimer);
    this.#syncTimer = undefined;
    this.#syncPass?.stopped.abort();
  }

  #syncFailed(error: unknown): void {
    this.log?.warn(
      { err: error instanceof Error ? error.name : 'unknown' },
      'revocation sync failed; next run retries',
    );
  }
}
