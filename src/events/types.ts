// Imports nothing: the ledger, below the rest of events/, takes its event types from here.

/** What happened; the grant ones come from the ledger, the others from changes made through the gateway. */
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
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event types of a change made through the gateway (the rest are the ledger's grant events). */
export type ChangeEventType = Exclude<EventType, `GRANT_${string}`>;
