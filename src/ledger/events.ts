import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EventType } from '../events/types.js';
import type { Environment } from '../vocabulary/environments.js';
import { type StoredTime, toDate } from './dialect.js';
import { checkText } from './errors.js';
import { markPlayer } from './player-marks.js';
import { SNAPSHOTS, type SnapshotCodec } from './snapshot.js';
import type { LedgerDb, Queryable } from './types.js';

// The event types are events/'s; config/webhooks.ts still takes them from here.
export { EVENT_TYPES, type EventType } from '../events/types.js';

/** One event of the outbox. `seq` orders an app's events in commit order (a decimal string). */
export interface LedgerEvent<D extends object = Record<string, unknown>> {
  seq: string;
  /** Stable: a redelivery or a replay carries the same id. */
  id: string;
  app: string;
  type: EventType;
  /** What the event is about, e.g. a grant id: deliveries of one subject keep their order. */
  subject: string;
  occurredAt: Date;
  /**
   * When the gateway had the evidence of the change: the store's answer, or a read of the store
   * after a crash (a change intent completed by the sweeper). For grant events, and events stored
   * before observed times were kept, the same as `occurredAt`.
   */
  observedAt: Date;
  /** A change made through the gateway: when its intent was recorded, before the store call. Else null. */
  requestedAt: Date | null;
  /**
   * Where the purchase the event is about was paid (docs/entitlements.md, "Environment"): a grant's
   * events its grant's, a subscription's lifecycle events its tracked row's, a change's the purchase's.
   * An event from before migration 11 that no start has filled in from the config reads as `PRODUCTION`.
   */
  environment: Environment;
  /** The changed object's snapshot, as the API shows it (Dates restored). */
  data: D;
}

export interface NewEvent {
  app: string;
  type: EventType;
  subject: string;
  data: object;
  /** See {@link LedgerEvent.observedAt}. Default: the ledger's clock at the write, like `occurredAt`. */
  observedAt?: Date;
  /** See {@link LedgerEvent.requestedAt}. Default: null. */
  requestedAt?: Date | null;
  /**
   * When the store says the change happened (a subscription's lifecycle events, observed after the
   * fact). Default: the ledger's clock at the write.
   */
  occurredAt?: Date;
  /**
   * The userId of the player whose facts the event changes (a grant settled or revoked, a tracked
   * subscription's lifecycle): the write marks the player for the entitlement events worker in its
   * transaction (player-entitlements.ts), so a change and its mark commit together. Default: none.
   */
  player?: string;
  /**
   * See {@link LedgerEvent.environment}. Default `PRODUCTION`; every writer in the gateway names one,
   * and webhook endpoints subscribed to one environment get deliveries of that one only.
   */
  environment?: Environment;
}

/** Appends events to the transaction it was handed. */
export type EventRecorder = (event: NewEvent) => Promise<LedgerEvent>;

export interface EventStoreOptions {
  /**
   * The webhook endpoints (by name) that receive events of `type` in `environment` from `app`: one
   * delivery row each is written with the event. Default: none (events are kept for the live stream only).
   */
  endpointsFor?: (app: string, type: EventType, environment: Environment) => readonly string[];
  /**
   * Every webhook endpoint (by name) of `app`, whatever the type (`redeliverEvent` checks a name
   * against it). Default: none.
   */
  endpointsOf?: (app: string) => readonly string[];
  /**
   * Whether endpoint `name` of `app` takes events of `environment` (`redeliverEvent` to one endpoint
   * checks the event against it). Default: every endpoint takes both.
   */
  takesEnvironment?: (app: string, name: string, environment: Environment) => boolean;
  /**
   * How event data is written and read back: its version and the upgrades of older snapshots
   * (snapshot.ts). Default: the current one, `SNAPSHOTS`.
   */
  snapshots?: SnapshotCodec;
  /**
   * The feed to announce commits on, when another EventStore over the same database in this process
   * has listeners already (a gateway given a caller's ledger). Default: a new one.
   */
  feed?: EventEmitter;
}

