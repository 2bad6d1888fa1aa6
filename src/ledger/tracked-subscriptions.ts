import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';
import { type Dialect, type StoredJson, type StoredTime, toDate, toJson } from './dialect.js';
import { checkStore, checkText } from './errors.js';
import type { EventStore, NewEvent } from './events.js';
import { checkLeaseMs, type Grant } from './grant.js';
import { SNAPSHOTS } from './snapshot.js';
import type { LedgerDb, Queryable } from './types.js';

/** "As soon as possible" on any scheduler clock (migration-tracked-subscriptions.ts). */
export const CHECK_AT_ONCE = new Date(0);

/** A subscription the scheduler re-reads (table `tracked_subscriptions`, ledger migration 9). */
export interface TrackedSubscription {
  app: string;
  store: StoreId;
  /** ONE store purchaseToken: with app and store, the row's key and its events' subject. */
  purchaseToken: string;
  storeApp: string | null;
  /** The market the grant named; null: the app's default market. */
  market: string | null;
  /** ONE store: SUBSCRIPTION or MONTHLY. */
  kind: string;
  productId: string;
  userId: string;
  /** What a read needs beyond the key: Gamebase's paymentSeq and purchaseToken (accessToken); null for ONE store. */
  storeIds: Record<string, string> | null;
  /** The status of the last observation; null before the first read. */
  status: string | null;
  expiresAt: Date | null;
  /** The last observation's snapshot (`{ subscription }`, brought up to the current snapshot version). */
  observation: Record<string, unknown> | null;
  /** Scheduler clock; null: not checked any more (terminal). */
  nextCheckAt: Date | null;
  leaseOwner: string | null;
  /** Database clock. */
  leaseExpiresAt: Date | null;
  /** Failed reads in a row since the last good one. */
  failures: number;
  /** Why the last read failed (a short code, never store text); null after a good read. */
  lastError: string | null;
  /** Scheduler clock: the last good read. */
  lastReadAt: Date | null;
  /** Compare-and-set counter: +1 with every observation written. */
  version: number;
  /**
   * The environment of the latest grant that tracked it (migration 11), which its lifecycle events
   * carry; a row from before that no start has filled in from the config reads as `PRODUCTION`.
   */
  environment: Environment;
}

export type NewTracked = Pick<
  TrackedSubscription,
  'app' | 'store' | 'purchaseToken' | 'storeApp' | 'market' | 'kind' | 'productId' | 'userId' | 'storeIds'
> & {
  /** See {@link TrackedSubscription.environment}. Default `PRODUCTION` (a grant always names one). */
  environment?: Environment;
};

/** What a good read writes: the new state and when to read again. */
export interface Observed {
  status: string;
  expiresAt: Date | null;
  observation: Record<string, unknown>;
  /** Null: terminal, no more checks. */
  nextCheckAt: Date | null;
  readAt: Date;
  /** New store ids for the next reads (Gamebase: the latest period's pair). Default: unchanged. */
  storeIds?: Record<string, string>;
}

export interface TrackedRow {
  app: string;
  store: StoreId;
  purchase_token: string;
  store_app: string | null;
  market: string | null;
  kind: string;
  product_id: string;
  user_id: string;
  store_ids: StoredJson<Record<string, string>> | null;
  status: string | null;
  expires_at: StoredTime | null;
  observation: string | null;
  observation_version: number | null;
  next_check_at: StoredTime | null;
  lease_owner: string | null;
  lease_expires_at: StoredTime | null;
  failures: number;
  last_error: string | null;
  last_read_at: StoredTime | null;
  version: number;
  environment: Environment | null;
}

export const trackedColumns = (db: Pick<LedgerDb, 'kind'>) =>
  `app, store, purchase_token, store_app, market, kind, product_id, user_id, store_ids, status, expires_at,
  ${db.kind === 'postgres' ? 'observation::text AS observation' : 'observation'}, observation_version, next_check_at,
  lease_owner, lease_expires_at, failures, last_error, last_read_at, version, environment`;

