import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  type OperationDefinitionNode,
  valueFromAST,
} from 'graphql';
import { MAX_CHECKS } from '../graphql/types/entitlement-check.js';
import type { OperationLimit } from './operation-limit.js';
import { selectedFields } from './selected-fields.js';

/**
 * `limits.maxChecks` for a whole request. The field refuses more than that many entries of its own
 * (InvalidInputError), but aliases repeat the field: 16 aliases of 100 checks made 1,600 store
 * lookups in one request, priced like 16 lookups. Here the operation that runs is counted once its
 * variables are coerced (as cost-limit.ts prices `first`): the entries of every `checkEntitlements`
 * field that will run (its response key counted once, as graphql-js merges repeats; `@skip` and
 * `@include` applied) and that the field itself will not refuse (more than the limit: no lookup).
 * Past the limit the request is refused before execution, so no store is called.
 */

const FIELD = 'checkEntitlements';

/** What a request over the limit is told; it names the limit (the field's own error does too). */
export const checkLimitMessage = (max: number) =>
  `One request may make at most ${max} entitlement checks (limits.maxChecks), counted over all its checkEntitlements fields: send the rest in another request.`;

/** The `checkEntitlements` fields of the root selection that run with these variables, by response key. */
function checkFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): Map<string, FieldNode> {
  const runs = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  const found = new Map<string, FieldNode>();
  for (const field of selectedFields(document, operation.selectionSet, runs))
    if (field.name.value === FIELD) found.set(field.alias?.value ?? FIELD, field);
  return found;
}

/**
 * Whether the document's text names the field at all (a comment or a string may too): most never
 * do and skip the walk. A document without its text (parsed with `noLocation`) is walked.
 */
function mentionsField(document: DocumentNode): boolean {
  let named = mentioned.get(document);
  if (named === undefined) {
    named = document.loc?.source.body.includes(FIELD) ?? true;
    mentioned.set(document, named);
  }
  return named;
}
/** Per parsed document: Yoga's parse cache hands the same one out again for the same text. */
const mentioned = new WeakMap<DocumentNode, boolean>();

/**
 * The check limit of one gateway: `refusal` answers the error for an operation that would make more
 * than `maxChecks` (at most MAX_CHECKS) checks with these variables (coerced), or null.
 */
export function checkLimit(maxChecks: number): OperationLimit {
  const max = Math.min(maxChecks, MAX_CHECKS);
  return {
    refusal(schema, document, operation, variables) {
      if (operation.operation !== 'query') return null;
      if (!mentionsField(document)) return null;
      const checksArg = schema
        .getQueryType()
        ?.getFields()
        [FIELD]?.args.find((arg) => arg.name === 'checks');
      if (!checksArg) return null;
      let total = 0;
      for (const field of checkFields(document, operation, variables).values()) {
        const given = field.arguments?.find((arg) => arg.name.value === 'checks');
        const value: unknown = given ? valueFromAST(given.value, checksArg.type, variables) : undefined;
        const count = Array.isArray(value) ? value.length : 0;
        // A field over the limit is refused by its resolver and makes no lookup.
        if (count <= max) total += count;
      }
      if (total <= max) return null;
      return new GraphQLError(checkLimitMessage(max), {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } },
      });
    },
  };
}
