import { type StoredJson, type StoredTime, toDate, toJson } from './dialect.js';
import { checkText } from './errors.js';
import type { EventStore, NewEvent } from './events.js';
import { PlayerReads } from './player-reads.js';
import type { LedgerDb } from './types.js';

/** One entitlement as a player's last computation left it. */
export interface EntitlementMark {
  active: boolean;
  /** Null: forever (active), or no end any fact tells (inactive). */
  expiresAt: Date | null;
}

/** A player's last computed set, by entitlement id. */
export type EntitlementMarks = Record<string, EntitlementMark>;

/** What one computation writes: its events, the new state, and when to compute again (null: on a new fact only). */
export interface Recomputation {
  events: readonly NewEvent[];
  state: EntitlementMarks;
  dueAt: Date | null;
}

/**
 * Computes a player's set from `reads` (bound to the computation's transaction) against `previous`
 * (null: never computed; then `baselineAt`, when the row was backfilled by migration 13: the set as the
 * facts stood then is what to diff against).
 */
export type Recompute = (
  reads: PlayerReads,
  previous: EntitlementMarks | null,
  baselineAt: Date | null,
) => Promise<Recomputation>;

export interface PlayerEntitlementRow {
  app: string;
  userId: string;
  state: EntitlementMarks | null;
  dueAt: Date | null;
  /** Migration 13's backfill: when it ran (see {@link Recompute}); null on rows a mark created. */
  baselineAt: Date | null;
  version: number;
}

interface Row {
  app: string;
  user_id: string;
  state: StoredJson<Record<string, { active: boolean; expiresAt: string | null }>> | null;
  due_at: StoredTime | null;
  baseline_at: StoredTime | null;
  version: number | string;
}

const COLUMNS = (db: Pick<LedgerDb, 'kind'>) =>
  `app, user_id, ${db.kind === 'postgres' ? 'state::text AS state' : 'state'}, due_at, baseline_at, version`;

function toMarks(stored: Row['state']): EntitlementMarks | null {
  const state = toJson(stored);
  if (state === null) return null;
  const marks: EntitlementMarks = {};
  for (const [id, mark] of Object.entries(state))
    marks[id] = { active: mark.active, expiresAt: mark.expiresAt === null ? null : new Date(mark.expiresAt) };
  return marks;
}

const toRow = (row: Row): PlayerEntitlementRow => ({
  app: row.app,
  userId: row.user_id,
  state: toMarks(row.state),
  dueAt: row.due_at === null ? null : toDate(row.due_at),
  baselineAt: row.baseline_at === null ? null : toDate(row.baseline_at),
  version: Number(row.version),
});

/**
 * The table of each player's last computed entitlements (migration 13), marked by the facts that
 * change them (player-marks.ts, in the fact's transaction) and recomputed by the entitlement events
 * worker. A computation runs in ONE transaction that first takes the app's event lock (the lock every
 * writer of the app's events holds until its commit, marks included): it reads the player's facts
 * with every earlier commit in sight, and no mark can commit between its read and its write. A
 * second worker (another replica) then finds the row no longer due and does nothing: one event per change.
 */
export class PlayerEntitlementStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly events: EventStore,
  ) {}

  /** Up to `limit` players due at `now` (the gateway's clock), earliest first, through the partial index. */
  async due(now: Date, limit: number): Promise<{ app: string; userId: string }[]> {
    const rows = await this.db.query<{ app: string; user_id: string }>(
      `SELECT app, user_id FROM player_entitlements WHERE due_at <= ${this.db.dialect.time('$1')}
       ORDER BY due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ app: row.app, userId: row.user_id }));
  }

  /**
   * Recomputes one player when still due at `now`: `compute` reads their facts in the transaction,
   * its events are recorded and the new state and due time written with them. The number of events,
   * or null when the player was not due any more (another worker did it).
   */
  async recompute(app: string, userId: string, now: Date, compute: Recompute): Promise<number | null> {
    checkText('userId', userId);
    const d = this.db.dialect;
    // Outside the app's lock first: another replica's worker walking the same due list finds the
    // player done without making the app's event writers wait (the check under the lock decides).
    const due = await this.db.query<{ app: string }>(
      `SELECT app FROM player_entitlements WHERE app = $1 AND user_id = $2 AND due_at <= ${d.time('$3')}`,
      [app, userId, now],
    );
    if (due.length === 0) return null;
    return this.events.writeLocked(app, async (q, record) => {
      const rows = await q.query<Row>(
        `SELECT ${COLUMNS(this.db)} FROM player_entitlements
         WHERE app = $1 AND user_id = $2 AND due_at <= ${d.time('$3')}${this.db.kind === 'postgres' ? ' FOR UPDATE' : ''}`,
        [app, userId, now],
      );
      const row = rows[0];
      if (row === undefined) return null;
      const reads = new PlayerReads(
        { kind: this.db.kind, dialect: d, query: (sql, params) => q.query(sql, params) },
        this.events,
      );
      const current = toRow(row);
      const result = await compute(reads, current.state, current.baselineAt);
      for (const event of result.events) await record(event);
      await q.query(
        `UPDATE player_entitlements SET state = ${d.json('$3')}, due_at = ${d.time('$4')}, version = version + 1
         WHERE app = $1 AND user_id = $2`,
        [app, userId, JSON.stringify(result.state), result.dueAt],
      );
      return result.events.length;
    });
  }

  /**
   * A player whose computation failed waits until `retryAt` (gateway clock), if still due at `now`: the
   * players behind them come first. A new fact's mark makes them due at once again.
   */
  async postpone(app: string, userId: string, now: Date, retryAt: Date): Promise<void> {
    const d = this.db.dialect;
    await this.db.query(
      `UPDATE player_entitlements SET due_at = ${d.time('$4')}
       WHERE app = $1 AND user_id = $2 AND due_at <= ${d.time('$3')}`,
      [app, userId, now, retryAt],
    );
  }

  /** One player's row (diagnosis, tests); null when never marked. */
  async get(app: string, userId: string): Promise<PlayerEntitlementRow | null> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS(this.db)} FROM player_entitlements WHERE app = $1 AND user_id = $2`,
      [app, userId],
    );
    const row = rows[0];
    return row === undefined ? null : toRow(row);
  }
}
