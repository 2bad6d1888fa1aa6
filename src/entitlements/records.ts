/**
 * The gateway's one vocabulary for what the stores report, whatever store it came from.
 * Times are UTC `Date`s; money is decimal strings; states are named, never raw integers.
 */

import type { StoreId } from '../vocabulary/stores.js';

export type Market = 'MKT_ONE' | 'MKT_GLB';

export interface Money {
  /** Decimal string as the store wrote it, e.g. "4900" or "4.99". */
  amount: string;
  /** amount × 1,000,000 as an integer string, when the store gives it. */
  amountMicros: string | null;
  currency: string;
}

/** A raw store time kept beside its UTC reading, so a caller can check the normalization. */
export interface StoreTime {
  field: string;
  millis: number;
}

export type EntitlementReason =
  | 'PURCHASED'
  | 'UNCONSUMED_PAYMENT'
  | 'CONSUMED'
  | 'CANCELLED'
  | 'SUBSCRIPTION_ACTIVE'
  | 'CANCEL_RESERVED'
  | 'PAUSE_RESERVED'
  /** Deprecated: no longer produced; grace and hold are told apart (IN_GRACE_PERIOD, ON_HOLD). */
  | 'PAYMENT_PENDING'
  | 'PAUSED'
  | 'EXPIRED'
  | 'IN_GRACE_PERIOD'
  | 'ON_HOLD'
  | 'DEFERRED';

export interface Entitlement {
  active: boolean;
  expiresAt: Date | null;
  reason: EntitlementReason;
}

export type PurchaseKind = 'ONESTORE_MANAGED' | 'ONESTORE_MONTHLY' | 'NHN_CLOUD_PAYMENT';

export interface PurchaseRecord {
  store: StoreId;
  app: string;
  kind: PurchaseKind;
  productId: string | null;
  purchaseToken: string;
  purchaseId: string | null;
  orderId: string | null;
  market: Market | null;
  quantity: number;
  purchaseState: 'PURCHASED' | 'CANCELLED';
  consumptionState: 'NOT_CONSUMED' | 'CONSUMED';
  acknowledgementState: 'NOT_ACKNOWLEDGED' | 'ACKNOWLEDGED';
  developerPayload: string | null;
  purchasedAt: Date | null;
  /** The store cancels a ONE store purchase not acknowledged or consumed by then. */
  acknowledgeDeadline: Date | null;
  paymentSeq: string | null;
  itemSeq: string | null;
  price: Money | null;
  storeTimes: StoreTime[];
  entitlement: Entitlement;
}

export type SubscriptionKind = 'MONTHLY' | 'SUBSCRIPTION';
export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCEL_RESERVED'
  | 'PAUSE_RESERVED'
  | 'PAUSED'
  /** Deprecated: no longer produced; grace and hold are told apart (IN_GRACE_PERIOD, ON_HOLD). */
  | 'PAYMENT_PENDING'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'IN_GRACE_PERIOD'
  | 'ON_HOLD'
  | 'DEFERRED';

/** getSubscriptionDetail `priceChange` (가격변동정보); money in the subscription's currency. */
export interface PriceChange {
  seq: number;
  previousPrice: Money;
  newPrice: Money;
  /** applyTimeMillis (적용일자). */
  appliesAt: Date;
  /** agreement: whether the subscriber agreed to the new price. */
  agreed: boolean;
  /**
   * agreementDueDateTimeMillis (the change date + 7 + 30 days); a subscriber who has not agreed by
   * then stops renewing. Null when the store leaves it out (the parser accepts an absent value).
   */
  agreementDueAt: Date | null;
}

/** getSubscriptionDetail `promotionPrice`. */
export interface Promotion {
  price: Money;
  /** promotionPeriod (프로모션 적용 회차): how many payment rounds the promotion price applies to. */
  periods: number;
}

/** What the current period is: a free trial (paymentState 2), a promotion price, or the normal price. */
export type PeriodType = 'FREE_TRIAL' | 'PROMOTION' | 'NORMAL';

export interface SubscriptionRecord {
  store: StoreId;
  app: string;
  kind: SubscriptionKind;
  productId: string;
  purchaseToken: string;
  market: Market;
  status: SubscriptionStatus;
  autoRenewing: boolean;
  acknowledgementState: 'NOT_ACKNOWLEDGED' | 'ACKNOWLEDGED';
  lastPurchaseId: string;
  developerPayload: string | null;
  startedAt: Date;
  expiresAt: Date;
  nextPaymentAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: 'CUSTOMER_REQUEST' | 'OTHER' | null;
  pauseStartsAt: Date | null;
  pauseEndsAt: Date | null;
  autoResumeAt: Date | null;
  price: Money | null;
  nextPrice: Money | null;
  linkedPurchaseToken: string | null;
  /** countryCode (the document: "KR 고정"); null for monthly products, which have none. */
  countryCode: string | null;
  periodType: PeriodType;
  /** autoRenewing, and neither terminal nor stopped by a price change left unagreed past its due time. */
  willRenew: boolean;
  /** In grace or hold (paymentState 0): when the failed payment was due (nextPaymentTimeMillis). */
  billingIssueSince: Date | null;
  priceChange: PriceChange | null;
  promotion: Promotion | null;
  storeTimes: StoreTime[];
  entitlement: Entitlement;
}

export interface VoidedPurchaseRecord {
  store: StoreId;
  app: string;
  purchaseId: string;
  purchaseToken: string;
  market: Market | null;
  purchasedAt: Date;
  voidedAt: Date;
  storeTimes: StoreTime[];
}

export interface ItemRecord {
  store: StoreId;
  app: string;
  itemSeq: string;
  name: string;
  marketItemId: string;
  /** GG (Google Play), AS (App Store), TS (ONE store), as NHN Cloud names them. */
  marketId: string;
  inUse: boolean;
  registeredAt: string | null;
}
