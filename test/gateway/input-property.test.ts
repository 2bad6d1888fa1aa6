import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { refusal } from '../helpers/event-stream.js';
import { APP, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { keyFor, type Op, type Rule } from '../helpers/input-rule-kinds.js';
import { ONE, opName, ops } from '../helpers/input-rules.js';
import { invalidValues } from '../helpers/input-values.js';
import { type ArgumentLeaf, argumentLeaves, operation, withValue } from '../helpers/invalid-inputs.js';
import { subscribe } from '../helpers/sse.js';

/**
 * Issue 23, point 5: every argument of every operation, enumerated from the schema, given random
 * invalid values: each answer is a typed InvalidInputError naming the argument's path, its message
 * does not echo the value, no store is called and (for the mutations) the ledger is not written.
 * An argument the schema gains without a rule (test/helpers/input-rules.ts) fails the first test.
 * The valid side, values at each rule's edges accepted: test/gateway/input-valid-property.test.ts.
 */

const LEAVES = argumentLeaves(schema);
const INVALID = '__typename ... on InvalidInputError { field message }';

const g = useGateway();
/** Store requests the sandbox counted so far, read in process (no request of its own). */
const storeCalls = () =>
  Object.values(g.h.sandbox.stats().endpoints).reduce((sum, endpoint) => sum + endpoint.total, 0);

/** Grant rows and events: a refused mutation writes neither. */
async function ledgerRows(): Promise<number> {
  const { db } = (await g.gateway.redemption()).storage;
  const [grants] = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM grants', []);
  const [events] = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM events', []);
  return Number(grants?.n ?? 0) + Number(events?.n ?? 0);
}

/** The InvalidInputError (or, for the live stream, the refusal's extensions) a request got. */
async function answer(leaf: ArgumentLeaf, op: Op, variables: Record<string, unknown>) {
  const names = Object.keys(variables);
  if (leaf.root === 'EventStream') {
    const document = operation(schema, leaf.root, leaf.field, names, 'id');
    const reader = await subscribe(`${g.url}/graphql`, document, variables, { key: g.keys.rw });
    const error = refusal(await reader.payload());
    reader.close();
    const ext = error?.extensions ?? {};
    return {
      text: JSON.stringify(error),
      result: { __typename: ext.type, field: ext.field, message: error?.message },
    };
  }
  const document = operation(schema, leaf.root, leaf.field, names, `${INVALID} ${op.select ?? ''}`);
  const response = await g.gql(document, variables, { key: keyFor(op, g.keys) });
  let result: unknown = response.data;
  for (const step of op.at?.(leaf, variables) ?? [leaf.field])
    result = (result as Record<string | number, unknown>)[step];
  return { text: JSON.stringify(response.body), result: result as Record<string, unknown> };
}

describe('every argument of every operation is checked before any store call', () => {
  it('the rules cover every argument the schema has, and nothing else', () => {
    const all = ops(0);
    const missing = LEAVES.filter((leaf) => !all[opName(leaf)]?.rules[leaf.path]).map(
      (l) => `${opName(l)}(${l.path})`,
    );
    expect(missing).toEqual([]);
    const known = new Set(LEAVES.map((l) => `${opName(l)}(${l.path})`));
    const extra = Object.entries(all)
      .flatMap(([name, op]) => Object.keys(op.rules).map((p) => `${name}(${p})`))
      .filter((k) => !known.has(k));
    expect(extra).toEqual([]);
  });

  it.each(LEAVES.map((leaf) => [`${opName(leaf)}(${leaf.path})`, leaf] as const))(
    '%s',
    async (_name, leaf) => {
      const now = g.now();
      const op = ops(now)[opName(leaf)] as Op;
      const rule = op.rules[leaf.path] as Rule;
      const base = op.base(leaf.path);
      const rows = await ledgerRows();
      await g.resetStats();
      const { random, examples } = invalidValues(rule, now);
      if (examples.length > 0)
        await fc.assert(
          fc.asyncProperty(random, async (value) => {
            const calls = storeCalls();
            const { text, result } = await answer(leaf, op, withValue(base, leaf.errorPath, value));
            expect(result, JSON.stringify(value)).toMatchObject({
              __typename: 'InvalidInputError',
              field: leaf.errorPath,
            });
            // The message names the field, never the value (a variable is where a client puts a token).
            // (An enum member refused, such as a market the app lacks, is no caller data.)
            if (!('refused' in rule) && typeof value === 'string' && value.length >= 6)
              expect(text.includes(JSON.stringify(value).slice(1, -1))).toBe(false);
            expect(storeCalls() - calls, 'store calls').toBe(0);
          }),
          // A fixed seed keeps CI repeatable; the examples (every class once) count among the runs.
          { seed: 20_231_105, numRuns: examples.length + 4, examples: examples.map((v) => [v]) },
        );
      if (leaf.enumValues) {
        // A name outside the enum is refused by GraphQL itself (variable coercion), before anything runs.
        const variables = withValue(base, leaf.errorPath, leaf.list ? ['NOT_A_MEMBER'] : 'NOT_A_MEMBER');
        const document = operation(schema, leaf.root, leaf.field, Object.keys(variables), '__typename');
        const refused = await g.gql(document, variables);
        expect(refused.body.errors?.length ?? 0).toBeGreaterThan(0);
        expect(refused.body.data ?? null).toBeNull();
      }
      expect(await upstreamCounts(g)).toEqual({});
      expect(await ledgerRows()).toBe(rows);
    },
  );

  it('checkEntitlements: more checks than the limit', async () => {
    await g.resetStats();
    const checks = Array.from({ length: 101 }, () => ({ store: 'ONESTORE', ...ONE }));
    const { result } = await answer(
      LEAVES.find((l) => l.field === 'checkEntitlements') as ArgumentLeaf,
      ops(0).checkEntitlements as Op,
      { app: APP, checks },
    );
    expect(result).toMatchObject({ __typename: 'InvalidInputError', field: 'checks' });
    expect(await upstreamCounts(g)).toEqual({});
  });

  it.each(['voidedPurchases', 'unconfirmedPurchases'])('%s: since after until', async (field) => {
    await g.resetStats();
    const now = g.now();
    const since = new Date(now - 60_000).toISOString();
    const until = new Date(now - 120_000).toISOString();
    const response = await g.gql(
      `{ ${field}(app: "${APP}", since: "${since}", until: "${until}") { ${INVALID} } }`,
    );
    expect(response.data[field]).toMatchObject({ __typename: 'InvalidInputError', field: 'since' });
    expect(await upstreamCounts(g)).toEqual({});
  });
});
