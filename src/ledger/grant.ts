import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';
import { type StoredJson, type StoredTime, toDate, toJson } from './dialect.js';
import type { LedgerDb } from './types.js';

/**
 * The stores a grant can come from: every store of the one definition (`src/vocabulary/stores.ts`).
 * The `store` column holds their API names; the ledger checks a name before it writes one
 * (`checkStore`), the database does not list them.
 */
export type GrantStoreName = StoreId;
/** What the redemption does upstream once the grant is claimed. */
export type GrantAction = 'CONSUME' | 'ACKNOWLEDGE' | 'NONE';
export type GrantStatus = 'PENDING' | 'SETTLED';

/** One redeemed purchase. Times are instants (UTC) read from the database. */
export interface Grant {
  /** crypto.randomUUID(), chosen at claim. */
  id: string;
  app: string;
  store: GrantStoreName;
  /**
   * ONE store purchaseToken (a subscription or monthly product: `token:lastPurchaseId`); NHN Cloud /
   * Gamebase paymentSeq (a Gamebase AUTO_RENEWABLE period: `storeCode:paymentId`). Unique per (app, store).
   */
  purchaseKey: string;
  /**
   * The store's own id of the app the purchase belongs to: ONE store clientId, NHN appSeq, Gamebase
   * appId. A purchase key is unique per (store, storeApp), whatever gateway app holds it. Null only
   * on a row written before the ledger kept it, until a start fills it in from the config.
   */
  storeApp: string | null;
  userId: string;
  productId: string;
  quantity: number;
  /** The store's identifiers of the purchase, e.g. purchaseToken, orderId, paymentSeq, itemSeq, paymentId. */
  storeIds: Record<string, string>;
  /** Hash of the redemption parameters; the ledger stores it, the caller compares it. */
  fingerprint: string;
  /** Unique per app when set. */
  idempotencyKey: string | null;
  action: GrantAction;
  status: GrantStatus;
  /** Who works on a PENDING grant; on a SETTLED one, who settled it. */
  leaseOwner: string | null;
  /** Set while PENDING (database clock); null once SETTLED. */
  leaseExpiresAt: Date | null;
  /** 1 at claim, +1 per takeover. */
  attempts: number;
  /**
   * PENDING only: when the sweeper may try again after an attempt that ended without evidence of the
   * upstream change (database clock); null when no attempt has been deferred.
   */
  nextAttemptAt: Date | null;
  /** PENDING only: why the last attempt ended without evidence, e.g. `NO_EVIDENCE`; null otherwise. */
  lastError: string | null;
  createdAt: Date;
  settledAt: Date | null;
  /** e.g. 'CONSUMED', 'ACKNOWLEDGED', 'ALREADY_CONSUMED_BY_US'. */
  outcome: string | null;
  revokedAt: Date | null;
  revocation: Record<string, string> | null;
  /**
   * Where the purchase was paid, decided at redemption from the store's evidence
   * (docs/entitlements.md, "Environment"). A row from before migration 11 that no start has filled in
   * from the config yet (its app or store no longer configured) reads as `PRODUCTION`.
   */
  environment: Environment;
}

export type NewGrant = Pick<
  Grant,
  | 'app'
  | 'store'
  | 'purchaseKey'
  | 'userId'
  | 'productId'
  | 'quantity'
  | 'storeIds'
  | 'fingerprint'
  | 'idempotencyKey'
  | 'action'
> & {
  /** See {@link Grant.storeApp}. Default null: only (app, store, purchaseKey) is then unique. */
  storeApp?: string | null;
  /** See {@link Grant.environment}. Default `PRODUCTION` (the redemption always names one). */
  environment?: Environment;
};

/** A grant that should exist does not (settle of an unknown id). */
export class GrantNotFoundError extends Error {
  override readonly name = 'GrantNotFoundError';
  constructor(readonly grantId: string) {
    super(`no grant with id ${grantId}`);
  }
}

