// Players and their entitlements, computed from the ledger (docs/entitlements.md); no GraphQL, no store calls.

export {
  changesOf,
  diffEntitlements,
  type EntitlementChange,
  type EntitlementEventData,
  entitlementEvent,
} from './entitlement-diff.js';
export {
  EntitlementEventWorker,
  type EntitlementRunFigures,
  type EntitlementWorkerLogger,
  type EntitlementWorkerOptions,
} from './entitlement-events.js';
export {
  computeEntitlements,
  type EntitlementSource,
  type PeriodType,
  type PlayerEntitlement,
  productMatchOf,
} from './entitlements.js';
export { type PlayerFacts, readPlayerFacts } from './player-facts.js';
export {
  type PlayerSubscription,
  type SubscriptionState,
  subscriptionsOf,
  trackedSubscriptions,
  withTracked,
} from './subscription-states.js';
