// Players and their entitlements, computed from the ledger (docs/entitlements.md); no GraphQL, no store calls.
export {
  computeEntitlements,
  type EntitlementSource,
  type PeriodType,
  type PlayerEntitlement,
  productMatchOf,
} from './entitlements.js';
export {
  type PlayerSubscription,
  type SubscriptionState,
  type SubscriptionStates,
  subscriptionsOf,
  TrackedStates,
  withTracked,
} from './subscription-states.js';
