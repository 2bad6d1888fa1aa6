import { EventEmitter } from 'node:events';
import {
  type Delivery,
  type DeliveryKey,
  type DeliveryPage,
  type DeliveryStatus,
  type JoinedRow,
  type PendingStats,
  toDelivery,
} from './delivery.js';
import { type StoredTime, toDate } from './dialect.js';
import { checkText } from './errors.js';
import { type EventRow, type EventStoreOptions, type LedgerEvent, toEvent } from './events.js';
import { SNAPSHOTS, type SnapshotCodec } from './snapshot.js';
import type { LedgerDb, Queryable } from './types.js';

const MAX_ERROR_LENGTH = 200;

/**
 * The webhook deliveries of the outbox (rows written by EventStore with each event). Every replica
 * claims due deliveries under a lease, so one replica at a time attempts each: PostgreSQL skips the
 * rows another replica is claiming (FOR UPDATE SKIP LOCKED), SQLite has one writer. A delivery is
 * due only when no earlier delivery of its app, endpoint and subject is PENDING, so a receiver gets
 * one subject's events in order. Every time is the database clock's.
 */
export class DeliveryStore {
  /** Emits the app's name when `redeliver` queued deliveries (wakes the worker). */
  readonly queued = new EventEmitter({ captureRejections: false });

  /** Which endpoints an app has and which take a type and an environment (the config's; none by default). */
  readonly routing: Required<Pick<EventStoreOptions, 'endpointsFor' | 'endpointsOf' | 'takesEnvironment'>>;
  /** How the events' data is read back (EventStoreOptions.snapshots). */
  readonly #snapshots: SnapshotCodec;

  constructor(
    private readonly db: LedgerDb,
    routing: EventStoreOptions = {},
  ) {
    this.queued.setMaxListeners(0);
    this.routing = {
      endpointsFor: routing.endpointsFor ?? (() => []),
      endpointsOf: routing.endpointsOf ?? (() => []),
      takesEnvironment: routing.takesEnvironment ?? (() => true),
    };
    this.#snapshots = routing.snapshots ?? SNAPSHOTS;
  }

  /**
   * Leases up to `limit` due deliveries of the given endpoints (`app` + endpoint name) to `owner`
   * for `leaseMs`, attempts + 1, oldest due first. A delivery whose lease lapsed (its replica died
   * mid-attempt) is due again. "The first PENDING of its subject" is a correlated min() rather than a
   * NOT EXISTS: PostgreSQL, with statistics not yet caught up on a fast-growing table, planned the
   * anti-join as a nested loop filtering every pending row of the endpoint for each candidate
   * (4.4 s a claim with 3,300 pending; the min() probe of the subject index: 15 ms).
   */
  async claimDue(
    owner: string,
    leaseMs: number,
    limit: number,
    endpoints: readonly { app: string; name: string }[],
  ): Promise<Delivery[]> {
    if (endpoints.length === 0 || limit < 1) return [];
    const d = this.db.dialect;
    const params: unknown[] = [owner, leaseMs, limit];
    const pairs = endpoints.map(({ app, name }) => {
      params.push(app, name);
      return `(${d.text(`$${params.length - 1}`)}, ${d.text(`$${params.length}`)})`;
    });
    const postgres = this.db.kind === 'postgres';
    const lock = postgres ? 'FOR UPDATE OF d SKIP LOCKED' : '';
    // SQLite would search by app and sort every pending row (2.5 ms a claim with 3,000 pending); the
    // due index walked in order stops at the first `limit` heads (0.13 ms). PostgreSQL picks it itself.
    const byDue = postgres ? '' : 'INDEXED BY webhook_deliveries_due';
    return this.db.transaction(async (q) => {
      const claimed = await q.query<{ event_seq: string | number; endpoint: string }>(
        `UPDATE webhook_deliveries SET lease_owner = $1, lease_expires_at = ${d.plusMs('$2')},
           attempts = attempts + 1
         WHERE (event_seq, endpoint) IN (
           SELECT d.event_seq, d.endpoint FROM webhook_deliveries d ${byDue}
           WHERE d.status = 'PENDING' AND d.next_attempt_at <= ${d.now}
             AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= ${d.now})
             AND (d.app, d.endpoint) IN (VALUES ${pairs.join(', ')})
             AND d.event_seq = (
               SELECT min(e.event_seq) FROM webhook_deliveries e
               WHERE e.app = d.app AND e.endpoint = d.endpoint AND e.subject = d.subject
                 AND e.status = 'PENDING')
           ORDER BY d.next_attempt_at, d.event_seq
           LIMIT $3 ${lock})
         RETURNING event_seq, endpoint`,
        params,
      );
      return this.#read(q, claimed);
    });
  }

