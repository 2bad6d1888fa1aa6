import { randomUUID } from 'node:crypto';
import type { Market } from './model.js';

/** Tokens live 3600 s (the document's default). */
export const TOKEN_LIFETIME_MS = 3_600_000;
/** Asking again with fewer than 600 s left issues a new token; the old one stays valid. */
export const TOKEN_RENEW_WINDOW_MS = 600_000;
/** Expired tokens are remembered this long so they answer AccessTokenExpired, not InvalidAccessToken. */
const EXPIRED_MEMORY_MS = 86_400_000;

export interface AccessToken {
  value: string;
  clientId: string;
  market: Market;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCheck = { kind: 'valid'; token: AccessToken } | { kind: 'unknown' } | { kind: 'expired' };

/**
 * What a token request answers while the newest token has 600 s or more left. `same`: that token
 * again (the document's rule). `new`: a fresh token text every time, the old one staying valid until
 * it expires, as a store behind several token servers or one that ignores the rule would; a client
 * must cope with both.
 */
export type TokenReissue = 'same' | 'new';

export class TokenIssuer {
  #byValue = new Map<string, AccessToken>();
  /** The newest token per client and market, handed out again while it has 600 s or more left. */
  #latest = new Map<string, AccessToken>();
  readonly #initialReissue: TokenReissue;
  /** How many tokens were newly issued (not handed out again). */
  issuedCount = 0;
  /** Current re-issue behaviour; `clear()` restores the one given to the constructor. */
  reissue: TokenReissue;

  /** @param reissue default `same`, the document's rule. */
  constructor(reissue: TokenReissue = 'same') {
    this.#initialReissue = reissue;
    this.reissue = reissue;
  }

  issue(clientId: string, market: Market, now: number): AccessToken {
    const key = `${clientId}\u0000${market}`;
    const latest = this.#latest.get(key);
    if (this.reissue === 'same' && latest && latest.expiresAt - now >= TOKEN_RENEW_WINDOW_MS) return latest;
    this.#prune(now);
    const token: AccessToken = {
      value: randomUUID(),
      clientId,
      market,
      issuedAt: now,
      expiresAt: now + TOKEN_LIFETIME_MS,
    };
    this.#byValue.set(token.value, token);
    this.#latest.set(key, token);
    this.issuedCount++;
    return token;
  }

  check(value: string, now: number): TokenCheck {
    const token = this.#byValue.get(value);
    if (!token) return { kind: 'unknown' };
    return now < token.expiresAt ? { kind: 'valid', token } : { kind: 'expired' };
  }

  clear(): void {
    this.#byValue.clear();
    this.#latest.clear();
    this.issuedCount = 0;
    this.reissue = this.#initialReissue;
  }

  #prune(now: number): void {
    for (const [value, token] of this.#byValue) {
      if (now - token.expiresAt > EXPIRED_MEMORY_MS) this.#byValue.delete(value);
    }
  }
}
