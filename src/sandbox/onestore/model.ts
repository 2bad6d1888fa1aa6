export type Market = 'MKT_ONE' | 'MKT_GLB';
export const MARKETS: readonly Market[] = ['MKT_ONE', 'MKT_GLB'];
export type ProductType = 'inapp' | 'auto' | 'subscription';

export const DAY_MS = 86_400_000;
/** The store cancels a purchase that is neither acknowledged nor consumed within 3 days. */
export const ACK_DEADLINE_MS = 3 * DAY_MS;
/** Default billing period of monthly (`auto`) products and subscriptions in the sandbox. */
export const DEFAULT_PERIOD_MS = 30 * DAY_MS;

export interface OneStoreApp {
  clientId: string;
  clientSecret: string;
  blocked: boolean;
}

interface PurchaseBase {
  clientId: string;
  productId: string;
  purchaseToken: string;
  /** Of the original purchase; renewals get new ids in `lastPurchaseId`. */
  purchaseId: string;
  orderId: string;
  market: Market;
  developerPayload: string;
  purchaseTime: number;
  /** Set when the store voided the purchase (refund, or the 3-day rule). */
  voidedTime?: number;
}

/** 관리형 상품 (managed). */
export interface ManagedPurchase extends PurchaseBase {
  type: 'inapp';
  quantity: number;
  purchaseState: 0 | 1;
  consumptionState: 0 | 1;
  acknowledgeState: 0 | 1;
  /** Decimal price and currency for payment notifications only (the server API shows neither); default "1000" KRW. */
  price?: string;
  currency?: string;
}

/** 월정액 상품 (monthly auto-renewing, legacy). */
export interface MonthlyPurchase extends PurchaseBase {
  type: 'auto';
  startTime: number;
  expiryTime: number;
  nextPaymentTime: number;
  autoRenewing: boolean;
  cancelReason?: 0 | 1;
  cancelledTime?: number;
  acknowledgeState: 0 | 1;
  lastPurchaseId: string;
  lastPurchaseState: 0 | 1;
  periodMs: number;
}

/**
 * The sandbox's reading of a subscription's status; the wire shows it only through
 * autoRenewing, paymentState, the pause fields and cancelledTimeMillis.
 */
export type SubscriptionStatus =
  | 'active'
  | 'cancelReserved'
  | 'cancelled'
  | 'expired'
  | 'paused'
  | 'pauseReserved'
  | 'grace'
  | 'onHold';

export interface Price {
  /** Decimal string, as the store sends it. */
  amount: string;
  micros: number;
}

/** 구독형 상품. */
export interface SubscriptionPurchase extends PurchaseBase {
  type: 'subscription';
  status: SubscriptionStatus;
  acknowledgementState: 0 | 1;
  paymentState: 0 | 1 | 2 | 3 | null;
  price: Price;
  nextPrice: Price;
  currency: string;
  startTime: number;
  expiryTime: number;
  pauseStartTime?: number;
  pauseEndTime?: number;
  linkedPurchaseToken: string | null;
  lastPurchaseId: string;
  cancelledTime?: number;
  cancelReason?: 0 | 1;
  periodMs: number;
}

export type OneStorePurchase = ManagedPurchase | MonthlyPurchase | SubscriptionPurchase;

export interface VoidedEntry {
  clientId: string;
  purchaseId: string;
  purchaseTime: number;
  voidedTime: number;
  purchaseToken: string;
  marketCode: Market;
}

/** Decimal string ("1.99") to micros (1990000) without floating point. */
export function decimalToMicros(amount: string): number {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return Number(whole) * 1_000_000 + Number(fraction);
}
