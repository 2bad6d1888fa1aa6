import type { IncomingMessage } from 'node:http';
import { isRecord, mediaType, parseJson, type Reply, readBody } from '../http-io.js';
import type { NhnState } from './state.js';

export type NhnEndpoint = 'consume' | 'consumableList' | 'itemList';

export type NhnRoute =
  | { kind: 'matched'; endpoint: NhnEndpoint; params: string[] }
  | { kind: 'wrongMethod'; endpoint: NhnEndpoint }
  | { kind: 'none' };

/** Result codes of the error guide (000) that the server API answers with. */
export const NHN_CODES = {
  0: 'SUCCESS',
  1100: 'INVALID_PARAMETERS',
  2111: 'HTTP_CONTENT_TYPE_NOT_SUPPORT',
  2112: 'HTTP_REQUEST_METHOD_NOT_SUPPORT',
  5000: 'CONSUME_FAILED',
  5018: 'ALREADY_CONSUMED',
} as const;

const CONSUME = /^\/inapp\/v3\/consume\/([^/]+)\/items\/([^/]+)$/;
const ITEM_LIST = /^\/standard\/item\/list\/([^/]+)$/;
const DIGITS = /^\d{1,20}$/;

export function routeNhn(method: string, path: string): NhnRoute {
  const consume = CONSUME.exec(path);
  if (consume) {
    return method === 'POST'
      ? { kind: 'matched', endpoint: 'consume', params: [consume[1] ?? '', consume[2] ?? ''] }
      : { kind: 'wrongMethod', endpoint: 'consume' };
  }
  if (path === '/standard/inapp/v1/consumable/list') {
    return method === 'POST'
      ? { kind: 'matched', endpoint: 'consumableList', params: [] }
      : { kind: 'wrongMethod', endpoint: 'consumableList' };
  }
  const items = ITEM_LIST.exec(path);
  if (items) {
    // The document's table says GET and its example POST: both are accepted.
    return method === 'GET' || method === 'POST'
      ? { kind: 'matched', endpoint: 'itemList', params: [items[1] ?? ''] }
      : { kind: 'wrongMethod', endpoint: 'itemList' };
  }
  return { kind: 'none' };
}

/** Every answer, success or not, is HTTP 200 with the `header` envelope. */
function envelope(resultCode: number, resultMessage: string, result: unknown = null): Reply {
  return {
    status: 200,
    body: { header: { isSuccessful: resultCode === 0, resultCode, resultMessage }, result },
  };
}

export function nhnFailure(code: number): Reply {
  const name = (NHN_CODES as Record<number, string>)[code] ?? 'UNKNOWN_ERROR';
  return envelope(code, name);
}

class NhnFailure extends Error {
  constructor(readonly code: keyof typeof NHN_CODES) {
    super(String(code));
  }
}

async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (mediaType(req.headers['content-type']) !== 'application/json') throw new NhnFailure(2111);
  const body = await readBody(req, limit);
  if (!body.ok) throw new NhnFailure(1100);
  const parsed = parseJson(body.raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw new NhnFailure(1100);
  return parsed.value;
}

/** JSON numbers from the store's decimal strings (`price` is a number on the wire). */
const price = (value: string): number => Number(value);

async function handle(
  route: Extract<NhnRoute, { kind: 'matched' }>,
  req: IncomingMessage,
  state: NhnState,
  limit: number,
) {
  switch (route.endpoint) {
    case 'consume': {
      const [paymentSeq = '', itemSeq = ''] = route.params;
      const body = await jsonBody(req, limit);
      const token = body.purchaseToken;
      if (!DIGITS.test(paymentSeq) || !DIGITS.test(itemSeq) || typeof token !== 'string' || token === '') {
        throw new NhnFailure(1100);
      }
      const payment = state.payments.get(paymentSeq);
      // A wrong token is CONSUME_FAILED before anything is said about the payment's state.
      if (!payment || payment.itemSeq !== Number(itemSeq) || payment.purchaseToken !== token)
        throw new NhnFailure(5000);
      if (payment.consumed) throw new NhnFailure(5018);
      payment.consumed = true;
      return envelope(0, 'request is successful', {
        price: price(payment.price),
        currency: payment.currency,
      });
    }
    case 'consumableList': {
      const body = await jsonBody(req, limit);
      const appSeq = typeof body.appSeq === 'number' ? String(body.appSeq) : body.appSeq;
      const userChannel = body.userChannel ?? 'GF';
      const userKey = body.userKey;
      if (
        typeof appSeq !== 'string' ||
        !DIGITS.test(appSeq) ||
        typeof userKey !== 'string' ||
        userKey === ''
      ) {
        throw new NhnFailure(1100);
      }
      if (typeof userChannel !== 'string' || !state.apps.has(appSeq)) throw new NhnFailure(1100);
      const result = [...state.payments.values()]
        .filter(
          (p) => !p.consumed && p.appSeq === appSeq && p.userKey === userKey && p.userChannel === userChannel,
        )
        .map((p) => ({
          paymentSeq: p.paymentSeq,
          itemSeq: p.itemSeq,
          currency: p.currency,
          price: price(p.price),
          purchaseToken: p.purchaseToken,
        }));
      return envelope(0, 'success', result);
    }
    case 'itemList': {
      const [appSeq = ''] = route.params;
      if (req.method === 'POST' && req.headers['content-type'] !== undefined) {
        if (mediaType(req.headers['content-type']) !== 'application/json') throw new NhnFailure(2111);
      }
      const app = DIGITS.test(appSeq) ? state.apps.get(appSeq) : undefined;
      if (!app) throw new NhnFailure(1100);
      const itemList = [...state.items.values()]
        .filter((i) => i.appSeq === appSeq)
        .map(({ itemSeq, itemName, marketItemId, usingStatus, regYmdt, marketId }) => ({
          itemSeq,
          itemName,
          marketItemId,
          usingStatus,
          regYmdt,
          appName: app.appName,
          marketId,
        }));
      return envelope(0, 'success', {
        appUsingStatus: app.usingStatus,
        itemList,
        marketAppId: app.marketAppId,
        appSeq: app.appSeq,
      });
    }
  }
}

export async function handleNhn(
  route: NhnRoute,
  req: IncomingMessage,
  state: NhnState,
  limit: number,
): Promise<Reply> {
  if (route.kind === 'none') {
    // The guide defines no code for an unknown API; answer like an HTTP server would.
    return {
      status: 404,
      body: { header: { isSuccessful: false, resultCode: 404, resultMessage: 'NOT_FOUND' }, result: null },
    };
  }
  if (route.kind === 'wrongMethod') return nhnFailure(2112);
  try {
    return await handle(route, req, state, limit);
  } catch (error) {
    if (error instanceof NhnFailure) return nhnFailure(error.code);
    throw error;
  }
}
