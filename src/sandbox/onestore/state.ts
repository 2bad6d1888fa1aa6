import { IdGenerator } from './ids.js';
import { settle } from './lifecycle.js';
import {
  DAY_MS,
  DEFAULT_PERIOD_MS,
  FREE,
  type Market,
  type OneStoreApp,
  type OneStorePurchase,
  type ProductType,
  priceOf,
  type SubscriptionPurchase,
  type VoidedEntry,
} from './model.js';
import { TokenIssuer, type TokenReissue } from './tokens.js';

/** What the control API accepts to create a purchase. */
export interface NewPurchase {
  clientId: string;
  productId: string;
  type: ProductType;
  /** Default MKT_ONE. */
  market?: Market;
  /** Default empty string. */
  developerPayload?: string;
  /** Managed products only; default 1. */
  quantity?: number;
  /** Default false. */
  acknowledged?: boolean;
  /** Managed products only; default false. */
  consumed?: boolean;
  /** Default: sandbox now. */
  purchaseTime?: number;
  /** Monthly and subscription billing period in ms; default 30 days. */
  periodMs?: number;
  /** Decimal price string of each period (a managed product's: for payment notifications only); default "1000". */
  price?: string;
  /** Subscriptions (and managed products' payment notifications): ISO 4217 code; default "KRW". */
  currency?: string;
  /** Subscriptions: the token this one replaced (upgrade/downgrade); default null. */
  linkedPurchaseToken?: string | null;
  /** Fixed token (demo data); default: generated. */
  purchaseToken?: string;
  /** Subscriptions: a first free period of this many days (paymentState 2); default none. */
  trialDays?: number;
  /** Subscriptions: the first `periods` charged periods cost `price` (decimal); default none. */
  promotion?: { price: string; periods: number };
  /**
   * Subscriptions: a plan changed with the DEFERRED option; the new plan is not charged before
   * this time (the old one's expiry), paymentState 3 until then. Default none.
   */
  deferredUntil?: number;
}

type PurchaseBase = Pick<
  SubscriptionPurchase,
  | 'clientId'
  | 'productId'
  | 'purchaseToken'
  | 'purchaseId'
  | 'orderId'
  | 'market'
  | 'developerPayload'
  | 'purchaseTime'
>;

/**
 * The first period of a subscription: free for `trialDays` (paymentState 2), or not charged until a
 * DEFERRED plan change takes effect (paymentState 3), else paid at the promotion or regular price.
 */
function newSubscription(
  base: PurchaseBase,
  input: NewPurchase,
  ack: 0 | 1,
  periodMs: number,
): SubscriptionPurchase {
  const regularPrice = priceOf(input.price ?? '1000');
  const promotion = input.promotion
    ? { price: priceOf(input.promotion.price), periods: input.promotion.periods }
    : null;
  const start = base.purchaseTime;
  const free = input.deferredUntil ?? (input.trialDays ? start + input.trialDays * DAY_MS : undefined);
  const price =
    free !== undefined ? FREE : promotion && promotion.periods > 0 ? promotion.price : regularPrice;
  const end = free ?? start + periodMs;
  return {
    ...base,
    type: 'subscription',
    status: input.deferredUntil !== undefined ? 'deferred' : 'active',
    acknowledgementState: ack,
    paymentState: input.deferredUntil !== undefined ? 3 : free !== undefined ? 2 : 1,
    price,
    regularPrice,
    currency: input.currency ?? 'KRW',
    startTime: start,
    expiryTime: end,
    linkedPurchaseToken: input.linkedPurchaseToken ?? null,
    lastPurchaseId: base.purchaseId,
    periodMs,
    periods: [
      { purchaseId: base.purchaseId, start, end, price, state: free !== undefined ? 'free' : 'paid' },
    ],
    promotion,
    priceChange: null,
  };
}

export class OneStoreState {
  readonly apps = new Map<string, OneStoreApp>();
  readonly purchases = new Map<string, OneStorePurchase>();
  readonly voided: VoidedEntry[] = [];
  readonly tokens: TokenIssuer;
  readonly ids = new IdGenerator();

  /** @param tokenReissue what a token request answers while a token is still fresh; default `same`. */
  constructor(tokenReissue: TokenReissue = 'same') {
    this.tokens = new TokenIssuer(tokenReissue);
  }

  addApp(clientId: string, clientSecret: string): OneStoreApp {
    const app: OneStoreApp = { clientId, clientSecret, blocked: false };
    this.apps.set(clientId, app);
    return app;
  }

  /** The purchase with its time-driven transitions applied up to `now`. */
  find(purchaseToken: string, now: number): OneStorePurchase | undefined {
    const p = this.purchases.get(purchaseToken);
    if (p) settle(p, now, this.ids, this.voided);
    return p;
  }

  /** All of an app's purchases, settled (list endpoints must see 3-day cancellations). */
  settleApp(clientId: string, now: number): OneStorePurchase[] {
    const out: OneStorePurchase[] = [];
    for (const p of this.purchases.values()) {
      if (p.clientId !== clientId) continue;
      settle(p, now, this.ids, this.voided);
      out.push(p);
    }
    return out;
  }

  create(input: NewPurchase, now: number): OneStorePurchase {
    const purchaseTime = input.purchaseTime ?? now;
    const purchaseToken = input.purchaseToken ?? this.ids.purchaseToken((t) => this.purchases.has(t));
    const base = {
      clientId: input.clientId,
      productId: input.productId,
      purchaseToken,
      purchaseId: this.ids.purchaseId(purchaseTime),
      orderId: this.ids.orderId(purchaseTime),
      market: input.market ?? 'MKT_ONE',
      developerPayload: input.developerPayload ?? '',
      purchaseTime,
    } as const;
    const ack = input.acknowledged ? 1 : 0;
    const periodMs = input.periodMs ?? DEFAULT_PERIOD_MS;
    let purchase: OneStorePurchase;
    switch (input.type) {
      case 'inapp': {
        const consumed = input.consumed ? 1 : 0;
        purchase = {
          ...base,
          type: 'inapp',
          quantity: input.quantity ?? 1,
          purchaseState: 0,
          consumptionState: consumed,
          acknowledgeState: consumed ? 1 : ack,
          ...(input.price !== undefined && { price: input.price }),
          ...(input.currency !== undefined && { currency: input.currency }),
        };
        break;
      }
      case 'auto':
        purchase = {
          ...base,
          type: 'auto',
          startTime: purchaseTime,
          expiryTime: purchaseTime + periodMs - 1,
          nextPaymentTime: purchaseTime + periodMs,
          autoRenewing: true,
          acknowledgeState: ack,
          lastPurchaseId: base.purchaseId,
          lastPurchaseState: 0,
          periodMs,
          price: priceOf(input.price ?? '1000'),
          periods: [],
        };
        purchase.periods.push({
          purchaseId: base.purchaseId,
          start: purchaseTime,
          end: purchase.expiryTime,
          price: purchase.price,
          state: 'paid',
        });
        break;
      case 'subscription':
        purchase = newSubscription(base, input, ack, periodMs);
        break;
    }
    this.purchases.set(purchaseToken, purchase);
    settle(purchase, now, this.ids, this.voided);
    return purchase;
  }

  clear(): void {
    this.apps.clear();
    this.purchases.clear();
    this.voided.length = 0;
    this.tokens.clear();
    this.ids.reset();
  }
}
