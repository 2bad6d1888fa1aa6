// Imports nothing: the event type names are words every layer shares. The config validates its
// webhook subscriptions against them, and config/ sits below events/; events/types.ts is where the
// rest of the code takes them from.

/**
 * What happened; the grant ones and SUBSCRIPTION_PERIOD_REFUNDED (written with a period's GRANT_REVOKED)
 * come from the ledger, PURCHASE_* and the other SUBSCRIPTION_* from changes made through the gateway.
 */
export const EVENT_TYPES = [
  'GRANT_CREATED',
  'GRANT_SETTLED',
  'GRANT_REVOKED',
  'GRANT_DROPPED',
  'PURCHASE_ACKNOWLEDGED',
  'PURCHASE_CONSUMED',
  'SUBSCRIPTION_CANCELLED',
  'SUBSCRIPTION_REACTIVATED',
  'SUBSCRIPTION_DEFERRED',
  'SUBSCRIPTION_PERIOD_REFUNDED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
