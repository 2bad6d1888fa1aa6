import { describe, expect, it } from 'vitest';
import type { PriceChange, SubscriptionRecord } from '../../src/entitlements/records.js';
import { CallBudget } from '../../src/subscriptions/budget.js';
import { nextCheckAt } from '../../src/subscriptions/next-check.js';
import { transitions } from '../../src/subscriptions/transitions.js';

/**
 * `transitions(previous, next)`, the pure rule of the lifecycle events (docs/events.md): every rule,
 * its occurredAt source and the fixed order within one read.
 */

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(ms);
const READ = at(T0 + 40 * DAY);

function sub(over: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    store: 'ONESTORE',
    app: 'game',
    kind: 'SUBSCRIPTION',
    productId: 'premium',
    purchaseToken: 'TOKEN1',
    market: 'MKT_GLB',
    status: 'ACTIVE',
    autoRenewing: true,
    acknowledgementState: 'ACKNOWLEDGED',
    lastPurchaseId: 'P1',
    developerPayload: null,
    startedAt: at(T0),
    expiresAt: at(T0 + 30 * DAY),
    nextPaymentAt: at(T0 + 30 * DAY),
    cancelledAt: null,
    cancelReason: null,
    pauseStartsAt: null,
    pauseEndsAt: null,
    autoResumeAt: null,
    price: { amount: '1000', amountMicros: '1000000000', currency: 'KRW' },
    nextPrice: { amount: '1000', amountMicros: '1000000000', currency: 'KRW' },
    linkedPurchaseToken: null,
    countryCode: 'KR',
    periodType: 'NORMAL',
    willRenew: true,
    billingIssueSince: null,
    priceChange: null,
    promotion: null,
    storeTimes: [],
    entitlement: { active: true, expiresAt: at(T0 + 30 * DAY), reason: 'SUBSCRIPTION_ACTIVE' },
    ...over,
  };
}

const change = (over: Partial<PriceChange> = {}): PriceChange => ({
  seq: 1,
  previousPrice: { amount: '1000', amountMicros: '1000000000', currency: 'KRW' },
  newPrice: { amount: '1500', amountMicros: '1500000000', currency: 'KRW' },
  appliesAt: at(T0 + 5 * DAY),
  agreed: false,
  agreementDueAt: at(T0 + 42 * DAY),
  ...over,
});

const types = (prev: SubscriptionRecord | null, next: SubscriptionRecord, read = READ) =>
  transitions(prev, next, read).map((t) => [t.type, t.occurredAt.toISOString()]);
const iso = (ms: number) => at(ms).toISOString();

