import { z } from 'zod';
import { decimalString, sequenceSchema as sequence } from '../http/envelope-fields.js';
import { GAMEBASE_PRODUCT_TYPES } from './codes.js';

/**
 * Answers of the Gamebase server API v1.3 subscription calls, as the public API guide prints them
 * (TOAST-DOCS/Gamebase `api-guide.md`, section "Purchase(IAP)": "List Active Subscriptions" and
 * "Get Subscriptions Status"; https://docs.nhncloud.com/ko/Game/Gamebase/ko/api-guide/).
 *
 * Every field is decoded; nothing the guide lists is dropped. Where the guide's table gives no more
 * than a type, the comment says so. Prices are the guide's "Float" JSON numbers, decoded to decimal
 * strings (`decimalString`, the number's shortest round-trip text); times stay the guide's ISO 8601
 * strings ("2020-06-02T13:38:56+09:00") with their epoch ms beside.
 */

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO 8601 time');
const msOf = (value: string | null | undefined) =>
  value === null || value === undefined ? null : Date.parse(value);

/**
 * The guide's "Store Reference Status" table ("payment reference status provided by the payment
 * system"; only Google In-App has codes, and the field is "currently only supported by Google Play
 * Store"). A code the table does not hold decodes as NOT_APPOINTED, the table's own "no
 * corresponding condition", so a new one does not fail the answer; the raw text stays beside it.
 */
export const GAMEBASE_REFERENCE_STATUSES = [
  'PURCHASED',
  'REPURCHASED',
  'RESTARTED',
  'PENDING',
  'RENEWED',
  'RECOVERED',
  'PAUSE_SCHEDULED',
  'PAUSED',
  'REVOKED',
  'CANCELED_PRODUCT',
  'CANCELED_SUBSCRIPTION',
  'ON_HOLD',
  'IN_GRACE',
  'EXPIRED',
  'NOT_APPOINTED',
] as const;
export type GamebaseReferenceStatus = (typeof GAMEBASE_REFERENCE_STATUSES)[number];

/** `includeInactiveGoogleStatuses`: "Currently only support 'ON_HOLD' status" (the guide). */
export const GAMEBASE_INACTIVE_GOOGLE_STATUSES = ['ON_HOLD'] as const;
export type GamebaseInactiveGoogleStatus = (typeof GAMEBASE_INACTIVE_GOOGLE_STATUSES)[number];

/** Fields both answers share, with the guide's descriptions. */
const sharedFields = {
  userId: z.string(),
  /** "Payment number" (Gamebase's). */
  paymentSeq: sequence,
  /** "Payment validation token" (the SDK's purchaseToken). */
  accessToken: z.string(),
  /** "Recently updated store payment ID": the SDK guide says it changes at every renewal. */
  paymentId: z.string().nullish(),
  /** "Initial store payment ID"; the SDK guide: may be absent depending on the store. */
  originalPaymentId: z.string().nullish(),
  /** "Recent updated time": when the current period was paid. */
  purchaseTime: isoTime,
  /** "Subscription expiration time". */
  expiryTime: isoTime.nullish(),
  /** "When RENEWED/RECOVERED occurred"; the guide does not say what it holds before any renewal. */
  renewTime: isoTime.nullish(),
  /** The Store Reference Status code; "currently only supported by Google Play Store". */
  referenceStatus: z.string().nullish(),
};

interface SharedWire {
  purchaseTime: string;
  expiryTime?: string | null | undefined;
  renewTime?: string | null | undefined;
  referenceStatus?: string | null | undefined;
}

/** Epoch ms beside each time, and the status code read against the table (the raw text kept). */
const derived = (value: SharedWire) => ({
  purchaseTimeMs: Date.parse(value.purchaseTime),
  expiryTimeMs: msOf(value.expiryTime),
  renewTimeMs: msOf(value.renewTime),
  referenceStatusText: value.referenceStatus ?? null,
  referenceStatus:
    value.referenceStatus === null || value.referenceStatus === undefined
      ? null
      : (GAMEBASE_REFERENCE_STATUSES.find((s) => s === value.referenceStatus) ?? ('NOT_APPOINTED' as const)),
});

/** One entry of List Active Subscriptions (`POST .../active-subscriptions`). */
export const activeSubscriptionSchema = z
  .object({
    ...sharedFields,
    /** Store code; text, so a new store does not break decoding. */
    marketId: z.string(),
    /** "Item number", Long in the guide. */
    productSeq: sequence.nullish(),
    /** "Identifier of product (item) registered at store". */
    productId: z.string().nullish(),
    /** The guide lists only AUTO_RENEWABLE here; the SDK's CONSUMABLE_AUTO_RENEWABLE is listed too. */
    productType: z.enum(GAMEBASE_PRODUCT_TYPES).catch('UNKNOWN'),
    currency: z.string(),
    price: decimalString,
    /** "Payment ID for the original transaction when canceling/repurchasing"; Google Play only. */
    linkedPaymentId: z.string().nullish(),
    gamebaseProductId: z.string().nullish(),
    payload: z.string().nullish(),
    isTestPurchase: z.boolean().nullish(),
  })
  .transform((value) => ({ ...value, ...derived(value) }));
export type ActiveSubscription = z.output<typeof activeSubscriptionSchema>;

export const activeSubscriptionListSchema = z.array(activeSubscriptionSchema);

/** One entry of Get Subscriptions Status (`POST .../subscriptions/status`). */
export const subscriptionStatusSchema = z
  .object(sharedFields)
  .transform((value) => ({ ...value, ...derived(value) }));
export type SubscriptionStatus = z.output<typeof subscriptionStatusSchema>;

export const subscriptionStatusListSchema = z.array(subscriptionStatusSchema);
