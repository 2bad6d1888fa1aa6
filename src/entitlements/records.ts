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
  | 'PAYMENT_PENDING'
  | 'PAUSED'
  | 'EXPIRED';

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
  | 'PAYMENT_PENDING'
  | 'CANCELLED'
  | 'EXPIRED';

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
