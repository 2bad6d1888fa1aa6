import { type GraphQLSchema, printSchema } from 'graphql';
import { builder, SUBSCRIPTION_ROOT } from './builder.js';
import './errors/error-objects.js';
import './errors/redemption-errors.js';
// Each type module registers its object type, its root query fields and its loader.
import './types/purchase.js';
import './types/subscription.js';
import './types/voided-purchase.js';
import './types/item.js';
import './types/gamebase-payment.js';
import './types/gamebase-subscription.js';
import './types/grant.js';
import './types/entitlement-check.js';
import './types/gateway-event.js';
import './types/player.js';
import './types/webhook-delivery.js';
import './mutations/acknowledge-purchase.js';
import './mutations/consume-purchase.js';
import './mutations/subscription-changes.js';
import './mutations/redeem-purchase.js';
import './mutations/sync-revocations.js';
import './subscriptions/gateway-events.js';
import './mutations/redeliver-event.js';
import './mutations/support-actions.js';

/**
 * The schema, lexicographically sorted. The subscription root is `EventStream` (builder.ts), named
 * through Pothos's `subscriptionType({ name })`; the object type `Subscription` is the domain's (a
 * store subscription product) and no root.
 */
function buildSchema(): GraphQLSchema {
  const built = builder.toSchema();
  if (built.getSubscriptionType()?.name !== SUBSCRIPTION_ROOT)
    throw new Error(`the subscription root must be ${SUBSCRIPTION_ROOT}`);
  return built;
}

export const schema = buildSchema();

/**
 * Sorted SDL with an explicit `schema { query mutation subscription }` block: graphql-js prints it
 * because the subscription root is not named `Subscription`, and without it a tool reading the SDL
 * would take the domain type named Subscription for the subscription root.
 */
export function printSortedSchema(): string {
  const sdl = printSchema(schema);
  const root = `schema {\n  query: Query\n  mutation: Mutation\n  subscription: ${SUBSCRIPTION_ROOT}\n}\n\n`;
  return sdl.startsWith('schema {') ? `${sdl}\n` : `${root}${sdl}\n`;
}
