import { z } from 'zod';
import { nhncloud, onestore, type SegmentRule } from '../stores/index.js';
import { InvalidInputError } from './errors/error-classes.js';

/**
 * Arguments that become path segments use the store clients' own rules (the document's sizes and
 * the same allowlists), so the edge and the URL builder cannot drift apart; the others are ours.
 */
const RULES = {
  productId: onestore.PRODUCT_ID_RULE,
  purchaseToken: onestore.PURCHASE_TOKEN_RULE,
  sequence: nhncloud.SEQUENCE_RULE,
  nhnPurchaseToken: { maxLength: 1024, pattern: /^[A-Za-z0-9+/=_-]+$/, allowed: 'base64 characters' },
  userKey: { maxLength: 200, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  userChannel: { maxLength: 50, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'ASCII letters, digits, _ and -' },
  developerPayload: { maxLength: 200, pattern: /^[^\p{Cc}]*$/u, allowed: 'no control characters' },
  userId: { maxLength: 128, pattern: /^[^\p{Cc}\s]+$/u, allowed: 'no spaces or control characters' },
  idempotencyKey: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The Gamebase client's own rule for userId (the guide's ids: QXG774PMRZMWR3BR, AS@QW4M1GM7W97YJDCN).
  gamebaseUserId: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  gamebaseToken: { maxLength: 2048, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  gamebaseProductId: { maxLength: 150, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The ledger's event ids are UUIDs; the rule only keeps junk out of the query.
  eventId: { maxLength: 64, pattern: /^[A-Za-z0-9-]+$/, allowed: 'ASCII letters, digits and -' },
  webhookEndpoint: {
    maxLength: 64,
    pattern: /^[a-z0-9][a-z0-9_-]*$/,
    allowed: 'lowercase letters, digits, _ and -',
  },
} as const satisfies Record<string, SegmentRule>;

export type Rule = keyof typeof RULES;

const isRule = (value: unknown): value is Rule => typeof value === 'string' && Object.hasOwn(RULES, value);

function fits(value: unknown, rule: SegmentRule): value is string {
  if (typeof value !== 'string') return false;
  // Sizes count code points, as the store clients do (a loop: no array of characters per check).
  let length = 0;
  for (const _ of value) {
    length += 1;
    if (length > rule.maxLength) return false;
  }
  return length > 0 && rule.pattern.test(value);
}

/**
 * A string argument under one of RULES. A missing one fails like an empty one, so an input field
 * the GraphQL type leaves optional (`checks[].productId`) can be required per store with the same
 * message.
 */
export const text = (rule: Rule) =>
  z.custom<string>((value) => fits(value, RULES[rule]), { params: { rule } });

/** The same rule for an optional argument: null and absent both become undefined. */
export const optionalText = (rule: Rule) =>
  text(rule)
    .nullish()
    .transform((value) => value ?? undefined);

/** The ONE store purchase reference, as lookups, checks and mutations take it. */
export const ONE_STORE_REF = { productId: text('productId'), purchaseToken: text('purchaseToken') };

/**
 * A schema over some of the fields of `Fields` (a Pothos input's `$inferInput`, or a field's
 * arguments): a key that is not a field does not compile, so the path an error names is one the
 * schema knows. The shape's order is the order fields are checked in; the first failure answers.
 */
export const inputSchema =
  <Fields>() =>
  <Shape extends { [K in keyof Shape]: K extends keyof Fields ? z.ZodType : never }>(shape: Shape) =>
    z.object(shape);

/**
 * `value` checked against `schema`, or an InvalidInputError for the first failure. Its `field` is
 * the argument's path: `at` (the argument or input's own path, e.g. `input` or `checks.3`) and the
 * failing key. A rule's message names that path; any other issue carries its own message.
 */
export function validated<S extends z.ZodType>(schema: S, value: unknown, at = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [at, ...(issue?.path ?? []).map(String)].filter((part) => part !== '').join('.');
  const rule: unknown = issue?.code === 'custom' ? issue.params?.rule : undefined;
  if (isRule(rule)) {
    const r: SegmentRule = RULES[rule];
    throw new InvalidInputError(field, `${field} must be 1-${r.maxLength} characters: ${r.allowed}.`);
  }
  throw new InvalidInputError(field, issue?.message ?? `${field} is not valid.`);
}
