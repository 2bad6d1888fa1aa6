import {
  coerceInputValue,
  type DocumentNode,
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLID,
  type GraphQLInputType,
  GraphQLInt,
  type GraphQLSchema,
  GraphQLString,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  typeFromAST,
  type ValueNode,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * Errors about input values that never quote the value. graphql-js writes the value into its
 * messages (`Variable "$t" got invalid value ["<token>"]; String cannot represent a non string
 * value: ["<token>"]`, `Value "<token>" does not exist in "Store" enum.`), graphql-jit likewise, and
 * a variable is where a client puts a purchase token. These say which variable, where in it, the
 * type expected and the kind of JSON (or literal) found: enough to fix the request, nothing of it.
 */

/** HTTP 400 for every client, as graphql-js's own variable errors get from Yoga's executor. */
const VARIABLE_ERROR = { code: 'BAD_USER_INPUT', http: { status: 400 } } as const;

/** What a JSON value is, in words: its kind, never its content. */
function jsonKind(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

/** The kinds a leaf type reads; a custom scalar's are unknown, so any kind may be "not accepted". */
function acceptsKind(type: GraphQLInputType, kind: string, enumKind: string): boolean {
  const leaf = getNullableType(type);
  if (isEnumType(leaf)) return kind === enumKind;
  if (leaf === GraphQLInt || leaf === GraphQLFloat) return kind === 'a number';
  if (leaf === GraphQLString) return kind === 'a string';
  if (leaf === GraphQLID) return kind === 'a string' || kind === 'a number';
  if (leaf === GraphQLBoolean) return kind === 'a boolean';
  return true;
}

/** `found a string`, or `found a number it does not accept` when the kind is right and the value is not. */
function found(type: GraphQLInputType, kind: string, enumKind: string): string {
  const refused = kind !== 'null' && acceptsKind(type, kind, enumKind) ? ' it does not accept' : '';
  return `found ${kind}${refused}`;
}

const mismatch = (type: GraphQLInputType, kind: string) =>
  `expected type "${String(type)}", ${found(type, kind, 'a string')}`;

/** `c[1].store`: the variable and the path inside it, made of list indices and schema field names. */
function pathText(variable: string, path: readonly (string | number)[]): string {
  return variable + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
}

/**
 * The type at `path` inside a value of `type`. A value that is not a list, given for a list, is
 * coerced as its only item (GraphQL's input coercion): the type then is the item's.
 */
function typeAt(
  type: GraphQLInputType,
  path: readonly (string | number)[],
  value: unknown,
): GraphQLInputType {
  let at = type;
  for (const key of path) {
    const nullable = getNullableType(at);
    if (typeof key === 'number' && isListType(nullable)) at = nullable.ofType;
    else if (typeof key === 'string' && isInputObjectType(nullable))
      at = nullable.getFields()[key]?.type ?? at;
  }
  for (let list = getNullableType(at); isListType(list) && value != null && !Array.isArray(value); ) {
    at = list.ofType;
    list = getNullableType(at);
  }
  return at;
}

/** What is wrong with an input object value's fields, by schema names only. */
function objectProblems(type: GraphQLInputType, value: object): string[] {
  const object = getNullableType(type);
  if (!isInputObjectType(object)) return [];
  const fields = object.getFields();
  const given = value as Record<string, unknown>;
  const problems = Object.values(fields)
    .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined && given[f.name] === undefined)
    .map((f) => `field "${f.name}" of required type "${String(f.type)}" was not provided`);
  // The unknown key is the client's text, part of the value: it is not repeated.
  if (Object.keys(given).some((key) => !Object.hasOwn(fields, key)))
    problems.push(`found a field that type "${object.name}" does not define`);
  return problems.length > 0 ? problems : [mismatch(type, 'an object')];
}

/** The reasons a value at one place of a variable is refused. */
function reasons(type: GraphQLInputType, value: unknown): string[] {
  if (value === null || value === undefined) return [mismatch(type, 'null')];
  if (isInputObjectType(getNullableType(type)) && typeof value === 'object' && !Array.isArray(value))
    return objectProblems(type, value);
  return [mismatch(type, jsonKind(value))];
}

export type CoercedVariables = { coerced: Record<string, unknown> } | { errors: GraphQLError[] };

/**
 * The operation's variables coerced as graphql-js does (defaults, required, null, input coercion),
 * with errors of our words: run before execution, so neither graphql-js nor graphql-jit writes its
 * own message with the value in it.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>>,
): CoercedVariables {
  const coerced: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // Validation refused a variable of an unknown or output type already.
    if (type === undefined || !isInputType(type)) continue;
    const refuse = (message: string) =>
      errors.push(new GraphQLError(message, { nodes: definition, extensions: VARIABLE_ERROR }));
    if (!Object.hasOwn(inputs, name)) {
      if (definition.defaultValue) coerced[name] = valueFromAST(definition.defaultValue, type);
      else if (isNonNullType(type))
        refuse(`Variable "$${name}" of required type "${String(type)}" was not provided.`);
      continue;
    }
    const value = inputs[name];
    if (value === null && isNonNullType(type)) {
      refuse(`Variable "$${name}" of non-null type "${String(type)}" must not be null.`);
      continue;
    }
    // coerceInputValue reports each missing or unknown field of one object apart: said once here.
    const said = new Set<string>();
    coerced[name] = coerceInputValue(value, type, (path, invalid) => {
      const at = path.length > 0 ? ` at "${pathText(name, path)}"` : '';
      for (const reason of reasons(typeAt(type, path, invalid), invalid)) {
        const message = `Variable "$${name}" got an invalid value${at}: ${reason}.`;
        if (!said.has(message)) refuse(message);
        said.add(message);
      }
    });
  }
  return errors.length > 0 ? { errors } : { coerced };
}

/** A literal's kind, in the words `jsonKind` uses (an enum value has its own). */
function literalKind(node: ValueNode): string {
  switch (node.kind) {
    case Kind.STRING:
      return 'a string';
    case Kind.INT:
    case Kind.FLOAT:
      return 'a number';
    case Kind.BOOLEAN:
      return 'a boolean';
    case Kind.NULL:
      return 'null';
    case Kind.ENUM:
      return 'an enum value';
    case Kind.LIST:
      return 'a list';
    default:
      return 'an object';
  }
}

const isValueNode = (node: unknown): node is ValueNode =>
  typeof node === 'object' &&
  node !== null &&
  'kind' in node &&
  node.kind !== Kind.VARIABLE &&
  [Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT].includes(
    node.kind as Kind,
  );

/**
 * Validation errors with the document's literals taken out. graphql-js's ValuesOfCorrectTypeRule
 * (and the scalars' parseLiteral) print the literal (`Expected value of type "Store!", found
 * "<token>"`); such an error is reported on the literal's node, and becomes `Expected value of type
 * "Store!", found a string it does not accept.` An object literal's own errors (a required field
 * missing, a field the type lacks) name schema and document names only and are kept.
 */
export function withoutLiterals(
  schema: GraphQLSchema,
  document: DocumentNode,
  errors: readonly Error[],
): Error[] {
  const literal = new Map<ValueNode, GraphQLError[]>();
  for (const error of errors) {
    const node = error instanceof GraphQLError ? error.nodes?.[0] : undefined;
    if (error instanceof GraphQLError && isValueNode(node))
      literal.set(node, [...(literal.get(node) ?? []), error]);
  }
  if (literal.size === 0) return [...errors];
  const rewritten = new Map<Error, GraphQLError>();
  const typeInfo = new TypeInfo(schema);
  const rewrite = (node: ValueNode) => {
    const type = typeInfo.getInputType();
    for (const error of literal.get(node) ?? []) {
      if (!type || (node.kind === Kind.OBJECT && isInputObjectType(getNullableType(type)))) continue;
      const message = `Expected value of type "${String(type)}", ${found(type, literalKind(node), 'an enum value')}.`;
      rewritten.set(error, new GraphQLError(message, { nodes: node, extensions: error.extensions }));
    }
  };
  const enter = (node: ValueNode) => void (literal.has(node) && rewrite(node));
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue: enter,
      IntValue: enter,
      FloatValue: enter,
      BooleanValue: enter,
      NullValue: enter,
      EnumValue: enter,
      ListValue: enter,
      ObjectValue: enter,
    }),
  );
  return errors.map((error) => rewritten.get(error) ?? error);
}
