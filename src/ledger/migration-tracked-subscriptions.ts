/**
 * Migration 9: tracked subscriptions (issue 26). Every subscription the ledger has granted is re-read
 * by the scheduler (src/subscriptions/) when it can have changed; this table is its work list.
 *
 * - The key is the store's purchase: (app, store, purchase_token). Events of a subscription take the
 *   token as their subject, so their deliveries keep their order.
 * - `next_check_at` is on the scheduler's clock (the store's time; the sandbox's in tests). The epoch
 *   means "as soon as possible" whatever that clock reads, which is what a new row and a nudge (a
 *   PNS, a cancel through the gateway) write; NULL means "not checked any more" (a terminal
 *   subscription). The partial index serves the one query of the scheduler,
 *   `WHERE next_check_at <= now ORDER BY next_check_at LIMIT n`: it costs the rows due, not the table.
 * - `lease_owner` / `lease_expires_at` (database clock, as grants' take-over) let one replica at a time
 *   read a row; `version` is the compare-and-set the observation is written under, with its events.
 * - `store_ids`: what a read needs beyond the key (Gamebase: the paymentSeq and accessToken of the latest
 *   period granted, which Get Subscriptions Status takes); null for ONE store, whose token is the key.
 * - `observation` is the last read (ONE store: its SubscriptionRecord; Gamebase: its status), encoded as the events' snapshots are and
 *   versioned the same way (`observation_version`, snapshot.ts), so an upgrade reads old rows.
 *
 * The backfill takes every ONE store SUBSCRIPTION / MONTHLY grant's token once (its latest grant's user
 * and product), due at once: the first read is the baseline, no event comes of it.
 */

const TABLE = (t: { text: string; time: string; json: string; ids: string; int: string; strict: string }) => `
CREATE TABLE tracked_subscriptions (
  app ${t.text} NOT NULL,
  store ${t.text} NOT NULL,
  purchase_token ${t.text} NOT NULL,
  store_app ${t.text},
  market ${t.text},
  kind ${t.text} NOT NULL,
  product_id ${t.text} NOT NULL,
  user_id ${t.text} NOT NULL,
  store_ids ${t.ids},
  status ${t.text},
  expires_at ${t.time},
  observation ${t.json},
  observation_version ${t.int} CHECK (observation_version IS NULL OR observation_version >= 1),
  next_check_at ${t.time},
  lease_owner ${t.text},
  lease_expires_at ${t.time},
  failures ${t.int} NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_error ${t.text} CHECK (last_error IS NULL OR length(last_error) <= 64),
  last_read_at ${t.time},
  version ${t.int} NOT NULL DEFAULT 1 CHECK (version >= 1),
  PRIMARY KEY (app, store, purchase_token),
  CHECK ((observation IS NULL) = (observation_version IS NULL))
)${t.strict};
CREATE INDEX tracked_subscriptions_due ON tracked_subscriptions (next_check_at) WHERE next_check_at IS NOT NULL;
`;

export const TRACKED_SUBSCRIPTIONS_PG = `${TABLE({
  text: 'text',
  time: 'timestamptz',
  json: "jsonb CHECK (jsonb_typeof(observation) = 'object')",
  ids: "jsonb CHECK (jsonb_typeof(store_ids) = 'object')",
  int: 'integer',
  strict: '',
})}
INSERT INTO tracked_subscriptions (app, store, purchase_token, store_app, market, kind, product_id, user_id, next_check_at)
SELECT DISTINCT ON (app, store_ids ->> 'purchaseToken')
  app, store, store_ids ->> 'purchaseToken', store_app, store_ids ->> 'market', store_ids ->> 'kind', product_id,
  user_id, 'epoch'::timestamptz
FROM grants
WHERE store = 'ONESTORE' AND store_ids ->> 'kind' IN ('SUBSCRIPTION', 'MONTHLY') AND store_ids ->> 'purchaseToken' IS NOT NULL
ORDER BY app, store_ids ->> 'purchaseToken', created_at DESC, id DESC;
`;

// INSERT OR IGNORE keeps the first row of each token: the SELECT gives the latest grant first.
export const TRACKED_SUBSCRIPTIONS_SQLITE = `${TABLE({
  text: 'TEXT',
  time: 'INTEGER',
  json: "TEXT CHECK (observation IS NULL OR (json_valid(observation) AND json_type(observation) = 'object'))",
  ids: "TEXT CHECK (store_ids IS NULL OR (json_valid(store_ids) AND json_type(store_ids) = 'object'))",
  int: 'INTEGER',
  strict: ' STRICT',
})}
INSERT OR IGNORE INTO tracked_subscriptions (app, store, purchase_token, store_app, market, kind, product_id, user_id, next_check_at)
SELECT app, store, json_extract(store_ids, '$.purchaseToken'), store_app, json_extract(store_ids, '$.market'),
  json_extract(store_ids, '$.kind'), product_id, user_id, 0
FROM grants
WHERE store = 'ONESTORE' AND json_extract(store_ids, '$.kind') IN ('SUBSCRIPTION', 'MONTHLY')
  AND json_type(store_ids, '$.purchaseToken') = 'text'
ORDER BY created_at DESC, id DESC;
`;
