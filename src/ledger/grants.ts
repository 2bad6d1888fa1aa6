import { randomUUID } from 'node:crypto';
import { periodRefundData } from '../events/data.js';
import { checkPageSize } from './cursor.js';
import { checkStore, checkText } from './errors.js';
import { type EventRecorder, EventStore, type EventType } from './events.js';
import {
  checkLeaseMs,
  GRANT_COLUMNS,
  type Grant,
  GrantNotFoundError,
  type GrantRow,
  type GrantStoreName,
  type LeasedRows,
  type NewGrant,
  takeOverLease,
  toGrant,
} from './grant.js';
import { assignEnvironments } from './grant-environments.js';
import {
  type GrantFilter,
  type GrantPage,
  listGrants,
  listRevoked,
  type PageRequest,
} from './grant-pages.js';
import { assignStoreApp } from './grant-store-apps.js';
import { PlayerReads } from './player-reads.js';
import { SupportGrantStore } from './support-grants.js';
import { trackedOfGrant, trackSubscription } from './tracked-subscriptions.js';
import type { LedgerDb, Queryable } from './types.js';

export type { GrantFilter, GrantPage, PageRequest };

export type ClaimResult =
  | { claimed: true; grant: Grant }
  | { claimed: false; existing: Grant; conflictOn: 'purchase' | 'idempotencyKey' | 'storePurchase' };

// A conflicting row can vanish (released) between the insert and the look-up; the insert is then tried
// again. Three rounds lose only to a pathological release/claim loop, which then surfaces as an error.
const CLAIM_ROUNDS = 3;

/**
 * The grant ledger. Every guarantee (one grant per purchase, one per idempotency key, one lease holder)
 * comes from a single SQL statement and the database's constraints, never from a read followed by a write,
 * so it holds across replicas sharing a PostgreSQL ledger. Lease times use the database clock.
 */
export class GrantStore {
  /**
   * `events`: the outbox each change writes its event to, in the change's transaction. Default: one
   * over the same database with no webhook endpoints.
   */
  constructor(
    private readonly db: LedgerDb,
    readonly events: EventStore = new EventStore(db),
  ) {}

