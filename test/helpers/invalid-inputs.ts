import fc from 'fast-check';
import {
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { CLOCK_SKEW_TOLERANCE_MS } from '../../src/graphql/validate.js';

/**
 * What the input property test (test/gateway/input-property.test.ts) needs: every argument leaf of
 * the schema, and values each kind of argument must refuse.
 */

export type Root = 'Query' | 'Mutation' | 'EventStream';

/** One scalar or enum an operation takes, at its path below the field's arguments. */
export interface ArgumentLeaf {
  root: Root;
  field: string;
  /** The schema path, e.g. `input.onestore.developerPayload`, `checks.productId`. */
  path: string;
  /** The path an InvalidInputError names: list entries get their index (`checks.0.productId`). */
  errorPath: string;
  enumValues: string[] | null;
  /** A list of values (`types`, `storeCodes`), not one. */
  list: boolean;
  /** Non-null in the schema: absent or null is refused by GraphQL itself, so no valid case. */
  required: boolean;
}

/** Every argument leaf of every root field, walking input objects and lists of them. */
export function argumentLeaves(schema: GraphQLSchema): ArgumentLeaf[] {
  const out: ArgumentLeaf[] = [];
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  for (const type of roots) {
    if (!type) continue;
    const root = type.name as Root;
    for (const field of Object.values(type.getFields())) {
      const walk = (path: string[], errorPath: string[], input: GraphQLInputType) => {
        const nullable = getNullableType(input);
        const named = getNamedType(input);
        if (isInputObjectType(named)) {
          const index = isListType(nullable) ? ['0'] : [];
          for (const f of Object.values(named.getFields()))
            walk([...path, f.name], [...errorPath, ...index, f.name], f.type);
          return;
        }
        // A Boolean has no value the gateway refuses: GraphQL itself takes true, false or null only.
        if (named.name === 'Boolean') return;
        out.push({
          root,
          field: field.name,
          path: path.join('.'),
          // A list of texts is checked per element: the error names the element (`userIds.0`); a list
          // of enum members is GraphQL's to refuse.
          errorPath: [...errorPath, ...(isListType(nullable) && !isEnumType(named) ? ['0'] : [])].join('.'),
          enumValues: isEnumType(named) ? named.getValues().map((v) => v.name) : null,
          list: isListType(nullable),
          required: isNonNullType(input),
        });
      };
      for (const arg of field.args as readonly GraphQLArgument[]) walk([arg.name], [arg.name], arg.type);
    }
  }
  return out;
}

/**
 * A document calling `root.field` with the arguments `names`, each passed as a variable of the
 * argument's own type, selecting `selection`.
 */
export function operation(
  schema: GraphQLSchema,
  root: Root,
  field: string,
  names: string[],
  selection: string,
): string {
  const type =
    root === 'Query'
      ? schema.getQueryType()
      : root === 'Mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const def = type?.getFields()[field];
  if (!def) throw new Error(`no ${root}.${field}`);
  const args = def.args.filter((a) => names.includes(a.name));
  const decl = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const kind = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
  return `${kind}(${decl}) { ${field}(${args.map((a) => `${a.name}: $${a.name}`).join(', ')}) { ${selection} } }`;
}

/** Sets `value` at a dotted path (numeric parts index arrays), creating nothing: the base has the shape. */
export function withValue(
  base: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(base);
  const parts = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (typeof next !== 'object' || next === null) throw new Error(`the base has no ${part} in ${path}`);
    at = next as Record<string, unknown>;
  }
  at[parts.at(-1) as string] = value;
  return copy;
}

const insertAt = (valid: string, bad: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.nat({ max: valid.length }), bad)
    .map(([at, char]) => `${valid.slice(0, at)}${char}${valid.slice(at)}`);

/** A lone UTF-16 surrogate (high or low) inside an otherwise valid value. */
export const loneSurrogate = (valid: string) =>
  insertAt(
    valid,
    fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  );

/** A C0 or C1 control character (NUL, tab, newline, DEL ...) inside an otherwise valid value. */
export const controlChar = (valid: string) =>
  insertAt(
    valid,
    fc
      .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .map((code) => String.fromCharCode(code)),
  );

