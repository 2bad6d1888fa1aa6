import { randomBytes } from 'node:crypto';

/** Store codes of the API guide's "Store Code" table (the English edition adds MYCARD). */
export const STORE_CODES = ['GG', 'AS', 'ONESTORE', 'GALAXY', 'AMAZON', 'HUAWEI', 'MYCARD'] as const;
export type StoreCode = (typeof STORE_CODES)[number];

/** Product types of the guide's `productType` field, plus UNKNOWN (the SDK guide's fourth type). */
export const PRODUCT_TYPES = [
  'CONSUMABLE',
  'AUTO_RENEWABLE',
  'CONSUMABLE_AUTO_RENEWABLE',
  'UNKNOWN',
] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** "Only the item payment with the product type CONSUMABLE or CONSUMABLE_AUTO_RENEWABLE ... will be consumed." */
export function isConsumableType(type: ProductType): boolean {
  return type === 'CONSUMABLE' || type === 'CONSUMABLE_AUTO_RENEWABLE';
}

export interface GamebaseApp {
  appId: string;
  secretKey: string;
}

export type PaymentStatus = 'purchased' | 'consumed' | 'refunded';

export interface GamebasePayment {
  paymentSeq: string;
  /** The payment authentication token (the SDK's `purchaseToken`). */
  accessToken: string;
  appId: string;
  userId: string;
  gamebaseProductId: string;
  /** The store's item id; kept for the record (none of the three purchase APIs answer it). */
  marketItemId: string;
  /** Item number, generated per app and Gamebase product as the console does. */
  productSeq: number;
  productType: ProductType;
  storeCode: StoreCode;
  /** Decimal string; sent on the wire as a JSON number, as the guide's examples do. */
  price: string;
  currency: string;
  /** The store's payment id (e.g. a Google order id). */
  paymentId: string;
  /**
   * The store's own purchase token (e.g. Google Play's); only Get Payment Transaction answers it
   * (server API v1.3 guide).
   */
  paymentToken: string;
  /** Epoch ms. */
  purchaseTime: number;
  /** Epoch ms; subscriptions only. */
  expiryTime: number | null;
  payload: string | null;
  isTestPurchase: boolean;
  /**
   * The receipt's purchase type (the SDK guide, document 004): null for a normal payment, `Test`,
   * `Promo`. Answered by Get Payment Transaction only when set (the server guide does not list it).
   */
  purchaseType: string | null;
  status: PaymentStatus;
  /** The subscription whose period this payment paid (its id), or null for a one-off payment. */
  subscriptionId: string | null;
}

/**
 * Where a subscription is. `canceled`: auto-renew off, entitled until expiry. `grace`: a renewal
 * failed and access goes on until `graceEndTime`; `onHold`: no access until recovered or
 * `holdEndTime`. `pauseScheduled` turns `paused` at expiry, which resumes at `pauseEndTime`.
 * `revoked`: the current period was refunded, access ended.
 */
export type SubscriptionPhase =
  | 'active'
  | 'canceled'
  | 'grace'
  | 'onHold'
  | 'pauseScheduled'
  | 'paused'
  | 'expired'
  | 'revoked';

/** The Store Reference Status code an active subscription shows: what last happened to it. */
export type LastEvent = 'PURCHASED' | 'RENEWED' | 'RECOVERED' | 'RESTARTED';

export interface GamebaseSubscription {
  /** The first period's paymentSeq; names the subscription in the control API. */
  id: string;
  appId: string;
  userId: string;
  /** The guide's required `packageName` ("store app ID registered on the console"). */
  packageName: string;
  gamebaseProductId: string;
  /** The store's product id (the guide's `productId`). */
  productId: string;
  productType: ProductType;
  storeCode: StoreCode;
  /** Decimal string; every period is paid at this price. */
  price: string;
  currency: string;
  payload: string | null;
  isTestPurchase: boolean;
  originalPaymentId: string;
  /** "Payment ID for the original transaction when canceling/repurchasing"; Google Play only. */
  linkedPaymentId: string | null;
  periodMs: number;
  phase: SubscriptionPhase;
  lastEvent: LastEvent;
  /** paymentSeq of each paid period, oldest first. */
  periods: string[];
  /** End of the current access: the period's end, or the grace end in grace. */
  expiryTime: number;
  /** When the last RENEWED or RECOVERED happened; null before any. */
  renewTime: number | null;
  graceEndTime: number | null;
  holdEndTime: number | null;
  pauseStartTime: number | null;
  pauseEndTime: number | null;
}

