import {
  execute,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isObjectType,
  parse,
} from 'graphql';
import type { GatewayContext } from '../../graphql/context.js';
import { encodeEventCursor } from '../../graphql/types/gateway-event.js';
import type { LedgerEvent } from '../../ledger/index.js';

/**
 * Fields a webhook body leaves out: unions are lookups in the store (a purchase's `item` is the
 * catalogue), not facts of the event; a receiver that needs them asks the API.
 */
function selectable(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return field.args.length === 0 && (isLeafType(type) || isObjectType(type));
}

/** Every field of `type` and of the objects below it, leaves only (no unions, no arguments). */
export function fullSelection(type: GraphQLObjectType, depth = 0): string {
  if (depth > 6) throw new Error(`webhook selection too deep at ${type.name}`);
  const fields = Object.values(type.getFields())
    .filter(selectable)
    .map((field) => {
      const named = getNamedType(field.type);
      return isObjectType(named) ? `${field.name} { ${fullSelection(named, depth + 1)} }` : field.name;
    });
  return fields.join(' ');
}

/**
 * The document a webhook body comes from: `gatewayEvents` after the event's predecessor, first 1,
 * with every field of GatewayEvent. Built from the schema, so the body is the event exactly as the
 * API shows it and a field added to the type is in the body too.
 */
export function webhookDocument(schema: GraphQLSchema): string {
  const type = schema.getType('GatewayEvent');
  if (!isObjectType(type)) throw new Error('the schema has no GatewayEvent type');
  return `query WebhookEvent($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 1) {
    __typename
    ... on GatewayEventConnection { edges { node { ${fullSelection(type)} } } }
    ... on Error { code }
  }
}`;
}

interface Answer {
  gatewayEvents?: { __typename: string; code?: string; edges?: { node: Record<string, unknown> }[] };
}

/** Renders events as webhook bodies (JSON text) through the schema, with a read-only context of the event's app. */
export class WebhookRenderer {
  readonly #document;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly contextFor: (app: string) => GatewayContext,
  ) {
    this.#document = parse(webhookDocument(schema));
  }

  /** The event's JSON; throws when the ledger could not be read (the attempt then fails and is retried). */
  async render(event: LedgerEvent): Promise<string> {
    // seq is a positive integer below 2^53 (decodeEventCursor allows 16 digits); the first has no predecessor.
    const previous = Number(event.seq) - 1;
    const after = previous > 0 ? encodeEventCursor(String(previous)) : null;
    const result = await execute({
      schema: this.schema,
      document: this.#document,
      variableValues: { app: event.app, after },
      contextValue: this.contextFor(event.app),
    });
    if (result.errors?.length) throw new Error(`webhook body: ${result.errors[0]?.message ?? 'error'}`);
    const field = (result.data as Answer | null | undefined)?.gatewayEvents;
    const node = field?.edges?.[0]?.node;
    if (!node) throw new Error(`webhook body: ${field?.code ?? field?.__typename ?? 'no answer'}`);
    if (node.id !== event.id) throw new Error('webhook body: the event was not found after its predecessor');
    return JSON.stringify(node);
  }
}
