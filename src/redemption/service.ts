import { randomUUID } from 'node:crypto';
import type { StoreRegistry } from '../entitlements/app-stores.js';
import {
  CheckpointStore,
  DeliveryStore,
  EventStore,
  type EventStoreOptions,
  type Grant,
  GrantStore,
  type LedgerDb,
  type LedgerDbOptions,
  LedgerFault,
  type NewEvent,
  NotificationStore,
  openLedgerDb,
} from '../ledger/index.js';
import type { CallOptions, RequestScope } from '../stores/index.js';
import { adapterFor } from './adapters/index.js';
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
}

/** Redemption, crash recovery and revocation sync over one ledger, for every configured app. */
export class RedemptionService {
  /** This process's claim-holder id; a restart is a new owner, so its old claims expire or are recovered. */
  readonly owner = `gw-${randomUUID()}`;
  readonly redeemer: Redeemer;
  readonly sweeper: Sweeper;
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
    this.sweeper = new Sweeper(
      storage.grants,
      this.redeemer,
      (grant: Grant, call?: CallOptions) =>
        adapterFor(stores, grant.app, targetOfGrant(grant), grant.userId, call),
      {
        intervalMs: settings.sweepIntervalMs,
        embedded: storage.db.kind === 'sqlite',
        onSweep: (r) => {
          observer?.sweep(r.settled + r.dropped + r.left, r.settled, r.dropped);
          observer?.awaitingEvidence?.(r.awaitingEvidence);
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
      this.#logFault(error, scope);
      throw error;
    }
  }

  /**
   * A read of the ledger for the GraphQL queries, its failure typed as in a redemption
   * (LedgerUnavailable, LedgerInputError, or LedgerFault, which is logged here).
   */
  async read<T>(call: (grants: GrantStore) => Promise<T>, scope?: RequestScope): Promise<T> {
    try {
      return await ledger(() => call(this.storage.grants));
    } catch (error) {
      this.#logFault(error, scope);
      throw error;
    }
  }

  /**
   * Records the event of a change made outside the ledger (a mutation through the gateway). The store
   * change is done by then, so a failure to record is logged at error level and not thrown: answering
   * the mutation with an error would tell the caller the change failed when it did not.
   */
  async recordChange(event: NewEvent, scope?: RequestScope): Promise<void> {
    try {
      await this.storage.events.record(event);
    } catch (error) {
      const line = {
        requestId: scope?.requestId,
        app: event.app,
        type: event.type,
        err: error instanceof Error ? error.name : 'unknown',
      };
      this.#logError(line, 'event of a store change not recorded');
    }
  }

  /** A ledger fault is answered as a masked internal error; the cause goes to the log, at error level. */
  #logFault(error: unknown, scope: RequestScope | undefined): void {
    if (!(error instanceof LedgerFault)) return;
    const cause = error.cause;
    const line = {
      requestId: scope?.requestId,
      err: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
      code: (cause as { code?: unknown } | null)?.code,
    };
    this.#logError(line, 'grant ledger fault');
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
  start(appNames: readonly string[]): Promise<SweepResult> {
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
