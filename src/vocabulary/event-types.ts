// Imports nothing: the event type names are words every layer shares. The config validates its
// webhook subscriptions against them, and config/ sits below events/; events/types.ts is where the
// rest of the code takes them from.

/**
 * What the subscription scheduler (src/subscriptions/) writes when a read of a tracked subscription
 * differs from the last one (docs/events.md, "Lifecycle events").
 */
export const LIFECYCLE_EVENT_TYPES = [
  'SUBSCRIPTION_RENEWED',
  'SUBSCRIPTION_EXPIRED',
  'SUBSCRIPTION_GRACE_STARTED',
  'SUBSCRIPTION_ON_HOLD',
  'SUBSCRIPTION_RECOVERED',
  'SUBSCRIPTION_PAUSED',
  'SUBSCRIPTION_RESUMED',
  'SUBSCRIPTION_RENEWAL_CANCELLED',
  'SUBSCRIPTION_RENEWAL_RESTORED',
  'SUBSCRIPTION_PRICE_CHANGE_PENDING',
  'SUBSCRIPTION_PRICE_CHANGE_AGREED',
  'SUBSCRIPTION_PLAN_CHANGED',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/** What a support action (a key with the `support` scope) writes: a support grant made or revoked. */
export const SUPPORT_EVENT_TYPES = ['SUPPORT_GRANT_CREATED', 'SUPPORT_GRANT_REVOKED'] as const;
export type SupportEventType = (typeof SUPPORT_EVENT_TYPES)[number];

/**
 * What the entitlement events worker (src/players/entitlement-events.ts) writes when a player's
 * computed entitlements change (docs/events.md, "Entitlement events"); subject `player:<userId>`.
 */
export const ENTITLEMENT_EVENT_TYPES = [
  'ENTITLEMENT_GRANTED',
  'ENTITLEMENT_EXTENDED',
  'ENTITLEMENT_REVOKED',
  'ENTITLEMENT_EXPIRED',
] as const;
export type EntitlementEventType = (typeof ENTITLEMENT_EVENT_TYPES)[number];

/**
 * What happened; the grant ones and SUBSCRIPTION_PERIOD_REFUNDED (written with a period's GRANT_REVOKED)
 * come from the ledger, PURCHASE_* and SUBSCRIPTION_CANCELLED / _REACTIVATED / _DEFERRED from changes
 * made through the gateway, SUPPORT_GRANT_* from support actions, {@link LIFECYCLE_EVENT_TYPES} from the
 * subscription scheduler, {@link ENTITLEMENT_EVENT_TYPES} from the entitlement events worker.
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
  ...SUPPORT_EVENT_TYPES,
  ...LIFECYCLE_EVENT_TYPES,
  ...ENTITLEMENT_EVENT_TYPES,
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
