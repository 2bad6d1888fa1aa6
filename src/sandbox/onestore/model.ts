export type Market = 'MKT_ONE' | 'MKT_GLB';
export const MARKETS: readonly Market[] = ['MKT_ONE', 'MKT_GLB'];
export type ProductType = 'inapp' | 'auto' | 'subscription';

export const DAY_MS = 86_400_000;
/** The store cancels a purchase that is neither acknowledged nor consumed within 3 days. */
export const ACK_DEADLINE_MS = 3 * DAY_MS;
/** Default billing period of monthly (`auto`) products and subscriptions in the sandbox. */
export const DEFAULT_PERIOD_MS = 30 * DAY_MS;
/**
 * How long a subscription whose payment failed keeps its access (결제유예) before it goes on hold;
 * the document names no length, so the sandbox picks Google Play's default (the model ONE store's
 * subscription fields follow). The `grace` control action's `days` overrides it.
 */
export const DEFAULT_GRACE_MS = 7 * DAY_MS;
/** How long a subscription stays on hold (계정보류, no access) before it expires; the `hold` action's `days` overrides it. */
export const DEFAULT_HOLD_MS = 30 * DAY_MS;
/** priceChange.agreementDueDateTimeMillis = 가격변경일 + 7 + 30일 (document 002). */
export const PRICE_AGREEMENT_MS = 37 * DAY_MS;

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

/**
 * One period of a monthly product or subscription as the store charged it: `free` a free trial or
 * the DEFERRED span before a changed plan's first payment (no charge), `refunded` a period the store
 * took back (it is then in the voided list under its purchaseId).
 */
export interface Period {
  purchaseId: string;
  start: number;
  end: number;
  price: Price;
  state: 'paid' | 'free' | 'refunded';
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
  /** Every period, oldest first; the last one is `lastPurchaseId`'s. */
  periods: Period[];
  /** Decimal price of each period; default "1000". */
  price: Price;
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
  | 'onHold'
  | 'deferred';

export interface Price {
  /** Decimal string, as the store sends it. */
  amount: string;
  micros: number;
}

export const FREE: Price = { amount: '0', micros: 0 };

/** A price the developer changed for this subscription (priceChange of getSubscriptionDetail). */
export interface PriceChange {
  seq: number;
  previousPrice: Price;
  newPrice: Price;
  applyTime: number;
  agreement: boolean;
  agreementDueDate: number;
  /** A renewal charged the new price: later renewals charge it as the regular price. */
  applied: boolean;
}

/** promotionPrice of getSubscriptionDetail: the first `periods` charged periods cost `price`. */
export interface Promotion {
  price: Price;
  periods: number;
}

/** A failed payment (결제유예 then 계정보류): when it was due, and when grace and hold run out. */
export interface BillingIssue {
  since: number;
  graceEnd: number;
  holdEnd: number;
}

/** 구독형 상품. */
export interface SubscriptionPurchase extends PurchaseBase {
  type: 'subscription';
  status: SubscriptionStatus;
  acknowledgementState: 0 | 1;
  paymentState: 0 | 1 | 2 | 3 | null;
  /** What the current period cost (0 in a free one). */
  price: Price;
  /** The product's price for this subscriber before promotions: what a normal renewal charges. */
  regularPrice: Price;
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
  periods: Period[];
  promotion: Promotion | null;
  priceChange: PriceChange | null;
  billingIssue?: BillingIssue;
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

export function priceOf(amount: string): Price {
  return { amount, micros: decimalToMicros(amount) };
}

/** Decimal string ("1.99") to micros (1990000) without floating point. */
export function decimalToMicros(amount: string): number {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(6, '0');
  return Number(whole) * 1_000_000 + Number(fraction);
}
