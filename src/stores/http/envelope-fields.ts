import { z } from 'zod';
import { invalidInput, type UrlContext } from './safe-path.js';

/**
 * Fields NHN Cloud IAP and Gamebase (one company's two APIs) write alike, decoded and checked once
 * for both: sequence numbers, prices, payment tokens and short body texts.
 */

/**
 * A sequence number (paymentSeq, itemSeq, appSeq, productSeq): documented as Long in one table and
 * String in another, and sent both ways; decoded to its digit string.
 */
export const sequenceSchema = z
  .union([z.int().nonnegative(), z.string().regex(/^\d{1,20}$/)])
  .transform((value) => String(value));

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * A price sent as a JSON number such as `1000.0` or `2.29`, decoded to its shortest round-trip form
 * as a decimal string ("1000"), never to a float we would compute with; anything that would print in
 * exponent form or is negative is rejected rather than guessed at.
 */
export const decimalString = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'not a plain non-negative decimal' });
    return z.NEVER;
  }
  return text;
});

/** A sequence given as a safe non-negative integer becomes its digit string; anything else is left to the check. */
export function sequenceText(value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
}

const BODY_TEXT = /^[\x21-\x7e]+$/;

/** Short printable-ASCII body values (NHN userKey and userChannel, Gamebase userId). */
export function bodyText(ctx: UrlContext, field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !BODY_TEXT.test(value)) {
    throw invalidInput(ctx, field, `must be 1-${maxLength} printable ASCII characters without spaces`);
  }
  return value;
}

/** Payment tokens of NHN Cloud and Gamebase are base64 / base64url text (their examples hold `/`, `=`, `_`, `-`). */
export function purchaseTokenText(ctx: UrlContext, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 2048 ||
    !/^[A-Za-z0-9+/=_.-]+$/.test(value)
  ) {
    throw invalidInput(ctx, 'purchaseToken', 'must be 1-2048 base64 characters');
  }
  return value;
}
