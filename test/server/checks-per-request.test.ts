import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, type GatewayHarness, startGateway, upstreamCounts } from '../helpers/gateway.js';

/**
 * docs/SECURITY.md: "checkEntitlements is bounded by limits.maxChecks, not by the cost (its checks
 * list is not counted, literal or variable alike)". The bound is per field: aliases repeat the field
 * (up to maxAliases, 30) and each alias costs 3.5 and one rate-limit point, so one request of the
 * default limits (body 100 kB) makes 1,600 store calls for 16 points, where a page of voidedPurchases
 * is priced per edge. Here: one request may make at most limits.maxChecks lookups, or pays for more.
 */
const ALIASES = 16;
const CHECKS = 100;
let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway({ config: { rateLimits: { enabled: true } } });
});
afterAll(async () => {
  await g.close();
});

describe('checkEntitlements under aliases', () => {
  it(`${ALIASES} aliases of ${CHECKS} distinct checks: no more than limits.maxChecks store lookups, or refused`, async () => {
    const declared = Array.from({ length: ALIASES }, (_, a) => `$c${a}: [EntitlementCheckInput!]!`).join(
      ', ',
    );
    const fields = Array.from(
      { length: ALIASES },
      (_, a) =>
        `a${a}: checkEntitlements(app: "${APP}", checks: $c${a}) { ... on EntitlementCheckList { checks { purchase { __typename } } } }`,
    ).join(' ');
    const variables = Object.fromEntries(
      Array.from({ length: ALIASES }, (_, a) => [
        `c${a}`,
        Array.from({ length: CHECKS }, (_, i) => ({
          store: 'ONESTORE',
          productId: 'g',
          purchaseToken: `${a}x${i}`,
        })),
      ]),
    );
    await g.resetStats();
    const answer = await g.gql(`query Checks(${declared}) { ${fields} }`, variables);
    const lookups = (await upstreamCounts(g))['onestore.getPurchaseDetails'] ?? 0;
    // Refused (no lookup at all), or served within one field's worth of lookups.
    if (answer.status !== 200) expect(lookups).toBe(0);
    expect(lookups).toBeLessThanOrEqual(CHECKS);
  }, 60_000);
});
