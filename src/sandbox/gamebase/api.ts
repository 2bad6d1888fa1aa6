import type { IncomingMessage } from 'node:http';
import { mediaType, type Reply } from '../http-io.js';
import { GamebaseFailure, gamebaseEnvelope, gamebaseFailure, kstIso, transactionIdOf } from './codes.js';
import { DIGITS, jsonBody, marketsOf, sameText, text } from './request-fields.js';
import { type GamebaseApp, type GamebasePayment, type GamebaseState, isConsumableType } from './state.js';
import { listActiveSubscriptions, subscriptionsStatus } from './subscription-api.js';
import { settleApp } from './subscription-model.js';

export type GamebaseEndpoint =
  | 'paymentTransaction'
  | 'consume'
  | 'consumableList'
  | 'activeSubscriptions'
  | 'subscriptionsStatus';

export type GamebaseRoute =
  | { kind: 'matched'; endpoint: GamebaseEndpoint; appId: string }
  | { kind: 'wrongMethod'; endpoint: GamebaseEndpoint }
  | { kind: 'none' };

const PURCHASE_API =
  /^\/tcgb-inapp\/v1\.3\/apps\/([^/]+)\/(consume|consumable|payment\/transaction|active-subscriptions|subscriptions\/status)$/;
const ENDPOINTS: Record<string, [method: string, endpoint: GamebaseEndpoint]> = {
  consume: ['POST', 'consume'],
  consumable: ['POST', 'consumableList'],
  'payment/transaction': ['GET', 'paymentTransaction'],
  'active-subscriptions': ['POST', 'activeSubscriptions'],
  'subscriptions/status': ['POST', 'subscriptionsStatus'],
};

export function routeGamebase(method: string, path: string): GamebaseRoute {
  const match = PURCHASE_API.exec(path);
  const known = match ? ENDPOINTS[match[2] ?? ''] : undefined;
  if (!match || !known) return { kind: 'none' };
  const [expected, endpoint] = known;
  return method === expected
    ? { kind: 'matched', endpoint, appId: match[1] ?? '' }
    : { kind: 'wrongMethod', endpoint };
}

/** The app of the path, then its secret key: "Called invalid App ID" before "invalid secret key". */
function authorize(req: IncomingMessage, rawAppId: string, state: GamebaseState): GamebaseApp {
  let appId: string;
  try {
    appId = decodeURIComponent(rawAppId);
  } catch {
    throw new GamebaseFailure(-4010001);
  }
  const app = state.apps.get(appId);
  if (!app) throw new GamebaseFailure(-4010001);
  const key = req.headers['x-secret-key'];
  if (typeof key !== 'string' || !sameText(key, app.secretKey)) throw new GamebaseFailure(-4010004);
  // The Common header table marks Content-Type required on every call, GETs included.
  if (mediaType(req.headers['content-type']) !== 'application/json') throw new GamebaseFailure(-4060001);
  return app;
}

/** Fields every purchase answer shares; `payload` is left out when the SDK set none. */
function common(p: GamebasePayment) {
  return {
    paymentSeq: p.paymentSeq,
    productSeq: p.productSeq,
    currency: p.currency,
    // A JSON number, as the field tables say (Float); the stored value is a decimal string.
    price: Number(p.price),
    marketId: p.storeCode,
    accessToken: p.accessToken,
    paymentId: p.paymentId,
  };
}

function extras(p: GamebasePayment) {
  return {
    gamebaseProductId: p.gamebaseProductId,
    purchaseTime: kstIso(p.purchaseTime),
    ...(p.payload !== null && { payload: p.payload }),
    isTestPurchase: p.isTestPurchase,
    ...(p.purchaseType !== null && { purchaseType: p.purchaseType }),
  };
}

