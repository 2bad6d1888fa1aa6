import type { UrlContext } from '../http/safe-path.js';
import type { CallOptions } from '../http/store-call.js';
import { silentLogger } from '../logger.js';
import { silentObserver } from '../observer.js';
import { DEFAULT_PAGE_BUDGET, type KeyedPage, PageWalk, type WalkStart } from '../paging.js';
import type { OneStoreClientOptions } from './config.js';
import {
  checkDeferPeriod,
  checkDeveloperPayload,
  isContinuationKey,
  type ListQuery,
  listQueryParams,
  type PurchaseRef,
  purchaseParams,
} from './inputs.js';
import {
  type PurchaseDetails,
  purchaseDetailsSchema,
  type RecurringPurchaseDetails,
  recurringPurchaseDetailsSchema,
  type SubscriptionDetail,
  type SuccessResult,
  subscriptionDetailSchema,
  successResultSchema,
  type TokenResponse,
  type UnconfirmedPurchasesPage,
  unconfirmedPurchasesPageSchema,
  type VoidedPurchasesPage,
  voidedPurchasesPageSchema,
} from './schemas.js';
import { OneStoreTransport } from './transport.js';

export interface PayloadRef extends PurchaseRef {
  /** Must match the payload given at purchase time when present (max 200 characters). */
  developerPayload?: string;
}

export interface DeferRef extends PurchaseRef {
  /** How far to push the next payment: days in production (1–365), minutes in the store's sandbox. */
  deferPeriod: number;
}

const ctx = (endpoint: string): UrlContext => ({ store: 'onestore', endpoint });

/** One typed method per ONE store IAP Server API v7 endpoint. */
export class OneStoreClient {
  readonly #t: OneStoreTransport;
  readonly #options: OneStoreClientOptions;

  constructor(options: OneStoreClientOptions) {
    this.#t = new OneStoreTransport(options);
    this.#options = options;
  }

  /** `POST /v7/oauth/token`, uncached: prefer {@link getAccessToken}. */
  async requestToken(options: CallOptions = {}): Promise<TokenResponse> {
    return this.#t.requestToken(options.signal, options.scope);
  }

  /** The cached access token (one token request per renewal period). */
  async getAccessToken(options: CallOptions = {}): Promise<string> {
    return this.#t.accessToken(options.signal);
  }

