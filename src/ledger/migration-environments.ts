/**
 * Migration 11: where each purchase was paid (issue 27), on grants, events and tracked subscriptions:
 * `SANDBOX` (a test purchase) or `PRODUCTION` (real revenue). The ledger cannot tell an older row's
 * environment from its columns (no row kept `isTestPurchase`), so the column is added empty (NULL)
 * and the gateway's start fills it from the config, like the store app of migration 5
 * (grant-environments.ts). Every row written since carries one. The partial indexes hold only the rows
 * still to fill: empty once a start has filled them, so later starts find none without a scan.
 */
const ENVIRONMENT_COLUMN = (table: string, type: string) =>
  `ALTER TABLE ${table} ADD COLUMN environment ${type} CHECK (environment IS NULL OR environment IN ('SANDBOX', 'PRODUCTION'));`;

const environments = (type: string) => `
${ENVIRONMENT_COLUMN('grants', type)}
${ENVIRONMENT_COLUMN('events', type)}
${ENVIRONMENT_COLUMN('tracked_subscriptions', type)}
CREATE INDEX grants_environment_unset ON grants (app, store) WHERE environment IS NULL;
CREATE INDEX events_environment_unset ON events (app, seq) WHERE environment IS NULL;
CREATE INDEX tracked_subscriptions_environment_unset ON tracked_subscriptions (app, store) WHERE environment IS NULL;
`;

export const ENVIRONMENTS_PG = environments('text');
export const ENVIRONMENTS_SQLITE = environments('TEXT');
