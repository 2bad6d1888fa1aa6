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
} as const satisfies Record<string, SegmentRule>;

export type Rule = keyof typeof RULES;

/** Checks one argument at the GraphQL edge; `field` is its path, e.g. `input.purchaseToken`. */
export function check(field: string, value: string, rule: Rule): string {
  const r: SegmentRule = RULES[rule];
  // Sizes count code points, as the store clients do.
  const length = [...value].length;
  if (length === 0 || length > r.maxLength || !r.pattern.test(value)) {
    throw new InvalidInputError(field, `${field} must be 1-${r.maxLength} characters: ${r.allowed}.`);
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
