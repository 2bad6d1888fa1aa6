import { APP } from './gateway.js';
import type { TextRule } from './invalid-inputs.js';

/**
 * The rules of src/graphql/validate.ts for every text argument (the store documents' sizes), as the
 * input property tests need them: what each must refuse (test/gateway/input-property.test.ts) and
 * every class of characters each must accept, up to its longest value
 * (test/gateway/input-valid-property.test.ts).
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = `${LOWER}${UPPER}${DIGITS}`;

const letters = { 'lowercase letters': LOWER, 'uppercase letters': UPPER, digits: DIGITS };
/** Printable ASCII: letters, digits and every punctuation mark (\x21-\x7e). */
const printable = { ...letters, punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~' };
const HANGUL = '가나한글힣';
/** Letters of other scripts: Latin-1, Greek, Cyrillic, kana, CJK. */
const SCRIPTS = 'ÀéßλЖあア中';
/** Astral letters (\p{L}, two UTF-16 code units each): mathematical bold A, CJK extension B. */
const ASTRAL_LETTERS = '\u{1d400}\u{20000}';
/** Emoji outside the BMP, each a proper surrogate pair. */
const EMOJI = '\u{1f600}\u{1f3ae}';
/** Unicode text in general: any script, marks, symbols, emoji. */
const unicode = {
  ...printable,
  Hangul: HANGUL,
  'other scripts': SCRIPTS,
  'combining marks and symbols': '\u0301\u20ac\u2713',
  emoji: EMOJI,
};

/** Letters and digits, and the classes of `more`. */
const alnumWith = (max: number, valid: string, more: Record<string, string>): TextRule => ({
  max,
  valid,
  alphabet: ALNUM,
  classes: { ...letters, ...more },
});

/** A name the config must hold (an app, a webhook endpoint): lowercase, digits, `_` and `-`. */
const configuredName = (valid: string, configured: 'apps' | 'endpoints'): TextRule => ({
  max: 64,
  valid,
  alphabet: LOWER,
  classes: { 'lowercase letters': LOWER, digits: DIGITS, '_ and -': '_-' },
  lead: `${LOWER}${DIGITS}`,
  configured,
});

export const T = {
  app: configuredName(APP, 'apps'),
  productId: {
    max: 150,
    valid: 'gem_100',
    alphabet: ALNUM,
    classes: {
      ...letters,
      '._-': '._-',
      Hangul: HANGUL,
      'other scripts': SCRIPTS,
      'other decimal digits': '\u0663\u096f\uff10',
      'astral letters': ASTRAL_LETTERS,
    },
    not: ['.', '..'],
  },
  purchaseToken: { max: 20, valid: 'SANDBOXT000000000001', alphabet: ALNUM, classes: letters },
  paymentSeq: { max: 20, valid: '2014090210002254', alphabet: DIGITS, classes: { digits: DIGITS } },
  itemSeq: { max: 20, valid: '1032032', alphabet: DIGITS, classes: { digits: DIGITS } },
  nhnToken: alnumWith(1024, 'oJgM1EfDRjnQY7yq', { 'base64 signs': '+/=_-' }),
  userKey: { max: 200, valid: 'tester', alphabet: ALNUM, classes: printable },
  userChannel: alnumWith(32, 'GF', { '_ and -': '_-' }),
  // Document 002 gives developerPayload "Data Size 200", no unit (counted as a Java String) and
  // no minimum: empty is what the store answers for a purchase made without one.
  payload: {
    max: 200,
    valid: 'order 1',
    alphabet: ALNUM,
    spaces: true,
    empty: true,
    classes: { ...unicode, spaces: ' \u00a0\u3000\u2028' },
  },
  userId: { max: 128, valid: 'player-1', alphabet: ALNUM, classes: unicode },
  idempotencyKey: { max: 128, valid: 'req-1', alphabet: ALNUM, classes: printable },
  gamebaseUserId: { max: 128, valid: 'AS@123456ABCDEFGHIJ', alphabet: ALNUM, classes: printable },
  gamebaseToken: alnumWith(2048, '5U_NVCLKSDFKLJJ', { 'base64 signs': '+/=_.-' }),
  gamebaseProductId: { max: 150, valid: 'my_product_001', alphabet: ALNUM, classes: printable },
  gamebasePackageName: { max: 255, valid: 'com.nhncloud.gamebase', alphabet: ALNUM, classes: printable },
  // The catalogue's entitlement ids (config/entitlements.ts ENTITLEMENT_ID).
  entitlementId: {
    max: 64,
    valid: 'vip',
    alphabet: LOWER,
    classes: { 'lowercase letters': LOWER, digits: DIGITS, '_ . and -': '_.-' },
    lead: `${LOWER}${DIGITS}`,
  },
  // A support action's reason: any text with spaces inside, not blank, no control characters.
  reason: {
    max: 500,
    valid: 'Compensation for the outage',
    alphabet: ALNUM,
    spaces: true,
    classes: { ...unicode, spaces: ' \u00a0\u3000\u2028' },
    lead: `${ALNUM}${HANGUL}`,
  },
  ledgerId: alnumWith(64, '0b9b0c52-6d3e-4e0c-9d7a-3f1f6a2d9e11', { '-': '-' }),
  endpoint: configuredName('crm', 'endpoints'),
} satisfies Record<string, TextRule>;
