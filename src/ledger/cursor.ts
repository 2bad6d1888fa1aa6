import { decodeCursorJson, encodeCursorJson, isCursorShaped } from '../vocabulary/cursor.js';
import { checkText, LedgerInputError } from './errors.js';

/** A cursor that this ledger did not issue (or issued for another list). Safe to show to the caller. */
export class InvalidCursorError extends LedgerInputError {
  override readonly name = 'InvalidCursorError';
  constructor(reason: string) {
    super('after', `invalid cursor: ${reason}`);
  }
}

/** The first argument of a page request is out of range. */
export class InvalidPageSizeError extends RangeError {
  override readonly name = 'InvalidPageSizeError';
}

/** Which list a cursor belongs to, so one list's cursor is refused by the other. */
export type CursorList = 'user' | 'revoked';

/** Position after a row in a keyset order: the row's sort time and its id (the tie-breaker). */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** Largest page the lists serve. */
export const MAX_PAGE_SIZE = 500;
const MAX_CURSOR_LENGTH = 1024;
const MAX_ID_LENGTH = 200;

/** Opaque to the caller: base64url of `{"l":list,"t":ISO time,"i":id}`. Not signed: it grants nothing. */
export function encodeCursor(list: CursorList, position: KeysetPosition): string {
  return encodeCursorJson({ l: list, t: position.at.toISOString(), i: position.id });
}

export function decodeCursor(list: CursorList, cursor: string): KeysetPosition {
  if (!isCursorShaped(cursor, MAX_CURSOR_LENGTH)) {
    throw new InvalidCursorError('not a cursor of this list');
  }
  let decoded: unknown;
  try {
    decoded = decodeCursorJson(cursor);
  } catch {
    throw new InvalidCursorError('not a cursor of this list');
  }
  if (typeof decoded !== 'object' || decoded === null)
    throw new InvalidCursorError('not a cursor of this list');
  const { l, t, i } = decoded as Record<string, unknown>;
  if (l !== list) throw new InvalidCursorError('issued for another list');
  if (typeof i !== 'string' || i.length === 0 || i.length > MAX_ID_LENGTH) {
    throw new InvalidCursorError('bad position');
  }
  // A forged id the database could not even compare (NUL, broken UTF-16) is refused here, not by it.
  try {
    checkText('after', i);
  } catch {
    throw new InvalidCursorError('bad position');
  }
  // Only the exact form toISOString writes, so the round trip is lossless.
  const at = typeof t === 'string' ? new Date(t) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== t) throw new InvalidCursorError('bad position');
  return { at, id: i };
}

export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new InvalidPageSizeError(`page size must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  }
}
