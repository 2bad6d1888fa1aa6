import { ENVIRONMENTS_PG, ENVIRONMENTS_SQLITE } from './migration-environments.js';
import { PLAYER_ENTITLEMENTS_PG, PLAYER_ENTITLEMENTS_SQLITE } from './migration-player-entitlements.js';
import { DROP_STORE_CHECK_PG, dropStoreCheckSqlite } from './migration-store-names.js';
import { SUPPORT_GRANTS_PG, SUPPORT_GRANTS_SQLITE } from './migration-support-grants.js';
import { TRACKED_SUBSCRIPTIONS_PG, TRACKED_SUBSCRIPTIONS_SQLITE } from './migration-tracked-subscriptions.js';
import { LEDGER_LOCK_KEY, type LedgerDb } from './types.js';

export interface Migration {
  /** Applied in ascending order; never renumber or edit one that has shipped, add a new one. */
  version: number;
  name: string;
  /** Several statements allowed; the text each backend runs, the same tables and constraints in both. */
  sql: { postgres: string; sqlite: string };
}

const CREATE_LEDGER_PG = `
CREATE TABLE grants (
  id text PRIMARY KEY,
  app text NOT NULL,
  store text NOT NULL CHECK (store IN ('ONESTORE', 'NHN_CLOUD', 'GAMEBASE')),
  -- ONE store purchaseToken; NHN Cloud / Gamebase paymentSeq
  purchase_key text NOT NULL,
  user_id text NOT NULL,
  product_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  store_ids jsonb NOT NULL CHECK (jsonb_typeof(store_ids) = 'object'),
  fingerprint text NOT NULL,
  idempotency_key text,
  action text NOT NULL CHECK (action IN ('CONSUME', 'ACKNOWLEDGE', 'NONE')),
  status text NOT NULL CHECK (status IN ('PENDING', 'SETTLED')),
  lease_owner text,
  lease_expires_at timestamptz,
  attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  -- Milliseconds, like a JS Date: a keyset cursor carries this value, and a microsecond lost on its way
  -- through JavaScript would skip or repeat rows.
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  settled_at timestamptz,
  outcome text,
  revoked_at timestamptz,
  revocation jsonb CHECK (jsonb_typeof(revocation) = 'object'),
  UNIQUE (app, store, purchase_key),
  -- Someone must be working on a PENDING row, and a SETTLED one says when and how it ended.
  CHECK (status <> 'PENDING' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CHECK (status <> 'SETTLED' OR (settled_at IS NOT NULL AND outcome IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revocation IS NULL))
);
CREATE UNIQUE INDEX grants_app_idempotency_key ON grants (app, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX grants_user ON grants (app, user_id, created_at, id);
CREATE INDEX grants_revoked ON grants (app, revoked_at, id) WHERE revoked_at IS NOT NULL;
CREATE INDEX grants_pending_lease ON grants (lease_expires_at, id) WHERE status = 'PENDING';

CREATE TABLE sync_checkpoints (
  app text NOT NULL,
  source text NOT NULL,
  window_start timestamptz,
  window_end timestamptz,
  continuation_key text,
  -- every voided purchase before this is already applied
  completed_until timestamptz,
  lease_owner text,
  lease_expires_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app, source),
  CHECK (window_start IS NULL OR window_end IS NULL OR window_start <= window_end)
);
`;

// A pending grant that an attempt left without evidence of its upstream change waits for the next one:
// next_attempt_at is when the sweeper may try again (backoff), last_error why the last attempt ended
// without evidence (a short code, never store text). The partial index serves grants(status: PENDING).
const RETRY_BACKOFF_PG = `
ALTER TABLE grants ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE grants ADD COLUMN last_error text CHECK (last_error IS NULL OR length(last_error) <= 64);
CREATE INDEX grants_app_pending ON grants (app, created_at, id) WHERE status = 'PENDING';
`;

