import { type StoredTime, toDate } from './dialect.js';
import { checkLeaseMs } from './grant.js';
import type { LedgerDb } from './types.js';

/** How far one syncer (per app and source, e.g. a store's voided-purchases list) has come. */
export interface Checkpoint {
  app: string;
  source: string;
  /** The window being read, when one is under way. */
  windowStart: Date | null;
  windowEnd: Date | null;
  /** The upstream's continuation key inside the window. */
  continuationKey: string | null;
  /** Every voided purchase before this instant is already applied; never moves backwards. */
  completedUntil: Date | null;
  leaseOwner: string | null;
  /** Database clock. */
  leaseExpiresAt: Date | null;
  updatedAt: Date;
}

export interface CheckpointProgress {
  windowStart: Date | null;
  windowEnd: Date | null;
  continuationKey: string | null;
  /** Set when a window finished; an earlier instant than the stored one is ignored. Default: unchanged. */
  completedUntil?: Date;
}

interface CheckpointRow {
  app: string;
  source: string;
  window_start: StoredTime | null;
  window_end: StoredTime | null;
  continuation_key: string | null;
  completed_until: StoredTime | null;
  lease_owner: string | null;
  lease_expires_at: StoredTime | null;
  updated_at: StoredTime;
}

const COLUMNS = `app, source, window_start, window_end, continuation_key, completed_until, lease_owner,
  lease_expires_at, updated_at`;

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    app: row.app,
    source: row.source,
    windowStart: toDate(row.window_start),
    windowEnd: toDate(row.window_end),
    continuationKey: row.continuation_key,
    completedUntil: toDate(row.completed_until),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toDate(row.lease_expires_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** Sync progress with a lease, so that among replicas one syncer per (app, source) runs at a time. */
export class CheckpointStore {
  constructor(private readonly db: LedgerDb) {}

  async get(app: string, source: string): Promise<Checkpoint | null> {
    const rows = await this.db.query<CheckpointRow>(
      `SELECT ${COLUMNS} FROM sync_checkpoints WHERE app = $1 AND source = $2`,
      [app, source],
    );
    const row = rows[0];
    return row === undefined ? null : toCheckpoint(row);
  }

  /**
   * Takes the lease for `leaseMs` when it is free or expired; creates the checkpoint on first use.
   * Null while anyone holds it, `owner` included: a process is one owner, and a second run of it
   * (a timer tick while the last run still reads) must not walk beside the first. `save` renews it.
   * One statement: two replicas racing for it cannot both win.
   */
  async acquire(app: string, source: string, owner: string, leaseMs: number): Promise<Checkpoint | null> {
    checkLeaseMs(leaseMs);
    const d = this.db.dialect;
    const rows = await this.db.query<CheckpointRow>(
      `INSERT INTO sync_checkpoints AS c (app, source, lease_owner, lease_expires_at, updated_at)
       VALUES ($1, $2, $3, ${d.plusMs('$4')}, ${d.now})
       ON CONFLICT (app, source) DO UPDATE
         SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at, updated_at = ${d.now}
         WHERE c.lease_owner IS NULL OR c.lease_expires_at <= ${d.now}
       RETURNING ${COLUMNS}`,
      [app, source, owner, leaseMs],
    );
    const row = rows[0];
    return row === undefined ? null : toCheckpoint(row);
  }

  /**
   * Saves progress while `owner` holds an unexpired lease; false (nothing saved) otherwise. With
   * `renewMs` the lease then runs that long from now, so a run that keeps making progress keeps it
   * and only a stalled one lets another replica in. Default: the lease is left as it is.
   */
  async save(
    app: string,
    source: string,
    owner: string,
    progress: CheckpointProgress,
    renewMs?: number,
  ): Promise<boolean> {
    if (renewMs !== undefined) checkLeaseMs(renewMs);
    const d = this.db.dialect;
    const renew = renewMs === undefined ? '' : `, lease_expires_at = ${d.plusMs('$8')}`;
    const rows = await this.db.query<{ app: string }>(
      `UPDATE sync_checkpoints
       SET window_start = ${d.time('$4')}, window_end = ${d.time('$5')}, continuation_key = $6,
           completed_until = ${d.later('completed_until', d.time('$7'))}, updated_at = ${d.now}${renew}
       WHERE app = $1 AND source = $2 AND lease_owner = $3 AND lease_expires_at > ${d.now}
       RETURNING app`,
      [
        app,
        source,
        owner,
        progress.windowStart,
        progress.windowEnd,
        progress.continuationKey,
        progress.completedUntil ?? null,
        ...(renewMs === undefined ? [] : [renewMs]),
      ],
    );
    return rows.length > 0;
  }

  /** Gives the lease up so another replica need not wait for it to expire; no-op when not `owner`'s. */
  async releaseLease(app: string, source: string, owner: string): Promise<void> {
    await this.db.query(
      `UPDATE sync_checkpoints SET lease_owner = NULL, lease_expires_at = NULL, updated_at = ${this.db.dialect.now}
       WHERE app = $1 AND source = $2 AND lease_owner = $3`,
      [app, source, owner],
    );
  }
}
