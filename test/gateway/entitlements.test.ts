import { describe, expect, it } from 'vitest';
import { APP, act, ERROR_FIELDS, purchase, record, startGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/** Entitlement rules (docs/entitlements.md) and time normalization, end to end over the sandbox. */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const g = useGateway();

const PURCHASE = `query ($productId: String!, $purchaseToken: String!) {
  purchase(app: "${APP}", productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseState consumptionState purchasedAt storeTimes { field millis }
      entitlement { active reason } }
    ${ERROR_FIELDS}
  }
}`;
const SUBSCRIPTION = `query ($productId: String!, $purchaseToken: String!, $kind: SubscriptionKind) {
  subscription(app: "${APP}", productId: $productId, purchaseToken: $purchaseToken, kind: $kind) {
    __typename ... on Subscription { kind status autoRenewing expiresAt nextPaymentAt pauseStartsAt pauseEndsAt
      countryCode periodType willRenew billingIssueSince entitlement { active reason expiresAt } }
    ${ERROR_FIELDS}
  }
}`;

const sub = async (p: { productId: string; purchaseToken: string }, kind?: string) =>
  (await g.gql(SUBSCRIPTION, { ...p, kind: kind ?? null })).data.subscription as Record<string, unknown>;

describe('managed products', () => {
  it('PURCHASED is active; CONSUMED and CANCELLED are not', async () => {
    const bought = await purchase(g);
    const consumed = await purchase(g, { consumed: true });
    const cancelled = await purchase(g, { acknowledged: true });
    await act(g, cancelled.purchaseToken, 'cancel');
    const read = async (p: { productId: string; purchaseToken: string }) =>
      (await g.gql(PURCHASE, p)).data.purchase;
    expect(await read(bought)).toMatchObject({
      purchaseState: 'PURCHASED',
      consumptionState: 'NOT_CONSUMED',
      entitlement: { active: true, reason: 'PURCHASED' },
    });
    expect(await read(consumed)).toMatchObject({
      consumptionState: 'CONSUMED',
      entitlement: { active: false, reason: 'CONSUMED' },
    });
    expect(await read(cancelled)).toMatchObject({
      purchaseState: 'CANCELLED',
      entitlement: { active: false, reason: 'CANCELLED' },
    });
  });
});

describe('monthly products: expiryTime >= now AND lastPurchaseState == 0', () => {
  it('active until expiry once renewal stopped; inactive after the clock crosses expiry', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true, periodMs: DAY });
    expect(await sub(m)).toMatchObject({
      kind: 'MONTHLY',
      status: 'ACTIVE',
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
    await act(g, m.purchaseToken, 'cancel');
    const expiry = Number((await record(g, m.purchaseToken)).expiryTime);
    expect(await sub(m)).toMatchObject({
      status: 'CANCEL_RESERVED',
      autoRenewing: false,
      expiresAt: new Date(expiry).toISOString(),
      entitlement: { active: true, reason: 'CANCEL_RESERVED' },
    });
    g.h.sandbox.clock.set(expiry + 1);
    expect(await sub(m, 'MONTHLY')).toMatchObject({
      status: 'EXPIRED',
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });

  it('a renewing product stays active across its period end (the store renewed it)', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true, periodMs: DAY });
    g.h.sandbox.clock.advance(DAY + HOUR);
    expect(await sub(m)).toMatchObject({ status: 'ACTIVE', entitlement: { active: true } });
  });

  it('a voided last payment (lastPurchaseState 1) is inactive even before expiry', async () => {
    const m = await purchase(g, { type: 'auto', productId: 'vip', acknowledged: true });
    await act(g, m.purchaseToken, 'void');
    expect(await sub(m)).toMatchObject({
      status: 'CANCELLED',
      entitlement: { active: false, reason: 'CANCELLED' },
    });
  });
});

