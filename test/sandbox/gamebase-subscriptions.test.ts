import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { arr, expectNhn, obj } from './helpers.js';

/**
 * The sandbox's Gamebase subscriptions over HTTP: List Active Subscriptions and Get Subscriptions
 * Status as the API v1.3 guide prints them, each control action, and each transition the sandbox
 * clock drives (renewal, grace to hold to expiry, pause to resume, cancel to expiry).
 */

const h = useSandbox({ reset: true });

const APP = 'C3JmSctU';
const SECRET = 'IgsaAP-test';
const BASE = `/tcgb-inapp/v1.3/apps/${APP}`;
const HEADERS = { 'content-type': 'application/json; charset=UTF-8', 'x-secret-key': SECRET };
const USER = 'QXG774PMRZMWR3BR';
const PACKAGE = 'com.nhncloud.gamebase';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

const post = (path: string, body: unknown, headers = HEADERS): Promise<HttpAnswer> =>
  h.http('POST', path, { headers, body: JSON.stringify(body) });

/** The guide's envelope: HTTP 200, `header.resultCode`; a failure has no result. */
async function gb(path: string, body: unknown, resultCode = 0, headers = HEADERS): Promise<unknown[]> {
  const answer = expectNhn(await post(`${BASE}/${path}`, body, headers), resultCode);
  if (resultCode !== 0) {
    expect(answer).not.toHaveProperty('result');
    return [];
  }
  return arr(answer.result);
}

const active = (extra: Record<string, unknown> = {}) =>
  gb('active-subscriptions', { userId: USER, packageName: PACKAGE, ...extra });

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
  status: string;
}
interface View {
  id: string;
  phase: string;
  referenceStatus: string | null;
  originalPaymentId: string;
  periods: Period[];
}

async function subscribe(extra: Record<string, unknown> = {}): Promise<View> {
  return h.control<View>('POST', '/gamebase/subscriptions', {
    appId: APP,
    userId: USER,
    packageName: PACKAGE,
    gamebaseProductId: 'gamebase_renewal_001',
    productId: 'money_100',
    price: '1000',
    currency: 'KRW',
    purchaseTime: T0,
    ...extra,
  });
}

const act = (s: View, action: string, body: Record<string, unknown> = {}) =>
  h.control<View>('POST', `/gamebase/subscriptions/${s.id}/${action}`, body);
const view = (s: View) => h.control<View>('GET', `/gamebase/subscriptions/${s.id}`);
const setClock = (ms: number) => h.control('POST', '/clock', { set: ms });
const last = (v: View): Period => v.periods[v.periods.length - 1] as Period;
const statusOf = async (p: Period) =>
  obj(
    (
      await gb('subscriptions/status', {
        payments: [{ paymentSeq: p.paymentSeq, accessToken: p.accessToken }],
      })
    )[0],
  );

beforeEach(async () => {
  await h.control('POST', '/gamebase/apps', { appId: APP, secretKey: SECRET });
  await setClock(T0 + 1000);
});

describe('List Active Subscriptions', () => {
  it("answers the guide's fields, in its order, for a Google Play subscription", async () => {
    const s = await subscribe({
      paymentSeq: '2020052810364755',
      originalPaymentId: 'GPA.3302-8679-7228-41195',
      linkedPaymentId: 'GPA.3358-3220-2629-70624',
      payload: 'additional info',
      isTestPurchase: false,
    });
    const [entry] = await active({ marketIds: ['GG', 'AS'], includeInactiveGoogleStatuses: ['ON_HOLD'] });
    expect(Object.keys(obj(entry))).toEqual([
      'marketId',
      'userId',
      'paymentSeq',
      'accessToken',
      'productSeq',
      'productId',
      'productType',
      'originalPaymentId',
      'paymentId',
      'linkedPaymentId',
      'price',
      'currency',
      'gamebaseProductId',
      'payload',
      'purchaseTime',
      'expiryTime',
      'isTestPurchase',
      'referenceStatus',
    ]);
    expect(entry).toMatchObject({
      marketId: 'GG',
      userId: USER,
      paymentSeq: '2020052810364755',
      accessToken: last(s).accessToken,
      productId: 'money_100',
      productType: 'AUTO_RENEWABLE',
      originalPaymentId: 'GPA.3302-8679-7228-41195',
      paymentId: 'GPA.3302-8679-7228-41195',
      linkedPaymentId: 'GPA.3358-3220-2629-70624',
      price: 1000,
      currency: 'KRW',
      gamebaseProductId: 'gamebase_renewal_001',
      payload: 'additional info',
      purchaseTime: '2026-01-01T09:00:00+09:00',
      expiryTime: '2026-01-31T09:00:00+09:00',
      isTestPurchase: false,
      referenceStatus: 'PURCHASED',
    });
  });

  it('lists by user, package and store (AMAZON included by default); other stores carry no Google-only fields', async () => {
    await subscribe({ storeCode: 'AMAZON', linkedPaymentId: 'L-1' });
    await subscribe({ userId: 'SOMEONEELSE00001' });
    await subscribe({ packageName: 'com.other.game' });
    const [amazon] = await active();
    expect(obj(amazon).marketId).toBe('AMAZON');
    expect(obj(amazon)).not.toHaveProperty('referenceStatus');
    expect(obj(amazon)).not.toHaveProperty('linkedPaymentId');
    expect(await active({ marketIds: ['GG'] })).toEqual([]);
  });

  it('refuses a missing packageName or userId (1100), an unsupported inactive status (1100), a wrong secret (-4010004)', async () => {
    await gb('active-subscriptions', { userId: USER }, 1100);
    await gb('active-subscriptions', { packageName: PACKAGE }, 1100);
    await gb(
      'active-subscriptions',
      { userId: USER, packageName: PACKAGE, includeInactiveGoogleStatuses: ['PAUSED'] },
      1100,
    );
    await gb('active-subscriptions', { userId: USER, packageName: PACKAGE, marketIds: 'GG' }, -4000001);
    await gb('active-subscriptions', { userId: USER, packageName: PACKAGE }, -4010004, {
      ...HEADERS,
      'x-secret-key': 'wrong',
    });
  });
});

