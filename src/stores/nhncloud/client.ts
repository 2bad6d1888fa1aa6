import { EnvelopeTransport } from '../http/envelope.js';
import { bodyText, purchaseTokenText } from '../http/envelope-fields.js';
import type { CallOptions, StoreClientOptions } from '../http/store-call.js';
import { describeResultCode, nhnCloudChangeAnswer } from './codes.js';
import { type Sequence, sequenceNumber, sequenceParam } from './inputs.js';
import {
  type ConsumablePayment,
  type ConsumeResult,
  consumableListSchema,
  consumeResultSchema,
  type ItemList,
  itemListSchema,
} from './schemas.js';

export const NHNCLOUD_BASE_URL = 'https://api-iap.cloud.toast.com';

export interface NhnCloudClientOptions extends StoreClientOptions {
  /** IAP API host. Default `'https://api-iap.cloud.toast.com'`. */
  baseUrl?: string;
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

/** NHN Cloud IAP server API: consume v3, unconsumed payments, registered items. */
export class NhnCloudClient {
  readonly #t: EnvelopeTransport;

  constructor(options: NhnCloudClientOptions = {}) {
    this.#t = new EnvelopeTransport(
      {
        store: 'nhncloud',
        baseUrl: options.baseUrl ?? NHNCLOUD_BASE_URL,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        describeResultCode,
        changeAnswer: nhnCloudChangeAnswer,
      },
      options,
    );
  }

  /** `POST /inapp/v3/consume/{paymentSeq}/items/{itemSeq}`: once per payment; never retried. */
  async consume(request: ConsumeRequest, options: CallOptions = {}): Promise<ConsumeResult> {
    const endpoint = 'nhncloud.consume';
    const purchaseToken = purchaseTokenText(this.#t.ctx(endpoint), request.purchaseToken);
    return this.#t.call({
      endpoint,
      method: 'POST',
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
      scope: options.scope,
    });
  }

  /** `POST /standard/inapp/v1/consumable/list`: paid but unconsumed payments of one user (read-only). */
  async getConsumableList(
    request: ConsumableListRequest,
    options: CallOptions = {},
  ): Promise<ConsumablePayment[]> {
    const endpoint = 'nhncloud.consumableList';
    const c = this.#t.ctx(endpoint);
    return this.#t.call({
      endpoint,
      method: 'POST',
      parts: ['standard', 'inapp', 'v1', 'consumable', 'list'],
      body: {
        appSeq: sequenceNumber(c, 'appSeq', request.appSeq),
        userChannel: bodyText(c, 'userChannel', request.userChannel ?? 'GF', 32),
        userKey: bodyText(c, 'userKey', request.userKey, 256),
      },
      stateChanging: false,
      schema: consumableListSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** `POST /standard/item/list/{appSeq}` (POST, as the document's example sends it; read-only). */
  async getItemList(request: { appSeq: Sequence }, options: CallOptions = {}): Promise<ItemList> {
    return this.#t.call({
      endpoint: 'nhncloud.itemList',
      method: 'POST',
      parts: ['standard', 'item', 'list', sequenceParam('appSeq', request.appSeq)],
      stateChanging: false,
      schema: itemListSchema,
      signal: options.signal,
      scope: options.scope,
    });
  }

  /** Closes the keep-alive sockets this client opened. */
  async close(): Promise<void> {
    return this.#t.close();
  }
}
