import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import type { GatewayContext } from './context.js';

const capitalize = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
const unionName = (parent: string, field: string) =>
  parent === 'Query' || parent === 'Mutation'
    ? `${capitalize(field)}Result`
    : `${parent}${capitalize(field)}Result`;

/**
 * The schema builder; it defines no types itself. Plugin order matters: errors comes before
 * dataloader so that a failed load becomes a member of the field's result union instead of a
 * top-level GraphQL error; relay only supplies connection types. (Scope checks are made in the
 * resolvers through `authorize`, before any loader runs.)
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date } };
}>({
  plugins: [ErrorsPlugin, DataloaderPlugin, RelayPlugin],
  defaultFieldNullability: false,
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

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_UTC.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 UTC string such as 2026-01-31T12:00:00Z');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime is not a real date');
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant in UTC, ISO-8601 with a Z suffix, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: (value) => value.toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

builder.queryType({ description: 'Reads: purchases, subscriptions, voided and unconfirmed lists, items.' });
builder.mutationType({
  description: 'State changes on the stores; every result is a union of success and typed errors.',
});
