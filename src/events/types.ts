// The ledger, below the rest of events/, takes its event types from here; the names themselves are in
// vocabulary/ (config/ validates webhook subscriptions against them and sits below events/).
import type { EntitlementEventType, EventType, SupportEventType } from '../vocabulary/event-types.js';

export {
  ENTITLEMENT_EVENT_TYPES,
  type EntitlementEventType,
  EVENT_TYPES,
  type EventType,
  SUPPORT_EVENT_TYPES,
  type SupportEventType,
} from '../vocabulary/event-types.js';

/** The event types the ledger writes with a grant's change (data: the grant, data.ts). */
export type GrantEventType = `GRANT_${string}` | 'SUBSCRIPTION_PERIOD_REFUNDED';

/**
 * The event types of a change made through the gateway (the rest: the ledger's grant events, the
 * support actions' events, the worker's entitlement events).
 */
export type ChangeEventType = Exclude<EventType, GrantEventType | SupportEventType | EntitlementEventType>;
