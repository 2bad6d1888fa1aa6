import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  type ValidationContext,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { DEFAULT_PAGE, MAX_PAGE } from '../graphql/queries/paging.js';
import type { OperationLimit } from './operation-limit.js';

/**
 * GraphQL Armor's cost, counted for the page each list will really fetch. Armor's rule runs at
 * validation, before the variables are known, and multiplies a field by its `first` only when it
 * is a literal: `first: $f` with `$f = 100`, or `first` left out (50 edges), counted as 1, so a
 * variable bought what the same literal was refused. Here the operation that runs is counted once
 * its variables are coerced: every `first` of a field that pages becomes the literal it amounts to
 * (the variable's value, its default, or DEFAULT_PAGE when absent or null; held to 1-MAX_PAGE, the
 * page a field can fetch, as the field refuses any other size itself) and Armor's own rule
 * prices that document. Armor's formula and options stay as they are.
 */

/** The argument Armor multiplies by (it also reads `last`, which no field of this schema has). */
const PAGE_SIZE = 'first';

export interface CostLimitOptions {
  maxCost: number;
  /** Name the limit and the cost found in the message; else `errorMessage`. */
  exposeLimits: boolean;
  errorMessage: string;
}

const pageSize = (size: number): ArgumentNode => ({
  kind: Kind.ARGUMENT,
  name: { kind: Kind.NAME, value: PAGE_SIZE },
  value: { kind: Kind.INT, value: String(size) },
});

/**
 * The operation (with the document's fragments) where every field that pages has `first` as the
 * literal it amounts to; `sizedBy`: the variables that decided one of them.
 */
function withPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): { sized: DocumentNode; sizedBy: string[] } {
  const definitions = document.definitions.filter(
    (d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const typeInfo = new TypeInfo(schema);
  const sizedBy = new Set<string>();
  const sized = visit(
    { ...document, definitions },
    visitWithTypeInfo(typeInfo, {
      Field(field: FieldNode) {
        if (!typeInfo.getFieldDef()?.args.some((arg) => arg.name === PAGE_SIZE)) return undefined;
        const given = field.arguments?.find((arg) => arg.name.value === PAGE_SIZE);
        let size = DEFAULT_PAGE;
        if (given?.value.kind === Kind.INT) size = Number(given.value.value);
        if (given?.value.kind === Kind.VARIABLE) {
          sizedBy.add(given.value.name.value);
          const value = variables[given.value.name.value];
          if (typeof value === 'number') size = value;
        }
        // Priced at the page it can fetch: a size outside 1-MAX_PAGE is refused by the field
        // (InvalidInputError naming `first`) before any store call, so the cost must not answer first.
        size = Math.min(Math.max(size, 1), MAX_PAGE);
        const others = (field.arguments ?? []).filter((arg) => arg !== given);
        return { ...field, arguments: [...others, pageSize(size)] };
      },
    }),
  );
  return { sized, sizedBy: [...sizedBy] };
}

/** Verdicts kept per operation for distinct page-size values; past this many they start again. */
const MAX_VERDICTS = 64;

interface Priced {
  /** The variables that size its pages (none: one verdict, whatever the variables). */
  sizedBy: string[];
  /** The verdict per value of those variables, e.g. `100,null`. */
  verdicts: Map<string, GraphQLError | null>;
}

/**
 * The cost limit of one gateway: `refusal` answers the error for an operation over `maxCost` with
 * these variables (coerced), or null. Verdicts are kept per parsed operation (Yoga's parse cache
 * hands the same one out again for the same text) and values of the variables sizing its pages.
 */
export function costLimit(options: CostLimitOptions): OperationLimit {
  const priced = new WeakMap<OperationDefinitionNode, Priced>();
  const keyOf = (sizedBy: readonly string[], variables: Readonly<Record<string, unknown>>) =>
    sizedBy.map((name) => String(variables[name])).join(',');
  const rule = (onReject: (error: GraphQLError) => void) =>
    costLimitRule({
      maxCost: options.maxCost,
      exposeLimits: options.exposeLimits,
      errorMessage: options.errorMessage,
      propagateOnRejection: false,
      onReject: [(_context: ValidationContext | null, error: GraphQLError) => onReject(error)],
    });
  return {
    refusal(schema, document, operation, variables) {
      const known = priced.get(operation);
      const verdict = known?.verdicts.get(keyOf(known.sizedBy, variables));
      if (verdict !== undefined) return verdict;
      const { sized, sizedBy } = withPageSizes(schema, document, operation, variables);
      let refusal: GraphQLError | null = null;
      validate(schema, sized, [
        rule((error) => {
          // Armor prefixes "Syntax Error: "; the answer is the validation error it was before
          // (Yoga's own extensions for one: HTTP 400, 200 to an `application/json` client).
          refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { spec: true, status: 400 } },
          });
        }),
      ]);
      const entry = known ?? { sizedBy, verdicts: new Map() };
      if (entry.verdicts.size >= MAX_VERDICTS) entry.verdicts.clear();
      entry.verdicts.set(keyOf(sizedBy, variables), refusal);
      priced.set(operation, entry);
      return refusal;
    },
  };
}
