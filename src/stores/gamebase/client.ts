import { StoreApiError } from '../errors.js';
import { EnvelopeTransport } from '../http/envelope.js';
import { bodyText, purchaseTokenText } from '../http/envelope-fields.js';
import type { PathPart } from '../http/safe-path.js';
import type { CallOptions, StoreClientOptions } from '../http/store-call.js';
import {
  describeResultCode,
  type GamebaseStoreCode,
  gamebaseChangeAnswer,
  PAYMENT_SEQ_MISMATCH,
} from './codes.js';
import {
  appIdParam,
  inactiveStatusList,
  marketIdsList,
  type PaymentSeq,
  paymentSeqText,
  SECRET_KEY_PATTERN,
  statusPaymentList,
} from './inputs.js';
import {
  type ConsumablePayment,
  type ConsumeResult,
  consumableListSchema,
  consumeResultSchema,
  type PaymentTransaction,
  paymentTransactionSchema,
} from './schemas.js';
import {
  type ActiveSubscription,
  activeSubscriptionListSchema,
  type GamebaseInactiveGoogleStatus,
  type SubscriptionStatus,
  subscriptionStatusListSchema,
} from './subscription-schemas.js';

export const GAMEBASE_BASE_URL = 'https://api-gamebase.nhncloudservice.com';

export interface GamebaseClientOptions extends StoreClientOptions {
  /** NHN Cloud project ID of the Gamebase app. Required; checked on every call where it enters the path. */
  appId: string;
  /** The console's secret key; sent only as `X-Secret-Key`, never logged or put in an error. Required. */
  secretKey: string;
  /** Gamebase server address. Default `'https://api-gamebase.nhncloudservice.com'` (the guide's). */
  baseUrl?: string;
}

export interface PaymentTransactionRequest {
  /** The payment authentication token (the SDK's purchaseToken, the API's `accessToken`). */
  purchaseToken: string;
  /**
   * The paymentSeq the game client reported. The API takes only the token; when given, the answer's
   * paymentSeq must equal it (else `StoreApiError` `PAYMENT_SEQ_MISMATCH`). Default: not checked.
   */
  paymentSeq?: PaymentSeq;
}

export interface ConsumeRequest {
  paymentSeq: PaymentSeq;
  purchaseToken: string;
}

export interface ListConsumablesRequest {
  userId: string;
  /** Stores to look in. Default: not sent, which the guide says means every store except AMAZON. */
  marketIds?: readonly GamebaseStoreCode[];
}

export interface ActiveSubscriptionsRequest {
  userId: string;
  /** "Store app ID registered on the console" (required by the guide), e.g. an Android package name. */
  packageName: string;
  /** Stores to look in. Default: not sent, which the guide says means every store. */
  marketIds?: readonly GamebaseStoreCode[];
  /** Inactive Google statuses to list as well; the guide supports only ON_HOLD. Default: not sent. */
  includeInactiveGoogleStatuses?: readonly GamebaseInactiveGoogleStatus[];
}

export interface SubscriptionStatusRequest {
  /** 1-10 subscription payments ("up to 10", the guide). */
  payments: readonly { paymentSeq: PaymentSeq; purchaseToken: string }[];
}

/**
 * Gamebase server API v1.3, purchase (IAP) part: Get Payment Transaction, Consume, List Consumables,
 * List Active Subscriptions and Get Subscriptions Status.
 */
export class GamebaseClient {
  readonly #appId: string;
  readonly #t: EnvelopeTransport;