export function toTracked(row: TrackedRow): TrackedSubscription {
  return {
    app: row.app,
    store: row.store,
    purchaseToken: row.purchase_token,
    storeApp: row.store_app,
    market: row.market,
    kind: row.kind,
    productId: row.product_id,
    userId: row.user_id,
    storeIds: toJson(row.store_ids),
    status: row.status,
    expiresAt: toDate(row.expires_at),
    observation:
      row.observation === null
        ? null
        : SNAPSHOTS.decode<Record<string, unknown>>(row.observation, Number(row.observation_version)),
    nextCheckAt: toDate(row.next_check_at),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toDate(row.lease_expires_at),
    failures: Number(row.failures),
    lastError: row.last_error,
    lastReadAt: toDate(row.last_read_at),
    version: Number(row.version),
    environment: row.environment ?? 'PRODUCTION',
  };
}

/**
 * Starts tracking a subscription inside the caller's transaction (the grant's settle): a new row due
 * at once, or an existing one pulled to "at once" (a new period was redeemed: read it soon). Idempotent.
 */
export async function trackSubscription(q: Queryable, d: Dialect, t: NewTracked): Promise<void> {
  checkStore(t.store);
  for (const [field, value] of Object.entries({ ...t, ...t.storeIds }))
    if (typeof value === 'string') checkText(field, value);
  // A later period's grant brings its own store ids (Gamebase: its pair), which later reads use.
  await q.query(
    `INSERT INTO tracked_subscriptions (app, store, purchase_token, store_app, market, kind, product_id, user_id,
       next_check_at, store_ids, environment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ${d.time('$9')}, ${d.json('$10')}, $11)
     ON CONFLICT (app, store, purchase_token) DO UPDATE SET next_check_at = EXCLUDED.next_check_at,
       store_ids = coalesce(EXCLUDED.store_ids, tracked_subscriptions.store_ids), environment = EXCLUDED.environment`,
    [
      t.app,
      t.store,
      t.purchaseToken,
      t.storeApp,
      t.market,
      t.kind,
      t.productId,
      t.userId,
      CHECK_AT_ONCE,
      t.storeIds === null ? null : JSON.stringify(t.storeIds),
      t.environment ?? 'PRODUCTION',
    ],
  );
}

/**
 * The scheduler's table. Claims are one statement each (PostgreSQL: `FOR UPDATE SKIP LOCKED` under
 * the lease condition), so replicas claim disjoint rows; an observation is written under the row's
 * version and the lease holder, with its events in the same transaction: whichever replica loses the
 * compare-and-set writes nothing.
 */
