import type { z } from 'zod';
import { HttpClient, type HttpClientOptions } from '../http/http-client.js';
import type { PoolRegistry } from '../http/pools.js';
import { buildUrl, type PathPart, parseBaseUrl, type UrlContext } from '../http/safe-path.js';
import type { StoreLogger } from '../logger.js';
import { decodeEnvelope } from './envelope.js';
import { bodyText, purchaseTokenText, type Sequence, sequenceNumber, sequenceParam } from './inputs.js';
import {
  type ConsumablePayment,
  type ConsumeResult,
  consumableListSchema,
  consumeResultSchema,
  type ItemList,
  itemListSchema,
} from './schemas.js';

export const NHNCLOUD_BASE_URL = 'https://api-iap.cloud.toast.com';

export interface NhnCloudClientOptions {
  /** IAP API host. Default `'https://api-iap.cloud.toast.com'`. */
  baseUrl?: string;
  /** Keep-alive pools to share with other clients. Default: a private registry closed by `close()`. */
  pools?: PoolRegistry;
  /** Deadlines, size cap and retry policy. Default: {@link HttpClientOptions} defaults. */
  http?: Omit<HttpClientOptions, 'store' | 'pools' | 'logger'>;
  /** pino-compatible logger; receives no tokens or URLs. Default: silent. */
  logger?: StoreLogger;
}

export interface CallOptions {
  /** Cancels the call; combined with the client's deadline. Default: none. */
  signal?: AbortSignal;
}

export interface ConsumeRequest {
  paymentSeq: Sequence;
  itemSeq: Sequence;
  purchaseToken: string;
}

export interface ConsumableListRequest {
  appSeq: Sequence;
  userKey: string;
  /** User channel. Default `'GF'` (the document's default). */
  userChannel?: string;
}

interface Call<S extends z.ZodType> {
  endpoint: string;
  parts: readonly PathPart[];
  body?: unknown;
  stateChanging: boolean;
  schema: S;
  signal: AbortSignal | undefined;
}

/** NHN Cloud IAP server API: consume v3, unconsumed payments, registered items. */
export class NhnCloudClient {
  readonly #baseUrl: URL;
  readonly #http: HttpClient;

  constructor(options: NhnCloudClientOptions = {}) {
    this.#baseUrl = parseBaseUrl(options.baseUrl ?? NHNCLOUD_BASE_URL);
    this.#http = new HttpClient({
      ...options.http,
      store: 'nhncloud',
      pools: options.pools,
      logger: options.logger,
    });
  }

  /** `POST /inapp/v3/consume/{paymentSeq}/items/{itemSeq}`: once per payment; never retried. */
  async consume(request: ConsumeRequest, options: CallOptions = {}): Promise<ConsumeResult> {
    const endpoint = 'nhncloud.consume';
    const purchaseToken = purchaseTokenText(ctx(endpoint), request.purchaseToken);
    return this.#call({
      endpoint,
      parts: [
        'inapp',
        'v3',
        'consume',
        sequenceParam('paymentSeq', request.paymentSeq),
        'items',
        sequenceParam('itemSeq', request.itemSeq),
      ],
      body: { purchaseToken },
      stateChanging: true,
      schema: consumeResultSchema,
      signal: options.signal,
    });
  }

  /** `POST /standard/inapp/v1/consumable/list`: paid but unconsumed payments of one user (read-only). */
  async getConsumableList(
    request: ConsumableListRequest,
    options: CallOptions = {},
  ): Promise<ConsumablePayment[]> {
    const endpoint = 'nhncloud.consumableList';
    const c = ctx(endpoint);
    return this.#call({
      endpoint,
      parts: ['standard', 'inapp', 'v1', 'consumable', 'list'],
      body: {
        appSeq: sequenceNumber(c, 'appSeq', request.appSeq),
        userChannel: bodyText(c, 'userChannel', request.userChannel ?? 'GF', 32),
        userKey: bodyText(c, 'userKey', request.userKey, 256),
      },
      stateChanging: false,
      schema: consumableListSchema,
      signal: options.signal,
    });
  }

  /** `POST /standard/item/list/{appSeq}` (POST, as the document's example sends it; read-only). */
  async getItemList(request: { appSeq: Sequence }, options: CallOptions = {}): Promise<ItemList> {
    return this.#call({
      endpoint: 'nhncloud.itemList',
      parts: ['standard', 'item', 'list', sequenceParam('appSeq', request.appSeq)],
      stateChanging: false,
      schema: itemListSchema,
      signal: options.signal,
    });
  }

  /** Closes the keep-alive sockets this client opened. */
  async close(): Promise<void> {
    return this.#http.close();
  }

  async #call<S extends z.ZodType>(call: Call<S>): Promise<z.output<S>> {
    const url = buildUrl(ctx(call.endpoint), this.#baseUrl, call.parts);
    const response = await this.#http.execute({
      endpoint: call.endpoint,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      safeToRetry: !call.stateChanging,
      signal: call.signal,
    });
    return decodeEnvelope(call.endpoint, response, call.stateChanging, call.schema);
  }
}

function ctx(endpoint: string): UrlContext {
  return { store: 'nhncloud', endpoint };
}