describe('transitions(previous, next)', () => {
  it('the same read twice: nothing', () => {
    expect(types(sub(), sub())).toEqual([]);
  });

  it('first read: the baseline, no event; with a linked token, PLAN_CHANGED at its start', () => {
    expect(types(null, sub({ status: 'IN_GRACE_PERIOD', autoRenewing: false }))).toEqual([]);
    expect(types(null, sub({ linkedPurchaseToken: 'OLD', startedAt: at(T0 + DAY) }))).toEqual([
      ['SUBSCRIPTION_PLAN_CHANGED', iso(T0 + DAY)],
    ]);
  });

  it('a new paid period on schedule: RENEWED at the payment date announced before', () => {
    const next = sub({
      lastPurchaseId: 'P2',
      expiresAt: at(T0 + 60 * DAY),
      nextPaymentAt: at(T0 + 60 * DAY),
    });
    expect(types(sub(), next)).toEqual([['SUBSCRIPTION_RENEWED', iso(T0 + 30 * DAY)]]);
  });

  it('a monthly product renewed: the period starts at nextPaymentAt, not at the inclusive expiry', () => {
    const prev = sub({ kind: 'MONTHLY', expiresAt: at(T0 + 30 * DAY - 1) });
    expect(types(prev, sub({ kind: 'MONTHLY', lastPurchaseId: 'P2' }))).toEqual([
      ['SUBSCRIPTION_RENEWED', iso(T0 + 30 * DAY)],
    ]);
  });

  it('grace started at the failed payment, then hold at the end of access, then expiry', () => {
    const grace = sub({
      status: 'IN_GRACE_PERIOD',
      billingIssueSince: at(T0 + 30 * DAY),
      expiresAt: at(T0 + 37 * DAY),
    });
    expect(types(sub(), grace)).toEqual([['SUBSCRIPTION_GRACE_STARTED', iso(T0 + 30 * DAY)]]);
    const hold = { ...grace, status: 'ON_HOLD' as const };
    expect(types(grace, hold)).toEqual([['SUBSCRIPTION_ON_HOLD', iso(T0 + 37 * DAY)]]);
    const over = { ...hold, status: 'EXPIRED' as const, autoRenewing: false, billingIssueSince: null };
    expect(types(hold, over, at(T0 + 70 * DAY))).toEqual([['SUBSCRIPTION_EXPIRED', iso(T0 + 37 * DAY)]]);
  });

  it('recovered out of grace: RECOVERED (at the read) then RENEWED (at the failed due date: the billing date stays)', () => {
    const grace = sub({ status: 'IN_GRACE_PERIOD', billingIssueSince: at(T0 + 30 * DAY) });
    const paid = sub({ lastPurchaseId: 'P2', expiresAt: at(T0 + 60 * DAY) });
    expect(types(grace, paid)).toEqual([
      ['SUBSCRIPTION_RECOVERED', READ.toISOString()],
      ['SUBSCRIPTION_RENEWED', iso(T0 + 30 * DAY)],
    ]);
  });

  it('recovered out of hold: both at the read (the store gives no payment time)', () => {
    const hold = sub({ status: 'ON_HOLD', billingIssueSince: at(T0 + 30 * DAY) });
    expect(types(hold, sub({ lastPurchaseId: 'P2' }))).toEqual([
      ['SUBSCRIPTION_RECOVERED', READ.toISOString()],
      ['SUBSCRIPTION_RENEWED', READ.toISOString()],
    ]);
  });

  it('paused at its start; resumed at its end, with the new period', () => {
    const pause = { pauseStartsAt: at(T0 + 30 * DAY), pauseEndsAt: at(T0 + 37 * DAY) };
    const paused = sub({ status: 'PAUSED', ...pause });
    expect(types(sub({ status: 'PAUSE_RESERVED', ...pause }), paused)).toEqual([
      ['SUBSCRIPTION_PAUSED', iso(T0 + 30 * DAY)],
    ]);
    expect(types(paused, sub({ lastPurchaseId: 'P2' }))).toEqual([
      ['SUBSCRIPTION_RESUMED', iso(T0 + 37 * DAY)],
      ['SUBSCRIPTION_RENEWED', iso(T0 + 37 * DAY)],
    ]);
  });

  it('resumed early: the pause end lies ahead, so the read', () => {
    const paused = sub({
      status: 'PAUSED',
      pauseStartsAt: at(T0 + 30 * DAY),
      pauseEndsAt: at(T0 + 50 * DAY),
    });
    expect(types(paused, sub({ lastPurchaseId: 'P2' }))).toEqual([
      ['SUBSCRIPTION_RESUMED', READ.toISOString()],
      ['SUBSCRIPTION_RENEWED', READ.toISOString()],
    ]);
  });

  it('auto-renew off (at cancelledAt) and back on (at the read)', () => {
    const off = sub({ status: 'CANCEL_RESERVED', autoRenewing: false, cancelledAt: at(T0 + 3 * DAY) });
    expect(types(sub(), off)).toEqual([['SUBSCRIPTION_RENEWAL_CANCELLED', iso(T0 + 3 * DAY)]]);
    expect(types(off, sub())).toEqual([['SUBSCRIPTION_RENEWAL_RESTORED', READ.toISOString()]]);
  });

  it('over: EXPIRED alone, never RENEWAL_CANCELLED with it; CANCELLED at once is EXPIRED at cancelledAt', () => {
    const expired = sub({ status: 'EXPIRED', autoRenewing: false });
    expect(types(sub(), expired)).toEqual([['SUBSCRIPTION_EXPIRED', iso(T0 + 30 * DAY)]]);
    const cut = sub({
      status: 'CANCELLED',
      autoRenewing: false,
      cancelledAt: at(T0 + 9 * DAY),
      expiresAt: at(T0 + 9 * DAY),
    });
    expect(types(sub(), cut)).toEqual([['SUBSCRIPTION_EXPIRED', iso(T0 + 9 * DAY)]]);
    expect(types(expired, cut)).toEqual([]);
  });

  it('price change: a new seq unagreed is PENDING (at applyTime), agreement flips to AGREED (at the read)', () => {
    const pending = sub({ priceChange: change() });
    expect(types(sub(), pending)).toEqual([['SUBSCRIPTION_PRICE_CHANGE_PENDING', iso(T0 + 5 * DAY)]]);
    const agreed = sub({ priceChange: change({ agreed: true }) });
    expect(types(pending, agreed)).toEqual([['SUBSCRIPTION_PRICE_CHANGE_AGREED', READ.toISOString()]]);
    expect(types(agreed, agreed)).toEqual([]);
    // A second change (seq 2) is pending again; one seen agreed already is told as AGREED alone.
    expect(types(agreed, sub({ priceChange: change({ seq: 2 }) }))).toEqual([
      ['SUBSCRIPTION_PRICE_CHANGE_PENDING', iso(T0 + 5 * DAY)],
    ]);
    expect(types(sub(), agreed)).toEqual([['SUBSCRIPTION_PRICE_CHANGE_AGREED', READ.toISOString()]]);
  });

  it('plan change: a linked token appearing, or the product changing', () => {
    expect(types(sub(), sub({ linkedPurchaseToken: 'OLD' }))).toEqual([
      ['SUBSCRIPTION_PLAN_CHANGED', iso(T0)],
    ]);
    expect(types(sub(), sub({ productId: 'premium_plus' }))).toEqual([
      ['SUBSCRIPTION_PLAN_CHANGED', READ.toISOString()],
    ]);
  });

  it('several changes in one late read come in the documented order; occurredAt never after the read', () => {
    const prev = sub({ status: 'PAUSED', pauseStartsAt: at(T0 + 30 * DAY), pauseEndsAt: at(T0 + 37 * DAY) });
    const next = sub({
      lastPurchaseId: 'P2',
      linkedPurchaseToken: 'OLD',
      startedAt: at(T0 + 90 * DAY),
      status: 'IN_GRACE_PERIOD',
      billingIssueSince: at(T0 + 67 * DAY),
      autoRenewing: true,
      priceChange: change({ appliesAt: at(T0 + 99 * DAY) }),
    });
    expect(types(prev, next, at(T0 + 68 * DAY))).toEqual([
      ['SUBSCRIPTION_PLAN_CHANGED', iso(T0 + 68 * DAY)],
      ['SUBSCRIPTION_RESUMED', iso(T0 + 37 * DAY)],
      ['SUBSCRIPTION_RENEWED', iso(T0 + 37 * DAY)],
      ['SUBSCRIPTION_GRACE_STARTED', iso(T0 + 67 * DAY)],
      ['SUBSCRIPTION_PRICE_CHANGE_PENDING', iso(T0 + 68 * DAY)],
    ]);
  });
});

