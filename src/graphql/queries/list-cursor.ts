import { isWalked, onestore } from '../../stores/index.js';
import { decodeCursorJson, encodeCursorJson } from '../../vocabulary/cursor.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { MAX_PAGE } from './paging.js';

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
  /** Items of that page already returned: at most a whole page, the end of a last one. */
  skip: number;
  /** Window in store milliseconds (the app's time basis). */
  start: number | null;
  end: number | null;
  /** Digests of the walk's keys up to `key` (8 characters each); '' on the first page. */
  walked: string;
}

export function encodeCursor(cursor: ListCursor): string {
  return encodeCursorJson([cursor.key, cursor.skip, cursor.start, cursor.end, cursor.walked]);
}

const nullableInt = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);

/**
 * The cursor in `text`, or InvalidInputError on `field`. A cursor is ours in form only (not signed),
 * so this is where its key meets the client's one rule (`onestore.isContinuationKey`): a forged key
 * never reaches the store, and the walk ends before it would hand out a key that fails it.
 */
export function decodeCursor(field: string, text: string): ListCursor {
  try {
    const value = decodeCursorJson(text);
    // Four entries: a cursor given out before walks carried their keys; its walk knows `key` alone.
    if (Array.isArray(value) && (value.length === 4 || value.length === 5)) {
      const [key, skip, start, end, walked = ''] = value as unknown[];
      if (
        (key === null || onestore.isContinuationKey(key)) &&
        typeof skip === 'number' &&
        Number.isInteger(skip) &&
        skip >= 0 &&
        skip <= MAX_PAGE &&
        nullableInt(start) &&
        nullableInt(end) &&
        typeof walked === 'string' &&
        isWalked(walked)
      ) {
        return { key, skip, start, end, walked };
      }
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidInputError(field, `${field} is not a cursor this API gave out.`);
}