async function handle(
  route: Extract<GamebaseRoute, { kind: 'matched' }>,
  req: IncomingMessage,
  query: URLSearchParams,
  state: GamebaseState,
  limit: number,
  transactionId: string,
  now: number,
): Promise<Reply> {
  const app = authorize(req, route.appId, state);
  // Renewals that came due add payments every endpoint sees.
  settleApp(state, app.appId, now);
  switch (route.endpoint) {
    case 'paymentTransaction': {
      const token = text(query.get('accessToken') ?? undefined);
      const p = state.byToken(token);
      // The guide names no "not found" code: an unknown, other app's or refunded payment is 1100.
      if (!p || p.appId !== app.appId || p.status === 'refunded') throw new GamebaseFailure(1100);
      return gamebaseEnvelope(transactionId, 0, 'SUCCESS', {
        ...common(p),
        paymentToken: p.paymentToken,
        productType: p.productType,
        userId: p.userId,
        ...extras(p),
        isConsumable: p.status === 'purchased' && isConsumableType(p.productType),
      });
    }
    case 'consume': {
      const body = await jsonBody(req, limit);
      const paymentSeq = text(body.paymentSeq);
      const token = text(body.accessToken);
      if (!DIGITS.test(paymentSeq)) throw new GamebaseFailure(1100);
      const p = state.payments.get(paymentSeq);
      // A wrong token learns nothing about the payment's state: CONSUME FAILED first.
      if (!p || p.appId !== app.appId || !sameText(p.accessToken, token)) throw new GamebaseFailure(5000);
      if (p.status === 'consumed') throw new GamebaseFailure(5018);
      if (p.status !== 'purchased' || !isConsumableType(p.productType)) throw new GamebaseFailure(5000);
      p.status = 'consumed';
      return gamebaseEnvelope(transactionId, 0, 'SUCCESS', {
        price: Number(p.price),
        currency: p.currency,
        productSeq: p.productSeq,
        marketId: p.storeCode,
        gamebaseProductId: p.gamebaseProductId,
        ...(p.payload !== null && { payload: p.payload }),
      });
    }
    case 'activeSubscriptions': {
      const result = listActiveSubscriptions(app, await jsonBody(req, limit), state, now);
      return gamebaseEnvelope(transactionId, 0, 'SUCCESS', result);
    }
    case 'subscriptionsStatus': {
      const result = subscriptionsStatus(app, await jsonBody(req, limit), state, now);
      return gamebaseEnvelope(transactionId, 0, 'SUCCESS', result);
    }
    case 'consumableList': {
      const body = await jsonBody(req, limit);
      const userId = text(body.userId);
      const markets = marketsOf(body);
      const result = [...state.payments.values()]
        .filter(
          (p) =>
            p.appId === app.appId &&
            p.userId === userId &&
            p.status === 'purchased' &&
            isConsumableType(p.productType) &&
            markets.has(p.storeCode),
        )
        // Newest first, as in the guide's example.
        .sort((a, b) => b.purchaseTime - a.purchaseTime || b.paymentSeq.localeCompare(a.paymentSeq))
        .map((p) => ({ ...common(p), ...extras(p) }));
      return gamebaseEnvelope(transactionId, 0, 'success', result);
    }
  }
}

/** Answers one Gamebase request; every failure is HTTP 200 with the documented result code. */
export async function handleGamebase(
  route: GamebaseRoute,
  req: IncomingMessage,
  query: URLSearchParams,
  state: GamebaseState,
  limit: number,
  /** The sandbox clock's now: subscriptions renew and expire by it. */
  now: number,
): Promise<Reply> {
  const transactionId = transactionIdOf(req);
  // An unknown path or method is the Gateway's "Called undefined API".
  if (route.kind !== 'matched') return gamebaseFailure(-4040202, transactionId);
  try {
    return await handle(route, req, query, state, limit, transactionId, now);
  } catch (error) {
    if (error instanceof GamebaseFailure) return gamebaseFailure(error.code, transactionId);
    throw error;
  }
}
