import { InvalidInputError } from './errors/error-classes.js';

/** Sizes from the store documents; characters from the same allowlists the store clients use. */
const RULES = {
  productId: { max: 150, pattern: /^[\p{L}\p{N}._-]+$/u, what: 'letters, digits and ._-' },
  purchaseToken: { max: 20, pattern: /^[A-Za-z0-9]+$/, what: 'ASCII letters and digits' },
  nhnPurchaseToken: { max: 1024, pattern: /^[A-Za-z0-9+/=_-]+$/, what: 'base64 characters' },
  sequence: { max: 20, pattern: /^\d+$/, what: 'digits' },
  userKey: { max: 200, pattern: /^[\x21-\x7e]+$/, what: 'printable ASCII' },
  userChannel: { max: 50, pattern: /^[A-Za-z0-9_-]+$/, what: 'ASCII letters, digits, _ and -' },
  developerPayload: { max: 200, pattern: /^[^\p{Cc}]*$/u, what: 'no control characters' },
} as const;

export type Rule = keyof typeof RULES;

/** Checks one argument at the GraphQL edge; `field` is its path, e.g. `input.purchaseToken`. */
export function check(field: string, value: string, rule: Rule): string {
  const r = RULES[rule];
  if (value.length === 0 || value.length > r.max || !r.pattern.test(value)) {
    throw new InvalidInputError(field, `${field} must be 1-${r.max} characters: ${r.what}.`);
  }
  return value;
}

export function checkOptional(
  field: string,
  value: string | null | undefined,
  rule: Rule,
): string | undefined {
  return value === null || value === undefined ? undefined : check(field, value, rule);
}
