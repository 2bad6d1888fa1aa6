import { readdirSync, readFileSync } from 'node:fs';
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  visit,
} from 'graphql';
import { MAX_PAGE } from '../../src/graphql/queries/paging.js';
import { schema } from '../../src/graphql/schema.js';
import { exampleOperations, readmeDocuments } from './example-operations.js';
import { APP } from './gateway.js';

/** Every Query field that pages (has a `first` argument), sorted. */
export const PAGED_FIELDS = Object.values(schema.getQueryType()?.getFields() ?? {})
  .filter((field) => field.args.some((arg) => arg.name === 'first'))
  .map((field) => field.name)
  .sort();

const isPaged = (field: FieldNode) => PAGED_FIELDS.includes(field.name.value);

/** The paged root fields of a query document's operations. */
export function pagedFieldsOf(text: string): string[] {
  return parse(text).definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query'
      ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD && isPaged(s) ? [s.name.value] : []))
      : [],
  );
}

/** Values for the variables the docs' examples declare, so that they pass variable coercion. */
const DOC_VARIABLES: Record<string, unknown> = { app: APP, since: '2020-01-01T00:00:00.000Z' };

export interface PagedQuery {
  name: string;
  text: string;
  variables: Record<string, unknown>;
}

/** The docs' GraphQL examples (```graphql blocks of docs/*.md) that are executable documents. */
function docsDocuments(): { source: string; document: DocumentNode }[] {
  const dir = new URL('../../docs/', import.meta.url);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .flatMap((file) =>
      readmeDocuments(readFileSync(new URL(file, dir), 'utf8')).flatMap((text, i) => {
        const document = parse(text);
        const executable = document.definitions.every(
          (d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION,
        );
        return executable ? [{ source: `docs/${file} example ${i + 1}`, document }] : [];
      }),
    );
}

/** Every query the project shows a user (examples and docs) that reads a paged field. */
export function pagedQueries(): PagedQuery[] {
  const examples = exampleOperations()
    .filter((op) => op.type === 'query')
    .map((op) => ({ name: op.name, text: op.text, variables: op.variables ?? {} }));
  const docs = docsDocuments().flatMap(({ source, document }) =>
    document.definitions.flatMap((d, i) => {
      if (d.kind !== Kind.OPERATION_DEFINITION || d.operation !== 'query') return [];
      const variables = Object.fromEntries(
        (d.variableDefinitions ?? []).flatMap((v) => {
          const value = DOC_VARIABLES[v.variable.name.value];
          return value === undefined ? [] : [[v.variable.name.value, value]];
        }),
      );
      return [
        { name: `${source} operation ${i + 1}`, text: print({ ...document, definitions: [d] }), variables },
      ];
    }),
  );
  return [...examples, ...docs].filter((query) => pagedFieldsOf(query.text).length > 0);
}

/**
 * The query with every paged root field asking for MAX_PAGE edges: as a literal, or as a variable
 * (the field's own variable when it has one, else a new `$largestPage`).
 */
export function atLargestPage(
  text: string,
  asVariable: boolean,
): { text: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  let added = false;
  const document = visit(parse(text), {
    OperationDefinition: {
      leave(op: OperationDefinitionNode) {
        if (!added) return undefined;
        const definition = {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'largestPage' } },
          type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Int' } },
        } as const;
        return { ...op, variableDefinitions: [...(op.variableDefinitions ?? []), definition] };
      },
    },
    Field(field: FieldNode) {
      if (!isPaged(field)) return undefined;
      const others = (field.arguments ?? []).filter((arg) => arg.name.value !== 'first');
      const own = field.arguments?.find((arg) => arg.name.value === 'first');
      let value: ArgumentNode['value'] = { kind: Kind.INT, value: String(MAX_PAGE) };
      if (asVariable && own?.value.kind === Kind.VARIABLE) {
        variables[own.value.name.value] = MAX_PAGE;
        value = own.value;
      } else if (asVariable) {
        added = true;
        variables.largestPage = MAX_PAGE;
        value = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'largestPage' } };
      }
      const first: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value };
      return { ...field, arguments: [...others, first] };
    },
  });
  // A literal replaced the field's own variable: its definition would now be unused (invalid).
  const used = new Set<string>();
  visit(document, { Argument: (arg) => void visit(arg, { Variable: (v) => void used.add(v.name.value) }) });
  const pruned = visit(document, {
    VariableDefinition: (definition) => (used.has(definition.variable.name.value) ? undefined : null),
  });
  return { text: print(pruned), variables };
}
