import { isWalked } from '../../stores/index.js';
import { InvalidInputError } from '../errors/error-classes.js';

/**
 * An opaque Relay cursor over the store's continuationKey paging. It carries the key of the store
 * page the edge came from, how many items of that page come before the next edge, the time
 * window, so that paging on never changes the question being asked, and the digests of every key
 * the walk was given (`PageWalk.walked`), so that a store repeating any of them ends the walk
 * however many requests it spans.
 */
export interface ListCursor {
  /** continuationKey that fetched the page, or null for the first page. */
  key: string | null;
  /** Items of that page already returned. */
  skip: number;
  /** Window in store milliseconds (the app's time basis). */
  start: number | null;
  end: number | null;
  /** Digests of the walk's keys up to `key` (8 characters each); '' on the first page. */
  walked: string;
}

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.key, cursor.skip, cursor.start, cursor.end, cursor.walked]),
  ).toString('base64url');
}

const nullableInt = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);

export function decodeCursor(field: string, text: string): ListCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Four entries: a cursor given out before walks carried their keys; its walk knows `key` alone.
    if (Array.isArray(value) && (value.length === 4 || value.length === 5)) {
      const [key, skip, start, end, walked = ''] = value as unknown[];
      const keyOk = key === null || (typeof key === 'string' && key.length <= 256);
      if (
        keyOk &&
        typeof skip === 'number' &&
        Number.isInteger(skip) &&
        skip >= 0 &&
        skip < 100 &&
        nullableInt(start) &&
        nullableInt(end) &&
        typeof walked === 'string' &&
        isWalked(walked)
      ) {
        return { key: key as string | null, skip, start, end, walked };
      }
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidInputError(field, `${field} is not a cursor this API gave out.`);
}