  /**
   * Inserts the grant as PENDING, leased to `leaseOwner` for `leaseMs`, unless a row already holds the
   * purchase (app, store, purchaseKey) or the idempotency key (app, idempotencyKey); that row is returned
   * instead. When a row holds the idempotency key, `conflictOn` is `'idempotencyKey'` (even if it is also
   * the purchase's row: the key says "same request", and the caller compares the fingerprint); otherwise
   * `'purchase'`; when only a row of another app holds the same store purchase (store, storeApp,
   * purchaseKey: two gateway apps on one store app), `'storePurchase'`.
   */
  async claim(grant: NewGrant, leaseOwner: string, leaseMs: number): Promise<ClaimResult> {
    const d = this.db.dialect;
    checkLeaseMs(leaseMs);
    checkStore(grant.store);
    for (const [field, value] of Object.entries({
      app: grant.app,
      purchaseKey: grant.purchaseKey,
      storeApp: grant.storeApp ?? '',
      userId: grant.userId,
      productId: grant.productId,
      idempotencyKey: grant.idempotencyKey ?? '',
      ...grant.storeIds,
    }))
      checkText(field, value);
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const created = await this.#changeOne(
        () => ['GRANT_CREATED'],
        (q) =>
          q.query<GrantRow>(
            `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
           idempotency_key, action, status, lease_owner, lease_expires_at, created_at, store_app, environment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, ${d.json('$8')}, $9, $10, $11, 'PENDING', $12, ${d.plusMs('$13')},
           ${d.nowMs}, $14, $15)
         ON CONFLICT DO NOTHING
         RETURNING ${GRANT_COLUMNS}`,
            [
              randomUUID(),
              grant.app,
              grant.store,
              grant.purchaseKey,
              grant.userId,
              grant.productId,
              grant.quantity,
              JSON.stringify(grant.storeIds),
              grant.fingerprint,
              grant.idempotencyKey,
              grant.action,
              leaseOwner,
              leaseMs,
              grant.storeApp ?? null,
              grant.environment ?? 'PRODUCTION',
            ],
          ),
      );
      if (created !== null) return { claimed: true, grant: created };
      if (grant.idempotencyKey !== null) {
        const byKey = await this.findByIdempotencyKey(grant.app, grant.idempotencyKey);
        if (byKey !== null) return { claimed: false, existing: byKey, conflictOn: 'idempotencyKey' };
      }
      const byPurchase = await this.findByPurchase(grant.app, grant.store, grant.purchaseKey);
      if (byPurchase !== null) return { claimed: false, existing: byPurchase, conflictOn: 'purchase' };
      if (grant.storeApp) {
        const elsewhere = await this.findByStorePurchase(grant.store, grant.storeApp, grant.purchaseKey);
        if (elsewhere !== null) return { claimed: false, existing: elsewhere, conflictOn: 'storePurchase' };
      }
    }
    throw new Error(
      `claim of ${grant.store} purchase in app ${grant.app} kept conflicting with vanishing rows`,
    );
  }

  /**
   * Compare-and-set of the lease: a PENDING grant whose lease has expired (database clock) passes to
   * `leaseOwner` for `leaseMs`, attempts + 1. Null when the grant is settled, gone, or still leased.
   * `force` takes a live lease too: only for an embedded, single-process ledger at start-up, whose live
   * leases can only belong to the previous, dead process, or for a claim a store read proves can never
   * settle (the redeemer's refuted NHN claim, dropped at once). Default `false`.
   */
  async takeOver(
    id: string,
    leaseOwner: string,
    leaseMs: number,
    options: { force?: boolean } = {},
  ): Promise<Grant | null> {
    const force = options.force === true;
    const rows = await takeOverLease<GrantRow>(this.db, PENDING_GRANTS, id, leaseOwner, leaseMs, force);
    return mapFirst(rows);
  }

  /**
   * PENDING → SETTLED with `outcome`; `storeIds` are merged into the stored ones (new keys win). The lease
   * ends (leaseExpiresAt null) and leaseOwner stays as who settled. Settling a SETTLED grant returns it
   * unchanged, whatever the arguments. Throws {@link GrantNotFoundError} for an unknown id.
   */
  async settle(id: string, outcome: string, storeIds?: Record<string, string>): Promise<Grant> {
    const d = this.db.dialect;
    const changed = await this.#changeOne(
      settledEvents,
      (q) =>
        q.query<GrantRow>(
          `UPDATE grants SET status = 'SETTLED', outcome = $2, settled_at = ${d.now}, lease_expires_at = NULL,
           next_attempt_at = NULL, last_error = NULL, store_ids = ${d.mergeJson('store_ids', '$3')}
         WHERE id = $1 AND status = 'PENDING'
         RETURNING ${GRANT_COLUMNS}`,
          [id, outcome, JSON.stringify(storeIds ?? {})],
        ),
      (q, grant) => this.#track(q, grant),
    );
    const settled = changed ?? (await this.findById(id));
    if (settled === null) throw new GrantNotFoundError(id);
    return settled;
  }

  /**
   * Deletes a PENDING grant still leased to `leaseOwner` (for when the upstream definitely did not change),
   * so the purchase can be claimed again. False when it is settled, gone, or was taken over.
   */
  async release(id: string, leaseOwner: string): Promise<boolean> {
    const dropped = await this.#changeOne(
      () => ['GRANT_DROPPED'],
      (q) =>
        q.query<GrantRow>(
          `DELETE FROM grants WHERE id = $1 AND status = 'PENDING' AND lease_owner = $2 RETURNING ${GRANT_COLUMNS}`,
          [id, leaseOwner],
        ),
    );
    return dropped !== null;
  }

  /** The one grant `where` (a condition over the grants' columns) matches, or null. */
  async #findOne(where: string, params: readonly unknown[]): Promise<Grant | null> {
    return mapFirst(
      await this.db.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE ${where}`, params),
    );
  }

  async findById(id: string): Promise<Grant | null> {
    checkText('id', id);
    return this.#findOne('id = $1', [id]);
  }

  async findByPurchase(app: string, store: GrantStoreName, purchaseKey: string): Promise<Grant | null> {
    checkText('app', app);
    checkText('purchaseKey', purchaseKey);
    return this.#findOne('app = $1 AND store = $2 AND purchase_key = $3', [app, store, purchaseKey]);
  }

  /** The grant of a store purchase by the store's own identity, whatever gateway app holds it. */
  async findByStorePurchase(
    store: GrantStoreName,
    storeApp: string,
    purchaseKey: string,
  ): Promise<Grant | null> {
    checkText('storeApp', storeApp);
    checkText('purchaseKey', purchaseKey);
    return this.#findOne('store = $1 AND store_app = $2 AND purchase_key = $3', [
      store,
      storeApp,
      purchaseKey,
    ]);
  }

  /** Fills in the store app of `app`'s older `store` grants (grant-store-apps.ts). */
  assignStoreApp(app: string, store: GrantStoreName, storeApp: string) {
    return assignStoreApp(this.db, app, store, storeApp);
  }

  /** Fills in the environment of `app`'s rows from before migration 11 (grant-environments.ts). */
  assignEnvironments(app: string, byStore: Parameters<typeof assignEnvironments>[2]) {
    return assignEnvironments(this.db, app, byStore);
  }

  /**
   * The app's ONE store grants whose store ids hold `purchaseId` (ONE store payment notifications
   * name a purchase by it, not by its token). Normally one; served by the index of migration 4.
   */
  async findByOneStorePurchaseId(app: string, purchaseId: string): Promise<Grant[]> {
    checkText('app', app);
    checkText('purchaseId', purchaseId);
    const rows = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants
       WHERE app = $1 AND store = 'ONESTORE' AND ${this.db.dialect.jsonText('store_ids', 'purchaseId')} = $2
       ORDER BY created_at, id LIMIT 10`,
      [app, purchaseId],
    );
    return rows.map(toGrant);
  }

  /**
   * The app's latest ONE store grant whose store ids hold `purchaseToken` (a subscription's grants of
   * every period keep its token); null when none. Served by the index of migration 8.
   */
  async findLatestByOneStoreToken(app: string, purchaseToken: string): Promise<Grant | null> {
    checkText('app', app);
    checkText('purchaseToken', purchaseToken);
    const token = this.db.dialect.jsonText('store_ids', 'purchaseToken');
    return this.#findOne(
      `app = $1 AND store = 'ONESTORE' AND ${token} = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [app, purchaseToken],
    );
  }

  /**
   * The user's Gamebase grant with no store change (AUTO_RENEWABLE) whose store ids hold `paymentId`,
   * whatever its key (one written before periods sits under the paymentSeq it was redeemed with);
   * null when none. Served by the user index: it reads that user's grants only.
   */
  async findGamebaseRecordedByPaymentId(
    app: string,
    userId: string,
    paymentId: string,
  ): Promise<Grant | null> {
    checkText('app', app);
    checkText('userId', userId);
    checkText('paymentId', paymentId);
    const id = this.db.dialect.jsonText('store_ids', 'paymentId');
    return this.#findOne(
      `app = $1 AND user_id = $2 AND store = 'GAMEBASE' AND action = 'NONE' AND ${id} = $3 ORDER BY created_at, id LIMIT 1`,
      [app, userId, paymentId],
    );
  }

  async findByIdempotencyKey(app: string, key: string): Promise<Grant | null> {
    checkText('app', app);
    checkText('idempotencyKey', key);
    return this.#findOne('app = $1 AND idempotency_key = $2', [app, key]);
  }

  /**
   * Ends an attempt on a PENDING grant that `leaseOwner` holds without evidence of the upstream change:
   * the sweeper leaves it alone until `delayMs` from now (database clock), and `reason` (a short code)
   * says why. Null when the grant is settled, gone, or was taken over meanwhile.
   */
  async defer(id: string, leaseOwner: string, delayMs: number, reason: string): Promise<Grant | null> {
    const d = this.db.dialect;
    checkLeaseMs(delayMs);
    checkText('reason', reason);
    const rows = await this.db.query<GrantRow>(
      `UPDATE grants SET next_attempt_at = ${d.plusMs('$3')}, last_error = $4
       WHERE id = $1 AND status = 'PENDING' AND lease_owner = $2
       RETURNING ${GRANT_COLUMNS}`,
      [id, leaseOwner, delayMs, reason],
    );
    return mapFirst(rows);
  }

  /**
   * PENDING grants that attempts left without evidence of their upstream change (see {@link defer}),
   * in the whole ledger: the ones an operator watches.
   */
  async countAwaitingEvidence(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM grants WHERE status = 'PENDING' AND last_error IS NOT NULL`,
      [],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * PENDING grants whose lease has expired and whose next attempt is due, or every PENDING grant with
   * `includeLive` (for an embedded, single-process ledger at start-up, where no live owner can exist).
   * Ordered by lease expiry then id, so the longest-abandoned come first. `limit` is 1 to
   * MAX_PAGE_SIZE (500).
   */
  async pending(options: { limit: number; includeLive?: boolean }): Promise<Grant[]> {
    const d = this.db.dialect;
    checkPageSize(options.limit);
    const rows = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants
       WHERE status = 'PENDING'
         AND (${d.bool('$1')} OR (lease_expires_at <= ${d.now} AND (next_attempt_at IS NULL OR next_attempt_at <= ${d.now})))
       ORDER BY lease_expires_at, id
       LIMIT $2`,
      [options.includeLive === true, options.limit],
    );
    return rows.map(toGrant);
  }

  /**
   * Marks the grant of a purchase revoked; the first revocation wins. Returns the grant when this call
   * changed it, null when it was already revoked or the ledger has no grant for the purchase.
   */
  async revoke(
    app: string,
    store: GrantStoreName,
    purchaseKey: string,
    revocation: Record<string, string>,
    revokedAt: Date,
  ): Promise<Grant | null> {
    const d = this.db.dialect;
    return this.#changeOne(revokedEvents, (q) =>
      q.query<GrantRow>(
        `UPDATE grants SET revoked_at = ${d.time('$5')}, revocation = ${d.json('$4')}
         WHERE app = $1 AND store = $2 AND purchase_key = $3 AND revoked_at IS NULL
         RETURNING ${GRANT_COLUMNS}`,
        [app, store, purchaseKey, JSON.stringify(revocation), revokedAt],
      ),
    );
  }

  /**
   * Marks grant `id` of `app` revoked by a support action (`revocation`: source SUPPORT, the key's
   * name, the reason), with its GRANT_REVOKED in the same transaction (none while PENDING: told at
   * its settle, as any revocation). The grant when this call changed it; null when it was already
   * revoked or `app` has no such grant.
   */
  async revokeById(
    app: string,
    id: string,
    revocation: Record<string, string>,
    revokedAt: Date,
  ): Promise<Grant | null> {
    checkText('app', app);
    checkText('id', id);
    for (const [field, value] of Object.entries(revocation)) checkText(field, value);
    const d = this.db.dialect;
    return this.#changeOne(revokedEvents, (q) =>
      q.query<GrantRow>(
        `UPDATE grants SET revoked_at = ${d.time('$4')}, revocation = ${d.json('$3')}
         WHERE app = $1 AND id = $2 AND revoked_at IS NULL
         RETURNING ${GRANT_COLUMNS}`,
        [app, id, JSON.stringify(revocation), revokedAt],
      ),
    );
  }

  /**
   * One statement that changes at most one grant, and the event of that change in the same
   * transaction: the grant as the statement returned it, or null (and no event) when it changed none.
   */
  async #changeOne(
    types: (grant: Grant) => readonly EventType[],
    statement: (q: Queryable) => Promise<GrantRow[]>,
    also?: (q: Queryable, grant: Grant) => Promise<void>,
  ): Promise<Grant | null> {
    return this.events.write(async (q, record: EventRecorder) => {
      const row = (await statement(q))[0];
      if (row === undefined) return null;
      const grant = toGrant(row);
      await also?.(q, grant);
      for (const type of types(grant)) {
        const data = type === 'SUBSCRIPTION_PERIOD_REFUNDED' ? periodRefundData(grant) : { grant };
        // A settled grant's change changes the player's facts (entitlements.ts counts SETTLED grants only).
        const player = grant.status === 'SETTLED' && type !== 'GRANT_DROPPED' ? { player: grant.userId } : {};
        await record({
          app: grant.app,
          type,
          subject: grant.id,
          data,
          environment: grant.environment,
          ...player,
        });
      }
      return grant;
    });
  }

  /**
   * A settled subscription grant starts (or renews) the tracking of its subscription in the settle's
   * transaction (tracked-subscriptions.ts): a grant the ledger holds is always watched.
   */
  async #track(q: Queryable, grant: Grant): Promise<void> {
    const tracked = trackedOfGrant(grant);
    if (tracked) await trackSubscription(q, this.db.dialect, tracked);
  }

  /** A user's grants, newest first by (createdAt, id). Throws InvalidCursorError for a foreign cursor. */
  listByUser(app: string, userId: string, page: PageRequest): Promise<GrantPage> {
    return this.listGrants(app, { userId }, page);
  }

  /** An app's grants matching `filter`, newest first (grant-pages.ts). */
  listGrants(app: string, filter: GrantFilter, page: PageRequest): Promise<GrantPage> {
    return listGrants(this.db, app, filter, page);
  }

  /** Grants revoked at or after `since`, oldest first (grant-pages.ts). */
  listRevoked(app: string, since: Date, page: PageRequest): Promise<GrantPage> {
    return listRevoked(this.db, app, since, page);
  }

  /** The reads of many players at once, one statement each (player-reads.ts). */
  get players(): PlayerReads {
    return new PlayerReads(this.db, this.events);
  }

  /** The support actions' grants (support-grants.ts), over the same outbox. */
  get support(): SupportGrantStore {
    return new SupportGrantStore(this.db, this.events);
  }
}

/**
 * A receiver acts on SETTLED (deliver) and REVOKED (take back), so a grant's events must never say
 * REVOKED before SETTLED. A grant revoked while still PENDING has given nothing yet: its revocation
 * is told when it settles (SETTLED, then REVOKED, in that transaction), and not at all when it is
 * dropped instead (the store made no change, nothing was delivered).
 */
const settledEvents = (grant: Grant): readonly EventType[] =>
  grant.revokedAt === null ? ['GRANT_SETTLED'] : ['GRANT_SETTLED', ...revocationEvents(grant)];
const revokedEvents = (grant: Grant): readonly EventType[] =>
  grant.status === 'SETTLED' ? revocationEvents(grant) : [];
/**
 * A revocation marked as the refund of one paid period (`refunded: 'PERIOD'`, redemption/periods.ts)
 * is told twice, in this order: GRANT_REVOKED (take the grant back) and SUBSCRIPTION_PERIOD_REFUNDED
 * (which period of which subscription), with the grant as their subject, so they keep its order.
 */
const revocationEvents = (grant: Grant): readonly EventType[] =>
  grant.revocation?.refunded === 'PERIOD'
    ? ['GRANT_REVOKED', 'SUBSCRIPTION_PERIOD_REFUNDED']
    : ['GRANT_REVOKED'];

/** Only a PENDING grant's lease can be taken over. */
const PENDING_GRANTS: LeasedRows = {
  table: 'grants',
  where: "id = $1 AND status = 'PENDING'",
  columns: GRANT_COLUMNS,
};

function mapFirst(rows: GrantRow[]): Grant | null {
  const row = rows[0];
  return row === undefined ? null : toGrant(row);
}
