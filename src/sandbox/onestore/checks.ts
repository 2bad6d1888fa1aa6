import type { IncomingMessage } from 'node:http';
import { isRecord, mediaType, parseJson, readBody } from '../http-io.js';
import { OneStoreFailure } from './codes.js';
import type { AuthorizedCall, OneStoreDeps } from './deps.js';
import { MARKETS, type Market } from './model.js';
import type { PathParams } from './routes.js';

/** Path-parameter sizes from the document (Data Size). */
const PATH_SIZES = { clientId: 128, productId: 150, purchaseToken: 20 } as const;
/** `Bearer` + one space + the token, case-sensitive; the token itself has no spaces or brackets. */
const PATH_PARAMS = Object.keys(PATH_SIZES) as (keyof typeof PATH_SIZES)[];
const BEARER = /^Bearer ([^\s<>]+)$/;

export function marketOf(req: IncomingMessage): Market {
  const raw = req.headers['x-market-code'];
  if (raw === undefined) return 'MKT_ONE';
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (MARKETS.includes(value as Market)) return value as Market;
  throw new OneStoreFailure('InvalidRequest', ['x-market-code']);
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  if (!body.ok)
    throw new OneStoreFailure('BadRequest', [
      body.reason === 'tooLarge' ? `body over ${limit} bytes` : 'body',
    ]);
  if (body.raw.length === 0) return {};
  const parsed = parseJson(body.raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw new OneStoreFailure('BadRequest', ['body']);
  return parsed.value;
}

/**
 * The checks every purchase API call goes through, in the order a request meets them:
 * content type, Authorization header, token, market, parameter sizes, the path's app, body.
 */
export function authorizeCall(
  req: IncomingMessage,
  params: PathParams,
  query: URLSearchParams,
  deps: OneStoreDeps,
): AuthorizedCall | Promise<AuthorizedCall> {
  if (mediaType(req.headers['content-type']) !== 'application/json')
    throw new OneStoreFailure('InvalidContentType');
  const header = req.headers.authorization;
  const bearer = header === undefined ? null : BEARER.exec(header);
  if (!bearer?.[1]) throw new OneStoreFailure('InvalidAuthorizationHeader');
  const now = deps.clock.now();
  const check = deps.state.tokens.check(bearer[1], now);
  if (check.kind === 'unknown') throw new OneStoreFailure('InvalidAccessToken');
  if (check.kind === 'expired') throw new OneStoreFailure('AccessTokenExpired');
  const market = marketOf(req);
  // Sizes before the app check: a clientId over 128 can never match a token's app, and the
  // answer must name the parameter (InvalidRequest [ clientId ]), not UnauthorizedAccess.
  const tooLong = PATH_PARAMS.filter((name) => (params[name]?.length ?? 0) > PATH_SIZES[name]);
  if (tooLong.length > 0) throw new OneStoreFailure('InvalidRequest', tooLong);
  const clientId = params.clientId ?? '';
  if (check.token.clientId !== clientId) throw new OneStoreFailure('UnauthorizedAccess');
  if (deps.state.apps.get(clientId)?.blocked) throw new OneStoreFailure('AccessBlocked');
  const call: AuthorizedCall = {
    clientId,
    productId: params.productId ?? '',
    purchaseToken: params.purchaseToken ?? '',
    market,
    params,
    query,
    body: {},
    now,
  };
  // GETs stay synchronous: the lookups are the sandbox's hot path (bench/sandbox.ts).
  if (req.method !== 'POST') return call;
  return readJsonBody(req, deps.maxBodyBytes).then((body) => ({ ...call, body }));
}

/** developerPayload is optional, a string of at most 200 characters. */
export function payloadOf(body: Record<string, unknown>): string | undefined {
  const value = body.developerPayload;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 200)
    throw new OneStoreFailure('InvalidRequest', ['developerPayload']);
  return value;
}
