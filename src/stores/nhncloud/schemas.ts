import { z } from 'zod';

/**
 * Response shapes of the NHN Cloud IAP server API. Sequence numbers are documented as Long in one
 * table and String in another (and appear both ways in the examples): they decode to digit strings.
 * Prices arrive as JSON numbers such as `1000.0`: they decode to decimal strings, never to floats we
 * would compute with.
 */

const sequence = z
  .union([z.int().nonnegative(), z.string().regex(/^\d{1,20}$/)])
  .transform((value) => String(value));

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The number's shortest round-trip form (`1000.0` parses to 1000 and prints as "1000"); anything
 * that would print in exponent form or is negative is rejected rather than guessed at.
 */
export const decimalString = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!DECIMAL.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'not a plain non-negative decimal' });
    return z.NEVER;
  }
  return text;
});

export const envelopeHeaderSchema = z.object({
  isSuccessful: z.boolean(),
  resultCode: z.int(),
  resultMessage: z.string().nullish(),
});

export const envelopeSchema = z.object({
  header: envelopeHeaderSchema,
  result: z.unknown().optional(),
});

export const consumeResultSchema = z.object({
  price: decimalString,
  currency: z.string(),
});
export type ConsumeResult = z.output<typeof consumeResultSchema>;

export const consumablePaymentSchema = z.object({
  paymentSeq: sequence,
  itemSeq: sequence,
  currency: z.string(),
  price: decimalString,
  purchaseToken: z.string(),
});
export type ConsumablePayment = z.output<typeof consumablePaymentSchema>;

export const consumableListSchema = z.array(consumablePaymentSchema);

export const itemSchema = z.object({
  itemSeq: sequence,
  itemName: z.string(),
  marketItemId: z.string(),
  /** `USE` or `STOP`. */
  usingStatus: z.string(),
  regYmdt: z.string().nullish(),
  appName: z.string().nullish(),
  /** Store of the item, e.g. `GG` (Google), `AS` (Apple), `TS` (ONE store). */
  marketId: z.string(),
});
export type Item = z.output<typeof itemSchema>;

export const itemListSchema = z.object({
  /** `USE` or `STOP`. */
  appUsingStatus: z.string(),
  itemList: z.array(itemSchema),
  marketAppId: z.string().nullish(),
  appSeq: sequence,
});
export type ItemList = z.output<typeof itemListSchema>;
