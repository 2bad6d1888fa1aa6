import { sequenceText } from '../http/envelope-fields.js';
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