/** PostgreSQL channel on which every commit of events is announced, with the app as payload. */
export const EVENTS_CHANNEL = 'ledger_events';
/** First key of the transaction lock that orders an app's event writers (second: the app's hash). */
const EVENTS_LOCK_CLASS = 0x657674; // "evt"

/** An `events` row as the drivers return it (`data` as text). */
export interface EventRow {
  seq: string | number;
  id: string;
  app: string;
  type: EventType;
  subject: string;
  occurred_at: StoredTime;
  /** NULL on rows stored before observed times were kept (read as occurred_at). */
  observed_at: StoredTime | null;
  requested_at: StoredTime | null;
  /** NULL on rows stored before snapshot versions (read as 1). */
  data_version: number | null;
  /** NULL on rows from before migration 11 until a start fills it in (read as PRODUCTION). */
  environment: Environment | null;
  data: string;
}

/**
 * The events outbox. Writers of one app's events serialize on a transaction lock (PostgreSQL) or the
 * single connection (SQLite), so seq order is commit order and "after seq N" never skips a row that
 * commits late. After each commit the in-process `feed` is told the app; PostgreSQL also sends
 * NOTIFY on {@link EVENTS_CHANNEL} inside the transaction, which other replicas listen to.
 */
export class EventStore {
  /** Emits the app's name after a commit that added events to it. */
  readonly feed: EventEmitter;

  constructor(
    private readonly db: LedgerDb,
    readonly options: EventStoreOptions = {},
  ) {
    this.feed = options.feed ?? new EventEmitter({ captureRejections: false });
    // Every live-stream reader and the webhook worker listen; none of them is a leak.
    this.feed.setMaxListeners(0);
  }

  /** Runs `change` in one transaction; the events it records commit (or roll back) with it. */
  async write<T>(change: (q: Queryable, record: EventRecorder) => Promise<T>): Promise<T> {
    const apps = new Set<string>();
    const marked = new Set<string>();
    const result = await this.db.transaction((q) =>
      change(q, async (event) => {
        apps.add(event.app);
        const appended = await this.#append(q, event);
        // After the append, which took the app's lock: the entitlement worker takes it before the
        // player's row too, so the two never wait on each other in the opposite order.
        if (event.player !== undefined && !marked.has(`${event.app}\u0000${event.player}`)) {
          marked.add(`${event.app}\u0000${event.player}`);
          await markPlayer(q, this.db.dialect, event.app, event.player);
        }
        return appended;
      }),
    );
    for (const app of apps) this.feed.emit('committed', app);
    return result;
  }

  /**
   * Like {@link write}, with the app's event lock taken first (PostgreSQL; SQLite's one connection
   * serializes anyway): a writer that reads before it records (the entitlement worker) sees every
   * commit of the app's event writers before it, and none commits between its read and its events.
   */
  async writeLocked<T>(app: string, change: (q: Queryable, record: EventRecorder) => Promise<T>): Promise<T> {
    checkText('app', app);
    return this.write(async (q, record) => {
      await this.#lock(q, app);
      return change(q, record);
    });
  }

  /** Marks a player changed without an event (a subscription read that moved its expiry), under the app's lock. */
  async markInTransaction(q: Queryable, app: string, player: string): Promise<void> {
    await this.#lock(q, app);
    await markPlayer(q, this.db.dialect, app, player);
  }

