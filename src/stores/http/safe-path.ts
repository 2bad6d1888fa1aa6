import { InvalidArgumentError, type StoreName } from '../errors.js';

/** What a path parameter may look like, from the store document's sizes and our character allowlist. */
export interface SegmentRule {
  /**
   * Longest accepted value, in UTF-16 code units: what a Java store counts as a String's length
   * (the documents give "Data Size" with no unit). One per character but for astral ones (an
   * emoji, a CJK extension B ideograph), which are two; never bytes, so Hangul counts one.
   */
  readonly maxLength: number;
  /** Anchored allowlist; must not accept `/`, `%`, `?`, `#` or control characters. */
  readonly pattern: RegExp;
  /** Human-readable allowlist for error messages. */
  readonly allowed: string;
}

/**
 * Letters and decimal digits of any script plus `._-`: ONE store product IDs can be Korean. Not a
 * dot segment (`.`, `..`), which checkSegment refuses too: the GraphQL edge checks with this pattern
 * alone, and must refuse it there, naming the argument.
 */
export const UNICODE_ID_PATTERN = /^(?!\.\.?$)[\p{L}\p{Nd}._-]+$/u;
export const ASCII_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
export const ALPHANUMERIC_PATTERN = /^[A-Za-z0-9]+$/;
export const DIGITS_PATTERN = /^[0-9]+$/;

export interface PathParam {
  readonly field: string;
  readonly value: unknown;
  readonly rule: SegmentRule;
}

/** A literal segment written in our code, or a caller-supplied parameter to check and encode. */
export type PathPart = string | PathParam;

export interface UrlContext {
  readonly store: StoreName;
  readonly endpoint: string;
}

export function invalidInput(ctx: UrlContext, field: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError({ store: ctx.store, endpoint: ctx.endpoint, field, reason });
}

/** Checks one caller-supplied value against its rule and returns it percent-encoded. */
export function checkSegment(ctx: UrlContext, param: PathParam): string {
  const { field, value, rule } = param;
  if (typeof value !== 'string') throw invalidInput(ctx, field, 'must be a string');
  if (value.length === 0) throw invalidInput(ctx, field, 'must not be empty');
  // UTF-16 code units, as the store counts (see SegmentRule.maxLength): 76 astral letters are
  // 76 code points, and over a product ID's 150 for the store.
  if (value.length > rule.maxLength)
    throw invalidInput(ctx, field, `longer than ${rule.maxLength} characters`);
  if (value === '.' || value === '..') throw invalidInput(ctx, field, 'must not be a dot segment');
  if (!rule.pattern.test(value)) throw invalidInput(ctx, field, `may contain only ${rule.allowed}`);
  return encodeURIComponent(value);
}

/**
 * Parses and normalises a configured base URL: http(s) only, no credentials, query or fragment.
 * Throws a plain Error because a bad base URL is a configuration mistake, not a request input.
 */
export function parseBaseUrl(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('base URL must be http(s)');
  if (url.username !== '' || url.password !== '') throw new Error('base URL must not carry credentials');
  if (url.search !== '' || url.hash !== '') throw new Error('base URL must not have a query or fragment');
  return url;
}

/**
 * Builds `base + parts + query`, checking every parameter before anything else happens, then
 * asserts that the parsed URL kept the intended origin and exactly the intended path (so no input
 * can steer the request elsewhere, whatever a URL parser would make of it).
 */
export function buildUrl(
  ctx: UrlContext,
  base: URL,
  parts: readonly PathPart[],
  query?: Readonly<Record<string, string | undefined>>,
): URL {
  const prefix = trimTrailingSlashes(base.pathname);
  // Every parameter is checked (in order) before the URL is parsed; one string, no arrays per call.
  let pathname = prefix;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as PathPart;
    pathname += `/${typeof part === 'string' ? part : checkSegment(ctx, part)}`;
  }
  if (parts.length === 0) pathname += '/';
  const origin = base.origin;
  const url = new URL(pathname, origin);
  if (query !== undefined) {
    for (const key in query) {
      const value = query[key];
      if (Object.hasOwn(query, key) && value !== undefined) url.searchParams.set(key, value);
    }
  }
  const resolved = url.pathname;
  if (url.origin !== origin || resolved !== pathname || !resolved.startsWith(`${prefix}/`)) {
    throw invalidInput(ctx, 'path', 'does not resolve to the intended endpoint');
  }
  return url;
}

/** `path` without its trailing slashes, as `/\/+$/` would remove them. */
function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end -= 1;
  return end === path.length ? path : path.slice(0, end);
}
