import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isRecord, mediaType, parseJson, type Reply, readBody } from '../http-io.js';
import { GamebaseFailure, gamebaseEnvelope, gamebaseFailure, kstIso, transactionIdOf } from './codes.js';
import {
  type GamebaseApp,
  type GamebasePayment,
  type GamebaseState,
  isConsumableType,
  STORE_CODES,
  type StoreCode,
} from './state.js';

export type GamebaseEndpoint = 'paymentTransaction' | 'consume' | 'consumableList';

export type GamebaseRoute =
  | { kind: 'matched'; endpoint: GamebaseEndpoint; appId: string }
  | { kind: 'wrongMethod'; endpoint: GamebaseEndpoint }
  | { kind: 'none' };

const PURCHASE_API = /^\/tcgb-inapp\/v1\.3\/apps\/([^/]+)\/(consume|consumable|payment\/transaction)$/;
const ENDPOINTS: Record<string, [method: string, endpoint: GamebaseEndpoint]> = {
  consume: ['POST', 'consume'],
  consumable: ['POST', 'consumableList'],
  'payment/transaction': ['GET', 'paymentTransaction'],
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

const DIGITS = /^\d{1,20}$/;
const MAX_TEXT = 2048;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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

async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  if (!body.ok) throw new GamebaseFailure(-4150001);
  const parsed = parseJson(body.raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw new GamebaseFailure(-4150001);
  return parsed.value;
}

/** A required String field: another JSON type is -4000001, absent or empty is 1100. */
function text(value: unknown): string {
  if (value === undefined || value === null || value === '') throw new GamebaseFailure(1100);
  if (typeof value !== 'string') throw new GamebaseFailure(-4000001);
  if (value.length > MAX_TEXT) throw new GamebaseFailure(1100);
  return value;
}

function storeCode(value: unknown): StoreCode {
  if (typeof value !== 'string') throw new GamebaseFailure(-4000001);
  const code = STORE_CODES.find((c) => c === value);
  if (!code) throw new GamebaseFailure(1100);
  return code;
}

/**
 * `marketIds` empty or null means every store, "however, all stores must be listed explicitly when
 * retrieving all stores including AMAZON": so the default leaves AMAZON out. The deprecated
 * `marketId` adds its store.
 */
function marketsOf(body: Record<string, unknown>): Set<StoreCode> {
  const { marketIds, marketId } = body;
  if (marketIds !== undefined && marketIds !== null && !Array.isArray(marketIds))
    throw new GamebaseFailure(-4000001);
  const listed = (marketIds ?? []).map(storeCode);
  if (marketId !== undefined && marketId !== null) listed.push(storeCode(marketId));
  if (listed.length > 0) return new Set(listed);
  return new Set(STORE_CODES.filter((c) => c !== 'AMAZON'));
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
  };
}

async function handle(
  route: Extract<GamebaseRoute, { kind: 'matched' }>,
  req: IncomingMessage,
  query: URLSearchParams,
  state: GamebaseState,
  limit: number,
  transactionId: string,
): Promise<Reply> {
  const app = authorize(req, route.appId, state);
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
): Promise<Reply> {
  const transactionId = transactionIdOf(req);
  // An unknown path or method is the Gateway's "Called undefined API".
  if (route.kind !== 'matched') return gamebaseFailure(-4040202, transactionId);
  try {
    return await handle(route, req, query, state, limit, transactionId);
  } catch (error) {
    if (error instanceof GamebaseFailure) return gamebaseFailure(error.code, transactionId);
    throw error;
  }
}
