import { z } from 'zod';

/**
 * Response shapes of the ONE store IAP Server API v7, from the document's field tables. Its examples
 * print the list keys with a trailing space (`"voidedPurchaseList "`); a store that answers as its
 * document prints is read too (see {@link listPage}). Unknown keys are dropped. Fields the document
 * marks as situational (pause, cancel, promotion ...) decode to `null` when absent.
 */

const millis = z.int().nonnegative();
const binaryState = z.literal([0, 1]);

/** Micro-units arrive as a JSON Long; we keep them as a decimal string so money is never a float. */
const micros = z.union([z.int(), z.string().regex(/^-?\d+$/)]).transform((value) => String(value));

function situational<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | null => value ?? null);
}

const printableToken = /^[\x21-\x7e]+$/;

export const tokenResponseSchema = z.object({
  client_id: z.string().optional(),
  access_token: z.string().min(1).max(4096).regex(printableToken),
  token_type: z.string().refine((value) => value.toLowerCase() === 'bearer'),
  expires_in: z.int().positive(),
  scope: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export const purchaseDetailsSchema = z.object({
  consumptionState: binaryState,
  developerPayload: situational(z.string()),
  purchaseState: binaryState,
  purchaseTime: millis,
  purchaseId: z.string(),
  acknowledgeState: binaryState,
  quantity: z.int().positive(),
});
export type PurchaseDetails = z.output<typeof purchaseDetailsSchema>;

export const recurringPurchaseDetailsSchema = z.object({
  startTime: millis,
  expiryTime: millis,
  nextPaymentTime: situational(millis),
  autoRenewing: z.boolean(),
  cancelReason: situational(binaryState),
  cancelledTime: situational(millis),
  acknowledgeState: binaryState,
  lastPurchaseId: z.string(),
  lastPurchaseState: binaryState,
});
export type RecurringPurchaseDetails = z.output<typeof recurringPurchaseDetailsSchema>;

export const subscriptionDetailSchema = z.object({
  acknowledgementState: binaryState,
  developerPayload: situational(z.string()),
  autoRenewing: z.boolean(),
  /** null: expired; 0: payment pending; 1: paid; 2: free period; 3: deferred plan change. */
  paymentState: situational(z.literal([0, 1, 2, 3])),
  priceAmount: z.string(),
  priceAmountMicros: micros,
  nextPriceAmount: situational(z.string()),
  nextPriceAmountMicros: situational(micros),
  nextPaymentTimeMillis: situational(millis),
  priceCurrencyCode: z.string(),
  countryCode: situational(z.string()),
  startTimeMillis: millis,
  expiryTimeMillis: millis,
  pauseStartTimeMillis: situational(millis),
  pauseEndTimeMillis: situational(millis),
  autoResumeTimeMillis: situational(millis),
  linkedPurchaseToken: situational(z.string()),
  lastPurchaseId: z.string(),
  cancelledTimeMillis: situational(millis),
  cancelReason: situational(binaryState),
  promotionPrice: situational(
    z.object({
      promotionPrice: z.string(),
      promotionPriceMicros: micros,
      promotionPeriod: z.int(),
    }),
  ),
  priceChange: situational(
    z.object({
      seq: z.int(),
      previousPrice: z.string(),
      previousPriceMicros: micros,
      newPrice: z.string(),
      newPriceMicros: micros,
      applyTimeMillis: millis,
      agreement: z.boolean(),
      agreementDueDateTimeMillis: situational(millis),
    }),
  ),
});
export type SubscriptionDetail = z.output<typeof subscriptionDetailSchema>;

/** An empty continuation key means "no more pages", like an absent one. */
const continuationKey = situational(z.string()).transform((value) => (value === '' ? null : value));

export const voidedPurchaseSchema = z.object({
  purchaseId: z.string(),
  purchaseTime: millis,
  voidedTime: millis,
  purchaseToken: z.string(),
  marketCode: situational(z.string()),
});
export type VoidedPurchase = z.output<typeof voidedPurchaseSchema>;

/**
 * A list page whose list sits under `listKey`, the field table's spelling, or under that key with
 * surrounding spaces, as the document's examples print it (`"voidedPurchaseList "`). Both spellings
 * in one answer cannot be told apart, so that answer is refused rather than one of them guessed.
 */
function listPage<K extends string, T extends z.ZodType>(listKey: K, entry: T) {
  const page = z.object({ continuationKey, [listKey]: z.array(entry) } as {
    continuationKey: typeof continuationKey;
  } & Record<K, z.ZodArray<T>>);
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const spelled = Object.keys(value).filter((key) => key !== listKey && key.trim() === listKey);
    if (spelled.length === 0) return value;
    if (spelled.length > 1 || Object.hasOwn(value, listKey)) {
      ctx.addIssue({ code: 'custom', message: 'the list key appears twice', path: [listKey] });
      return value;
    }
    const { [spelled[0] ?? '']: list, ...rest } = value as Record<string, unknown>;
    return { ...rest, [listKey]: list };
  }, page);
}

export const voidedPurchasesPageSchema = listPage('voidedPurchaseList', voidedPurchaseSchema);
export type VoidedPurchasesPage = z.output<typeof voidedPurchasesPageSchema>;

export const unconfirmedPurchaseSchema = z.object({
  /** Product type code: `inapp`, `auto` or `subscription`. */
  type: z.string(),
  orderId: z.string(),
  productId: z.string(),
  purchaseToken: z.string(),
  purchaseId: z.string(),
  purchaseTime: millis,
  purchaseState: binaryState,
  developerPayload: situational(z.string()),
  quantity: z.int().positive(),
  marketCode: situational(z.string()),
});
export type UnconfirmedPurchase = z.output<typeof unconfirmedPurchaseSchema>;

export const unconfirmedPurchasesPageSchema = listPage('unconfirmedPurchaseList', unconfirmedPurchaseSchema);
export type UnconfirmedPurchasesPage = z.output<typeof unconfirmedPurchasesPageSchema>;

/** The answer of every state-changing endpoint. */
export const successResultSchema = z.object({
  result: z.object({ code: z.literal('Success'), message: z.string().optional() }),
});
export type SuccessResult = { code: 'Success'; message: string | undefined };

/** The standard error answer (표준오류 응답규격). */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string().min(1), message: z.string().optional() }),
});
