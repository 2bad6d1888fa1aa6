import {
  DIGITS_PATTERN,
  invalidInput,
  type PathParam,
  type SegmentRule,
  type UrlContext,
} from '../http/safe-path.js';

/** NHN sequence numbers (paymentSeq, itemSeq, appSeq) are decimal digits only. */
export const SEQUENCE_RULE: SegmentRule = { maxLength: 20, pattern: DIGITS_PATTERN, allowed: 'digits' };

/** A sequence given as a digit string or a safe non-negative integer. */
export type Sequence = string | number;

function sequenceText(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
}

export function sequenceParam(field: string, value: unknown): PathParam {
  return { field, value: sequenceText(value), rule: SEQUENCE_RULE };
}

/** appSeq goes into a JSON body as a number (the field table says Long). */
export function sequenceNumber(ctx: UrlContext, field: string, value: unknown): number {
  const text = sequenceText(value);
  if (typeof text !== 'string' || !DIGITS_PATTERN.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidInput(ctx, field, 'must be a non-negative integer');
  }
  return Number(text);
}

const BODY_TEXT = /^[\x21-\x7e]+$/;

/** Short printable-ASCII body values (userKey, userChannel). */
export function bodyText(ctx: UrlContext, field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !BODY_TEXT.test(value)) {
    throw invalidInput(ctx, field, `must be 1-${maxLength} printable ASCII characters without spaces`);
  }
  return value;
}

/** Same rule for both envelope stores: see `paymentTokenText`. */
export { paymentTokenText as purchaseTokenText } from '../http/envelope.js';