  /** `GET .../purchases/inapp/products/{productId}/{purchaseToken}`: a managed product purchase. */
  async getPurchaseDetails(ref: PurchaseRef, options: CallOptions = {}): Promise<PurchaseDetails> {
    return this.#t.call({
      endpoint: 'onestore.getPurchaseDetails',
      method: 'GET',
      parts: ['purchases', 'inapp', 'products', ...purchaseParams(ref)],
      stateChanging: false,
      schema: purchaseDetailsSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `GET .../purchases/auto/products/{productId}/{purchaseToken}`: a monthly (legacy) auto purchase. */
  async getRecurringPurchaseDetails(
    ref: PurchaseRef,
    options: CallOptions = {},
  ): Promise<RecurringPurchaseDetails> {
    return this.#t.call({
      endpoint: 'onestore.getRecurringPurchaseDetails',
      method: 'GET',
      parts: ['purchases', 'auto', 'products', ...purchaseParams(ref)],
      stateChanging: false,
      schema: recurringPurchaseDetailsSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST .../purchases/all/products/{productId}/{purchaseToken}/acknowledge`. */
  async acknowledgePurchase(ref: PayloadRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.acknowledgePurchase', ['all', ref, 'acknowledge'], options, ref);
  }

  /** `POST .../purchases/inapp/products/{productId}/{purchaseToken}/consume`. */
  async consumePurchase(ref: PayloadRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.consumePurchase', ['inapp', ref, 'consume'], options, ref);
  }

  /** `POST .../purchases/auto/products/{productId}/{purchaseToken}/cancel`. */
  async cancelRecurringPurchase(ref: PurchaseRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.cancelRecurringPurchase', ['auto', ref, 'cancel'], options);
  }

  /** `POST .../purchases/auto/products/{productId}/{purchaseToken}/reactivate`. */
  async reactivateRecurringPurchase(ref: PurchaseRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.reactivateRecurringPurchase', ['auto', ref, 'reactivate'], options);
  }

  /** `GET /v7/apps/{clientId}/voided-purchases`: one page. */
  async getVoidedPurchases(query: ListQuery = {}, options: CallOptions = {}): Promise<VoidedPurchasesPage> {
    const endpoint = 'onestore.getVoidedPurchases';
    return this.#t.call({
      endpoint,
      method: 'GET',
      parts: ['voided-purchases'],
      query: listQueryParams(ctx(endpoint), query),
      stateChanging: false,
      schema: voidedPurchasesPageSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /**
   * The voided purchases of `query`'s window as a guarded walk (`stores/paging.ts`): one page per
   * `next()`, ended by a repeated continuationKey, bounded by the client's page budget. `start`
   * resumes a walk (its key, the keys it was given, the pages it read); `query.continuationKey` is
   * ignored.
   */
  voidedPurchaseWalk(
    query: ListQuery = {},
    options: CallOptions = {},
    start: WalkStart = {},
  ): PageWalk<VoidedPurchasesPage> {
    return this.#walk('onestore.getVoidedPurchases', query, options, start, (q) =>
      this.getVoidedPurchases(q, options),
    );
  }

  /** `GET /v7/apps/{clientId}/unconfirmed-purchases`: one page (ONE store Korea products only). */
  async getUnconfirmedPurchases(
    query: ListQuery = {},
    options: CallOptions = {},
  ): Promise<UnconfirmedPurchasesPage> {
    const endpoint = 'onestore.getUnconfirmedPurchases';
    return this.#t.call({
      endpoint,
      method: 'GET',
      parts: ['unconfirmed-purchases'],
      query: listQueryParams(ctx(endpoint), query),
      stateChanging: false,
      schema: unconfirmedPurchasesPageSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** The unconfirmed purchases of `query`'s window as a guarded walk, like {@link voidedPurchaseWalk}. */
  unconfirmedPurchaseWalk(
    query: ListQuery = {},
    options: CallOptions = {},
    start: WalkStart = {},
  ): PageWalk<UnconfirmedPurchasesPage> {
    return this.#walk('onestore.getUnconfirmedPurchases', query, options, start, (q) =>
      this.getUnconfirmedPurchases(q, options),
    );
  }

  #walk<P extends KeyedPage>(
    endpoint: string,
    query: ListQuery,
    options: CallOptions,
    start: WalkStart,
    fetch: (query: ListQuery) => Promise<P>,
  ): PageWalk<P> {
    const { continuationKey: _ignored, ...window } = query;
    return new PageWalk(
      (continuationKey) => fetch(continuationKey === undefined ? window : { ...window, continuationKey }),
      {
        store: 'onestore',
        endpoint,
        observer: this.#options.http?.observer ?? silentObserver,
        logger: this.#options.logger ?? silentLogger,
        scope: options.scope,
        isKey: isContinuationKey,
      },
      { ...start, maxPages: start.maxPages ?? this.#options.pageBudget ?? DEFAULT_PAGE_BUDGET },
    );
  }

  /** `GET .../purchases/subscription/products/{productId}/{purchaseToken}`. */
  async getSubscriptionDetail(ref: PurchaseRef, options: CallOptions = {}): Promise<SubscriptionDetail> {
    return this.#t.call({
      endpoint: 'onestore.getSubscriptionDetail',
      method: 'GET',
      parts: ['purchases', 'subscription', 'products', ...purchaseParams(ref)],
      stateChanging: false,
      schema: subscriptionDetailSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST .../purchases/subscription/products/{productId}/{purchaseToken}/cancel`. */
  async cancelSubscription(ref: PurchaseRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.cancelSubscription', ['subscription', ref, 'cancel'], options);
  }

  /** `POST .../purchases/subscription/products/{productId}/{purchaseToken}/reactivate`. */
  async reactivateSubscription(ref: PurchaseRef, options: CallOptions = {}): Promise<SuccessResult> {
    return this.#change('onestore.reactivateSubscription', ['subscription', ref, 'reactivate'], options);
  }

  /** `POST .../purchases/subscription/products/{productId}/{purchaseToken}/defer`. */
  async deferSubscription(ref: DeferRef, options: CallOptions = {}): Promise<SuccessResult> {
    const endpoint = 'onestore.deferSubscription';
    const deferPeriod = checkDeferPeriod(ctx(endpoint), ref.deferPeriod);
    return this.#change(endpoint, ['subscription', ref, 'defer'], options, undefined, { deferPeriod });
  }

  /** Closes the keep-alive sockets this client opened. */
  async close(): Promise<void> {
    return this.#t.close();
  }

  async #change(
    endpoint: string,
    [type, ref, action]: [string, PurchaseRef, string],
    options: CallOptions,
    payloadRef?: PayloadRef,
    body?: Record<string, unknown>,
  ): Promise<SuccessResult> {
    let requestBody = body;
    if (payloadRef !== undefined) {
      const developerPayload = checkDeveloperPayload(ctx(endpoint), payloadRef.developerPayload);
      requestBody = developerPayload === undefined ? {} : { developerPayload };
    }
    const answer = await this.#t.call({
      endpoint,
      method: 'POST',
      parts: ['purchases', type, 'products', ...purchaseParams(ref), action],
      body: requestBody,
      stateChanging: true,
      schema: successResultSchema,
      signal: options.signal,
      scope: options.scope,
    });
    return { code: answer.result.code, message: answer.result.message };
  }
}
