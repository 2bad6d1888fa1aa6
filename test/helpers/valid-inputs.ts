import fc from 'fast-check';
import type { TextRule } from './invalid-inputs.js';

/**
 * Values every text argument must accept, for test/gateway/input-valid-property.test.ts: each class
 * of characters its rule allows at the shortest and the longest length, all of them together, and
 * random values of allowed characters. Lengths are UTF-16 code units (what src/graphql/validate.ts
 * and a Java store count), so an astral character takes two.
 */

/** One valid value with what it shows, for the failure message. */
export interface ValidText {
  label: string;
  value: string;
}

const codePoints = (text: string) => [...text];
const allowed = (rule: TextRule) => Object.values(rule.classes).flatMap(codePoints);
const leads = (rule: TextRule) => (rule.lead ? codePoints(rule.lead) : allowed(rule));
const fits = (rule: TextRule, value: string) =>
  (value.length > 0 || rule.empty === true) && value.length <= rule.max && !(rule.not ?? []).includes(value);

/** `value` cut to at most `max` UTF-16 code units, never inside a surrogate pair. */
function cut(value: string, max: number): string {
  let out = '';
  for (const char of value) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

/**
 * Exactly `rule.max` code units: `head`, then `fill` repeated, then a one-unit character where an
 * astral one would overshoot by one.
 */
function longest(rule: TextRule, head: string, fill: string): string {
  const pad = allowed(rule).find((char) => char.length === 1) ?? '';
  let out = cut(head + fill.repeat(Math.ceil(rule.max / fill.length)), rule.max);
  while (pad !== '' && out.length < rule.max) out += pad;
  return out;
}

/** The fixed valid values of a text rule: every class at both ends, and all classes at once. */
export function validTexts(rule: TextRule): ValidText[] {
  const lead = leads(rule);
  const first = lead[0] ?? '';
  const out: ValidText[] = rule.empty ? [{ label: 'empty', value: '' }] : [];
  for (const [name, samples] of Object.entries(rule.classes)) {
    const chars = codePoints(samples);
    const alone = chars.find((char) => lead.includes(char) && fits(rule, char));
    out.push({ label: `shortest, ${name}`, value: alone ?? `${first}${chars[0]}` });
    // A class that may not lead (`_` in an app name) starts after an allowed first character.
    out.push({ label: `longest, ${name}`, value: longest(rule, alone ?? first, samples) });
  }
  const every = Object.values(rule.classes)
    .map((samples) => codePoints(samples)[0])
    .join('');
  out.push({ label: 'one of every class', value: cut(`${first}${every}`, rule.max) });
  out.push({ label: 'longest, every class', value: longest(rule, first, allowed(rule).join('')) });
  // The edge where counting code points and counting UTF-16 code units part (Korean and an emoji).
  const astral = allowed(rule).find((char) => char.length === 2);
  const bmp = allowed(rule).filter((char) => char.length === 1 && char > '\u007f');
  if (astral && bmp.length > 0)
    out.push({
      label: 'longest, non-ASCII ending in an astral character',
      value: longest({ ...rule, max: rule.max - 2 }, first, bmp.join('')) + astral,
    });
  for (const { label, value } of out)
    if (!fits(rule, value) || (value.length < rule.max && label.startsWith('longest')))
      throw new Error(`text-rules: no valid ${label} for max ${rule.max}`);
  return out;
}

/** Random valid values: an allowed first character, then allowed ones, 1 to `max` code units. */
export function randomText(rule: TextRule): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...leads(rule)),
      fc.array(fc.constantFrom(...allowed(rule)), { maxLength: rule.max - 1, size: 'max' }),
    )
    .map(([head, rest]) => cut(head + rest.join(''), rule.max))
    .filter((value) => fits(rule, value));
}

/** Distinct valid names for a rule whose values the config must hold (apps, webhook endpoints). */
export function configuredNames(rule: TextRule, count: number, taken: string[] = []): string[] {
  const random = fc.sample(randomText(rule), { seed: 20_240_611, numRuns: count });
  const names = [...validTexts(rule).map((t) => t.value), ...random];
  return [...new Set(names)].filter((name) => !taken.includes(name));
}
