import { randomUUID } from 'node:crypto';
import type { EventType, LedgerDb, NewGrant } from '../../src/ledger/index.js';
import { encodeSnapshot } from '../../src/ledger/snapshot.js';

/**
 * Rows written as a release before ledger migration 11 (environments) wrote them, for the tests of
 * older migrations: today's GrantStore and EventStore read and write the `environment` columns, which
 * a ledger opened before version 11 lacks. Versions 5 to 10 (`store_app` present); snapshots of version 3.
 */

/** A grant as GrantStore.claim wrote it: PENDING, leased to `owner` for `leaseMs`. Answers it with its id. */
export async function claimBefore11(
  db: LedgerDb,
  grant: NewGrant,
  owner: string,
  leaseMs: number,
): Promise<NewGrant & { id: string }> {
  const d = db.dialect;
  const id = randomUUID();
  await db.query(
    `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
       idempotency_key, action, status, lease_owner, lease_expires_at, created_at, store_app)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ${d.json('$8')}, $9, $10, $11, 'PENDING', $12, ${d.plusMs('$13')},
       ${d.nowMs}, $14)`,
    [
      id,
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
      owner,
      leaseMs,
      grant.storeApp ?? null,
    ],
  );
  return { ...grant, id };
}

/** GrantStore.settle's row change (no event, no tracking): SETTLED with `outcome`, `storeIds` merged. */
export async function settleBefore11(
  db: LedgerDb,
  id: string,
  outcome: string,
  storeIds: Record<string, string> = {},
): Promise<void> {
  const d = db.dialect;
  await db.query(
    `UPDATE grants SET status = 'SETTLED', outcome = $2, settled_at = ${d.now}, lease_expires_at = NULL,
       next_attempt_at = NULL, last_error = NULL, store_ids = ${d.mergeJson('store_ids', '$3')}
     WHERE id = $1 AND status = 'PENDING'`,
    [id, outcome, JSON.stringify(storeIds)],
  );
}

/** GrantStore.defer's row change. */
export async function deferBefore11(
  db: LedgerDb,
  id: string,
  delayMs: number,
  reason: string,
): Promise<void> {
  await db.query(
    `UPDATE grants SET next_attempt_at = ${db.dialect.plusMs('$2')}, last_error = $3 WHERE id = $1`,
    [id, delayMs, reason],
  );
}

/** GrantStore.revoke's row change (no event). */
export async function revokeBefore11(
  db: LedgerDb,
  id: string,
  revocation: Record<string, string>,
  revokedAt: Date,
): Promise<void> {
  const d = db.dialect;
  await db.query(
    `UPDATE grants SET revoked_at = ${d.time('$3')}, revocation = ${d.json('$2')} WHERE id = $1 AND revoked_at IS NULL`,
    [id, JSON.stringify(revocation), revokedAt],
  );
}

/** An event as EventStore wrote it at versions 6 to 10 (snapshot version 3), with no delivery. */
export async function recordBefore11(
  db: LedgerDb,
  event: { app: string; type: EventType; subject: string; data: object },
): Promise<void> {
  const d = db.dialect;
  await db.query(
    `INSERT INTO events (id, app, type, subject, occurred_at, data, observed_at, data_version)
     VALUES ($1, $2, $3, $4, ${d.nowMs}, ${d.json('$5')}, ${d.nowMs}, 3)`,
    [randomUUID(), event.app, event.type, event.subject, encodeSnapshot(event.data)],
  );
}

/** A grant row of an older ledger as the snapshot of its event held it (the columns it had then). */
export async function grantRowBefore11(db: LedgerDb, id: string): Promise<Record<string, unknown>> {
  const [row] = await db.query<Record<string, unknown>>(
    'SELECT id, app, store, purchase_key, user_id, product_id, quantity, status, outcome FROM grants WHERE id = $1',
    [id],
  );
  if (row === undefined) throw new Error(`grant ${id} vanished`);
  return row;
}