// SQLite: instants are INTEGER epoch milliseconds (UTC), JSON objects TEXT checked with json_type.
// STRICT tables refuse a value of the wrong type instead of storing it as given.
// Defaults for rows written outside the stores (tests, an operator's sqlite3 shell), which lack the
// adapter's ledger_now(); the stores always write their instants from the dialect's clock.
const NOW_MS = `CAST(round(unixepoch('subsec') * 1000) AS INTEGER)`;
const CREATE_LEDGER_SQLITE = `
CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  app TEXT NOT NULL,
  store TEXT NOT NULL CHECK (store IN ('ONESTORE', 'NHN_CLOUD', 'GAMEBASE')),
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
  created_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  settled_at INTEGER,
  outcome TEXT,
  revoked_at INTEGER,
  revocation TEXT CHECK (revocation IS NULL OR (json_valid(revocation) AND json_type(revocation) = 'object')),
  UNIQUE (app, store, purchase_key),
  CHECK (status <> 'PENDING' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
  CHECK (status <> 'SETTLED' OR (settled_at IS NOT NULL AND outcome IS NOT NULL)),
  CHECK ((revoked_at IS NULL) = (revocation IS NULL))
) STRICT;
CREATE UNIQUE INDEX grants_app_idempotency_key ON grants (app, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX grants_user ON grants (app, user_id, created_at, id);
CREATE INDEX grants_revoked ON grants (app, revoked_at, id) WHERE revoked_at IS NOT NULL;
CREATE INDEX grants_pending_lease ON grants (lease_expires_at, id) WHERE status = 'PENDING';

CREATE TABLE sync_checkpoints (
  app TEXT NOT NULL,
  source TEXT NOT NULL,
  window_start INTEGER,
  window_end INTEGER,
  continuation_key TEXT,
  completed_until INTEGER,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  updated_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  PRIMARY KEY (app, source),
  CHECK (window_start IS NULL OR window_end IS NULL OR window_start <= window_end)
) STRICT;
`;

const RETRY_BACKOFF_SQLITE = `
ALTER TABLE grants ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE grants ADD COLUMN last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 64);
CREATE INDEX grants_app_pending ON grants (app, created_at, id) WHERE status = 'PENDING';
`;

// The outbox: every event is written in the transaction of the change that causes it. `seq` orders an
// app's events in commit order (writers of one app take a transaction lock first, see events.ts), so a
// reader resuming after a seq misses nothing. `data` is the changed object's snapshot (events.ts codec).
// One delivery row per event and webhook endpoint, written in the same transaction; its lease lets one
// replica at a time attempt it, and `subject` (the grant, the purchase) keeps deliveries in order
// (deliveries.ts: one is due only when no earlier one of its app, endpoint and subject is PENDING).
const EVENTS_PG = `
CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  app text NOT NULL,
  type text NOT NULL,
  subject text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object')
);
CREATE INDEX events_app_seq ON events (app, seq);

CREATE TABLE webhook_deliveries (
  event_seq bigint NOT NULL REFERENCES events (seq),
  endpoint text NOT NULL,
  app text NOT NULL,
  subject text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text CHECK (last_error IS NULL OR length(last_error) <= 200),
  last_status integer,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  delivered_at timestamptz,
  -- set by a redelivery: the retry window runs from here instead of from created_at
  requeued_at timestamptz,
  PRIMARY KEY (event_seq, endpoint)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, event_seq) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (app, endpoint, subject, event_seq) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_app_status ON webhook_deliveries (app, status, event_seq);
`;

const EVENTS_SQLITE = `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  app TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  occurred_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  data TEXT NOT NULL CHECK (json_valid(data) AND json_type(data) = 'object')
) STRICT;
CREATE INDEX events_app_seq ON events (app, seq);

CREATE TABLE webhook_deliveries (
  event_seq INTEGER NOT NULL REFERENCES events (seq),
  endpoint TEXT NOT NULL,
  app TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 200),
  last_status INTEGER,
  created_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  delivered_at INTEGER,
  requeued_at INTEGER,
  PRIMARY KEY (event_seq, endpoint)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, event_seq) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (app, endpoint, subject, event_seq) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_app_status ON webhook_deliveries (app, status, event_seq);
`;

