import { describe, expect, it } from 'vitest';
import { checkLimitMessage } from '../../src/server/check-limit.js';
import { APP, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * limits.maxChecks bounds a whole request, not only one field: aliases repeat `checkEntitlements`
 * (up to maxAliases, 30), and each alias spends one rate-limit point, so before this bound one
 * request of the default limits (body 100 kB) made 1,600 store calls for 16 points. The checks of
 * every field that runs are counted with the variables' values, before any store call.
 */
const ALIASES = 16;
const CHECKS = 100;
const g = useGateway({ config: { rateLimits: { enabled: true } } });

const checks = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ store: 'ONESTORE', productId: 'g', purchaseToken: `${tag}x${i}` }));
const SELECTION =
  '{ ... on EntitlementCheckList { checks { purchase { __typename } } } ... on Error { code } }';
const lookups = async () => (await upstreamCounts(g))['onestore.getPurchaseDetails'] ?? 0;

/** `query` with one `$cN` variable per entry of `sizes`, and the fields `body` builds from their names. */
async function run(sizes: number[], body: (names: string[]) => string) {
  const names = sizes.map((_, a) => `c${a}`);
  const declared = names.map((n) => `$${n}: [EntitlementCheckInput!]!`).join(', ');
  const variables = Object.fromEntries(names.map((n, a) => [n, checks(sizes[a] ?? 0, String(a))]));
  await g.resetStats();
  const answer = await g.gql(`query Checks(${declared}) { ${body(names)} }`, variables);
  return { answer, lookups: await lookups() };
}
const aliased = (names: string[]) =>
  names.map((n) => `${n}: checkEntitlements(app: "${APP}", checks: $${n}) ${SELECTION}`).join(' ');

const refused = (answer: Awaited<ReturnType<typeof run>>['answer']) => {
  expect(answer.status).toBe(400);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toEqual([
    { message: checkLimitMessage(CHECKS), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
  ]);
};

describe('checkEntitlements: limits.maxChecks per request', () => {
  it(`${ALIASES} aliases of ${CHECKS} distinct checks: refused before any store lookup, the limit named`, async () => {
    const { answer, lookups } = await run(Array(ALIASES).fill(CHECKS), aliased);
    refused(answer);
    expect(lookups).toBe(0);
  }, 60_000);

  it('two aliases of 51, one checks literal and one variable: refused, 0 lookups', async () => {
    const literal = checks(51, 'L')
      .map((c) => `{ store: ONESTORE, productId: "g", purchaseToken: "${c.purchaseToken}" }`)
      .join(' ');
    const { answer, lookups } = await run([51], (names) =>
      [aliased(names), `lit: checkEntitlements(app: "${APP}", checks: [${literal}]) ${SELECTION}`].join(' '),
    );
    refused(answer);
    expect(lookups).toBe(0);
  }, 60_000);

  it(`one field of ${CHECKS}, and 4 aliases of 25: served, ${CHECKS} lookups each`, async () => {
    const one = await run([CHECKS], aliased);
    expect(one.answer.status).toBe(200);
    expect(one.lookups).toBe(CHECKS);
    const four = await run([25, 25, 25, 25], aliased);
    expect(four.answer.status).toBe(200);
    expect(Object.keys(four.answer.data)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(four.lookups).toBe(CHECKS);
  }, 60_000);

  it('a field left out by @skip or @include is not counted; one spread twice counts once', async () => {
    const { answer, lookups } = await run([CHECKS, CHECKS, CHECKS], ([a, b, c]) =>
      [
        `${a}: checkEntitlements(app: "${APP}", checks: $${a}) ${SELECTION}`,
        `${b}: checkEntitlements(app: "${APP}", checks: $${b}) @skip(if: true) ${SELECTION}`,
        `... @include(if: false) { ${c}: checkEntitlements(app: "${APP}", checks: $${c}) ${SELECTION} }`,
        '...F ...F } fragment F on Query {',
        `${a}: checkEntitlements(app: "${APP}", checks: $${a}) ${SELECTION}`,
      ].join(' '),
    );
    expect(answer.status).toBe(200);
    expect(lookups).toBe(CHECKS);
  }, 60_000);

  it('a field over the limit is refused by itself (InvalidInputError) and does not count for the others', async () => {
    const { answer, lookups } = await run([CHECKS + 1, 10], aliased);
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ c0: { code: 'INVALID_INPUT' } });
    expect(lookups).toBe(10);
  }, 60_000);
});
