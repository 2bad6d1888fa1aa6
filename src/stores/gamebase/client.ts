import type { z } from 'zod';
import { StoreApiError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http/http-client.js';
import type { PoolRegistry } from '../http/pools.js';
import { buildUrl, type PathPart, parseBaseUrl, type UrlContext } from '../http/safe-path.js';
import type { StoreLogger } from '../logger.js';
import type { GamebaseStoreCode } from './codes.js';
import { decodeEnvelope } from './envelope.js';
import {
  appIdParam,
  marketIdsList,
  type PaymentSeq,
  paymentSeqText,
  purchaseTokenText,
  SECRET_KEY_PATTERN,
  userIdText,
} from './inputs.js';
import {
  type ConsumablePayment,
  type ConsumeResult,
  consumableListSchema,
  consumeResultSchema,
  type PaymentTransaction,
  paymentTransactionSchema,
} from './schemas.js';

export const GAMEBASE_BASE_URL = 'https://api-gamebase.nhncloudservice.com';

export interface GamebaseClientOptions {
  /** NHN Cloud project ID of the Gamebase app. Required; checked on every call where it enters the path. */
  appId: string;
  /** The console's secret key; sent only as `X-Secret-Key`, never logged or put in an error. Required. */
  secretKey: string;
  /** Gamebase server address. Default `'https://api-gamebase.nhncloudservice.com'` (the guide's). */
  baseUrl?: string;
  /** Keep-alive pools to share with other clients. Default: a private registry closed by `close()`. */
  pools?: PoolRegistry;
  /** Deadlines, size cap, retry policy, breakers. Default: {@link HttpClientOptions} defaults. */
  http?: Omit<HttpClientOptions, 'store' | 'pools' | 'logger'>;
  /** pino-compatible logger; receives no secret, token or URL. Default: silent. */
  logger?: StoreLogger;
}

export interface CallOptions {
  /** Cancels the call; combined with the client's deadline. Default: none. */
  signal?: AbortSignal;
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

interface Call<S extends z.ZodType> {
  endpoint: string;
  method: 'GET' | 'POST';
  parts: readonly PathPart[];
  query?: Record<string, string>;
  body?: unknown;
  stateChanging: boolean;
  schema: S;
  signal: AbortSignal | undefined;
}

/** Gamebase server API v1.3, purchase (IAP) part: Get Payment Transaction, Consume, List Consumables. */
export class GamebaseClient {
  readonly #appId: string;
  readonly #secretKey: string;
  readonly #baseUrl: URL;
  readonly #http: HttpClient;

  constructor(options: GamebaseClientOptions) {
    // A plain Error: a bad key is a configuration mistake, and the message must not echo it.
    if (typeof options.secretKey !== 'string' || !SECRET_KEY_PATTERN.test(options.secretKey))
      throw new Error('gamebase: secretKey must be 1-256 printable ASCII characters');
    this.#appId = options.appId;
    this.#secretKey = options.secretKey;
    this.#baseUrl = parseBaseUrl(options.baseUrl ?? GAMEBASE_BASE_URL);
    this.#http = new HttpClient({
      ...options.http,
      store: 'gamebase',
      pools: options.pools,
      logger: options.logger,
    });
  }

  /** `GET /tcgb-inapp/v1.3/apps/{appId}/payment/transaction?accessToken=…` (read-only, retried). */
  async getPaymentTransaction(
    request: PaymentTransactionRequest,
    options: CallOptions = {},
  ): Promise<PaymentTransaction> {
    const endpoint = 'gamebase.paymentTransaction';
    const c = ctx(endpoint);
    const accessToken = purchaseTokenText(c, request.purchaseToken);
    const expected = request.paymentSeq === undefined ? undefined : paymentSeqText(c, request.paymentSeq);
    const payment = await this.#call({
      endpoint,
      method: 'GET',
      parts: this.#appPath('payment', 'transaction'),
      query: { accessToken },
      stateChanging: false,
      schema: paymentTransactionSchema,
      signal: options.signal,
    });
    if (expected !== undefined && payment.paymentSeq !== expected) {
      throw new StoreApiError({
        ...c,
        code: 'PAYMENT_SEQ_MISMATCH',
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
    const c = ctx(endpoint);
    const body = {
      paymentSeq: paymentSeqText(c, request.paymentSeq),
      accessToken: purchaseTokenText(c, request.purchaseToken),
    };
    return this.#call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('consume'),
      body,
      stateChanging: true,
      schema: consumeResultSchema,
      signal: options.signal,
    });
  }

  /** `POST /tcgb-inapp/v1.3/apps/{appId}/consumable`: paid but unconsumed payments of one user (read-only). */
  async listConsumables(
    request: ListConsumablesRequest,
    options: CallOptions = {},
  ): Promise<ConsumablePayment[]> {
    const endpoint = 'gamebase.consumableList';
    const c = ctx(endpoint);
    const body = {
      userId: userIdText(c, request.userId),
      ...(request.marketIds !== undefined && { marketIds: marketIdsList(c, request.marketIds) }),
    };
    return this.#call({
      endpoint,
      method: 'POST',
      parts: this.#appPath('consumable'),
      body,
      stateChanging: false,
      schema: consumableListSchema,
      signal: options.signal,
    });
  }

  /** Closes the keep-alive sockets this client opened. */
  async close(): Promise<void> {
    return this.#http.close();
  }

  #appPath(...tail: string[]): PathPart[] {
    return ['tcgb-inapp', 'v1.3', 'apps', appIdParam(this.#appId), ...tail];
  }

  async #call<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>> {
    const url = buildUrl(ctx(call.endpoint), this.#baseUrl, call.parts, call.query);
    const response = await this.#http.execute({
      endpoint: call.endpoint,
      method: call.method,
      url,
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        accept: 'application/json',
        'x-secret-key': this.#secretKey,
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      safeToRetry: !call.stateChanging,
      signal: call.signal,
    });
    return decodeEnvelope(call.endpoint, response, call.stateChanging, call.schema);
  }
}

function ctx(endpoint: string): UrlContext {
  return { store: 'gamebase', endpoint };
}
