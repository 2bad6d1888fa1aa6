import { randomUUID } from 'node:crypto';
import type { Environment } from '../vocabulary/environments.js';
import { checkPageSize } from './cursor.js';
import { type StoredJson, type StoredTime, toDate, toJson } from './dialect.js';
import { checkText } from './errors.js';
import type { EventStore, EventType, LedgerEvent } from './events.js';
import { attemptsOf, checkLeaseMs, type LeasedRows, takeOverLease } from './grant.js';
import type { LedgerDb } from './types.js';

/**
 * A change about to be made through the gateway (an acknowledge, a consume, a subscription change):
 * written before the store call, so that a crash between the call and its event leaves a record that
 * the change may have happened. The answer, or a read of the store once the lease has run out,
 * completes it (its event written) or closes it (no event). docs/events.md, "Change intents".
 */
export interface ChangeIntent {
  id: string;
  app: string;
  /** The event the change produces once proven. */
  type: EventType;
  /** The event's subject: the purchase token or paymentSeq. */
  subject: string;
  /** What a read of the store checks (store, market, productId, purchaseToken, kind ...). */
  target: Record<string, unknown>;
  /** Who may complete or close it now: the request that wrote it, or the sweeper that took it over. */
  leaseOwner: string;
  leaseExpiresAt: Date;
  /** 1 when written, +1 per takeover. */
  attempts: number;
  /** When the sweeper may read again after a read that could not tell; null before any. */
  nextAttemptAt: Date | null;
  /** Why the last read could not tell (a short code), or null. */
  lastError: string | null;
  /** When it was written, on the ledger's clock: the event's `requestedAt`. */
  createdAt: Date;
}

export type NewIntent = Pick<ChangeIntent, 'app' | 'type' | 'subject' | 'target'>;

interface IntentRow {
  id: string;
  app: string;
  type: EventType;
  subject: string;
  target: StoredJson<Record<string, unknown>>;
  lease_owner: string;
  lease_expires_at: StoredTime;
  attempts: number;
  next_attempt_at: StoredTime | null;
  last_error: string | null;
  created_at: StoredTime;
}

const COLUMNS = `id, app, type, subject, target, lease_owner, lease_expires_at, attempts, next_attempt_at,
  last_error, created_at`;

const INTENTS: LeasedRows = { table: 'change_intents', where: 'id = $1', columns: COLUMNS };

function toIntent(row: IntentRow): ChangeIntent {
  return {
    id: row.id,
    app: row.app,
    type: row.type,
    subject: row.subject,
    target: toJson(row.target),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toDate(row.lease_expires_at),
    ...attemptsOf(row),
    createdAt: toDate(row.created_at),
  };
}

/**
 * The intents of changes made through the gateway. Completing one deletes it and writes its event in
 * one transaction of the outbox, and only the call that deleted the row writes the event, so a
 * request and a sweeper (or two sweepers) racing on one intent produce one event.
 */