export interface NewGamebasePayment {
  appId: string;
  userId: string;
  gamebaseProductId: string;
  marketItemId?: string;
  productType?: ProductType;
  storeCode?: StoreCode;
  price: string;
  currency: string;
  /** Fixed values for demo data and tests; default generated. */
  paymentSeq?: string;
  accessToken?: string;
  paymentId?: string;
  paymentToken?: string;
  purchaseTime?: number;
  expiryTime?: number | null;
  payload?: string | null;
  isTestPurchase?: boolean;
  purchaseType?: string | null;
  status?: PaymentStatus;
  subscriptionId?: string | null;
}

export class GamebaseState {
  readonly apps = new Map<string, GamebaseApp>();
  readonly payments = new Map<string, GamebasePayment>();
  /** Subscriptions by id (their first period's paymentSeq); their periods are in `payments`. */
  readonly subscriptions = new Map<string, GamebaseSubscription>();
  readonly #byToken = new Map<string, GamebasePayment>();
  readonly #productSeqs = new Map<string, number>();
  #nextPayment = 10_000_000;
  #nextProduct = 1_000_000;

  addApp(appId: string, secretKey: string): GamebaseApp {
    const app = { appId, secretKey };
    this.apps.set(appId, app);
    return app;
  }

  /** paymentSeq looks like the guide's: yyyyMMdd + 8 digits. */
  addPayment(input: NewGamebasePayment, now: number): GamebasePayment {
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
    const productKey = `${input.appId}\u0000${input.gamebaseProductId}`;
    let productSeq = this.#productSeqs.get(productKey);
    if (productSeq === undefined) {
      productSeq = ++this.#nextProduct;
      this.#productSeqs.set(productKey, productSeq);
    }
    const payment: GamebasePayment = {
      paymentSeq: input.paymentSeq ?? `${day}${++this.#nextPayment}`,
      // base64url, like the guide's examples (letters, digits, `-`, `_`).
      accessToken: input.accessToken ?? randomBytes(64).toString('base64url'),
      appId: input.appId,
      userId: input.userId,
      gamebaseProductId: input.gamebaseProductId,
      marketItemId: input.marketItemId ?? input.gamebaseProductId,
      productSeq,
      productType: input.productType ?? 'CONSUMABLE',
      storeCode: input.storeCode ?? 'GG',
      price: input.price,
      currency: input.currency,
      paymentId: input.paymentId ?? `SANDBOX.${randomBytes(8).toString('hex').toUpperCase()}`,
      paymentToken: input.paymentToken ?? randomBytes(32).toString('base64url'),
      purchaseTime: input.purchaseTime ?? now,
      expiryTime: input.expiryTime ?? null,
      payload: input.payload ?? null,
      isTestPurchase: input.isTestPurchase ?? true,
      purchaseType: input.purchaseType ?? null,
      status: input.status ?? 'purchased',
      subscriptionId: input.subscriptionId ?? null,
    };
    const previous = this.payments.get(payment.paymentSeq);
    if (previous) this.#byToken.delete(previous.accessToken);
    this.payments.set(payment.paymentSeq, payment);
    this.#byToken.set(payment.accessToken, payment);
    return payment;
  }

  byToken(accessToken: string): GamebasePayment | undefined {
    return this.#byToken.get(accessToken);
  }

  clear(): void {
    this.apps.clear();
    this.payments.clear();
    this.subscriptions.clear();
    this.#byToken.clear();
    this.#productSeqs.clear();
    // Counters too: a reset sandbox numbers its payments and products as a new one does.
    this.#nextPayment = 10_000_000;
    this.#nextProduct = 1_000_000;
  }
}
