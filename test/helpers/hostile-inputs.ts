import fc from 'fast-check';

/** Characters that must never survive into a path segment. */
const BAD_CHARS = [
  '/',
  '\\',
  '%',
  '?',
  '#',
  ' ',
  ':',
  '@',
  '&',
  '=',
  '+',
  ';',
  '"',
  '<',
  '>',
  '\u0000',
  '\t',
  '\n',
  '\r',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\uff0f', // fullwidth solidus
  '\u2215', // division slash
  '\u{1f600}',
  '\u0301', // combining acute accent
  '\ud800', // lone surrogate
];

const CLASSIC = [
  '',
  '.',
  '..',
  '%2e',
  '%2e%2e',
  '%2E%2E',
  '..%2f',
  '%2f',
  '..%252f',
  '../admin',
  '..\\..',
  'a/../../b',
  '?token=x',
  '#x',
  'a\r\nX-Injected: 1',
  '%00',
  'http://evil.example',
  '//evil.example',
  '%C0%AE%C0%AE',
];

/** Overlong values made only of otherwise-allowed characters. */
function overlong(maxLength: number, alphabet: string): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...alphabet), { minLength: maxLength + 1, maxLength: maxLength + 40 })
    .map((chars) => chars.join(''));
}

/**
 * Hostile path values for a field with `maxLength` whose allowlist includes `alphabet`:
 * dot segments, slashes, percent-encodings, unicode look-alikes, control characters, overlong text.
 */
export function hostileSegment(maxLength: number, alphabet: string): fc.Arbitrary<string> {
  const embedded = fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...BAD_CHARS), fc.string({ maxLength: 8 }))
    .map(([a, bad, b]) => `${a}${bad}${b}`);
  const encoded = fc
    .tuple(fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 255 }))
    .map(([a, byte]) => `${a}%${byte.toString(16).padStart(2, '0')}`);
  return fc.oneof(fc.constantFrom(...CLASSIC), embedded, encoded, overlong(maxLength, alphabet));
}
