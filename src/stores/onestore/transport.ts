import type { z } from 'zod';
import { isStoreError } from '../errors.js';
import { decodeChangeAnswer } from '../http/change-answer.js';
import { HttpClient, type HttpResponse } from '../http/http-client.js';
import { decodeJson, tryParseJson } from '../http/json.js';
import { buildUrl, checkSegment, parseBaseUrl, type UrlContext } from '../http/safe-path.js';
import type { StoreCall } from '../http/store-call.js';
import { type StoreObserver, silentObserver } from '../observer.js';
import type { RequestScope } from '../resilience/request-scope.js';
import { isAuthTokenError, TOKEN_ENDPOINT } from './codes.js';
import { ONESTORE_BASE_URLS, type OneStoreClientOptions } from './config.js';
import { oneStoreErrorFromResponse } from './errors.js';
import { CLIENT_ID_RULE } from './inputs.js';
import { errorBodySchema, type TokenResponse, tokenResponseSchema } from './schemas.js';
import { type MarketCode, TokenCache, type TokenIssuer, type TokenKey } from './token-cache.js';

/**
 * Everything between a typed ONE store method and the wire: URL building, the cached bearer token
 * (renewed by generation when the store rejects it, see TokenCache), headers, response decoding and
 * error mapping.
 */
export class OneStoreTransport {
  readonly baseUrl: URL;
  readonly clientId: string;
  readonly market: MarketCode;
  readonly #clientSecret: string;
  readonly #http: HttpClient;
  readonly #tokens: TokenCache;
  readonly #tokenKey: TokenKey;
  readonly #encodedClientId: string;
  readonly #observer: StoreObserver;
  /**
   * Shared by every waiting request, so it is given no request's scope: it is bounded by the
   * client's own deadline only, not by that of whichever request started it.
   */
  readonly #issuer: TokenIssuer = async () => {
    try {
      const token = await this.requestToken();
      this.#observer.tokenRefresh('onestore', 'success');
      return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    } catch (err) {
      // The token endpoint's own error code refuses the credentials or the configuration: an
      // operator's problem (alert GatewayStoreCredentialsRefused), not a passing failure.
      const refused = isStoreError(err) && err.kind === 'StoreApiError';
      this.#observer.tokenRefresh('onestore', refused ? 'refused' : 'failure');
      throw err;
    }
  };

  constructor(options: OneStoreClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl ?? ONESTORE_BASE_URLS[options.environment ?? 'sandbox']);
    this.market = options.market ?? 'MKT_ONE';
    const ctx: UrlContext = { store: 'onestore', endpoint: 'onestore.config' };
    this.#encodedClientId = checkSegment(ctx, {
      field: 'clientId',
      value: options.clientId,
      rule: CLIENT_ID_RULE,
    });
    this.clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#http = new HttpClient({
      ...options.http,
      store: 'onestore',
      pools: options.pools,
      logger: options.logger,
      isMaintenance: isMaintenanceAnswer,
    });
    this.#observer = options.http?.observer ?? silentObserver;
    this.#tokens =
      options.tokenCache ??
      new TokenCache({ now: options.now, renewBeforeExpirySeconds: options.renewBeforeExpirySeconds });
    this.#tokenKey = { baseUrl: this.baseUrl.href, clientId: this.clientId, market: this.market };
  }

  /** Calls `POST /v7/oauth/token` (uncached). Safe to retry: it only issues or repeats a token. */
  async requestToken(signal?: AbortSignal, scope?: RequestScope): Promise<TokenResponse> {
    const endpoint = TOKEN_ENDPOINT;
    const url = buildUrl({ store: 'onestore', endpoint }, this.baseUrl, ['v7', 'oauth', 'token']);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.#clientSecret,
    });
    const response = await this.#http.execute({
      endpoint,
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'x-market-code': this.market,
      },
      body: form.toString(),
      safeToRetry: true,
      signal,
      scope,
    });
    if (!isSuccess(response)) throw oneStoreErrorFromResponse(endpoint, response, false);
    return decodeJson({ store: 'onestore', endpoint }, response, tokenResponseSchema);
  }

  /** A cached access token, renewed when fewer than the margin's seconds remain. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    return (await this.#tokens.lease(this.#tokenKey, this.#issuer, signal)).accessToken;
  }

  async call<S extends z.ZodType>(call: StoreCall<S>): Promise<z.output<S>> {
    const ctx: UrlContext = { store: 'onestore', endpoint: call.endpoint };
    // Validate every input before the first byte of I/O, the token request included.
    const url = buildUrl(ctx, this.baseUrl, ['v7', 'apps', this.#encodedClientId, ...call.parts], call.query);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const lease = await this.#tokens.lease(this.#tokenKey, this.#issuer, call.signal);
    let response = await this.#send(call, url, body, lease.accessToken);
    if (isTokenRejection(response)) {
      // The store refused the call outright, so repeating it once is safe. The renewal is shared
      // by every call refused for this token's generation; a second refusal is the answer.
      const renewed = await this.#tokens.renew(this.#tokenKey, lease, this.#issuer, call.signal);
      response = await this.#send(call, url, body, renewed.accessToken);
    }
    if (!isSuccess(response)) throw oneStoreErrorFromResponse(call.endpoint, response, call.stateChanging);
    if (!call.stateChanging) return decodeJson(ctx, response, call.schema);
    return decodeChangeAnswer(() => decodeJson(ctx, response, call.schema));
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  #send(
    call: StoreCall<z.ZodType>,
    url: URL,
    body: string | undefined,
    token: string,
  ): Promise<HttpResponse> {
    return this.#http.execute({
      endpoint: call.endpoint,
      method: call.method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        // The document marks Content-Type required on every call, GETs included.
        'content-type': 'application/json',
        accept: 'application/json',
        'x-market-code': this.market,
      },
      ...(body === undefined ? {} : { body }),
      safeToRetry: !call.stateChanging,
      signal: call.signal,
      scope: call.scope,
    });
  }
}

function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** The documented maintenance answer: 503 with the standard body's `ServiceMaintenance` code. */
function isMaintenanceAnswer(response: HttpResponse): boolean {
  if (response.status !== 503) return false;
  const parsed = errorBodySchema.safeParse(tryParseJson(response));
  return parsed.success && parsed.data.error.code === 'ServiceMaintenance';
}

function isTokenRejection(response: HttpResponse): boolean {
  if (response.status !== 401) return false;
  const parsed = errorBodySchema.safeParse(tryParseJson(response));
  return parsed.success && isAuthTokenError(parsed.data.error.code);
}
