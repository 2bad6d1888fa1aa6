import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntitlementCatalogue } from '../../src/config/entitlements.js';
import type { Grant, SupportGrant } from '../../src/ledger/index.js';
import { computeEntitlements, type PlayerSubscription, subscriptionsOf } from '../../src/players/index.js';

/** The computation alone (src/players/entitlements.ts): windows per grant, merged into runs. */

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (days: number) => new Date(T0 + days * DAY);

let serial = 0;
function grant(fields: Partial<Grant> & Pick<Grant, 'store' | 'productId'>): Grant {
  serial += 1;
  return {
    id: `g${serial}`,
    app: 'game',
    purchaseKey: `k${serial}`,
    storeApp: null,
    userId: 'p1',
    quantity: 1,
    storeIds: {},
    fingerprint: 'f',
    idempotencyKey: null,
    action: 'NONE',
    status: 'SETTLED',
    leaseOwner: null,
    leaseExpiresAt: null,
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    createdAt: at(0),
    settledAt: at(0),
    outcome: 'RECORDED',
    revokedAt: null,
    revocation: null,
    ...fields,
  } as Grant;
}

const PASS: EntitlementCatalogue = {
  pass: { products: [{ store: 'NHN_CLOUD', itemSeq: '1001' }], grants: { days: 30 } },
};
const pass = (day: number, extra: Partial<Grant> = {}) =>
  grant({
    store: 'NHN_CLOUD',
    productId: 'pass_30d',
    storeIds: { itemSeq: '1001' },
    createdAt: at(day),
    ...extra,
  });

/** A support grant (grantEntitlement) of `entitlementId` from day `from` to day `to` (null: forever). */
const support = (
  entitlementId: string,
  from: number,
  to: number | null,
  extra: Partial<SupportGrant> = {},
) => {
  serial += 1;
  return {
    id: `s${serial}`,
    app: 'game',
    userId: 'p1',
    entitlementId,
    startsAt: at(from),
    until: to === null ? null : at(to),
    reason: 'r',
    keyName: 'desk',
    createdAt: at(from),
    revokedAt: null,
    revokeReason: null,
    revokedByKey: null,
    ...extra,
  } satisfies SupportGrant;
};

describe('computeEntitlements with support grants (issue 27)', () => {
  it('a support grant runs from its start to its until, source SUPPORT, no store or product', () => {
    const given = support('pass', 0, 7);
    expect(computeEntitlements(PASS, [], [], at(3), [given])).toEqual([
      {
        id: 'pass',
        active: true,
        since: at(0),
        expiresAt: at(7),
        willRenew: false,
        periodType: 'DAYS',
        billingIssue: false,
        store: null,
        productId: null,
        source: 'SUPPORT',
        grantId: given.id,
        environment: 'PRODUCTION',
      },
    ]);
  });

  it('it merges with a pass without queueing: the window that ends last names the source', () => {
    // A 30-day pass from day 0, a support grant from day 10 to 20: inside the pass, which ends last.
    expect(computeEntitlements(PASS, [pass(0)], [], at(15), [support('pass', 10, 20)])[0]).toMatchObject({
      since: at(0),
      expiresAt: at(30),
      source: 'GRANT',
      store: 'NHN_CLOUD',
    });
    // A support grant from day 25 to 50 extends the run; a pass bought on day 5 still queues after day 30.
    const later = support('pass', 25, 50);
    expect(computeEntitlements(PASS, [pass(0), pass(5)], [], at(40), [later])[0]).toMatchObject({
      active: true,
      since: at(0),
      expiresAt: at(60),
      source: 'GRANT',
    });
    expect(computeEntitlements(PASS, [pass(0)], [], at(40), [later])[0]).toMatchObject({
      active: true,
      expiresAt: at(50),
      source: 'SUPPORT',
      grantId: later.id,
    });
  });

  it('revoked at its start it gives nothing but is listed; an id outside the catalogue gives nothing', () => {
    const revoked = support('pass', 2, null, { revokedAt: at(2), revokeReason: 'x', revokedByKey: 'desk' });
    expect(computeEntitlements(PASS, [], [], at(3), [revoked, support('gone', 0, null)])).toEqual([
      {
        id: 'pass',
        active: false,
        since: at(2),
        expiresAt: at(2),
        willRenew: false,
        periodType: 'FOREVER',
        billingIssue: false,
        store: null,
        productId: null,
        source: 'SUPPORT',
        grantId: revoked.id,
        environment: 'PRODUCTION',
      },
    ]);
  });
});