// ONE store payment notifications (PNS, docs/events.md): a notification names the purchase by its
// purchaseId, kept in store_ids, so grants are found by it through an expression index (ONE store
// rows only); each notification acted on is kept by its digest so a replay makes no store call.
// Version 3 is the events outbox's; the versions are applied one by one, so a ledger that got 4
// before 3 (from a build of the PNS change alone) still gets 3.
const ONESTORE_NOTIFICATIONS_PG = `
CREATE INDEX grants_onestore_purchase_id ON grants (app, (store_ids ->> 'purchaseId')) WHERE store = 'ONESTORE';
CREATE TABLE onestore_notifications (
  app text NOT NULL,
  -- sha256 (hex) of purchaseId, purchaseState and signature
  digest text NOT NULL CHECK (length(digest) = 64),
  purchase_id text NOT NULL,
  purchase_state text NOT NULL CHECK (purchase_state IN ('COMPLETED', 'CANCELED')),
  outcome text NOT NULL CHECK (length(outcome) <= 64),
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (app, digest)
);
`;

const ONESTORE_NOTIFICATIONS_SQLITE = `
CREATE INDEX grants_onestore_purchase_id ON grants (app, json_extract(store_ids, '$.purchaseId')) WHERE store = 'ONESTORE';
CREATE TABLE onestore_notifications (
  app TEXT NOT NULL,
  digest TEXT NOT NULL CHECK (length(digest) = 64),
  purchase_id TEXT NOT NULL,
  purchase_state TEXT NOT NULL CHECK (purchase_state IN ('COMPLETED', 'CANCELED')),
  outcome TEXT NOT NULL CHECK (length(outcome) <= 64),
  processed_at INTEGER NOT NULL DEFAULT (${NOW_MS}),
  PRIMARY KEY (app, digest)
) STRICT;
`;

// One store purchase, one grant (issue 24): the purchase's identity is the store's own, i.e. the store
// app (ONE store clientId, NHN appSeq, Gamebase appId) beside the purchase key, not only the gateway's
// app name, which two config entries can share a store app under, or a rename can change. Rows from
// before this migration have no store app until the gateway's start fills it in from its config
// (GrantStore.assignStoreApp); the partial index leaves those NULL rows out.
const STORE_APP = (type: string) => `
ALTER TABLE grants ADD COLUMN store_app ${type} CHECK (store_app IS NULL OR length(store_app) BETWEEN 1 AND 128);
CREATE UNIQUE INDEX grants_store_purchase ON grants (store, store_app, purchase_key) WHERE store_app IS NOT NULL;
`;

// Every change made through the gateway has its event (issue 24): before a mutation calls the store,
// its intent is written (the event type and subject it will produce, and the target a read can check);
// the store's answer, or a read by the sweeper once the intent's lease has run out, completes it (the
// intent deleted and its event inserted in one transaction: exactly one event) or closes it (no event:
// the store refused, or a read shows the change not made). An event says when its change was asked
// (requested_at, the intent's creation) and when the gateway had the evidence (observed_at).
const CHANGE_INTENTS_PG = `
CREATE TABLE change_intents (
  id text PRIMARY KEY,
  app text NOT NULL,
  -- the event type the change produces, and its subject (the purchase token or paymentSeq)
  type text NOT NULL,
  subject text NOT NULL,
  -- what a read of the store checks: store, market, productId, purchaseToken, kind ...
  target jsonb NOT NULL CHECK (jsonb_typeof(target) = 'object'),
  lease_owner text NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  next_attempt_at timestamptz,
  last_error text CHECK (last_error IS NULL OR length(last_error) <= 64),
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
CREATE INDEX change_intents_due ON change_intents (lease_expires_at, id);
CREATE INDEX change_intents_subject ON change_intents (app, type, subject);
ALTER TABLE events ADD COLUMN observed_at timestamptz;
ALTER TABLE events ADD COLUMN requested_at timestamptz;
-- the version of the data snapshot's shape (snapshot.ts); NULL on rows from before versions: 1
ALTER TABLE events ADD COLUMN data_version integer CHECK (data_version IS NULL OR data_version >= 1);
`;