  /**
   * Ends every lease at once: for an embedded (SQLite) ledger at start-up only, whose leases can only
   * belong to the previous, dead process (one process opens the file), so its in-flight deliveries go
   * out now rather than after their lease. Answers how many were leased.
   */
  async releaseLeases(): Promise<number> {
    const rows = await this.db.query(
      `UPDATE webhook_deliveries SET lease_expires_at = NULL
       WHERE status = 'PENDING' AND lease_expires_at IS NOT NULL RETURNING endpoint`,
      [],
    );
    return rows.length;
  }

  /** The attempt succeeded. False when the lease was lost meanwhile (another replica, a redelivery). */
  async markDelivered(key: DeliveryKey, owner: string, httpStatus: number): Promise<boolean> {
    const d = this.db.dialect;
    const rows = await this.db.query(
      `UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = ${d.nowMs}, lease_expires_at = NULL,
         last_status = $4, last_error = NULL
       WHERE event_seq = $1 AND endpoint = $2 AND lease_owner = $3 AND status = 'PENDING'
       RETURNING endpoint`,
      [Number(key.eventSeq), key.endpoint, owner, httpStatus],
    );
    return rows.length > 0;
  }

  /**
   * The attempt failed: records what the retry policy decided (events/retry-policies.ts), the next
   * attempt due `retryInMs` from now on the database clock, or DEAD. Written only while `owner` still
   * holds the lease (a compare-and-set: another replica's claim or a redelivery meanwhile wins), so a
   * decision made from the claimed row never lands on a row that changed since. Null when the lease
   * was lost meanwhile; else the new status.
   */
  async markFailed(
    key: DeliveryKey,
    owner: string,
    failure: { error: string; httpStatus: number | null; retryInMs: number; dead: boolean },
  ): Promise<'PENDING' | 'DEAD' | null> {
    const d = this.db.dialect;
    const rows = await this.db.query<{ status: 'PENDING' | 'DEAD' }>(
      `UPDATE webhook_deliveries SET status = $5, next_attempt_at = ${d.plusMs('$4')},
         lease_expires_at = NULL, last_error = $6, last_status = COALESCE($7, last_status)
       WHERE event_seq = $1 AND endpoint = $2 AND lease_owner = $3 AND status = 'PENDING'
       RETURNING status`,
      [
        Number(key.eventSeq),
        key.endpoint,
        owner,
        Math.max(0, Math.round(failure.retryInMs)),
        failure.dead ? 'DEAD' : 'PENDING',
        failure.error.slice(0, MAX_ERROR_LENGTH),
        failure.httpStatus,
      ],
    );
    return rows[0]?.status ?? null;
  }

