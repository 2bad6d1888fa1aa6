/**
 * Migration 13: each player's last computed entitlements (issue 27), which the entitlement events
 * worker (src/players/entitlement-events.ts) diffs the next computation against.
 *
 * - `state`: per entitlement id `{ active, expiresAt }` as last computed; NULL: never computed (the
 *   rows this migration backfills: players the ledger already granted to, whose entitlements were told
 *   by GRANT_* events before this existed). A player marked for the first time by a new fact starts at
 *   `{}`: what they get is GRANTED.
 * - `baseline_at`: on a backfilled row, when the migration ran (database clock). The first computation
 *   diffs against the set as the facts stood then (grants and support grants made after it left out,
 *   revocations after it undone), so a fact that lands between the migration and that computation is
 *   told, and what the player had before it is not told again. NULL on rows a mark created.
 * - `due_at`: when the set must be computed again, on the gateway's clock; the epoch means "at once"
 *   (a mark, player-marks.ts); NULL: nothing can change it until a new fact. The partial index serves
 *   the worker's one query, `WHERE due_at <= now ORDER BY due_at LIMIT n`.
 * - `version`: computations written, for diagnosis.
 */
const TABLE = (t: { text: string; time: string; json: string; int: string; strict: string }) => `
CREATE TABLE player_entitlements (
  app ${t.text} NOT NULL,
  user_id ${t.text} NOT NULL,
  state ${t.json},
  due_at ${t.time},
  baseline_at ${t.time},
  version ${t.int} NOT NULL DEFAULT 0 CHECK (version >= 0),
  PRIMARY KEY (app, user_id)
)${t.strict};
CREATE INDEX player_entitlements_due ON player_entitlements (due_at) WHERE due_at IS NOT NULL;
`;

export const PLAYER_ENTITLEMENTS_PG = `${TABLE({
  text: 'text',
  time: 'timestamptz',
  json: "jsonb CHECK (jsonb_typeof(state) = 'object')",
  int: 'integer',
  strict: '',
})}
INSERT INTO player_entitlements (app, user_id, due_at, baseline_at)
SELECT DISTINCT app, user_id, 'epoch'::timestamptz, now() FROM grants WHERE status = 'SETTLED';
`;

export const PLAYER_ENTITLEMENTS_SQLITE = `${TABLE({
  text: 'TEXT',
  time: 'INTEGER',
  json: "TEXT CHECK (state IS NULL OR (json_valid(state) AND json_type(state) = 'object'))",
  int: 'INTEGER',
  strict: ' STRICT',
})}
INSERT INTO player_entitlements (app, user_id, due_at, baseline_at)
SELECT DISTINCT app, user_id, 0, CAST(ledger_now() AS INTEGER) FROM grants WHERE status = 'SETTLED';
`;
