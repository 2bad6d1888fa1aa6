import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './errors/error-objects.js';
import './errors/redemption-errors.js';
// Each type module registers its object type, its root query fields and its loader.
import './types/purchase.js';
import './types/subscription.js';
import './types/voided-purchase.js';
import './types/item.js';
import './types/gamebase-payment.js';
import './types/grant.js';
import './types/entitlement-check.js';
import './types/gateway-event.js';
import './types/webhook-delivery.js';
import './mutations/acknowledge-purchase.js';
import './mutations/consume-purchase.js';
import './mutations/subscription-changes.js';
import './mutations/redeem-purchase.js';
import './mutations/sync-revocations.js';
import './mutations/redeliver-event.js';

/**
 * The schema. Pothos makes any object type named `Subscription` the subscription root; ours is a
 * domain type (a store subscription product) and the gateway has no GraphQL subscriptions, so the
 * root is removed again.
 */
function buildSchema(): GraphQLSchema {
  const built = builder.toSchema();
  return lexicographicSortSchema(new GraphQLSchema({ ...built.toConfig(), subscription: null }));
}

export const schema = buildSchema();

/**
 * Sorted SDL with an explicit `schema { query mutation }` block: without it, a tool reading the
 * SDL would take the type named Subscription for the subscription root.
 */
export function printSortedSchema(): string {
  const sdl = printSchema(schema);
  const root = 'schema {\n  query: Query\n  mutation: Mutation\n}\n\n';
  return sdl.startsWith('schema {') ? `${sdl}\n` : `${root}${sdl}\n`;
}