  /** An app's deliveries (in one status, or all), by event then endpoint, after a position. */
  async list(
    app: string,
    status: DeliveryStatus | undefined,
    page: { first: number; after?: DeliveryKey },
  ): Promise<DeliveryPage> {
    checkText('app', app);
    const params: unknown[] = [app, page.first + 1];
    let where = 'd.app = $1';
    if (status !== undefined) {
      params.push(status);
      where += ` AND d.status = $${params.length}`;
    }
    if (page.after !== undefined) {
      checkText('after', page.after.endpoint);
      params.push(Number(page.after.eventSeq), page.after.endpoint);
      const [seq, endpoint] = [`$${params.length - 1}`, `$${params.length}`];
      where += ` AND (d.event_seq > ${seq} OR (d.event_seq = ${seq} AND d.endpoint > ${endpoint}))`;
    }
    const rows = await this.db.query<JoinedRow>(
      `SELECT ${this.#columns} FROM webhook_deliveries d JOIN events ev ON ev.seq = d.event_seq
       WHERE ${where} ORDER BY d.event_seq, d.endpoint LIMIT $2`,
      params,
    );
    return {
      deliveries: rows.slice(0, page.first).map((r) => toDelivery(r, this.#snapshots)),
      hasNextPage: rows.length > page.first,
    };
  }

  /**
   * Queues the event again for each of `endpoints` of its app (a delivered or dead delivery becomes
   * PENDING, due now, with a new retry window; a missing one is created). Null when the app has no
   * event with that id.
   */
  async redeliver(
    app: string,
    eventId: string,
    endpoints: (event: LedgerEvent) => readonly string[],
  ): Promise<{ event: LedgerEvent; deliveries: Delivery[] } | null> {
    checkText('app', app);
    checkText('eventId', eventId);
    const d = this.db.dialect;
    const result = await this.db.transaction(async (q) => {
      const found = await q.query<EventRow>(
        `SELECT ${this.#eventColumns('ev')} FROM events ev WHERE ev.id = $1 AND ev.app = $2`,
        [eventId, app],
      );
      const row = found[0];
      if (row === undefined) return null;
      const event = toEvent(row, this.#snapshots);
      const names = endpoints(event);
      for (const endpoint of names) {
        checkText('endpoint', endpoint);
        await q.query(
          `INSERT INTO webhook_deliveries (event_seq, endpoint, app, subject, status, next_attempt_at, created_at,
             requeued_at)
           VALUES ($1, $2, $3, $4, 'PENDING', ${d.nowMs}, ${d.nowMs}, ${d.nowMs})
           ON CONFLICT (event_seq, endpoint) DO UPDATE SET status = 'PENDING', next_attempt_at = ${d.nowMs},
             lease_owner = NULL, lease_expires_at = NULL, delivered_at = NULL, requeued_at = ${d.nowMs}`,
          [Number(event.seq), endpoint, app, event.subject],
        );
      }
      const deliveries = await this.#read(
        q,
        names.map((endpoint) => ({ event_seq: event.seq, endpoint })),
      );
      return { event, deliveries };
    });
    if (result !== null && result.deliveries.length > 0) this.queued.emit('queued', app);
    return result;
  }

  /** Pending deliveries per app with the oldest one's queue time. */
  async pendingStats(): Promise<PendingStats[]> {
    const rows = await this.db.query<{ app: string; pending: string | number; oldest: StoredTime }>(
      `SELECT app, count(*) AS pending, min(COALESCE(requeued_at, created_at)) AS oldest
       FROM webhook_deliveries WHERE status = 'PENDING' GROUP BY app`,
      [],
    );
    return rows.map((r) => ({ app: r.app, pending: Number(r.pending), oldestQueuedAt: toDate(r.oldest) }));
  }

  /** The deliveries of `keys` with their events, by event then endpoint. */
  async #read(q: Queryable, keys: readonly { event_seq: string | number; endpoint: string }[]) {
    if (keys.length === 0) return [];
    const seqs = [...new Set(keys.map((k) => Number(k.event_seq)))];
    const rows = await q.query<JoinedRow>(
      `SELECT ${this.#columns} FROM webhook_deliveries d JOIN events ev ON ev.seq = d.event_seq
       WHERE d.event_seq IN (${seqs.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY d.event_seq, d.endpoint`,
      seqs,
    );
    const wanted = new Set(keys.map((k) => `${k.event_seq}/${k.endpoint}`));
    return rows
      .filter((r) => wanted.has(`${r.event_seq}/${r.endpoint}`))
      .map((r) => toDelivery(r, this.#snapshots));
  }

  #eventColumns(alias: string): string {
    const data = this.db.kind === 'postgres' ? `${alias}.data::text AS data` : `${alias}.data`;
    return `${alias}.seq, ${alias}.id, ${alias}.app, ${alias}.type, ${alias}.subject, ${alias}.occurred_at,
      ${alias}.observed_at, ${alias}.requested_at, ${alias}.data_version, ${alias}.environment, ${data}`;
  }

  get #columns(): string {
    return `d.event_seq, d.endpoint, d.status, d.attempts, d.next_attempt_at, d.last_error,
      d.last_status, d.created_at, d.delivered_at, d.requeued_at, d.lease_expires_at, ${this.#eventColumns('ev')}`;
  }
}
