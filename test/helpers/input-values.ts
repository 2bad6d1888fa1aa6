import fc from 'fast-check';
import type { Fixtures, Rule } from './input-rule-kinds.js';
import {
  type ArgumentLeaf,
  future,
  invalidText,
  monthsAgo,
  outOfRange,
  textExamples,
} from './invalid-inputs.js';
import { randomText, validTexts } from './valid-inputs.js';

/**
 * The values each kind of argument rule (./input-rule-kinds.ts) must refuse
 * (test/gateway/input-property.test.ts) and must accept (test/gateway/input-valid-property.test.ts).
 */

/** Invalid values of a leaf: random ones, and fixed examples of every class. */
export function invalidValues(
  rule: Rule,
  now: number,
): { random: fc.Arbitrary<unknown>; examples: unknown[] } {
  if ('text' in rule) return { random: invalidText(rule.text), examples: textExamples(rule.text) };
  if ('int' in rule) {
    const [min, max] = rule.int;
    return { random: outOfRange(min, max), examples: [min - 1, max + 1, -(2 ** 31), 2 ** 31 - 1] };
  }
  if ('time' in rule && rule.time === 'future')
    return {
      random: monthsAgo(now),
      examples: ['1970-01-01T00:00:00Z', new Date(now - 60_000).toISOString()],
    };
  if ('time' in rule) {
    const tooOld = rule.time === 'notFuture' ? [] : [monthsAgo(now)];
    return {
      random: fc.oneof(future(now), ...tooOld),
      examples: ['9999-01-01T00:00:00Z', ...(rule.time === 'notFuture' ? [] : ['1970-01-01T00:00:00Z'])],
    };
  }
  if ('cursor' in rule) {
    // Any UTF-16 code units, lone surrogates and controls included.
    const junk = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 60 })
      .map((units) => String.fromCharCode(...units));
    return {
      random: fc.oneof(junk, fc.constantFrom(...rule.cursor)),
      examples: [...rule.cursor, ...(rule.emptyIsFirstPage ? [] : [''])],
    };
  }
  // An enum whose every member is valid here has no invalid value GraphQL lets through.
  return {
    random: rule.refused.length > 0 ? fc.constantFrom(...rule.refused) : fc.constant(null),
    examples: rule.refused,
  };
}

/** The argument left out (an optional one), as opposed to given as null. */
export const ABSENT = Symbol('absent');

export interface ValidValue {
  /** What the value shows (the class, the end of the range), for the failure message. */
  label: string;
  value: unknown;
}

/**
 * Valid values of a leaf: fixed ones at every edge of its rule (both ends of each length and
 * range, every character class, every enum member the gateway takes, null and absent where the
 * schema allows them), and random ones where the rule has room for them. Throws for a rule with no
 * valid side, so an argument cannot be left out of the valid tests by accident.
 */
export function validValues(
  rule: Rule,
  leaf: ArgumentLeaf,
  fixtures: Fixtures,
): { examples: ValidValue[]; random?: fc.Arbitrary<unknown> } {
  const examples = ((): ValidValue[] => {
    if ('text' in rule) {
      const configured = rule.text.configured;
      if (configured) return fixtures[configured].map((value) => ({ label: `configured ${value}`, value }));
      return validTexts(rule.text);
    }
    if ('time' in rule && rule.time === 'future')
      return [
        { label: 'years ahead', value: '2100-01-01T00:00:00Z' },
        { label: 'the last instant', value: '9999-12-31T23:59:59.999Z' },
      ];
    if ('int' in rule)
      return [
        { label: 'minimum', value: rule.int[0] },
        { label: 'maximum', value: rule.int[1] },
      ];
    if ('cursor' in rule) {
      if (!rule.valid) throw new Error(`${leaf.path}: a cursor rule without valid cursors`);
      return rule.valid(fixtures).map((value, i) => ({ label: `cursor ${i} the API gave out`, value }));
    }
    if ('refused' in rule) {
      const members = (rule.configured ? fixtures[rule.configured] : (leaf.enumValues ?? [])).filter(
        (member) => !rule.refused.includes(member),
      );
      if (!leaf.list) return members.map((member) => ({ label: member, value: member }));
      return [
        { label: 'no member', value: [] },
        ...members.map((member) => ({ label: member, value: [member] })),
        { label: 'every member', value: members },
      ];
    }
    throw new Error(`${leaf.path}: no valid side for a ${Object.keys(rule).join('/')} rule`);
  })();
  const optional: ValidValue[] = leaf.required
    ? []
    : [
        { label: 'null', value: null },
        { label: 'absent', value: ABSENT },
      ];
  const random =
    'text' in rule && !rule.text.configured
      ? randomText(rule.text)
      : 'int' in rule
        ? fc.integer({ min: rule.int[0], max: rule.int[1] })
        : undefined;
  return { examples: [...examples, ...optional], ...(random && { random }) };
}
