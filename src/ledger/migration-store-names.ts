/**
 * Migration 7: the ledger names no store in SQL (issue 25). Version 1 made `grants.store` a
 * `CHECK (store IN ('ONESTORE', 'NHN_CLOUD', 'GAMEBASE'))`, so a new store meant a migration; now the
 * ledger checks the name against the one store definition before it writes one (`checkStore`,
 * errors.ts), and every other check of the table stays as it was.
 *
 * PostgreSQL drops the constraint by the name version 1 gave it (`<table>_<column>_check`); a ledger
 * where it has another name fails the migration, loudly, rather than keep the list unseen.
 */
export const DROP_STORE_CHECK_PG = `
ALTER TABLE grants DROP CONSTRAINT grants_store_check;
`;

/**
 * SQLite cannot drop a CHECK, so the table is rebuilt by the documented procedure for schema changes
 * ALTER TABLE cannot make (https://www.sqlite.org/lang_altertable.html#otheralter), inside the
 * migration's transaction (`migrate`, steps 2 and 11):
 * 1, 10, 12 (foreign keys off, checked, on again): no foreign key refers to `grants` or from it, so
 *   dropping it deletes no referenced row; the steps are left out (PRAGMA foreign_keys cannot change
 *   inside a transaction anyway).
 * 3 (remember the indexes, triggers and views): the seven indexes versions 1, 2, 4 and 5 made, written
 *   out again below; no trigger or view exists (test/ledger/store-column.test.ts compares the index
 *   definitions and the checks before and after).
 * 4 new table `grants_new`: the columns in their order (those that ALTER TABLE added last), every
 *   check but the store list; 5 copy the rows; 6 drop `grants`; 7 rename `grants_new` to `grants`;
 *   8 make the indexes again; 9 no view refers to the table.
 * `nowMs` is the default the tables of version 1 give instants (migrations.ts, NOW_MS).
 */
export const dropStoreCheckSqlite = (nowMs: string) => `
CREATE TABLE grants_new (
  id TEXT PRIMARY KEY,
  app TEXT NOT NULL,
  store TEXT NOT NULL,
  purchase_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  store_ids TEXT NOT NULL CHECK (json_valid(store_ids) AND json_type(store_ids) = 'object'),
  fingerprint TEXT NOT NULL,
  idempotency_key TEXT,
  action TEXT NOT NULL CHECK (action IN ('CONSUME', 'ACKNOWLEDGE', 'NONE')),
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'SETTLED')),
  lease_owner TEXT,
  lease_expires_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  created_at INTEGER NOT NULL DEFAULT (${nowMs}),
  settled_at INTEGER,
  outcome TEXT,
  revoked_at INTEGER,
  revocation TEXT CHECK (revocation IS NULL OR (json_valid(revocation) AND json_type(revocation) = 'object')),
  next_attempt_at INTEGER,
  last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 64),
  store_app TEXT CHECK (store_app IS NULL OR length(store_app) BETWEEN 1 AND 128),
  UNIQUE (app, store, purchase_key),
  CHECK (status <> 'PENDING' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CHECK (status <> 'SETTLED' OR (settled_at IS NOT NULL AND outcome IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revocation IS NULL))
) STRICT;
INSERT INTO grants_new (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
  idempotency_key, action, status, lease_owner, lease_expires_at, attempts, created_at, settled_at, outcome,
  revoked_at, revocation, next_attempt_at, last_error, store_app)
SELECT id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
  idempotency_key, action, status, lease_owner, lease_expires_at, attempts, created_at, settled_at, outcome,
  revoked_at, revocation, next_attempt_at, last_error, store_app
FROM grants;
DROP TABLE grants;
ALTER TABLE grants_new RENAME TO grants;
CREATE UNIQUE INDEX grants_app_idempotency_key ON grants (app, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX grants_user ON grants (app, user_id, created_at, id);
CREATE INDEX grants_revoked ON grants (app, revoked_at, id) WHERE revoked_at IS NOT NULL;
CREATE INDEX grants_pending_lease ON grants (lease_expires_at, id) WHERE status = 'PENDING';
CREATE INDEX grants_app_pending ON grants (app, created_at, id) WHERE status = 'PENDING';
CREATE INDEX grants_onestore_purchase_id ON grants (app, json_extract(store_ids, '$.purchaseId')) WHERE store = 'ONESTORE';
CREATE UNIQUE INDEX grants_store_purchase ON grants (store, store_app, purchase_key) WHERE store_app IS NOT NULL;
`;