export class TrackedSubscriptionStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly events: EventStore,
  ) {}

  track(t: NewTracked): Promise<void> {
    return trackSubscription(this.db, this.db.dialect, t);
  }

  /** Pulls a tracked subscription's next check to "at once" (a PNS, a change through the gateway); false when untracked. */
  async nudge(app: string, store: StoreId, purchaseToken: string): Promise<boolean> {
    checkText('purchaseToken', purchaseToken);
    const rows = await this.db.query<{ app: string }>(
      `UPDATE tracked_subscriptions SET next_check_at = ${this.db.dialect.time('$4')}
       WHERE app = $1 AND store = $2 AND purchase_token = $3 RETURNING app`,
      [app, store, purchaseToken, CHECK_AT_ONCE],
    );
    return rows.length > 0;
  }

  async get(app: string, store: StoreId, purchaseToken: string): Promise<TrackedSubscription | null> {
    const rows = await this.db.query<TrackedRow>(
      `SELECT ${trackedColumns(this.db)} FROM tracked_subscriptions WHERE app = $1 AND store = $2 AND purchase_token = $3`,
      [app, store, purchaseToken],
    );
    const row = rows[0];
    return row === undefined ? null : toTracked(row);
  }

  /**
   * Up to `limit` rows due at `now` (scheduler clock) whose lease is free or ran out (database clock),
   * oldest due first, leased to `owner` for `leaseMs`. Served by the partial index on next_check_at.
   */
  async claimDue(now: Date, limit: number, owner: string, leaseMs: number): Promise<TrackedSubscription[]> {
    const rows = await this.#lease(
      owner,
      leaseMs,
      `next_check_at <= ${this.db.dialect.time('$3')} AND ${this.#free} ORDER BY next_check_at LIMIT $4`,
      [now, limit],
    );
    return rows.sort((a, b) => (a.nextCheckAt?.getTime() ?? 0) - (b.nextCheckAt?.getTime() ?? 0));
  }

  /**
   * Leases every tracked subscription of `userIds` (at most 100) whose lease is free, whether due or
   * not (`player(refresh: true)`), in one statement; `busy` counts the others, leased by a reader now
   * (its read is in flight: reading them again would be a second call for the same answer).
   */
  async claimPlayers(
    app: string,
    userIds: readonly string[],
    owner: string,
    leaseMs: number,
  ): Promise<{ claimed: TrackedSubscription[]; busy: TrackedSubscription[] }> {
    const users = (from: number) => userIds.map((_, i) => `$${i + from}`).join(', ');
    // Read first: once the claim ran, its own rows are leased too.
    const busy = await this.db.query<TrackedRow>(
      `SELECT ${trackedColumns(this.db)} FROM tracked_subscriptions
       WHERE app = $1 AND user_id IN (${users(2)}) AND NOT ${this.#free}`,
      [app, ...userIds],
    );
    const claimed = await this.#lease(
      owner,
      leaseMs,
      `app = $3 AND user_id IN (${users(4)}) AND ${this.#free}`,
      [app, ...userIds],
    );
    return { claimed, busy: busy.map(toTracked) };
  }

  /** A row no claim holds: never leased, or its lease ran out (database clock). */
  get #free(): string {
    return `(lease_expires_at IS NULL OR lease_expires_at <= ${this.db.dialect.now})`;
  }

  /**
   * Leases to `owner` for `leaseMs` the rows `which` selects (a WHERE clause and its ORDER BY / LIMIT,
   * its parameters from $3), in one statement: PostgreSQL skips rows another claim has locked, and a
   * row whose lease was taken meanwhile is left out.
   */
  async #lease(
    owner: string,
    leaseMs: number,
    which: string,
    params: readonly unknown[],
  ): Promise<TrackedSubscription[]> {
    checkLeaseMs(leaseMs);
    const skipLocked = this.db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.db.query<TrackedRow>(
      `UPDATE tracked_subscriptions SET lease_owner = $1, lease_expires_at = ${this.db.dialect.plusMs('$2')}
       WHERE (app, store, purchase_token) IN (
         SELECT app, store, purchase_token FROM tracked_subscriptions WHERE ${which} ${skipLocked})
         AND ${this.#free}
       RETURNING ${trackedColumns(this.db)}`,
      [owner, leaseMs, ...params],
    );
    return rows.map(toTracked);
  }

  /**
   * Writes a good read of `row` (claimed by `owner`) and its events, in one transaction, when the row
   * is still at the version claimed and still `owner`'s; false (nothing written, no event) otherwise.
   */
  async observe(
    row: TrackedSubscription,
    owner: string,
    observed: Observed,
    events: readonly NewEvent[],
  ): Promise<boolean> {
    const d = this.db.dialect;
    return this.events.write(async (q, record) => {
      const won = await q.query<{ version: number }>(
        `UPDATE tracked_subscriptions
         SET status = $6, expires_at = ${d.time('$7')}, observation = ${d.json('$8')}, observation_version = $9,
           next_check_at = ${d.time('$10')}, last_read_at = ${d.time('$11')}, failures = 0, last_error = NULL,
           lease_owner = NULL, lease_expires_at = NULL, version = version + 1,
           store_ids = coalesce(${d.json('$12')}, store_ids)
         WHERE app = $1 AND store = $2 AND purchase_token = $3 AND version = $4 AND lease_owner = $5
         RETURNING version`,
        [
          row.app,
          row.store,
          row.purchaseToken,
          row.version,
          owner,
          observed.status,
          observed.expiresAt,
          SNAPSHOTS.encode(observed.observation),
          SNAPSHOTS.version,
          observed.nextCheckAt,
          observed.readAt,
          observed.storeIds === undefined ? null : JSON.stringify(observed.storeIds),
        ],
      );
      if (won.length === 0) return false;
      for (const event of events) await record(event);
      // A read that moved what `player` computes from with no transition (an expiry the store moved)
      // still marks the subscriber: their entitlement may have changed.
      if (
        events.length === 0 &&
        (observed.status !== row.status || !sameTime(observed.expiresAt, row.expiresAt))
      )
        await this.events.markInTransaction(q, row.app, row.userId);
      return true;
    });
  }

  /** A failed read: only the failure count, its code and the next check change (and the lease ends). */
  async failed(row: TrackedSubscription, owner: string, nextCheckAt: Date, error: string): Promise<boolean> {
    checkText('error', error);
    const rows = await this.db.query<{ version: number }>(
      `UPDATE tracked_subscriptions
       SET failures = failures + 1, last_error = $6, next_check_at = ${this.db.dialect.time('$7')},
         lease_owner = NULL, lease_expires_at = NULL
       WHERE app = $1 AND store = $2 AND purchase_token = $3 AND version = $4 AND lease_owner = $5
       RETURNING version`,
      [row.app, row.store, row.purchaseToken, row.version, owner, error.slice(0, 64), nextCheckAt],
    );
    return rows.length > 0;
  }

  /** Rows due at `now` (scheduler clock), leased or not: the backlog (metrics). O(due) through the index. */
  async dueCount(now: Date): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM tracked_subscriptions WHERE next_check_at <= ${this.db.dialect.time('$1')}`,
      [now],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

const sameTime = (a: Date | null, b: Date | null) => (a === null ? b === null : a.getTime() === b?.getTime());

/** Gamebase product types tracked by the scheduler: the ones granted per paid period. */
const GAMEBASE_TRACKED = 'AUTO_RENEWABLE';

/**
 * The subscription a grant's store ids name, when it is one the scheduler tracks (by store and the
 * store ids alone, whatever module wrote the grant):
 * - ONE store SUBSCRIPTION and MONTHLY: keyed by purchaseToken;
 * - Gamebase AUTO_RENEWABLE, a period's grant that kept its subscription's `originalPaymentId` (the
 *   status read names it): keyed by `${storeCode}:${originalPaymentId}`, the subscription across
 *   periods, with the period's paymentSeq and purchaseToken as what Get Subscriptions Status is asked with.
 */
export function trackedOfGrant(
  grant: Pick<Grant, 'app' | 'store' | 'storeApp' | 'storeIds' | 'productId' | 'userId' | 'environment'>,
): NewTracked | null {
  const ids = grant.storeIds;
  const base = {
    app: grant.app,
    environment: grant.environment,
    store: grant.store,
    storeApp: grant.storeApp,
    productId: grant.productId,
    userId: grant.userId,
  };
  if (grant.store === 'GAMEBASE') {
    const { originalPaymentId, paymentSeq, purchaseToken, storeCode } = ids;
    if (!originalPaymentId || !paymentSeq || !purchaseToken || !storeCode) return null;
    return {
      ...base,
      purchaseToken: `${storeCode}:${originalPaymentId}`,
      market: storeCode,
      kind: GAMEBASE_TRACKED,
      storeIds: { paymentSeq, purchaseToken },
    };
  }
  const { kind, purchaseToken, market } = ids;
  if (grant.store !== 'ONESTORE' || (kind !== 'SUBSCRIPTION' && kind !== 'MONTHLY')) return null;
  if (purchaseToken === undefined) return null;
  return { ...base, purchaseToken, market: market ?? null, kind, storeIds: null };
}
