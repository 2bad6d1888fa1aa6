import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { Scope } from '../config/schema.js';
import type { GatewayContext } from './context.js';
import { ForbiddenError } from './errors/error-classes.js';
import { streamRefusal } from './errors/stream-errors.js';

const capitalize = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
const unionName = (parent: string, field: string) =>
  parent === 'Query' || parent === 'Mutation'
    ? `${capitalize(field)}Result`
    : `${parent}${capitalize(field)}Result`;

/** The scope a failure is about; scope-auth wraps a field's scope map in an `$any` failure. */
function missingScope(failure: AuthFailure): string | undefined {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope;
  if (
    failure.kind === AuthScopeFailureType.AnyAuthScopes ||
    failure.kind === AuthScopeFailureType.AllAuthScopes
  )
    return failure.failures.map(missingScope).find((scope) => scope !== undefined);
  return undefined;
}

/** Same message as `authorize`'s scope check, so callers see one answer whichever lock refused. */
function unauthorized(failure: AuthFailure): ForbiddenError {
  return new ForbiddenError(`This API key lacks the "${missingScope(failure) ?? 'required'}" scope.`);
}

/**
 * The root subscription type. Not `Subscription`: that name is the domain type (a store
 * subscription product); `schema.ts` prints the `schema {}` block that says which is the root.
 */
export const SUBSCRIPTION_ROOT = 'EventStream';

/**
 * The schema builder; it defines no types itself. Plugin order matters, the first plugin wraps
 * the others' resolvers: errors comes first so that a scope-auth refusal (a thrown ForbiddenError),
 * an invalid argument and a failed load all become members of the field's result union instead of
 * top-level GraphQL errors; scope-auth refuses before the resolver runs, so a caller without the
 * scope never reaches a loader, hence never a store; dataloader comes after both (the errors
 * plugin's documented order), so a failed load is a union member too and a refused caller never
 * loads; relay only supplies connection types. Each kind of read is a loadable type of the
 * dataloader plugin with typed keys, its loader reached through its ref (`request-loader.ts`).
 *
 * Every root field declares `authScopes` (`read` for queries and subscriptions, `write` for
 * mutations, `support` for the support actions, and {@link READ_OR_SUPPORT} for the reads a support
 * desk shares; `test/server/scope-auth.test.ts` lists each field's): the scope is checked there alone. Which apps a key may use is checked once per field, in
 * the resolver (a subscription: in its subscribe step), by `authorize`.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  AuthScopes: Record<Scope, boolean>;
}>({
  plugins: [ErrorsPlugin, ScopeAuthPlugin, DataloaderPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      read: ctx.caller.scopes.has('read'),
      write: ctx.caller.scopes.has('write'),
      support: ctx.caller.scopes.has('support'),
    }),
    // A subscription field's scope is checked once, when it is subscribed (before anything
    // streams), not per event; its refusal is an error of the request, there being no union.
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, _ctx, info, result) => {
      const error = unauthorized(result.failure);
      return info.parentType.name === SUBSCRIPTION_ROOT ? (streamRefusal(error) ?? error) : error;
    },
  },
  errors: {
    directResult: true,
    // PurchaseResult, ConsumePurchaseResult… for root fields; PurchaseItemResult for nested ones.
    defaultUnionOptions: { name: ({ parentTypeName, fieldName }) => unionName(parentTypeName, fieldName) },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

/**
 * The `authScopes` of the reads a support desk needs besides a backend's `read` key: `player`,
 * `players`, `gatewayEvents` and `webhookDeliveries` (docs/SECURITY.md).
 */
export const READ_OR_SUPPORT = { $any: { read: true, support: true } } as const;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** `node`: the literal, so that the error is reported on it (and its text kept out: input-errors.ts). */
function parseDateTime(value: unknown, node?: ValueNode): Date {
  const nodes = node ?? null;
  if (typeof value !== 'string' || !ISO_UTC.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 UTC string such as 2026-01-31T12:00:00Z', { nodes });
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime is not a real date', { nodes });
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant in UTC, ISO-8601 with a Z suffix, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast });
    return parseDateTime(ast.value, ast);
  },
});

builder.queryType({ description: 'Reads: purchases, subscriptions, voided and unconfirmed lists, items.' });
builder.mutationType({
  description: 'State changes on the stores; every result is a union of success and typed errors.',
});
builder.subscriptionType({
  name: SUBSCRIPTION_ROOT,
  description:
    'Live streams, served as server-sent events (Accept: text/event-stream). A refusal before the first event is a GraphQL error with `extensions.code`.',
});
