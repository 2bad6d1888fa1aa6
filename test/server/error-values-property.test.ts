import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { exampleOperations } from '../helpers/example-operations.js';
import { type GatewayHarness, startGateway } from '../helpers/gateway.js';

/**
 * A property of every error (docs/SECURITY.md, "What an error may contain"): whatever JSON a client
 * puts in a variable of any shipped operation (schema/operations/), at any depth, no error of the
 * answer (top-level, or a typed error of a result union) and no log line carries any of it. The
 * values are marked strings, keys and numbers, so a repeat of any part is found.
 */

const lines: string[] = [];
const logger = createLogger({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
const printed: string[] = [];
let g: GatewayHarness;
let withoutJit: GatewayHarness;

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  [g, withoutJit] = await Promise.all([
    startGateway({ gatewayOptions: { logger } }),
    startGateway({ gatewayOptions: { logger, jit: false } }),
  ]);
});
afterAll(async () => {
  await Promise.all([g.close(), withoutJit.close()]);
  vi.restoreAllMocks();
});

const MARK = 'Zqx';
const marked = fc.stringMatching(/^[A-Za-z0-9]{0,12}$/).map((s) => `${MARK}${s}`);
/** Numbers whose text is distinctive enough to be found again (nine digits, maybe a fraction). */
const markedNumber = fc.oneof(fc.integer({ min: 700_000_000, max: 799_999_999 }), fc.constant(712_345_678.5));
const leaf = fc.oneof(marked, markedNumber, fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(marked, tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** Every place in a variables object a value can go: each variable, and each key of nested objects. */
function placesOf(value: unknown, at: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [at];
  const inner = Object.entries(value).flatMap(([key, v]) => placesOf(v, [...at, key]));
  return at.length > 0 ? [at, ...inner] : inner;
}

function replaced(variables: Record<string, unknown>, place: string[], v: unknown): Record<string, unknown> {
  const copy = structuredClone(variables);
  let parent: Record<string, unknown> = copy;
  for (const key of place.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = place.at(-1);
  if (last !== undefined) parent[last] = v;
  return copy;
}

/** The parts of a value that must not come back: its strings, keys and numbers. */
function partsOf(v: unknown): string[] {
  if (typeof v === 'string') return v.length > MARK.length ? [v] : [];
  if (typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(partsOf);
  if (typeof v === 'object' && v !== null)
    return Object.entries(v).flatMap(([key, inner]) => [...partsOf(key), ...partsOf(inner)]);
  return [];
}

/** The answer's errors: top-level ones, and every typed error (`__typename` …Error) in `data`. */
function errorsOf(body: { data?: unknown; errors?: unknown }): string {
  const typed: unknown[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const typename = (node as { __typename?: unknown }).__typename;
      if (typeof typename === 'string' && typename.endsWith('Error')) typed.push(node);
      else Object.values(node).forEach(walk);
    }
  };
  walk(body.data);
  return JSON.stringify([body.errors ?? [], typed]);
}

const operations = exampleOperations().filter(
  (op) => op.source.startsWith('schema/operations/') && op.type !== 'subscription',
);
// Named by operation and place, so that a counterexample prints short.
const cases = fc.constantFrom(
  ...operations.flatMap((op) => placesOf(op.variables ?? {}).map((place) => ({ name: op.name, place }))),
);
const byName = new Map(operations.map((op) => [op.name, op]));

describe('no error carries a value of a variable', () => {
  it("random JSON at any place of any shipped operation's variables (property, fixed seed)", async () => {
    await fc.assert(
      fc.asyncProperty(cases, value, fc.boolean(), async ({ name, place }, v, jit) => {
        const op = byName.get(name);
        if (!op) throw new Error(`no operation ${name}`);
        const parts = partsOf(v);
        const [linesBefore, printedBefore] = [lines.length, printed.length];
        const answer = await (jit ? g : withoutJit).gql(op.text, replaced(op.variables ?? {}, place, v));
        const errors = errorsOf(answer.body);
        for (const part of parts) expect(errors, `${op.name} ${place.join('.')}`).not.toContain(part);
        const logged = [...lines.slice(linesBefore), ...printed.slice(printedBefore)].join('\n');
        for (const part of parts) expect(logged).not.toContain(part);
      }),
      { seed: 23, numRuns: 300 },
    );
  });
});