const CHANGE_INTENTS_SQLITE = `
CREATE TABLE change_intents (
  id TEXT PRIMARY KEY,
  app TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  target TEXT NOT NULL CHECK (json_valid(target) AND json_type(target) = 'object'),
  lease_owner TEXT NOT NULL,
  lease_expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  next_attempt_at INTEGER,
  last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 64),
  created_at INTEGER NOT NULL DEFAULT (${NOW_MS})
) STRICT;
CREATE INDEX change_intents_due ON change_intents (lease_expires_at, id);
CREATE INDEX change_intents_subject ON change_intents (app, type, subject);
ALTER TABLE events ADD COLUMN observed_at INTEGER;
ALTER TABLE events ADD COLUMN requested_at INTEGER;
ALTER TABLE events ADD COLUMN data_version INTEGER CHECK (data_version IS NULL OR data_version >= 1);
`;

// A grant per paid period (issue 26): a ONE store subscription's or monthly product's purchase key is
// `${purchaseToken}:${lastPurchaseId}`, its period (redemption/periods.ts). A grant written before
// under the token alone gets the period its store ids kept (the lastPurchaseId when it was redeemed),
// so a redemption in that same period still finds it; one without a purchaseId keeps the token as key
// (the redeemer answers it as the current period's). Only rows whose key is still the token change,
// and tokens are unique per app: no key can collide. ONE store grants are indexed by their token too
// (as by purchaseId in migration 4): a new period's grant goes to the app and user of the earlier ones.
const PERIOD_KEYS_PG = `
CREATE INDEX grants_onestore_token ON grants (app, (store_ids ->> 'purchaseToken'), created_at) WHERE store = 'ONESTORE';
UPDATE grants SET purchase_key = purchase_key || ':' || (store_ids ->> 'purchaseId')
WHERE store = 'ONESTORE' AND store_ids ->> 'kind' IN ('SUBSCRIPTION', 'MONTHLY')
  AND store_ids ->> 'purchaseId' IS NOT NULL AND purchase_key = store_ids ->> 'purchaseToken';
`;

const PERIOD_KEYS_SQLITE = `
CREATE INDEX grants_onestore_token ON grants (app, json_extract(store_ids, '$.purchaseToken'), created_at) WHERE store = 'ONESTORE';
UPDATE grants SET purchase_key = purchase_key || ':' || json_extract(store_ids, '$.purchaseId')
WHERE store = 'ONESTORE' AND json_extract(store_ids, '$.kind') IN ('SUBSCRIPTION', 'MONTHLY')
  AND json_type(store_ids, '$.purchaseId') = 'text' AND purchase_key = json_extract(store_ids, '$.purchaseToken');
`;