describe('nextCheckAt', () => {
  const settings = { marginMs: 60_000, billingIssueIntervalMs: 4 * 3_600_000, maxIntervalMs: DAY };
  const now = at(T0 + 29 * DAY + 12 * 3_600_000);

  it('at the expiry plus the margin when that comes before a day', () => {
    expect(nextCheckAt(sub(), now, settings)).toEqual(at(T0 + 30 * DAY + 60_000));
  });

  it('at least daily', () => {
    expect(nextCheckAt(sub(), at(T0), settings)).toEqual(at(T0 + DAY));
  });

  it('every 4 h in grace or hold', () => {
    const hold = sub({ status: 'ON_HOLD', expiresAt: at(T0), nextPaymentAt: at(T0) });
    expect(nextCheckAt(hold, now, settings)).toEqual(at(now.getTime() + 4 * 3_600_000));
  });

  it("soon after an unagreed price change's due time; not for an agreed one", () => {
    const s = sub({ expiresAt: at(T0 + 90 * DAY), nextPaymentAt: at(T0 + 90 * DAY) });
    const due = at(now.getTime() + 3_600_000);
    expect(nextCheckAt({ ...s, priceChange: change({ agreementDueAt: due }) }, now, settings)).toEqual(
      at(due.getTime() + 60_000),
    );
    expect(
      nextCheckAt({ ...s, priceChange: change({ agreementDueAt: due, agreed: true }) }, now, settings),
    ).toEqual(at(now.getTime() + DAY));
  });

  it('at the pause edges', () => {
    const reserved = sub({
      status: 'PAUSE_RESERVED',
      expiresAt: at(T0 + 90 * DAY),
      nextPaymentAt: null,
      pauseStartsAt: at(now.getTime() + 3_600_000),
    });
    expect(nextCheckAt(reserved, now, settings)).toEqual(at(now.getTime() + 3_660_000));
  });

  it('never again once over (EXPIRED, CANCELLED)', () => {
    expect(nextCheckAt(sub({ status: 'EXPIRED' }), now, settings)).toBeNull();
    expect(nextCheckAt(sub({ status: 'CANCELLED' }), now, settings)).toBeNull();
  });
});

describe('CallBudget (calls per second per store)', () => {
  it('a second of calls at once, then each call waits for its token', async () => {
    let wall = 0;
    const waits: number[] = [];
    const budget = new CallBudget(
      2,
      () => wall,
      async (ms) => {
        waits.push(ms);
        wall += ms;
      },
    );
    for (let i = 0; i < 4; i++) await budget.take();
    expect(waits).toEqual([500, 500]);
    wall += 10_000;
    await budget.take();
    await budget.take();
    // A quiet spell refills one second's worth, never more.
    expect(waits).toEqual([500, 500]);
    await budget.take();
    expect(waits).toEqual([500, 500, 500]);
  });
});
