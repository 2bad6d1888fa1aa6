import { randomUUID } from 'node:crypto';
import { type StoredTime, toDate } from './dialect.js';
import { checkText } from './errors.js';
import type { EventStore } from './events.js';
import type { LedgerDb } from './types.js';

/**
 * Support grants (issue 27, migration 12): an entitlement of the app's catalogue given to a player by
 * a key with the `support` scope, over [startsAt, until) (until null: forever), cut at its revocation.
 * Each change writes its event (SUPPORT_GRANT_CREATED, SUPPORT_GRANT_REVOKED; subject: the support
 * grant's id) in its own transaction, through the outbox.
 */

export interface SupportGrant {
  /** crypto.randomUUID(). */
  id: string;
  app: string;
  userId: string;
  /** An entitlement id of the app's catalogue when it was granted (config/entitlements.ts). */
  entitlementId: string;
  /** From when it gives the entitlement: the gateway's clock at the grant (UTC). */
  startsAt: Date;
  /** Until when; null: forever. Always after startsAt. */
  until: Date | null;
  /** Why (1-500 characters), as the support key's holder wrote it. */
  reason: string;
  /** The name of the API key that granted it (never the key). */
  keyName: string;
  /** When the row was written (database clock). */
  createdAt: Date;
  /** When it was revoked (the gateway's clock); null while it stands. */
  revokedAt: Date | null;
  revokeReason: string | null;
  /** The name of the API key that revoked it. */
  revokedByKey: string | null;
}

export type NewSupportGrant = Pick<
  SupportGrant,
  'app' | 'userId' | 'entitlementId' | 'startsAt' | 'until' | 'reason' | 'keyName'
>;

/** Who revokes, why, and when (the gateway's clock). */
export interface SupportRevocation {
  keyName: string;
  reason: string;
  at: Date;
}

/** What a revocation by id found: the row it revoked, the row already revoked, or nothing. */
export type RevokeOutcome<T> =
  | { kind: 'revoked'; value: T }
  | { kind: 'alreadyRevoked'; value: T }
  | { kind: 'notFound' };

export interface SupportGrantRow {
  id: string;
  app: string;
  user_id: string;
  entitlement_id: string;
  starts_at: StoredTime;
  until: StoredTime | null;
  reason: string;
  key_name: string;
  created_at: StoredTime;
  revoked_at: StoredTime | null;
  revoke_reason: string | null;
  revoked_by_key: string | null;
}

export const SUPPORT_GRANT_COLUMNS = `id, app, user_id, entitlement_id, starts_at, until, reason, key_name,
  created_at, revoked_at, revoke_reason, revoked_by_key`;

export function toSupportGrant(row: SupportGrantRow): SupportGrant {
  return {
    id: row.id,
    app: row.app,
    userId: row.user_id,
    entitlementId: row.entitlement_id,
    startsAt: toDate(row.starts_at),
    until: toDate(row.until),
    reason: row.reason,
    keyName: row.key_name,
    createdAt: toDate(row.created_at),
    revokedAt: toDate(row.revoked_at),
    revokeReason: row.revoke_reason,
    revokedByKey: row.revoked_by_key,
  };
}

export class SupportGrantStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly events: EventStore,
  ) {}

  /** Writes the support grant and its SUPPORT_GRANT_CREATED event in one transaction. */
  async create(grant: NewSupportGrant): Promise<SupportGrant> {
    for (const [field, value] of Object.entries({
      app: grant.app,
      userId: grant.userId,
      entitlementId: grant.entitlementId,
      reason: grant.reason,
      keyName: grant.keyName,
    }))
      checkText(field, value);
    const d = this.db.dialect;
    return this.events.write(async (q, record) => {
      const rows = await q.query<SupportGrantRow>(
        `INSERT INTO support_grants (id, app, user_id, entitlement_id, starts_at, until, reason, key_name, created_at)
         VALUES ($1, $2, $3, $4, ${d.time('$5')}, ${d.time('$6')}, $7, $8, ${d.nowMs})
         RETURNING ${SUPPORT_GRANT_COLUMNS}`,
        [
          randomUUID(),
          grant.app,
          grant.userId,
          grant.entitlementId,
          grant.startsAt,
          grant.until,
          grant.reason,
          grant.keyName,
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new Error('support grant insert returned no row');
      const created = toSupportGrant(row);
      await record({
        app: created.app,
        type: 'SUPPORT_GRANT_CREATED',
        subject: created.id,
        data: { supportGrant: created },
        player: created.userId,
      });
      return created;
    });
  }

  /**
   * Revokes support grant `id` of `app` with its SUPPORT_GRANT_REVOKED event, in one transaction;
   * the first revocation wins, so a retry finds it `alreadyRevoked` and writes no second event.
   */
  async revoke(app: string, id: string, by: SupportRevocation): Promise<RevokeOutcome<SupportGrant>> {
    checkText('app', app);
    checkText('id', id);
    checkText('reason', by.reason);
    checkText('keyName', by.keyName);
    const d = this.db.dialect;
    const revoked = await this.events.write(async (q, record) => {
      const row = (
        await q.query<SupportGrantRow>(
          `UPDATE support_grants SET revoked_at = ${d.time('$3')}, revoke_reason = $4, revoked_by_key = $5
           WHERE app = $1 AND id = $2 AND revoked_at IS NULL
           RETURNING ${SUPPORT_GRANT_COLUMNS}`,
          [app, id, by.at, by.reason, by.keyName],
        )
      )[0];
      if (row === undefined) return null;
      const grant = toSupportGrant(row);
      await record({
        app,
        type: 'SUPPORT_GRANT_REVOKED',
        subject: grant.id,
        data: { supportGrant: grant },
        player: grant.userId,
      });
      return grant;
    });
    if (revoked !== null) return { kind: 'revoked', value: revoked };
    const existing = await this.findById(app, id);
    return existing === null ? { kind: 'notFound' } : { kind: 'alreadyRevoked', value: existing };
  }

  /** Support grant `id` of `app` (another app's is as unknown as a missing one), or null. */
  async findById(app: string, id: string): Promise<SupportGrant | null> {
    checkText('app', app);
    checkText('id', id);
    const rows = await this.db.query<SupportGrantRow>(
      `SELECT ${SUPPORT_GRANT_COLUMNS} FROM support_grants WHERE app = $1 AND id = $2`,
      [app, id],
    );
    const row = rows[0];
    return row === undefined ? null : toSupportGrant(row);
  }
}