// The same SQL on both: a player's tracked subscriptions (player-reads.ts trackedFor) and a player's
// events (eventPages: the events whose subject is one of the player's grants) without a scan of the app.
const PLAYER_INDEXES = `
CREATE INDEX tracked_subscriptions_user ON tracked_subscriptions (app, user_id);
CREATE INDEX events_subject ON events (app, subject, seq);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'grants and sync checkpoints',
    sql: { postgres: CREATE_LEDGER_PG, sqlite: CREATE_LEDGER_SQLITE },
  },
  {
    version: 2,
    name: 'pending grant retries: next attempt and last error',
    sql: { postgres: RETRY_BACKOFF_PG, sqlite: RETRY_BACKOFF_SQLITE },
  },
  {
    version: 3,
    name: 'events outbox and webhook deliveries',
    sql: { postgres: EVENTS_PG, sqlite: EVENTS_SQLITE },
  },
  {
    version: 4,
    name: 'ONE store payment notifications: grants by purchaseId, processed notifications',
    sql: { postgres: ONESTORE_NOTIFICATIONS_PG, sqlite: ONESTORE_NOTIFICATIONS_SQLITE },
  },
  {
    version: 5,
    name: 'grants: the store app of the purchase, one grant per store purchase',
    sql: { postgres: STORE_APP('text'), sqlite: STORE_APP('TEXT') },
  },
  {
    version: 6,
    name: 'change intents: every change made through the gateway has its event; events: observed and requested times, snapshot version',
    sql: { postgres: CHANGE_INTENTS_PG, sqlite: CHANGE_INTENTS_SQLITE },
  },
  {
    version: 7,
    name: 'grants: no list of stores in SQL, the ledger checks the store name (migration-store-names.ts)',
    sql: { postgres: DROP_STORE_CHECK_PG, sqlite: dropStoreCheckSqlite(NOW_MS) },
  },
  {
    version: 8,
    name: 'grants: a ONE store subscription or monthly grant per paid period (purchase key token:lastPurchaseId)',
    sql: { postgres: PERIOD_KEYS_PG, sqlite: PERIOD_KEYS_SQLITE },
  },
  {
    version: 9,
    name: 'tracked subscriptions: the scheduler re-reads each granted subscription when due (backfilled from grants)',
    sql: { postgres: TRACKED_SUBSCRIPTIONS_PG, sqlite: TRACKED_SUBSCRIPTIONS_SQLITE },
  },
  {
    version: 10,
    name: 'players: tracked subscriptions by user, events by subject (player and players read one player at a time)',
    sql: { postgres: PLAYER_INDEXES, sqlite: PLAYER_INDEXES },
  },
  {
    version: 11,
    name: 'grants, events, tracked subscriptions: environment (SANDBOX or PRODUCTION), older rows filled from the config at start',
    sql: { postgres: ENVIRONMENTS_PG, sqlite: ENVIRONMENTS_SQLITE },
  },
  {
    version: 12,
    name: "support grants: entitlements given by a support key, with the key's name and reason (migration-support-grants.ts)",
    sql: { postgres: SUPPORT_GRANTS_PG, sqlite: SUPPORT_GRANTS_SQLITE },
  },
  {
    version: 13,
    name: "player entitlements: each player's last computed set, diffed by the entitlement events worker (backfilled as baselines)",
    sql: { postgres: PLAYER_ENTITLEMENTS_PG, sqlite: PLAYER_ENTITLEMENTS_SQLITE },
  },
];

const CREATE_MIGRATIONS_TABLE = {
  postgres: `CREATE TABLE IF NOT EXISTS ledger_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`,
  sqlite: `CREATE TABLE IF NOT EXISTS ledger_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL DEFAULT (${NOW_MS})
) STRICT`,
};

export type MigrationTarget = Pick<LedgerDb, 'kind' | 'transaction'>;

/**
 * Applies the migrations not yet recorded in `ledger_migrations`, each in its own transaction with its
 * record, and returns the versions it applied. PostgreSQL replicas starting together take turns on an
 * advisory lock and each re-reads the record under it, so every migration runs once; SQLite's
 * transaction holds the write lock from its start, which serializes the same way.
 */
export async function migrate(
  db: MigrationTarget,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    const ran = await db.transaction(async (q) => {
      if (db.kind === 'postgres') await q.query(`SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY})`, []);
      // Under the lock: concurrent CREATE TABLE IF NOT EXISTS can fail with a unique violation.
      await q.query(CREATE_MIGRATIONS_TABLE[db.kind], []);
      const done = await q.query<{ version: number }>(
        'SELECT version FROM ledger_migrations WHERE version = $1',
        [migration.version],
      );
      if (done.length > 0) return false;
      await q.query(migration.sql[db.kind]);
      await q.query('INSERT INTO ledger_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
