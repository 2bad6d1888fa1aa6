// The ledger, below the rest of events/, takes its event types from here; the names themselves are in
// vocabulary/ (config/ validates webhook subscriptions against them and sits below events/).
import type { EventType, SupportEventType } from '../vocabulary/event-types.js';

export {
  EVENT_TYPES,
  type EventType,
  SUPPORT_EVENT_TYPES,
  type SupportEventType,
} from '../vocabulary/event-types.js';

/** The event types the ledger writes with a grant's change (data: the grant, data.ts). */
export type GrantEventType = `GRANT_${string}` | 'SUBSCRIPTION_PERIOD_REFUNDED';

/**
 * The event types of a change made through the gateway (the rest are the ledger's grant events and
 * the support actions' events).
 */
export type ChangeEventType = Exclude<EventType, GrantEventType | SupportEventType>;
