import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as doc from '../stores/fixtures/document-examples.js';

/**
 * A ONE store that answers its list endpoints (`voided-purchases`, `unconfirmed-purchases`) with
 * whatever a test says, per clientId, market (`x-market-code`) and continuationKey, and records every
 * list call: what it asked for, and how many list calls of one (clientId, market, list) were in
 * flight at once. The token endpoint answers the document's own example. Anything else is a 599.
 */

export type ListName = 'voided-purchases' | 'unconfirmed-purchases';

export interface ListCall {
  clientId: string;
  market: string;
  list: ListName;
  /** The continuationKey the call sent; null on a walk's first page. */
  continuationKey: string | null;
  /** The maxResults the call sent; null when it sent none (the store's default, 100). */
  maxResults?: number | null;
  /** The startTime and endTime the call sent (store milliseconds); null when it sent none. */
  startTime?: number | null;
  endTime?: number | null;
}

/** The store's error answer for `code` (the document's shape), e.g. `InvalidRequest` with HTTP 400. */
export function storeError(code: string, status: number): Answer {
  return {
    status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({ error: { code, message: code } }),
  };
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Decides the answer of one list call; undefined: HTTP 599 (no answer configured). */
export type Answering = (call: ListCall) => Answer | undefined;

/** A list page continuing to `next` (null: the last page) with `entries` made-up entries. */
export function listPage(list: ListName, next: string | null, entries = 1): Answer {
  const at = 1_760_000_000_000;
  const entry = (i: number) =>
    list === 'voided-purchases'
      ? {
          purchaseId: `P${i}`,
          purchaseTime: at,
          voidedTime: at + 1_000,
          purchaseToken: `T${i}`,
          marketCode: 'MKT_ONE',
        }
      : {
          type: 'inapp',
          orderId: `O${i}`,
          productId: 'gem_100',
          purchaseToken: `T${i}`,
          purchaseId: `P${i}`,
          purchaseTime: at,
          purchaseState: 0,
          developerPayload: '',
          quantity: 1,
          marketCode: 'MKT_ONE',
        };
  const key = list === 'voided-purchases' ? 'voidedPurchaseList' : 'unconfirmedPurchaseList';
  return {
    status: 200,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify({
      ...(next !== null && { continuationKey: next }),
      [key]: Array.from({ length: entries }, (_, i) => entry(i)),
    }),
  };
}

/** The document's example answer of the list, byte for byte (its continuationKey is "continuationKey"). */
export function documentExample(list: ListName): Answer {
  return list === 'voided-purchases' ? doc.getVoidedPurchases : doc.getUnconfirmedPurchases;
}

export interface FakeListStore {
  url: string;
  calls: ListCall[];
  /** Most list calls of one (clientId, market, list) in flight at once, by `clientId market list`. */
  maxInFlight: Map<string, number>;
  /** The calls of one clientId and market (and list, default voided-purchases). */
  of(clientId: string, market: string, list?: ListName): ListCall[];
  answering: Answering;
  /** Each list answer waits this long first, ms. Default 0. */
  delayMs: number;
  /** Each list answer also waits for the promise this returns (a gate the test opens). Default: none. */
  hold: ((call: ListCall) => Promise<void> | undefined) | undefined;
  /** List answers sent. */
  answered: number;
  close(): Promise<void>;
}

const pathOf = (req: IncomingMessage) => (req.url ?? '').split('?')[0] ?? '';

export async function startFakeListStore(answering: Answering): Promise<FakeListStore> {
  const inFlight = new Map<string, number>();
  const store: FakeListStore = {
    url: '',
    calls: [],
    maxInFlight: new Map(),
    of: (clientId, market, list = 'voided-purchases') =>
      store.calls.filter((c) => c.clientId === clientId && c.market === market && c.list === list),
    answering,
    delayMs: 0,
    hold: undefined,
    answered: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = pathOf(req);
      if (req.method === 'POST' && path === '/v7/oauth/token') {
        res.writeHead(200, { 'content-type': doc.oneStoreToken.contentType }).end(doc.oneStoreToken.body);
        return;
      }
      const match = /^\/v7\/apps\/([^/]+)\/(voided-purchases|unconfirmed-purchases)$/.exec(path);
      if (req.method !== 'GET' || !match) {
        res.writeHead(599, { 'content-type': 'text/plain' }).end('no answer here');
        return;
      }
      const query = new URL(req.url ?? '', 'http://store').searchParams;
      const call: ListCall = {
        clientId: decodeURIComponent(match[1] ?? ''),
        market: String(req.headers['x-market-code'] ?? 'MKT_ONE'),
        list: match[2] as ListName,
        continuationKey: query.get('continuationKey'),
        maxResults: query.has('maxResults') ? Number(query.get('maxResults')) : null,
        startTime: query.has('startTime') ? Number(query.get('startTime')) : null,
        endTime: query.has('endTime') ? Number(query.get('endTime')) : null,
      };
      store.calls.push(call);
      const id = `${call.clientId} ${call.market} ${call.list}`;
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      store.maxInFlight.set(id, Math.max(now, store.maxInFlight.get(id) ?? 0));
      const held = store.hold?.(call) ?? Promise.resolve();
      setTimeout(() => {
        void held.then(() => {
          inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
          store.answered += 1;
          const answer = store.answering(call);
          if (!answer) res.writeHead(599, { 'content-type': 'text/plain' }).end('no answer here');
          else res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
        });
      }, store.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  store.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return store;
}
