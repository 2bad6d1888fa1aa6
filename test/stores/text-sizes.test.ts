import { describe, expect, it } from 'vitest';
import { checkSegment } from '../../src/stores/http/safe-path.js';
import { checkDeveloperPayload, PRODUCT_ID_RULE } from '../../src/stores/onestore/inputs.js';

/**
 * The store clients measure a value as a Java store measures a String: in UTF-16 code units, so an
 * astral character (two units) counts two, a Hangul syllable one. Document 002's "Data Size" gives
 * no unit; the sandbox counts the same way.
 */

const ctx = { store: 'onestore', endpoint: 'getPurchaseDetails' } as const;
const productId = (value: string) => () =>
  checkSegment(ctx, { field: 'productId', value, rule: PRODUCT_ID_RULE });

describe('text sizes are UTF-16 code units', () => {
  it('a product ID of 150 units, Hangul or astral letters, is sent; 151 is not', () => {
    expect(productId('가'.repeat(150))).not.toThrow();
    expect(productId('\u{1d400}'.repeat(75))).not.toThrow();
    expect(productId('가'.repeat(151))).toThrow(/longer than 150/);
    // 76 code points, 152 units.
    expect(productId('\u{1d400}'.repeat(76))).toThrow(/longer than 150/);
  });

  it('a developerPayload of 200 units with an emoji is sent; 201 is not', () => {
    const korean = '가'.repeat(198);
    expect(checkDeveloperPayload(ctx, `${korean}\u{1f600}`)).toBe(`${korean}\u{1f600}`);
    // 200 code points, 201 units.
    expect(() => checkDeveloperPayload(ctx, `${korean}가\u{1f600}`)).toThrow(/developerPayload/);
  });
});
