import { randomBytes } from 'node:crypto';

export interface NhnApp {
  appSeq: string;
  appName: string;
  marketAppId: string;
  usingStatus: 'USE' | 'STOP';
}

export interface NhnItem {
  itemSeq: number;
  appSeq: string;
  itemName: string;
  marketItemId: string;
  usingStatus: 'USE' | 'STOP';
  /** "YYYY-MM-DD HH:mm:ss", UTC. */
  regYmdt: string;
  /** GG (Google), AS (Apple), TS (ONE store). */
  marketId: string;
}

export interface NhnPayment {
  paymentSeq: string;
  appSeq: string;
  itemSeq: number;
  userChannel: string;
  userKey: string;
  /** Decimal string; sent on the wire as a JSON number, as the store does. */
  price: string;
  currency: string;
  purchaseToken: string;
  consumed: boolean;
}

export interface NewNhnPayment {
  appSeq: string;
  itemSeq: number;
  userKey: string;
  /** Default "GF", the document's default user channel. */
  userChannel?: string;
  price: string;
  currency: string;
  /** Fixed values for demo data; default generated. */
  paymentSeq?: string;
  purchaseToken?: string;
}

function ymdt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export class NhnState {
  readonly apps = new Map<string, NhnApp>();
  readonly items = new Map<number, NhnItem>();
  readonly payments = new Map<string, NhnPayment>();
  #nextApp = 1_000_000;
  #nextItem = 1_000_000;
  #nextPayment = 10_000_000;

  addApp(input: { appSeq?: string; appName?: string; marketAppId?: string }): NhnApp {
    const appSeq = input.appSeq ?? String(++this.#nextApp);
    const app: NhnApp = {
      appSeq,
      appName: input.appName ?? `Sandbox app ${appSeq}`,
      marketAppId: input.marketAppId ?? `com.example.sandbox${appSeq}`,
      usingStatus: 'USE',
    };
    this.apps.set(appSeq, app);
    return app;
  }

  addItem(
    input: { appSeq: string; itemName: string; marketItemId: string; marketId?: string; itemSeq?: number },
    now: number,
  ): NhnItem {
    const item: NhnItem = {
      itemSeq: input.itemSeq ?? ++this.#nextItem,
      appSeq: input.appSeq,
      itemName: input.itemName,
      marketItemId: input.marketItemId,
      usingStatus: 'USE',
      regYmdt: ymdt(now),
      marketId: input.marketId ?? 'GG',
    };
    this.items.set(item.itemSeq, item);
    return item;
  }

  /** paymentSeq looks like the document's: yyyyMMdd + 8 digits. */
  addPayment(input: NewNhnPayment, now: number): NhnPayment {
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
    const payment: NhnPayment = {
      paymentSeq: input.paymentSeq ?? `${day}${++this.#nextPayment}`,
      appSeq: input.appSeq,
      itemSeq: input.itemSeq,
      userChannel: input.userChannel ?? 'GF',
      userKey: input.userKey,
      price: input.price,
      currency: input.currency,
      purchaseToken: input.purchaseToken ?? randomBytes(64).toString('base64'),
      consumed: false,
    };
    this.payments.set(payment.paymentSeq, payment);
    return payment;
  }

  /** Counters too: a reset sandbox numbers its items and payments as a new one does. */
  clear(): void {
    this.apps.clear();
    this.items.clear();
    this.payments.clear();
    this.#nextApp = 1_000_000;
    this.#nextItem = 1_000_000;
    this.#nextPayment = 10_000_000;
  }
}
