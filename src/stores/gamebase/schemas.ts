import { z } from 'zod';
import { decimalString, sequenceSchema as sequence } from '../http/envelope-fields.js';
import { GAMEBASE_PRODUCT_TYPES } from './codes.js';

/**
 * Response shapes of the Gamebase server API v1.3, purchase part. `productSeq` (Long) and
 * `paymentSeq` (String) decode to digit strings. Prices are "Float" JSON numbers such as `1500.0`
 * or `2.29`: they decode to decimal strings (the number's shortest round-trip form), never to
 * floats we would compute with. Times stay the guide's ISO 8601 strings, with their epoch ms beside.
 */

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO 8601 time');

/** A new product type decodes as UNKNOWN instead of failing the whole answer. */
const productType = z.enum(GAMEBASE_PRODUCT_TYPES).catch('UNKNOWN');

export const consumeResultSchema = z.object({
  price: decimalString,
  currency: z.string(),
  productSeq: sequence.nullish(),
  /** Store code (see GAMEBASE_STORE_CODES); kept as text so a new store does not break decoding. */
  marketId: z.string(),
  /** "exists in the response result according to the SDK version and payment API used by the client". */
  gamebaseProductId: z.string().nullish(),
  payload: z.string().nullish(),
});
export type ConsumeResult = z.output<typeof consumeResultSchema>;

const paymentFields = {
  paymentSeq: sequence,
  productSeq: sequence.nullish(),
  currency: z.string(),
  price: decimalString,
  marketId: z.string(),
  accessToken: z.string(),
  paymentId: z.string().nullish(),
  gamebaseProductId: z.string().nullish(),
  purchaseTime: isoTime,
  payload: z.string().nullish(),
  isTestPurchase: z.boolean().nullish(),
  /**
   * The receipt's purchase type as the SDK guide shows it (document 004): null for a normal payment,
   * `Test`, `Promo`. The server API guide does not list it; kept when an answer carries it.
   */
  purchaseType: z.string().nullish(),
};

const withTimeMs = <T extends { purchaseTime: string }>(value: T) => ({
  ...value,
  purchaseTimeMs: Date.parse(value.purchaseTime),
});

export const consumablePaymentSchema = z.object(paymentFields).transform(withTimeMs);
export type ConsumablePayment = z.output<typeof consumablePaymentSchema>;

export const consumableListSchema = z.array(consumablePaymentSchema);

export const paymentTransactionSchema = z
  .object({
    ...paymentFields,
    /**
     * The underlying store's own purchase token (e.g. Google Play's), which Get Payment Transaction
     * adds to the list fields (API guide v1.3, seeds README). Absent from answers that do not carry
     * it (the sandbox's among them), which still verify.
     */
    paymentToken: z.string().nullish(),
    productType,
    userId: z.string(),
    /** "true: Currently in non-consumed state, so Consume API can be called". */
    isConsumable: z.boolean(),
  })
  .transform(withTimeMs);
export type PaymentTransaction = z.output<typeof paymentTransactionSchema>;
