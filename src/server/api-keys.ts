import { createHash, hash, timingSafeEqual } from 'node:crypto';
import type { ApiKeySettings } from '../config/load.js';
import type { Caller } from '../graphql/context.js';

export const sha256Hex = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * API keys by hash. The presented key is hashed and compared in constant time with every stored
 * hash, so neither a key nor a hash prefix can be learned from timing.
 */
export class ApiKeyRing {
  #keys: readonly { hash: Buffer; caller: Caller }[];

  constructor(keys: readonly ApiKeySettings[]) {
    this.#keys = ApiKeyRing.#entries(keys);
  }

  static #entries(keys: readonly ApiKeySettings[]) {
    return keys.map((k) => ({
      hash: Buffer.from(k.sha256, 'hex'),
      caller: { keyName: k.name, apps: new Set(k.apps), scopes: new Set(k.scopes) },
    }));
  }

  /**
   * Swaps every key at once (SIGHUP rotation): the next request sees the new set, requests already
   * identified keep their caller. Answers the key names now accepted.
   */
  replace(keys: readonly ApiKeySettings[]): string[] {
    this.#keys = ApiKeyRing.#entries(keys);
    return this.#keys.map((k) => k.caller.keyName);
  }

  identify(presented: string | null): Caller | undefined {
    if (!presented) return undefined;
    // One-shot `crypto.hash` (Node >= 20.12): a third of the CPU of createHash().update().digest(),
    // which this pays on every request.
    const digest = hash('sha256', presented, 'buffer');
    let found: Caller | undefined;
    for (const key of this.#keys) {
      if (timingSafeEqual(key.hash, digest)) found = key.caller;
    }
    return found;
  }
}

/** The Bearer scheme in any case (RFC 9110 §11.1: schemes are case-insensitive), then 1*SP. */
const BEARER = /^bearer +/i;

/** `Authorization: Bearer <key>` (`bearer`, `BEARER` ... too) or `x-api-key: <key>`. */
export function presentedKey(headers: Headers): string | null {
  const auth = headers.get('authorization');
  const scheme = auth === null ? null : BEARER.exec(auth);
  if (auth !== null && scheme !== null) return auth.slice(scheme[0].length).trim() || null;
  return headers.get('x-api-key');
}