  async #lock(q: Queryable, app: string): Promise<void> {
    if (this.db.kind === 'postgres')
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [EVENTS_LOCK_CLASS, app]);
  }

  /** Records one event in a transaction of its own (a change made outside the ledger, e.g. a consume). */
  record(event: NewEvent): Promise<LedgerEvent> {
    return this.write((_q, record) => record(event));
  }

  /** An app's events after `afterSeq` (null: from the start), in order, at most `limit`. */
  async after(
    app: string,
    afterSeq: string | null,
    limit: number,
    types?: readonly EventType[],
  ): Promise<LedgerEvent[]> {
    checkText('app', app);
    const params: unknown[] = [app, afterSeq === null ? 0 : Number(afterSeq), limit];
    let typeFilter = '';
    if (types !== undefined && types.length > 0) {
      const marks = types.map((type) => {
        params.push(type);
        return `$${params.length}`;
      });
      typeFilter = `AND type IN (${marks.join(', ')})`;
    }
    const rows = await this.db.query<EventRow>(
      `SELECT ${this.#columns} FROM events WHERE app = $1 AND seq > $2 ${typeFilter} ORDER BY seq LIMIT $3`,
      params,
    );
    return rows.map((row) => toEvent(row, this.snapshots));
  }

  async byId(id: string): Promise<LedgerEvent | null> {
    checkText('id', id);
    const rows = await this.db.query<EventRow>(`SELECT ${this.#columns} FROM events WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? null : toEvent(row, this.snapshots);
  }

  get #columns(): string {
    return eventColumns(this.db.kind);
  }

  async #append(q: Queryable, event: NewEvent): Promise<LedgerEvent> {
    checkText('app', event.app);
    checkText('subject', event.subject);
    const d = this.db.dialect;
    const environment = event.environment ?? 'PRODUCTION';
    await this.#lock(q, event.app);
    const rows = await q.query<EventRow>(
      `INSERT INTO events (id, app, type, subject, occurred_at, data, observed_at, requested_at, data_version,
         environment)
       VALUES ($1, $2, $3, $4, coalesce(${d.time('$9')}, ${d.nowMs}), ${d.json('$5')}, coalesce(${d.time('$6')}, ${d.nowMs}),
         ${d.time('$7')}, $8, $10)
       RETURNING ${this.#columns}`,
      [
        randomUUID(),
        event.app,
        event.type,
        event.subject,
        this.snapshots.encode(event.data),
        event.observedAt ?? null,
        event.requestedAt ?? null,
        this.snapshots.version,
        event.occurredAt ?? null,
        environment,
      ],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('event insert returned no row');
    for (const endpoint of this.options.endpointsFor?.(event.app, event.type, environment) ?? []) {
      await q.query(
        `INSERT INTO webhook_deliveries (event_seq, endpoint, app, subject, status, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, 'PENDING', ${d.nowMs}, ${d.nowMs})`,
        [Number(row.seq), endpoint, event.app, event.subject],
      );
    }
    if (this.db.kind === 'postgres') await q.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, event.app]);
    return toEvent(row, this.snapshots);
  }

  get snapshots(): SnapshotCodec {
    return this.options.snapshots ?? SNAPSHOTS;
  }
}

/** The columns of an {@link EventRow}; PostgreSQL's jsonb is read as text, so the codec parses both alike. */
export function eventColumns(kind: LedgerDb['kind']): string {
  return `seq, id, app, type, subject, occurred_at, observed_at, requested_at, data_version, environment, ${kind === 'postgres' ? 'data::text AS data' : 'data'}`;
}

/** The event of a row, its data brought up to `snapshots`' version. */
export function toEvent(row: EventRow, snapshots: SnapshotCodec = SNAPSHOTS): LedgerEvent {
  return {
    seq: String(row.seq),
    id: row.id,
    app: row.app,
    type: row.type,
    subject: row.subject,
    occurredAt: toDate(row.occurred_at),
    observedAt: toDate(row.observed_at ?? row.occurred_at),
    requestedAt: toDate(row.requested_at),
    environment: row.environment ?? 'PRODUCTION',
    data: snapshots.decode(row.data, row.data_version === null ? null : Number(row.data_version), {
      environment: row.environment ?? 'PRODUCTION',
    }),
  };
}