/** A value one to forty characters longer than `max`, made only of allowed characters. */
export const overlong = (max: number, alphabet: string) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: max + 1, maxLength: max + 40 })
    .map((chars) => chars.join(''));

/**
 * What a text argument allows: its longest value (in UTF-16 code units, as src/graphql/validate.ts
 * and a Java store count a String), a valid value and characters it accepts.
 */
export interface TextRule {
  max: number;
  valid: string;
  /** ASCII characters it accepts, to build overlong values from. */
  alphabet: string;
  /** Spaces are allowed inside (developerPayload). Default: refused. */
  spaces?: boolean;
  /** The empty string is a value too (developerPayload). Default: refused. */
  empty?: true;
  /**
   * Every class of characters it accepts, by name, each with a few samples (one or more code
   * points; astral ones as proper surrogate pairs): the valid side builds its values from them.
   */
  classes: Record<string, string>;
  /** The characters a value may begin with, when not all of them (app and endpoint names). */
  lead?: string;
  /** Whole values its characters can spell that it refuses (`.` and `..`: dot path segments). */
  not?: string[];
  /** Values the config must hold to be valid (an app, a webhook endpoint): taken from the harness. */
  configured?: 'apps' | 'endpoints';
}

/** An astral character (two UTF-16 code units) the rule accepts, if any. */
export const astralOf = (rule: TextRule): string | undefined =>
  Object.values(rule.classes)
    .flatMap((chars) => [...chars])
    .find((char) => char.length === 2);

/** Values every text argument refuses: broken UTF-16, control characters, too long, empty, spaces. */
export function invalidText(rule: TextRule): fc.Arbitrary<string> {
  return fc.oneof(
    loneSurrogate(rule.valid),
    controlChar(rule.valid),
    overlong(rule.max, rule.alphabet),
    ...(rule.empty ? [] : [fc.constant('')]),
    ...(rule.spaces ? [] : [insertAt(rule.valid, fc.constantFrom(' ', '\u00a0', '\u2028', '\u3000'))]),
  );
}

/** The same classes as fixed examples, so each is tried whatever the seed draws. */
export function textExamples(rule: TextRule): string[] {
  return [
    `${rule.valid}\ud800`,
    `\udc00${rule.valid}`,
    `${rule.valid}\u0000`,
    `${rule.valid}\n`,
    rule.valid.slice(0, 1).repeat(rule.max + 1),
    // Within the limit in code points, over it in UTF-16 code units (a Java store's String length).
    ...[astralOf(rule)].flatMap((astral) => (astral ? [astral.repeat(Math.floor(rule.max / 2) + 1)] : [])),
    ...(rule.empty ? [] : ['']),
    ...(rule.not ?? []),
    ...(rule.spaces ? [] : [`${rule.valid} x`]),
  ];
}

/** Integers of GraphQL's Int range outside `min..max`. */
export const outOfRange = (min: number, max: number) =>
  fc.oneof(fc.integer({ min: -(2 ** 31), max: min - 1 }), fc.integer({ min: max + 1, max: 2 ** 31 - 1 }));

const DAY = 86_400_000;
/** The latest instant the DateTime scalar writes: 9999-12-31T23:59:59.999Z. */
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An ISO instant a minute or more past the clock-skew tolerance after `now` (the gateway takes a time
 * up to that far ahead as now), up to year 9999.
 */
export const future = (now: number) =>
  fc
    .integer({ min: now + CLOCK_SKEW_TOLERANCE_MS + 60_000, max: LAST })
    .map((ms) => new Date(ms).toISOString());

/** An ISO instant more than a month (32 days, whatever the month) before `now`, from 1970. */
export const monthsAgo = (now: number) =>
  fc.integer({ min: 0, max: now - 32 * DAY }).map((ms) => new Date(ms).toISOString());

/** A base64url text that decodes to `text`: a forged cursor. */
export const forged = (text: string) => Buffer.from(text).toString('base64url');
