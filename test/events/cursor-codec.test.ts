import { describe, expect, it } from 'vitest';
import {
  decodeCursor as decodeListCursor,
  encodeCursor as encodeListCursor,
} from '../../src/graphql/queries/list-cursor.js';
import { decodeEventCursor, encodeEventCursor } from '../../src/graphql/types/gateway-event.js';
import { decodeDeliveryCursor, encodeDeliveryCursor } from '../../src/graphql/types/webhook-delivery.js';
import { decodeCursor, encodeCursor } from '../../src/ledger/index.js';
import {
  decodeCursorJson,
  decodeCursorText,
  encodeCursorJson,
  encodeCursorText,
  isCursorShaped,
} from '../../src/vocabulary/cursor.js';

/**
 * Issue 25: one base64url codec for every cursor handed to clients. The literals below were made by
 * the four codecs it replaced (`Buffer.from(text).toString('base64url')`): cursors already given out
 * must decode, and new ones must be byte-identical.
 */
const OLD = {
  event: 'ZXY6NDI', // ev:42
  delivery: 'd2Q6NzptYWluLWhvb2s', // wd:7:main-hook
  grants: 'eyJsIjoidXNlciIsInQiOiIyMDI2LTAxLTAyVDAzOjA0OjA1LjY3OFoiLCJpIjoiZy0xIn0',
  revoked: 'eyJsIjoicmV2b2tlZCIsInQiOiIyMDI2LTAxLTAyVDAzOjA0OjA1LjY3OFoiLCJpIjoi7ZWc6riALcO8In0',
  list: 'WyJrMSIsMywxMDAwLDIwMDAsIkFBQUFBQUFBIl0', // ["k1",3,1000,2000,"AAAAAAAA"]
  listBeforeWalks: 'W251bGwsMCxudWxsLG51bGxd', // [null,0,null,null]
};
const AT = new Date('2026-01-02T03:04:05.678Z');

describe('the cursor codec', () => {
  it('round-trips text and JSON, non-ASCII included, without padding', () => {
    for (const text of ['', 'ev:1', 'wd:1:a', '한글-ü', 'a'.repeat(100)]) {
      const cursor = encodeCursorText(text);
      expect(cursor).not.toMatch(/[=+/]/);
      expect(decodeCursorText(cursor)).toBe(text);
    }
    const value = { l: 'user', t: AT.toISOString(), i: 'x' };
    expect(decodeCursorJson(encodeCursorJson(value))).toEqual(value);
    expect(() => decodeCursorJson(encodeCursorText('not json'))).toThrow(SyntaxError);
  });

  it('is the wrapping the old codecs wrote', () => {
    expect(encodeCursorText('ev:42')).toBe(Buffer.from('ev:42').toString('base64url'));
    expect(encodeCursorJson([null, 0, null, null])).toBe(OLD.listBeforeWalks);
  });

  it('tells the cursor shape: base64url alphabet, non-empty, bounded', () => {
    expect(isCursorShaped('ZXY6NDI', 64)).toBe(true);
    expect(isCursorShaped('', 64)).toBe(false);
    expect(isCursorShaped('ZXY6NDI=', 64)).toBe(false);
    expect(isCursorShaped('a+b', 64)).toBe(false);
    expect(isCursorShaped('a'.repeat(65), 64)).toBe(false);
  });
});

describe('cursors given out before the one codec', () => {
  it('event cursors', () => {
    expect(decodeEventCursor(OLD.event)).toBe('42');
    expect(encodeEventCursor('42')).toBe(OLD.event);
  });

  it('webhook delivery cursors', () => {
    expect(decodeDeliveryCursor(OLD.delivery)).toEqual({ eventSeq: '7', endpoint: 'main-hook' });
    expect(encodeDeliveryCursor({ eventSeq: '7', endpoint: 'main-hook' })).toBe(OLD.delivery);
  });

  it("the ledger's grant list cursors", () => {
    expect(decodeCursor('user', OLD.grants)).toEqual({ at: AT, id: 'g-1' });
    expect(encodeCursor('user', { at: AT, id: 'g-1' })).toBe(OLD.grants);
    expect(decodeCursor('revoked', OLD.revoked)).toEqual({ at: AT, id: '한글-ü' });
    expect(encodeCursor('revoked', { at: AT, id: '한글-ü' })).toBe(OLD.revoked);
  });

  it("the store lists' Relay cursors, with and without the walk's digests", () => {
    const cursor = { key: 'k1', skip: 3, start: 1000, end: 2000, walked: 'AAAAAAAA' };
    expect(decodeListCursor('after', OLD.list)).toEqual(cursor);
    expect(encodeListCursor(cursor)).toBe(OLD.list);
    expect(decodeListCursor('after', OLD.listBeforeWalks)).toEqual({
      key: null,
      skip: 0,
      start: null,
      end: null,
      walked: '',
    });
  });
});
