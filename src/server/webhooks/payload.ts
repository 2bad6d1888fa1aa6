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

function gatewayEventType(schema: GraphQLSchema): GraphQLObjectType {
  const type = schema.getType('GatewayEvent');
  if (!isObjectType(type)) throw new Error('the schema has no GatewayEvent type');
  return type;
}

/**
 * `gatewayEvents` as the API pages it (after the event's predecessor, first 1) with every field of
 * GatewayEvent: what a webhook body must equal (test/webhooks/delivery.test.ts asks the API with it).
 */
export function webhookDocument(schema: GraphQLSchema): string {
  return `query WebhookEvent($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 1) {
    __typename
    ... on GatewayEventConnection { edges { node { ${fullSelection(gatewayEventType(schema))} } } }
    ... on Error { code }
  }
}`;
}

/**
 * The same selection on the live stream's field, executed with the event as its root value: the
 * stream's own mapping of an event, so the body is the event as the API shows it, built from the
 * event the worker already holds (no second ledger read). A field added to the type is in it too.
 */
function streamDocument(schema: GraphQLSchema): string {
  return `subscription WebhookEvent($app: String!) {
  gatewayEvents(app: $app) { ${fullSelection(gatewayEventType(schema))} }
}`;
}

/** Renders events as webhook bodies (JSON text) through the schema, with a read-only context of the event's app. */
export class WebhookRenderer {
  readonly #document;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly contextFor: (app: string) => GatewayContext,
  ) {
    this.#document = parse(streamDocument(schema));
  }

  /** The event's JSON; throws when a field could not be resolved (the attempt then fails and is retried). */
  async render(event: LedgerEvent): Promise<string> {
    // `execute` of a subscription operation resolves its field once, on the root value: the event.
    const result = await execute({
      schema: this.schema,
      document: this.#document,
      rootValue: event,
      variableValues: { app: event.app },
      contextValue: this.contextFor(event.app),
    });
    if (result.errors?.length) throw new Error(`webhook body: ${result.errors[0]?.message ?? 'error'}`);
    const node = (result.data as { gatewayEvents?: Record<string, unknown> } | null | undefined)
      ?.gatewayEvents;
    if (!node) throw new Error('webhook body: no answer');
    return JSON.stringify(node);
  }
}