/** The row as the drivers return it: instants and JSON as {@link StoredTime} / {@link StoredJson}, integers as numbers. */
export interface GrantRow {
  id: string;
  app: string;
  store: GrantStoreName;
  purchase_key: string;
  store_app: string | null;
  user_id: string;
  product_id: string;
  quantity: number;
  store_ids: StoredJson<Record<string, string>>;
  fingerprint: string;
  idempotency_key: string | null;
  action: GrantAction;
  status: GrantStatus;
  lease_owner: string | null;
  lease_expires_at: StoredTime | null;
  attempts: number;
  next_attempt_at: StoredTime | null;
  last_error: string | null;
  created_at: StoredTime;
  settled_at: StoredTime | null;
  outcome: string | null;
  revoked_at: StoredTime | null;
  revocation: StoredJson<Record<string, string>> | null;
  /** NULL on rows from before migration 11 until a start fills it in. */
  environment: Environment | null;
}

/** Column list of every grant SELECT/RETURNING, in the order of {@link GrantRow}. */
export const GRANT_COLUMNS = `id, app, store, purchase_key, store_app, user_id, product_id, quantity, store_ids, fingerprint,
  idempotency_key, action, status, lease_owner, lease_expires_at, attempts, next_attempt_at, last_error,
  created_at, settled_at, outcome, revoked_at, revocation, environment`;

export function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    app: row.app,
    store: row.store,
    purchaseKey: row.purchase_key,
    storeApp: row.store_app,
    userId: row.user_id,
    productId: row.product_id,
    quantity: row.quantity,
    storeIds: toJson(row.store_ids),
    fingerprint: row.fingerprint,
    idempotencyKey: row.idempotency_key,
    action: row.action,
    status: row.status,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: toDate(row.lease_expires_at),
    ...attemptsOf(row),
    createdAt: toDate(row.created_at),
    settledAt: toDate(row.settled_at),
    outcome: row.outcome,
    revokedAt: toDate(row.revoked_at),
    revocation: toJson(row.revocation),
    environment: row.environment ?? 'PRODUCTION',
  };
}

/** The columns of a row retried by a sweeper (grants, change intents) that count its attempts. */
export interface AttemptsRow {
  attempts: number;
  next_attempt_at: StoredTime | null;
  last_error: string | null;
}

/** A retried row's attempt count, when it may be tried again and why the last attempt fell short. */
export function attemptsOf(row: AttemptsRow) {
  return { attempts: row.attempts, nextAttemptAt: toDate(row.next_attempt_at), lastError: row.last_error };
}

/** Lease lengths are whole milliseconds, positive, at most a day (a longer one is surely a unit mistake). */
export function checkLeaseMs(leaseMs: number): void {
  if (!Number.isInteger(leaseMs) || leaseMs < 1 || leaseMs > 86_400_000) {
    throw new RangeError(`leaseMs must be an integer from 1 to 86400000, got ${leaseMs}`);
  }
}

/** The rows of a leased table (grants, change intents) that `takeOverLease` may take. */
export interface LeasedRows {
  table: 'grants' | 'change_intents';
  /** The condition on the row to take (`$1` is its id). */
  where: string;
  /** The columns to return. */
  columns: string;
}

/**
 * The compare-and-set of a lease, the same for grants and change intents: row `id` passes to `owner`
 * for `leaseMs`, attempts + 1, when its lease ran out (database clock) or `force` is set (see
 * `GrantStore.takeOver`). Returns the row taken, or none.
 */
export function takeOverLease<R>(
  db: LedgerDb,
  leased: LeasedRows,
  id: string,
  owner: string,
  leaseMs: number,
  force: boolean,
): Promise<R[]> {
  checkLeaseMs(leaseMs);
  const d = db.dialect;
  return db.query<R>(
    `UPDATE ${leased.table} SET lease_owner = $2, lease_expires_at = ${d.plusMs('$3')}, attempts = attempts + 1
     WHERE ${leased.where} AND (${d.bool('$4')} OR lease_expires_at <= ${d.now})
     RETURNING ${leased.columns}`,
    [id, owner, leaseMs, force],
  );
}
