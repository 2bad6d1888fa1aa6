import { randomBytes, sign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedPurchase } from './model.js';
import { DEMO_PNS_PRIVATE_KEY } from './pns-demo-key.js';
import type { WireTimeBasis } from './wire.js';

/** Attempts per notification, and the wait before each retry (ms). */
const RETRY_DELAYS_MS = [250, 1_000];
/** How long one delivery attempt may take. */
const ATTEMPT_TIMEOUT_MS = 5_000;

/** Counts of payment notifications, shown in the sandbox stats (`GET /sandbox/v1/stats`). */
export interface NotificationCounts {
  /** Notifications made (one per purchase made or voided through the control API, with a URL set). */
  sent: number;
  /** Of those, answered 2xx by the receiver. */
  delivered: number;
  /** Of those, given up after the last attempt. */
  failed: number;
  /** POSTs made, retries included. */
  attempts: number;
}

/** A JSON value with every object's keys in code-point order (the sandbox's own reading). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/**
 * ONE store's payment notification service (PNS), as the sandbox plays it: when a managed product
 * is bought or voided through the control API, a signed v21 message is POSTed to the app's
 * notification URL. Fire-and-forget: the control API answers at once; a failed POST (no answer,
 * 5xx, 408, 429) is retried twice (after 250 ms and 1 s), then counted as failed.
 *
 * The signature: SHA512withRSA with the demo key pair (pns-demo-key.ts) over the message without
 * `signature`, keys sorted, compact JSON, UTF-8. ONE store's published algorithm; which bytes its
 * live service signs is not confirmed (docs/events.md), so this is the sandbox's assumption.
 * Monthly products and subscriptions are not notified: ONE store reports those through SNS.
 */
export class PnsNotifier {
  readonly #urls = new Map<string, string>();
  readonly #initial = new Map<string, string>();
  #counts: NotificationCounts = { sent: 0, delivered: 0, failed: 0, attempts: 0 };

  constructor(
    readonly time: WireTimeBasis,
    initialUrls: Readonly<Record<string, string>> = {},
    readonly privateKey: string = DEMO_PNS_PRIVATE_KEY,
  ) {
    for (const [clientId, url] of Object.entries(initialUrls)) this.#initial.set(clientId, url);
    this.reset();
  }

  /** The app's notification URL; null turns its notifications off. Lasts until the next reset. */
  setUrl(clientId: string, url: string | null, options: { keepOnReset?: boolean } = {}): void {
    for (const map of options.keepOnReset ? [this.#urls, this.#initial] : [this.#urls]) {
      if (url === null) map.delete(clientId);
      else map.set(clientId, url);
    }
  }

  url(clientId: string): string | null {
    return this.#urls.get(clientId) ?? null;
  }

  counts(): NotificationCounts {
    return { ...this.#counts };
  }

  /** Back to the URLs given at start (and any kept on reset), zero counters. */
  reset(): void {
    this.#urls.clear();
    for (const [clientId, url] of this.#initial) this.#urls.set(clientId, url);
    this.resetCounts();
  }

  resetCounts(): void {
    this.#counts = { sent: 0, delivered: 0, failed: 0, attempts: 0 };
  }

  /** The signed message for `p` in `state` (also what tests compare with). */
  message(p: ManagedPurchase, state: 'COMPLETED' | 'CANCELED'): Record<string, unknown> {
    const price = p.price ?? '1000';
    const body: Record<string, unknown> = {
      msgVersion: '3.1.0D',
      clientId: p.clientId,
      productId: p.productId,
      messageType: 'SINGLE_PAYMENT_TRANSACTION',
      purchaseId: p.purchaseId,
      developerPayload: p.developerPayload,
      purchaseTimeMillis: this.time.toWire(p.purchaseTime, p.market),
      purchaseState: state,
      price,
      priceCurrencyCode: p.currency ?? 'KRW',
      productName: p.productId,
      paymentTypeList: [{ paymentMethod: 'DCB', amount: price }],
      billingKey: randomBytes(32).toString('hex').toUpperCase(),
      isTestMdn: true,
      environment: 'SANDBOX',
      marketCode: p.market,
    };
    const bytes = Buffer.from(JSON.stringify(canonical(body)), 'utf8');
    return { ...body, signature: sign('sha512', bytes, this.privateKey).toString('base64') };
  }

  /** Sends the notification in the background when the app has a URL; never throws. */
  notify(p: ManagedPurchase, state: 'COMPLETED' | 'CANCELED'): void {
    const url = this.#urls.get(p.clientId);
    if (url === undefined) return;
    this.#counts.sent++;
    void this.#deliver(url, JSON.stringify(this.message(p, state)));
  }

  async #deliver(url: string, body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      this.#counts.attempts++;
      let retry: boolean;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.#counts.delivered++;
          return;
        }
        retry = response.status >= 500 || response.status === 408 || response.status === 429;
      } catch {
        retry = true;
      }
      const delay = RETRY_DELAYS_MS[attempt];
      if (!retry || delay === undefined) {
        this.#counts.failed++;
        return;
      }
      await sleep(delay, undefined, { ref: false });
    }
  }
}