  constructor(options: GamebaseClientOptions) {
    // A plain Error: a bad key is a configuration mistake, and the message must not echo it.
    if (typeof options.secretKey !== 'string' || !SECRET_KEY_PATTERN.test(options.secretKey))
      throw new Error('gamebase: secretKey must be 1-256 printable ASCII characters');
    this.#appId = options.appId;
    this.#t = new EnvelopeTransport(
      {
        store: 'gamebase',
        baseUrl: options.baseUrl ?? GAMEBASE_BASE_URL,
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          accept: 'application/json',
          'x-secret-key': options.secretKey,
        },
        describeResultCode,
        changeAnswer: gamebaseChangeAnswer,
      },
      options,
    );
  }

  /** `GET /tcgb-inapp/v1.3/apps/{appId}/payment/transaction?accessToken=…` (read-only, retried). */
  async getPaymentTransaction(
    request: PaymentTransactionRequest,
    options: CallOptions = {},
  ): Promise<PaymentTransaction> {
    const endpoint = 'gamebase.paymentTransaction';
    const c = this.#t.ctx(endpoint);
    const accessToken = purchaseTokenText(c, request.purchaseToken);
    const expected = request.paymentSeq === undefined ? undefined : paymentSeqText(c, request.paymentSeq);
    const payment = await this.#t.call({
      endpoint,
      method: 'GET',
      parts: this.#appPath('payment', 'transaction'),
      query: { accessToken },
      stateChanging: false,
      schema: paymentTransactionSchema,
      signal: options.signal,
      scope: options.scope,
    });
    if (expected !== undefined && payment.paymentSeq !== expected) {
      throw new StoreApiError({
        ...c,
        code: PAYMENT_SEQ_MISMATCH.name,
        retryable: false,
        httpStatus: 200,
        message: `${endpoint}: the token belongs to another paymentSeq`,
      });
    }
    return payment;
  }

  /** `POST /tcgb-inapp/v1.3/apps/{appId}/consume`: once per payment; never retried. */
  async consume(request: ConsumeRequest, options: CallOptions = {}): Promise<ConsumeResult> {
    const endpoint = 'gamebase.consume';
    const c = this.#t.ctx(endpoint);
    const body = {
      paymentSeq: paymentSeqText(c, request.paymentSeq),
      accessToken: purchaseTokenText(c, request.purchaseToken),
    };
    return this.#t.call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('consume'),
      body,
      stateChanging: true,
      schema: consumeResultSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST /tcgb-inapp/v1.3/apps/{appId}/consumable`: paid but unconsumed payments of one user (read-only). */
  async listConsumables(
    request: ListConsumablesRequest,
    options: CallOptions = {},
  ): Promise<ConsumablePayment[]> {
    const endpoint = 'gamebase.consumableList';
    const c = this.#t.ctx(endpoint);
    const body = {
      // Gamebase user ids look like `QXG774PMRZMWR3BR` or `AS@QW4M1GM7W97YJDCN`.
      userId: bodyText(c, 'userId', request.userId, 128),
      ...(request.marketIds !== undefined && { marketIds: marketIdsList(c, request.marketIds) }),
    };
    return this.#t.call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('consumable'),
      body,
      stateChanging: false,
      schema: consumableListSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST /tcgb-inapp/v1.3/apps/{appId}/active-subscriptions`: a user's live subscriptions (read-only). */
  async activeSubscriptions(
    request: ActiveSubscriptionsRequest,
    options: CallOptions = {},
  ): Promise<ActiveSubscription[]> {
    const endpoint = 'gamebase.activeSubscriptions';
    const c = this.#t.ctx(endpoint);
    const body = {
      userId: bodyText(c, 'userId', request.userId, 128),
      packageName: bodyText(c, 'packageName', request.packageName, 255),
      ...(request.marketIds !== undefined && { marketIds: marketIdsList(c, request.marketIds) }),
      ...(request.includeInactiveGoogleStatuses !== undefined && {
        includeInactiveGoogleStatuses: inactiveStatusList(c, request.includeInactiveGoogleStatuses),
      }),
    };
    return this.#t.call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('active-subscriptions'),
      body,
      stateChanging: false,
      schema: activeSubscriptionListSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST /tcgb-inapp/v1.3/apps/{appId}/subscriptions/status`: the state of up to 10 subscription payments (read-only). */
  async subscriptionsStatus(
    request: SubscriptionStatusRequest,
    options: CallOptions = {},
  ): Promise<SubscriptionStatus[]> {
    const endpoint = 'gamebase.subscriptionsStatus';
    const c = this.#t.ctx(endpoint);
    const body = { payments: statusPaymentList(c, request.payments) };
    return this.#t.call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('subscriptions', 'status'),
      body,
      stateChanging: false,
      schema: subscriptionStatusListSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** Closes the keep-alive sockets this client opened. */
  async close(): Promise<void> {
    return this.#t.close();
  }

  #appPath(...tail: string[]): PathPart[] {
    return ['tcgb-inapp', 'v1.3', 'apps', appIdParam(this.#appId), ...tail];
  }
}