describe('the sandbox clock', () => {
  it('renews at each expiry: a new paymentSeq, accessToken and paymentId per period, renewTime the renewal', async () => {
    const s = await subscribe();
    await setClock(T0 + 61 * DAY);
    const v = await view(s);
    expect(v.periods.map((p) => p.paymentId)).toEqual([
      s.originalPaymentId,
      `${s.originalPaymentId}..0`,
      `${s.originalPaymentId}..1`,
    ]);
    expect(new Set(v.periods.map((p) => p.paymentSeq)).size).toBe(3);
    expect(new Set(v.periods.map((p) => p.accessToken)).size).toBe(3);
    const [entry] = await active();
    expect(entry).toMatchObject({
      paymentSeq: last(v).paymentSeq,
      accessToken: last(v).accessToken,
      paymentId: `${s.originalPaymentId}..1`,
      originalPaymentId: s.originalPaymentId,
      purchaseTime: '2026-03-02T09:00:00+09:00',
      expiryTime: '2026-04-01T09:00:00+09:00',
      renewTime: '2026-03-02T09:00:00+09:00',
      referenceStatus: 'RENEWED',
    });
    // Each period is a payment of its own: Get Payment Transaction knows the renewal.
    const tx = await h.http('GET', `${BASE}/payment/transaction?accessToken=${last(v).accessToken}`, {
      headers: HEADERS,
    });
    expect(obj(obj(tx.json).result)).toMatchObject({
      paymentSeq: last(v).paymentSeq,
      productType: 'AUTO_RENEWABLE',
    });
  });

  it('CONSUMABLE_AUTO_RENEWABLE: each renewal is a payment List Consumables lists, consumable once', async () => {
    const s = await subscribe({ productType: 'CONSUMABLE_AUTO_RENEWABLE' });
    await setClock(T0 + 31 * DAY);
    const v = await view(s);
    const listed = arr(expectNhn(await post(`${BASE}/consumable`, { userId: USER }), 0).result);
    expect(listed.map((p) => obj(p).paymentSeq)).toEqual([last(v).paymentSeq, s.id]);
  });

  it('grace (IN_GRACE, still listed) turns ON_HOLD (listed only when asked), then EXPIRED', async () => {
    const s = await subscribe();
    await act(s, 'grace', { days: 3, holdDays: 10 });
    expect(await active()).toMatchObject([
      { referenceStatus: 'IN_GRACE', expiryTime: '2026-01-04T09:00:01+09:00' },
    ]);
    await setClock(T0 + 4 * DAY);
    expect(await active()).toEqual([]);
    expect(await active({ includeInactiveGoogleStatuses: ['ON_HOLD'] })).toMatchObject([
      { referenceStatus: 'ON_HOLD' },
    ]);
    await setClock(T0 + 14 * DAY);
    expect(await active({ includeInactiveGoogleStatuses: ['ON_HOLD'] })).toEqual([]);
    expect(await statusOf(last(s))).toMatchObject({ referenceStatus: 'EXPIRED' });
  });

  it('renew out of hold is RECOVERED: a new period from now', async () => {
    const s = await subscribe();
    await act(s, 'hold');
    expect(await active()).toEqual([]);
    const v = await act(s, 'renew');
    expect(v.periods).toHaveLength(2);
    expect(await active()).toMatchObject([{ referenceStatus: 'RECOVERED', paymentSeq: last(v).paymentSeq }]);
  });

  it('pause: PAUSE_SCHEDULED until the period ends, PAUSED (unlisted), then RENEWED at the pause end', async () => {
    const s = await subscribe();
    await act(s, 'pause', { days: 10 });
    expect(await active()).toMatchObject([{ referenceStatus: 'PAUSE_SCHEDULED' }]);
    await setClock(T0 + 31 * DAY);
    expect(await active()).toEqual([]);
    expect(await statusOf(last(s))).toMatchObject({ referenceStatus: 'PAUSED' });
    await setClock(T0 + 41 * DAY);
    expect(await active()).toMatchObject([
      {
        referenceStatus: 'RENEWED',
        purchaseTime: '2026-02-10T09:00:00+09:00',
        renewTime: '2026-02-10T09:00:00+09:00',
        expiryTime: '2026-03-12T09:00:00+09:00',
      },
    ]);
  });

  it('resume ends a pause early; a scheduled pause resumed is active again', async () => {
    const s = await subscribe();
    await act(s, 'pause');
    expect((await act(s, 'resume')).phase).toBe('active');
    await act(s, 'pause');
    await setClock(T0 + 32 * DAY);
    const v = await act(s, 'resume');
    expect(v.periods).toHaveLength(2);
    expect(await active()).toMatchObject([{ referenceStatus: 'RENEWED' }]);
  });

  it('cancel: CANCELED_SUBSCRIPTION until expiry; restore: RESTARTED; expiry after a cancel: EXPIRED', async () => {
    const s = await subscribe();
    await act(s, 'cancel');
    expect(await active()).toMatchObject([{ referenceStatus: 'CANCELED_SUBSCRIPTION' }]);
    await act(s, 'restore');
    expect(await active()).toMatchObject([{ referenceStatus: 'RESTARTED' }]);
    await act(s, 'cancel');
    await setClock(T0 + 30 * DAY);
    expect(await active()).toEqual([]);
    const v = await view(s);
    expect(v.periods).toHaveLength(1);
    expect(await statusOf(last(v))).toMatchObject({
      referenceStatus: 'EXPIRED',
      expiryTime: '2026-01-31T09:00:00+09:00',
    });
  });

  it('expire ends it now; an action that does not apply is 409', async () => {
    const s = await subscribe();
    await act(s, 'expire');
    expect(await active()).toEqual([]);
    const refused = await h.http('POST', `/sandbox/v1/gamebase/subscriptions/${s.id}/renew`, { body: '{}' });
    expect(refused.status).toBe(409);
  });

  it('void of an earlier period refunds that payment only; of the current period, REVOKED', async () => {
    const s = await subscribe();
    await setClock(T0 + 31 * DAY);
    const v = await view(s);
    const [first, second] = v.periods as [Period, Period];
    const after = await act(s, 'void', { paymentSeq: first.paymentSeq });
    expect(after.periods.map((p) => p.status)).toEqual(['refunded', 'purchased']);
    expect(await active()).toMatchObject([{ referenceStatus: 'RENEWED' }]);
    // The payment route's void is the same action.
    await h.control('POST', `/gamebase/payments/${second.paymentSeq}/void`);
    expect(await active()).toEqual([]);
    expect(await statusOf(first)).toMatchObject({ referenceStatus: 'REVOKED', paymentId: second.paymentId });
  });
});

