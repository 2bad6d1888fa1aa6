import { z } from 'zod';
import { decimalString, sequenceSchema as sequence } from '../http/envelope-fields.js';

/**
 * Response shapes of the NHN Cloud IAP server API (the `result` of its envelope). Sequence numbers
 * decode to digit strings and prices (JSON numbers such as `1000.0`) to decimal strings: see
 * `envelope-fields.ts`.
 */

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