describe('computeEntitlements', () => {
  it('N-day passes stack: two 30-day passes a day apart give 60 days', () => {
    const [first, second] = [pass(0), pass(1)];
    expect(computeEntitlements(PASS, [first, second], [], at(10), [])).toEqual([
      expect.objectContaining({
        id: 'pass',
        active: true,
        since: at(0),
        expiresAt: at(60),
        grantId: second.id,
      }),
    ]);
  });

  it('a refunded pass gives nothing from its refund on, and the passes queued after it move up', () => {
    const refunded = { revokedAt: at(5), revocation: { source: 'x' } };
    // The first refunded on day 5: the second runs from day 5 to 35.
    expect(computeEntitlements(PASS, [pass(0, refunded), pass(1)], [], at(10), [])[0]).toMatchObject({
      active: true,
      since: at(0),
      expiresAt: at(35),
    });
    // The queued second refunded before it started: the first alone, to day 30.
    expect(computeEntitlements(PASS, [pass(0), pass(1, refunded)], [], at(10), [])[0]).toMatchObject({
      active: true,
      expiresAt: at(30),
    });
  });

  it('after a gap the run holding now is the entitlement; with none, the latest run, inactive', () => {
    const grants = [pass(0), pass(100)];
    expect(computeEntitlements(PASS, grants, [], at(110), [])[0]).toMatchObject({
      active: true,
      since: at(100),
      expiresAt: at(130),
    });
    expect(computeEntitlements(PASS, grants, [], at(50), [])[0]).toMatchObject({
      active: false,
      since: at(100),
      expiresAt: at(130),
    });
    expect(computeEntitlements(PASS, grants, [], at(200), [])[0]).toMatchObject({
      active: false,
      expiresAt: at(130),
    });
  });

  it('a revoked forever grant ends at its revocation; a product outside the catalogue grants nothing', () => {
    const catalogue: EntitlementCatalogue = {
      no_ads: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'no_ads' }], grants: 'forever' },
    };
    const refunded = grant({
      store: 'GAMEBASE',
      productId: 'no_ads',
      revokedAt: at(3),
      revocation: { source: 'x' },
    });
    const other = grant({ store: 'ONESTORE', productId: 'no_ads' });
    expect(computeEntitlements(catalogue, [refunded, other], [], at(5), [])).toEqual([
      {
        id: 'no_ads',
        active: false,
        since: at(0),
        expiresAt: at(3),
        willRenew: false,
        periodType: 'FOREVER',
        billingIssue: false,
        store: 'GAMEBASE',
        productId: 'no_ads',
        source: 'GRANT',
        grantId: refunded.id,
      },
    ]);
  });

  it('whileSubscribed: the subscription state dates it; with no fact of its end, listed and never active', () => {
    const catalogue: EntitlementCatalogue = {
      vip: { products: [{ store: 'ONESTORE', productId: 'vip' }], grants: 'whileSubscribed' },
    };
    const dated = grant({
      store: 'ONESTORE',
      productId: 'vip',
      storeIds: { kind: 'SUBSCRIPTION', purchaseToken: 'T1', expiryTime: at(30).toISOString() },
    });
    const subscriptions = subscriptionsOf([dated], at(1)).get('p1') ?? [];
    expect(subscriptions).toEqual([
      expect.objectContaining({
        state: 'ACTIVE',
        expiresAt: at(30),
        source: 'GRANT_FACTS',
      }) as PlayerSubscription,
    ]);
    expect(computeEntitlements(catalogue, [dated], subscriptions, at(1), [])[0]).toMatchObject({
      active: true,
      expiresAt: at(30),
      source: 'SUBSCRIPTION',
      periodType: 'SUBSCRIPTION',
      willRenew: null,
    });
    const undated = grant({
      store: 'ONESTORE',
      productId: 'vip',
      storeIds: { kind: 'SUBSCRIPTION', purchaseToken: 'T2' },
    });
    expect(subscriptionsOf([undated], at(1)).get('p1')).toEqual([
      expect.objectContaining({ state: 'UNKNOWN', expiresAt: null }),
    ]);
    expect(computeEntitlements(catalogue, [undated], [], at(1), [])[0]).toMatchObject({
      active: false,
      expiresAt: null,
      source: 'SUBSCRIPTION',
    });
  });

  it('property: active exactly when some stacked pass window holds now; then since <= now < expiresAt', () => {
    const window = fc.record({
      start: fc.integer({ min: 0, max: 200 }),
      revokedAfter: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(window, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 260 }),
        (spec, nowDay) => {
          const sorted = [...spec].sort((a, b) => a.start - b.start);
          const grants = sorted.map((w) =>
            pass(
              w.start,
              w.revokedAfter === null
                ? {}
                : { revokedAt: at(w.start + w.revokedAfter), revocation: { source: 'x' } },
            ),
          );
          const now = at(nowDay);
          // The model: each pass queues after the ones before it and ends at its refund.
          let queue = Number.NEGATIVE_INFINITY;
          const windows: [number, number][] = [];
          for (const w of sorted) {
            const from = Math.max(w.start, queue);
            const end = Math.min(
              from + 30,
              w.revokedAfter === null ? Number.POSITIVE_INFINITY : w.start + w.revokedAfter,
            );
            if (end <= from) continue;
            queue = end;
            windows.push([from, end]);
          }
          const holds = windows.some(([from, end]) => from <= nowDay && nowDay < end);
          const [e] = computeEntitlements(PASS, grants, [], now, []);
          expect(e?.active ?? false).toBe(holds);
          if (e?.active) {
            expect(e.since.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(e.expiresAt === null || e.expiresAt > now).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