describe('Get Subscriptions Status', () => {
  it("answers the guide's fields for each asked payment, in order; an unknown pair is left out", async () => {
    const a = await subscribe();
    const b = await subscribe({ storeCode: 'AS' });
    const answer = await gb('subscriptions/status', {
      payments: [
        { paymentSeq: last(b).paymentSeq, accessToken: last(b).accessToken },
        { paymentSeq: '2023082410408370', accessToken: 'unknown' },
        { paymentSeq: last(a).paymentSeq, accessToken: last(a).accessToken },
      ],
    });
    expect(answer).toEqual([
      {
        userId: USER,
        paymentSeq: last(b).paymentSeq,
        accessToken: last(b).accessToken,
        paymentId: b.originalPaymentId,
        originalPaymentId: b.originalPaymentId,
        purchaseTime: '2026-01-01T09:00:00+09:00',
        expiryTime: '2026-01-31T09:00:00+09:00',
      },
      {
        userId: USER,
        paymentSeq: last(a).paymentSeq,
        accessToken: last(a).accessToken,
        paymentId: a.originalPaymentId,
        originalPaymentId: a.originalPaymentId,
        purchaseTime: '2026-01-01T09:00:00+09:00',
        expiryTime: '2026-01-31T09:00:00+09:00',
        referenceStatus: 'PURCHASED',
      },
    ]);
  });

  it('refuses no payments or more than 10 (1100), and a non-digit paymentSeq (1100)', async () => {
    const p = { paymentSeq: '1', accessToken: 'x' };
    await gb('subscriptions/status', { payments: [] }, 1100);
    await gb('subscriptions/status', { payments: Array.from({ length: 11 }, () => p) }, 1100);
    await gb('subscriptions/status', { payments: [{ paymentSeq: 'abc', accessToken: 'x' }] }, 1100);
  });
});