export class ChangeIntentStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly events: EventStore,
  ) {}

  /** Writes the intent, leased to `owner` for `leaseMs` (longer than the store call can take). */
  async open(intent: NewIntent, owner: string, leaseMs: number): Promise<ChangeIntent> {
    checkText('app', intent.app);
    checkText('subject', intent.subject);
    for (const [field, value] of Object.entries(intent.target))
      if (typeof value === 'string') checkText(field, value);
    checkLeaseMs(leaseMs);
    const d = this.db.dialect;
    const rows = await this.db.query<IntentRow>(
      `INSERT INTO change_intents (id, app, type, subject, target, lease_owner, lease_expires_at, created_at)
       VALUES ($1, $2, $3, $4, ${d.json('$5')}, $6, ${d.plusMs('$7')}, ${d.nowMs})
       RETURNING ${COLUMNS}`,
      [randomUUID(), intent.app, intent.type, intent.subject, JSON.stringify(intent.target), owner, leaseMs],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('intent insert returned no row');
    return toIntent(row);
  }

  /**
   * The change is proven: the intent is deleted and its event written with `data`, observed at
   * `observedAt`, requested when the intent was written. Other open intents of the same app, type
   * and subject (the same change asked again meanwhile) are closed with it: one change, one event.
   * Null, and no event, when the intent is gone already (completed or closed by someone else).
   * `environment`: the event's (NewEvent.environment); default `PRODUCTION`.
   */
  async complete(
    id: string,
    data: object,
    observedAt: Date,
    environment?: Environment,
  ): Promise<LedgerEvent | null> {
    checkText('id', id);
    return this.events.write(async (q, record) => {
      const rows = await q.query<IntentRow>(`DELETE FROM change_intents WHERE id = $1 RETURNING ${COLUMNS}`, [
        id,
      ]);
      const row = rows[0];
      if (row === undefined) return null;
      const intent = toIntent(row);
      await q.query('DELETE FROM change_intents WHERE app = $1 AND type = $2 AND subject = $3', [
        intent.app,
        intent.type,
        intent.subject,
      ]);
      return record({
        app: intent.app,
        type: intent.type,
        subject: intent.subject,
        data,
        observedAt,
        requestedAt: intent.createdAt,
        ...(environment !== undefined && { environment }),
      });
    });
  }

  /**
   * No event: the store refused the change, or a read shows it was not made. With `owner`, only
   * while that owner holds it (a sweeper that took it over). True when this call deleted it.
   */
  async close(id: string, owner?: string): Promise<boolean> {
    checkText('id', id);
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM change_intents WHERE id = $1 AND (${this.db.dialect.bool('$2')} OR lease_owner = $3)
       RETURNING id`,
      [id, owner === undefined, owner ?? ''],
    );
    return rows.length > 0;
  }

  /** Compare-and-set of the lease, as for grants: an intent whose lease ran out passes to `owner`. */
  async takeOver(
    id: string,
    owner: string,
    leaseMs: number,
    options: { force?: boolean } = {},
  ): Promise<ChangeIntent | null> {
    const force = options.force === true;
    const rows = await takeOverLease<IntentRow>(this.db, INTENTS, id, owner, leaseMs, force);
    const row = rows[0];
    return row === undefined ? null : toIntent(row);
  }

  /** A read could not tell: leave it to a later read, `delayMs` from now, saying why (`reason`). */
  async defer(id: string, owner: string, delayMs: number, reason: string): Promise<boolean> {
    const d = this.db.dialect;
    checkLeaseMs(delayMs);
    checkText('reason', reason);
    const rows = await this.db.query<{ id: string }>(
      `UPDATE change_intents SET next_attempt_at = ${d.plusMs('$3')}, last_error = $4
       WHERE id = $1 AND lease_owner = $2 RETURNING id`,
      [id, owner, delayMs, reason],
    );
    return rows.length > 0;
  }

  /**
   * Intents whose lease ran out and whose next read is due, longest abandoned first; every one with
   * `includeLive` (an embedded ledger at start-up, whose live leases belong to the dead process).
   */
  async due(options: { limit: number; includeLive?: boolean }): Promise<ChangeIntent[]> {
    const d = this.db.dialect;
    checkPageSize(options.limit);
    const rows = await this.db.query<IntentRow>(
      `SELECT ${COLUMNS} FROM change_intents
       WHERE ${d.bool('$1')} OR (lease_expires_at <= ${d.now} AND (next_attempt_at IS NULL OR next_attempt_at <= ${d.now}))
       ORDER BY lease_expires_at, id LIMIT $2`,
      [options.includeLive === true, options.limit],
    );
    return rows.map(toIntent);
  }

  /** Intents not completed nor closed, in the whole ledger (a gauge an operator watches). */
  async countOpen(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM change_intents', []);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The open intents of one change (app, event type and subject), oldest first: e.g. an earlier
   * consume of the same payment whose answer proved nothing, while a retry meets "already consumed".
   */
  async openOf(app: string, type: EventType, subject: string): Promise<ChangeIntent[]> {
    checkText('app', app);
    checkText('subject', subject);
    const rows = await this.db.query<IntentRow>(
      `SELECT ${COLUMNS} FROM change_intents WHERE app = $1 AND type = $2 AND subject = $3
       ORDER BY created_at, id LIMIT 20`,
      [app, type, subject],
    );
    return rows.map(toIntent);
  }

  async findById(id: string): Promise<ChangeIntent | null> {
    checkText('id', id);
    const rows = await this.db.query<IntentRow>(`SELECT ${COLUMNS} FROM change_intents WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? null : toIntent(row);
  }
}
