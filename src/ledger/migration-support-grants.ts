/**
 * Migration 12: support grants (issue 27). A key with the `support` scope gives a player an
 * entitlement of the app's catalogue (`grantEntitlement`), from `starts_at` to `until` (NULL:
 * forever), and may revoke it (`revokeGrant`). Each row keeps who did it (`key_name`, the API key's
 * name, never the key) and why (`reason`), and the same for its revocation. `player` reads a batch
 * of players' rows in one statement on (app, user_id).
 *
 * Times are the gateway's clock (the sandbox's in tests), as `player` computes with it; `created_at`
 * is the database clock, when the row was written.
 */

const TABLE = (t: { text: string; time: string; strict: string }) => `
CREATE TABLE support_grants (
  id ${t.text} PRIMARY KEY,
  app ${t.text} NOT NULL,
  user_id ${t.text} NOT NULL,
  entitlement_id ${t.text} NOT NULL,
  starts_at ${t.time} NOT NULL,
  until ${t.time} CHECK (until IS NULL OR until > starts_at),
  reason ${t.text} NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  key_name ${t.text} NOT NULL,
  created_at ${t.time} NOT NULL,
  revoked_at ${t.time},
  revoke_reason ${t.text} CHECK (revoke_reason IS NULL OR length(revoke_reason) BETWEEN 1 AND 500),
  revoked_by_key ${t.text},
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL) AND (revoked_at IS NULL) = (revoked_by_key IS NULL))
)${t.strict};
CREATE INDEX support_grants_user ON support_grants (app, user_id);
`;

export const SUPPORT_GRANTS_PG = TABLE({ text: 'text', time: 'timestamptz', strict: '' });
export const SUPPORT_GRANTS_SQLITE = TABLE({ text: 'TEXT', time: 'INTEGER', strict: ' STRICT' });
