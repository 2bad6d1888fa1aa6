import { randomUUID } from 'node:crypto';
import type { StoreRegistry } from '../entitlements/app-stores.js';
import {
  CheckpointStore,
  type Grant,
  GrantStore,
  type LedgerDb,
  type LedgerDbOptions,
  openLedgerDb,
} from '../ledger/index.js';
import { adapterFor } from './adapters/index.js';
import { Redeemer, type Redemption } from './redeemer.js';
import { RevocationSync, type SyncResult } from './revocations.js';
import { type JobLogger, Sweeper, type SweepResult } from './sweeper.js';
import { type RedeemRequest, targetOfGrant } from './target.js';

/** The ledger's database and its two tables' stores. */
export interface LedgerStorage {
  db: LedgerDb;
  grants: GrantStore;
  checkpoints: CheckpointStore;
}

/** Opens (and migrates) the ledger: PostgreSQL when `url` is set, else PGlite in `dataDir` or in memory. */
export async function openLedgerStorage(options: LedgerDbOptions): Promise<LedgerStorage> {
  const db = await openLedgerDb(options);
  return { db, grants: new GrantStore(db), checkpoints: new CheckpointStore(db) };
}

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
  #syncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly storage: LedgerStorage,
    readonly stores: StoreRegistry,
    readonly settings: RedemptionSettings,
    readonly log?: JobLogger,
  ) {
    this.redeemer = new Redeemer(storage.grants, {
      owner: this.owner,
      leaseMs: settings.leaseMs,
      inProgressWaitMs: settings.inProgressWaitMs,
    });
    this.sweeper = new Sweeper(
      storage.grants,
      this.redeemer,
      (grant: Grant) => adapterFor(stores, grant.app, targetOfGrant(grant), grant.userId),
      { intervalMs: settings.sweepIntervalMs, embedded: storage.db.kind === 'pglite' },
      log,
    );
    this.revocations = new RevocationSync(
      stores,
      storage.grants,
      storage.checkpoints,
      { owner: this.owner, leaseMs: settings.leaseMs, overlapMs: settings.revocationOverlapMs },
      log,
    );
  }

  redeem(request: RedeemRequest): Promise<Redemption> {
    return this.redeemer.redeem(
      request,
      adapterFor(this.stores, request.app, request.target, request.userId),
    );
  }

  /** Start-up recovery (resolves when done) and the periodic sweeper and revocation sync. */
  start(appNames: readonly string[]): Promise<SweepResult> {
    if (this.settings.revocationSyncIntervalMs > 0) {
      this.#syncTimer = setInterval(
        () => void this.syncRevocations(appNames).catch((error: unknown) => this.#syncFailed(error)),
        this.settings.revocationSyncIntervalMs,
      );
      this.#syncTimer.unref();
    }
    return this.sweeper.start();
  }

  async syncRevocations(appNames: readonly string[]): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const app of appNames) results.push(await this.revocations.syncApp(app));
    return results;
  }

  stop(): void {
    this.sweeper.stop();
    clearInterval(this.#syncTimer);
    this.#syncTimer = undefined;
  }

  #syncFailed(error: unknown): void {
    this.log?.warn(
      { err: error instanceof Error ? error.name : 'unknown' },
      'revocation sync failed; next run retries',
    );
  }
}