describe('subscriptions (구독형): every status', () => {
  const newSub = () =>
    purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true, periodMs: DAY });

  it('ACTIVE, CANCEL_RESERVED (then EXPIRED after expiry)', async () => {
    const s = await newSub();
    expect(await sub(s)).toMatchObject({
      status: 'ACTIVE',
      countryCode: 'KR',
      periodType: 'NORMAL',
      willRenew: true,
      billingIssueSince: null,
      entitlement: { active: true, reason: 'SUBSCRIPTION_ACTIVE' },
    });
    await act(g, s.purchaseToken, 'cancel');
    expect(await sub(s)).toMatchObject({
      status: 'CANCEL_RESERVED',
      autoRenewing: false,
      willRenew: false,
      entitlement: { active: true, reason: 'CANCEL_RESERVED' },
    });
    g.h.sandbox.clock.advance(DAY + HOUR);
    expect(await sub(s)).toMatchObject({
      status: 'EXPIRED',
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });

  it('PAUSE_RESERVED until the next payment date, then PAUSED', async () => {
    const s = await newSub();
    const after = await act(g, s.purchaseToken, 'pause', { days: 7 });
    const pauseStart = Number(after.pauseStartTime);
    expect(await sub(s)).toMatchObject({
      status: 'PAUSE_RESERVED',
      pauseStartsAt: new Date(pauseStart).toISOString(),
      entitlement: { active: true, reason: 'PAUSE_RESERVED' },
    });
    g.h.sandbox.clock.set(pauseStart + HOUR);
    expect(await sub(s)).toMatchObject({
      status: 'PAUSED',
      entitlement: { active: false, reason: 'PAUSED' },
    });
  });

  it('payment failed: IN_GRACE_PERIOD (결제유예) while paid time is left, then ON_HOLD (계정보류) without entitlement', async () => {
    // The document tells grace from hold only by the expiry against now (docs/entitlements.md).
    const s = await newSub();
    await act(g, s.purchaseToken, 'grace');
    const grace = await sub(s);
    expect(grace).toMatchObject({
      status: 'IN_GRACE_PERIOD',
      willRenew: true,
      // The store gives no failure time: the due time of the payment that failed stands for it.
      billingIssueSince: grace.nextPaymentAt,
      entitlement: { active: true, reason: 'IN_GRACE_PERIOD' },
    });
    expect(grace.billingIssueSince).toEqual(expect.any(String));
    g.h.sandbox.clock.set(Date.parse(String(grace.expiresAt)) + 1);
    expect(await sub(s)).toMatchObject({
      status: 'ON_HOLD',
      willRenew: true,
      billingIssueSince: grace.nextPaymentAt,
      entitlement: { active: false, reason: 'ON_HOLD' },
    });
    // The sandbox's `hold` puts the subscription on hold at once: the expiry is in the past.
    const hold = await newSub();
    await act(g, hold.purchaseToken, 'hold');
    expect(await sub(hold)).toMatchObject({
      status: 'ON_HOLD',
      entitlement: { active: false, reason: 'ON_HOLD' },
    });
  });

  it('CANCELLED when refunded; EXPIRED when the store expired it', async () => {
    const refunded = await newSub();
    await act(g, refunded.purchaseToken, 'void');
    expect(await sub(refunded)).toMatchObject({
      status: 'CANCELLED',
      entitlement: { active: false, reason: 'CANCELLED' },
    });
    const expired = await newSub();
    await act(g, expired.purchaseToken, 'expire');
    expect(await sub(expired)).toMatchObject({
      status: 'EXPIRED',
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });
});

describe('times in UTC', () => {
  it('MKT_ONE: purchasedAt is the sandbox time T in UTC; storeTimes keeps the raw T + 9 h', async () => {
    const p = await purchase(g);
    const answer = await g.gql(PURCHASE, p);
    expect(answer.data.purchase).toMatchObject({
      purchasedAt: new Date(p.purchaseTime).toISOString(),
      storeTimes: [{ field: 'purchaseTime', millis: String(p.purchaseTime + 9 * HOUR) }],
    });
  });

  it('MKT_GLB: times are UTC on the wire and in the answer', async () => {
    const glb = await startGateway({ market: 'MKT_GLB' });
    try {
      const p = await purchase(glb, { market: 'MKT_GLB' });
      const answer = await glb.gql(
        `{ purchase(app: "${APP}", productId: "${p.productId}", purchaseToken: "${p.purchaseToken}") {
          __typename ... on Purchase { market purchasedAt storeTimes { field millis } } } }`,
      );
      expect(answer.data.purchase).toEqual({
        __typename: 'Purchase',
        market: 'MKT_GLB',
        purchasedAt: new Date(p.purchaseTime).toISOString(),
        storeTimes: [{ field: 'purchaseTime', millis: String(p.purchaseTime) }],
      });
    } finally {
      await glb.close();
    }
  });
});
