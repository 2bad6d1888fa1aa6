import { LRUCache } from 'lru-cache';
import { DeadlineExceededError } from '../errors.js';
import { TOKEN_ENDPOINT } from './codes.js';

export type MarketCode = 'MKT_ONE' | 'MKT_GLB';

/** Sandbox and production tokens are separate, and tokens are per client and per market. */
export interface TokenKey {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly market: MarketCode;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

/** Requests a new token from the store; called at most once at a time per key. */
export type TokenIssuer = () => Promise<IssuedToken>;

export interface TokenCacheOptions {
  /**
   * Renew a token when fewer than this many seconds of its life remain. Default `600`, the
   * document's rule (asking earlier just returns the same token). Tokens living shorter than twice
   * the margin are renewed at half their life.
   */
  renewBeforeExpirySeconds?: number;
  /** Clock in ms since the epoch; inject the sandbox clock in tests. Default `Date.now`. */
  now?: () => number;
  /** Most (base URL, clientId, market) entries kept. Default `100`. */
  maxEntries?: number;
  /** Told of every lookup: hit when it caused no token request of its own. Default: nobody. */
  onLookup?: (hit: boolean) => void;
}

/**
 * A token as one caller used it. `generation` numbers every token the cache obtained, the same text
 * brought back by a renewal included, so a rejection names the renewal period it belongs to and
 * not just a text the store may hand out again.
 */
export interface TokenLease {
  readonly accessToken: string;
  readonly generation: number;
}

type LeaseStatus = LRUCache.Status<string, TokenLease, TokenIssuer>;

/**
 * Access tokens keyed by (base URL, clientId, market). Concurrent callers for a key share one
 * in-flight token request (lru-cache `fetch` dedupes), and an entry goes stale `renewBefore`
 * seconds before the token expires, so the next caller renews it.
 *
 * Renewal after a rejection goes by generation, not by text: the store answers a token request
 * with the very same text while 600 s or more remain (document 002, OAuth), so a 401 that arrives
 * after a renewal cannot tell from the text whether it was meant for the old token or the renewed
 * one. Every caller rejected for generation N shares the one renewal to N+1; a rejection of N
 * arriving later finds N+1 and takes it as it is.
 */
export class TokenCache {
  readonly #cache: LRUCache<string, TokenLease, TokenIssuer>;
  readonly #renewBeforeMs: number;
  readonly #now: () => number;
  readonly #onLookup: (hit: boolean) => void;
  #lastGeneration = 0;

  constructor(options: TokenCacheOptions = {}) {
    this.#onLookup = options.onLookup ?? (() => {});
    this.#renewBeforeMs = (options.renewBeforeExpirySeconds ?? 600) * 1000;
    this.#now = options.now ?? Date.now;
    this.#cache = new LRUCache<string, TokenLease, TokenIssuer>({
      max: options.maxEntries ?? 100,
      perf: { now: this.#now },
      // Read the clock on every check: a test clock may jump by an hour between two calls.
      ttlResolution: 0,
      fetchMethod: async (_key, _stale, { context, options: setOptions }) => {
        const requestedAt = this.#now();
        const issued = await context();
        const lifetimeMs = issued.expiresInSeconds * 1000;
        const renewBeforeMs = Math.min(this.#renewBeforeMs, lifetimeMs / 2);
        // Count the lifetime from when we asked, not from when the answer arrived.
        const freshFor = requestedAt + lifetimeMs - renewBeforeMs - this.#now();
        setOptions.ttl = Math.max(1, Math.floor(freshFor));
        this.#lastGeneration += 1;
        return { accessToken: issued.accessToken, generation: this.#lastGeneration };
      },
    });
  }

  /** A token with more than the renewal margin left, fetched through `issue` when needed. */
  async get(key: TokenKey, issue: TokenIssuer, signal?: AbortSignal): Promise<string> {
    return (await this.lease(key, issue, signal)).accessToken;
  }

  /** Like {@link get}, with the generation to hand to {@link renew} if the store rejects it. */
  lease(key: TokenKey, issue: TokenIssuer, signal?: AbortSignal): Promise<TokenLease> {
    const status: LeaseStatus = {};
    return this.#settle(this.#cache.fetch(cacheKey(key), { context: issue, status }), status, signal);
  }

  /**
   * The token to use after the store rejected `rejected`. If `rejected` is still the cached
   * generation, one renewal starts and every caller rejected for that generation waits for it
   * (lru-cache joins a refresh already in flight); if a renewal already replaced it, the newer
   * token comes back without a token request, even when its text is the same.
   */
  renew(key: TokenKey, rejected: TokenLease, issue: TokenIssuer, signal?: AbortSignal): Promise<TokenLease> {
    const k = cacheKey(key);
    // While a renewal is in flight, peek still shows the generation it replaces, so a forced
    // fetch joins it rather than starting another.
    const forceRefresh = this.#cache.peek(k)?.generation === rejected.generation;
    const status: LeaseStatus = {};
    return this.#settle(this.#cache.fetch(k, { context: issue, forceRefresh, status }), status, signal);
  }

  clear(): void {
    this.#cache.clear();
  }

  async #settle(
    pending: Promise<TokenLease | undefined>,
    status: LeaseStatus,
    signal: AbortSignal | undefined,
  ): Promise<TokenLease> {
    // 'inflight' joins a request another caller started: no token request of its own.
    this.#onLookup(status.fetch === 'hit' || status.fetch === 'inflight');
    const entry = signal === undefined ? await pending : await raceAbort(pending, signal);
    if (entry === undefined) throw new Error('token fetch finished without a token');
    return entry;
  }
}

function cacheKey(key: TokenKey): string {
  return JSON.stringify([key.baseUrl, key.clientId, key.market]);
}

/** Lets one caller stop waiting without cancelling the shared token request for the others. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const abortError = () => {
    const timedOut = signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
    const code = timedOut ? 'DEADLINE_EXCEEDED' : 'ABORTED';
    return new DeadlineExceededError({
      store: 'onestore',
      endpoint: TOKEN_ENDPOINT,
      code,
      message: `${TOKEN_ENDPOINT}: ${code} while waiting for an access token`,
    });
  };
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
