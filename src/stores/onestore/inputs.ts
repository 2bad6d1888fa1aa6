import {
  ALPHANUMERIC_PATTERN,
  ASCII_ID_PATTERN,
  invalidInput,
  type PathParam,
  type SegmentRule,
  UNICODE_ID_PATTERN,
  type UrlContext,
} from '../http/safe-path.js';

/** Path parameter rules: sizes from the v7 document, characters from our allowlist. */
export const CLIENT_ID_RULE: SegmentRule = {
  maxLength: 128,
  pattern: ASCII_ID_PATTERN,
  allowed: 'ASCII letters, digits and ._-',
};
export const PRODUCT_ID_RULE: SegmentRule = {
  maxLength: 150,
  pattern: UNICODE_ID_PATTERN,
  allowed: 'letters, digits and ._-',
};
export const PURCHASE_TOKEN_RULE: SegmentRule = {
  maxLength: 20,
  pattern: ALPHANUMERIC_PATTERN,
  allowed: 'ASCII letters and digits',
};

/** Identifies one purchase: the product and the token the store issued for the purchase. */
export interface PurchaseRef {
  productId: string;
  purchaseToken: string;
}

export function purchaseParams(ref: PurchaseRef): [PathParam, PathParam] {
  return [
    { field: 'productId', value: ref.productId, rule: PRODUCT_ID_RULE },
    { field: 'purchaseToken', value: ref.purchaseToken, rule: PURCHASE_TOKEN_RULE },
  ];
}

/**
 * What the client sends back as `continuationKey`: 1-256 printable ASCII characters (the document
 * gives the key a Data Size of 41; the rule is looser, and refuses only what cannot be a key in a
 * query string). The one rule: the list walk ends at a key the store answers outside it
 * (`stores/paging.ts`), and a Relay cursor carrying one is not ours (`graphql/queries/list-cursor.ts`).
 */
export const CONTINUATION_KEY_RULE: SegmentRule = {
  maxLength: 256,
  pattern: /^[\x21-\x7e]+$/,
  allowed: 'printable ASCII',
};

/** Whether the client would send `value` as a continuationKey (see {@link CONTINUATION_KEY_RULE}). */
export function isContinuationKey(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= CONTINUATION_KEY_RULE.maxLength &&
    CONTINUATION_KEY_RULE.pattern.test(value)
  );
}

/** Most entries one list page holds (`maxResults` 1-100, default 100): a whole store page. */
export const MAX_RESULTS = 100;

/**
 * How far the gateway keeps a list window it computes from its own clock inside what the store
 * takes, ms. The document (getVoidedPurchases, getUnconfirmedPurchases): startTime may be "at most
 * one month back from the current time", endTime "may not be later than the current time" — the
 * store's time when the request arrives, which may run behind the gateway's (an endTime of the
 * gateway's now is then refused) or, with the request's transit, ahead of it (a startTime at the
 * month's edge is then refused). 30 s: far more than NTP-kept clocks drift, little enough to delay a
 * void by at most that long.
 */
export const STORE_CLOCK_MARGIN_MS = 30_000;

/** Query of the two paged list endpoints. */
export interface ListQuery {
  /** Key returned by the previous page; absent for the first page. */
  continuationKey?: string;
  /** Window start, ms since the epoch (the store allows at most one month back). */
  startTime?: number;
  /** Window end, ms since the epoch (not after the store's now). */
  endTime?: number;
  /** Page size, 1–{@link MAX_RESULTS}. Default (the store's): `100`. */
  maxResults?: number;
}

function millisParam(ctx: UrlContext, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(ctx, field, 'must be a non-negative integer of milliseconds');
  }
  return String(value);
}

export function listQueryParams(ctx: UrlContext, query: ListQuery): Record<string, string | undefined> {
  const { continuationKey, startTime, endTime, maxResults } = query;
  if (continuationKey !== undefined) {
    if (!isContinuationKey(continuationKey)) {
      throw invalidInput(ctx, 'continuationKey', 'must be 1-256 printable ASCII characters');
    }
  }
  if (maxResults !== undefined) {
    if (
      typeof maxResults !== 'number' ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > MAX_RESULTS
    ) {
      throw invalidInput(ctx, 'maxResults', `must be an integer from 1 to ${MAX_RESULTS}`);
    }
  }
  const start = millisParam(ctx, 'startTime', startTime);
  const end = millisParam(ctx, 'endTime', endTime);
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw invalidInput(ctx, 'endTime', 'must not be before startTime');
  }
  return {
    continuationKey,
    startTime: start,
    endTime: end,
    maxResults: maxResults === undefined ? undefined : String(maxResults),
  };
}

/**
 * `developerPayload` is at most 200 characters per the purchase field tables, counted in UTF-16
 * code units as a path segment's size is (SegmentRule.maxLength).
 */
export function checkDeveloperPayload(ctx: UrlContext, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 200) {
    throw invalidInput(ctx, 'developerPayload', 'must be a string of at most 200 characters');
  }
  return value;
}

/** Days (1–365) in production; the store's own sandbox reads the same number as minutes. */
export function checkDeferPeriod(ctx: UrlContext, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 365) {
    throw invalidInput(ctx, 'deferPeriod', 'must be an integer from 1 to 365');
  }
  return value;
}
