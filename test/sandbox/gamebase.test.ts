import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_GAMEBASE } from '../../src/sandbox/index.js';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { arr, buy, call, createApp, expectNhn, obj, pathOf, record, tokenOf } from './helpers.js';

const h = useSandbox({ reset: true });

const APP = 'C3JmSctU';
const SECRET = 'IgsaAP-test';
const BASE = `/tcgb-inapp/v1.3/apps/${APP}`;
const HEADERS = { 'content-type': 'application/json; charset=UTF-8', 'x-secret-key': SECRET };

function post(path: string, body: unknown, headers: Record<string, string> = HEADERS): Promise<HttpAnswer> {
  return h.http('POST', path, { headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

function transaction(accessToken: string, headers: Record<string, string> = HEADERS): Promise<HttpAnswer> {
  return h.http('GET', `${BASE}/payment/transaction?accessToken=${encodeURIComponent(accessToken)}`, {
    headers,
  });
}

/** Asserts Gamebase's envelope: always HTTP 200, `header.resultCode` as given; a failure has no result. */
function expectGb(answer: HttpAnswer, resultCode: number): Record<string, unknown> {
  const body = expectNhn(answer, resultCode);
  if (resultCode !== 0) expect(body).not.toHaveProperty('result');
  expect(typeof obj(body.header).transactionId).toBe('string');
  return body;
}

interface Payment {
  paymentSeq: string;
  accessToken: string;
  paymentToken: string;
  productSeq: number;
  paymentId: string;
}

async function pay(extra: Record<string, unknown> = {}): Promise<Payment> {
  const p = await h.control('POST', '/gamebase/payments', {
    appId: APP,
    userId: 'QXG774PMRZMWR3BR',
    gamebaseProductId: 'tap_prod_001',
    price: '1500',
    currency: 'KRW',
    ...extra,
  });
  return p as unknown as Payment;
}

beforeEach(async () => {
  await h.control('POST', '/gamebase/apps', { appId: APP, secretKey: SECRET });
});

describe('Consume', () => {
  it("consumes the guide's example request once and answers its example response", async () => {
    const accessToken =
      '90fD1bs1guXwY6aZ7rseEKYW_6gMCISjDASgten4MD6O7XZD7VRjZcs8OTm8lOQVFTegoY4WK78P2WQCMm7cx';
    const p = await pay({ paymentSeq: '2019091931571201', accessToken, payload: 'additional info' });
    const body = `{\n    "paymentSeq": "2019091931571201",\n    "accessToken": "${accessToken}"\n}`;
    const answer = await post(`${BASE}/consume`, body, {
      ...HEADERS,
      'x-tcgb-transaction-id': '88a1ae42-6b1d-48c8-894e-54e97aca07fq',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-tcgb-transaction-id')).toBe('88a1ae42-6b1d-48c8-894e-54e97aca07fq');
    expect(answer.json).toEqual({
      header: {
        transactionId: '88a1ae42-6b1d-48c8-894e-54e97aca07fq',
        isSuccessful: true,
        resultCode: 0,
        resultMessage: 'SUCCESS',
      },
      result: {
        price: 1500,
        currency: 'KRW',
        productSeq: p.productSeq,
        marketId: 'GG',
        gamebaseProductId: 'tap_prod_001',
        payload: 'additional info',
      },
    });
    const again = expectGb(await post(`${BASE}/consume`, body), 5018);
    expect(obj(again.header).resultMessage).toBe('Payment already consumed');
  });

  it('answers 5000 CONSUME FAILED for a wrong token, an unknown payment, a subscription or a refund', async () => {
    const p = await pay();
    const sub = await pay({ productType: 'AUTO_RENEWABLE' });
    const unknownType = await pay({ productType: 'UNKNOWN' });
    const refunded = await pay();
    await h.control('POST', `/gamebase/payments/${refunded.paymentSeq}/refund`);
    const cases = [
      { paymentSeq: p.paymentSeq, accessToken: `${p.accessToken}x` },
      { paymentSeq: '2099010100000001', accessToken: p.accessToken },
      { paymentSeq: sub.paymentSeq, accessToken: sub.accessToken },
      { paymentSeq: unknownType.paymentSeq, accessToken: unknownType.accessToken },
      { paymentSeq: refunded.paymentSeq, accessToken: refunded.accessToken },
    ];
    for (const body of cases) expectGb(await post(`${BASE}/consume`, body), 5000);
    // A CONSUMABLE_AUTO_RENEWABLE payment is consumable; a wrong token stays 5000 even once consumed.
    const both = await pay({ productType: 'CONSUMABLE_AUTO_RENEWABLE' });
    expectGb(
      await post(`${BASE}/consume`, { paymentSeq: both.paymentSeq, accessToken: both.accessToken }),
      0,
    );
    expectGb(await post(`${BASE}/consume`, { paymentSeq: both.paymentSeq, accessToken: 'wrong' }), 5000);
    // Nothing else was consumed.
    expectGb(await post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }), 0);
  });

  it('answers 1100 for missing fields, -4000001 for wrong types, -4150001 for bad JSON', async () => {
    const p = await pay();
    const cases: [unknown, number][] = [
      [{ accessToken: p.accessToken }, 1100],
      [{ paymentSeq: p.paymentSeq }, 1100],
      [{ paymentSeq: '', accessToken: p.accessToken }, 1100],
      [{ paymentSeq: 'abc', accessToken: p.accessToken }, 1100],
      [{ paymentSeq: Number(p.paymentSeq), accessToken: p.accessToken }, -4000001],
      [{ paymentSeq: p.paymentSeq, accessToken: 42 }, -4000001],
      ['{"paymentSeq":', -4150001],
      ['["x"]', -4150001],
      ['', -4150001],
      [JSON.stringify({ paymentSeq: p.paymentSeq, accessToken: 'x'.repeat(70_000) }), -4150001],
    ];
    for (const [body, code] of cases) expectGb(await post(`${BASE}/consume`, body), code);
    expectGb(await post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }), 0);
  });

  it('lets exactly one of 100 concurrent consumes of one payment succeed', async () => {
    const p = await pay();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }),
      ),
    );
    const codes = answers.map((a) => obj(obj(a.json).header).resultCode);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 5018)).toHaveLength(99);
    expect(await h.count('gamebase.consume')).toBe(100);
  });
});

describe('common checks', () => {
  it('answers -4010001 for an unknown app and -4010004 for a missing or wrong X-Secret-Key', async () => {
    const p = await pay();
    const body = { paymentSeq: p.paymentSeq, accessToken: p.accessToken };
    expectGb(await post('/tcgb-inapp/v1.3/apps/OTHERAPP/consume', body), -4010001);
    expectGb(await post('/tcgb-inapp/v1.3/apps/%E0%A4%A/consume', body), -4010001);
    expectGb(await post(`${BASE}/consume`, body, { 'content-type': 'application/json' }), -4010004);
    expectGb(await post(`${BASE}/consume`, body, { ...HEADERS, 'x-secret-key': `${SECRET}x` }), -4010004);
    expectGb(await transaction(p.accessToken, { 'content-type': 'application/json' }), -4010004);
    // Another app's secret key does not open this app.
    await h.control('POST', '/gamebase/apps', { appId: 'OTHERAPP', secretKey: 'other' });
    expectGb(await post(`${BASE}/consume`, body, { ...HEADERS, 'x-secret-key': 'other' }), -4010004);
    expectGb(await post(`${BASE}/consume`, body), 0);
  });

  it('answers -4060001 without application/json and -4040202 for an undefined API or method', async () => {
    const p = await pay();
    const body = { paymentSeq: p.paymentSeq, accessToken: p.accessToken };
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const headers = { 'x-secret-key': SECRET, ...(type && { 'content-type': type }) };
      expectGb(await post(`${BASE}/consume`, body, headers), -4060001);
      expectGb(await transaction(p.accessToken, headers), -4060001);
    }
    expectGb(await h.http('GET', `${BASE}/consume`, { headers: HEADERS }), -4040202);
    expectGb(await post(`${BASE}/payment/transaction`, {}), -4040202);
    expectGb(await post(`/tcgb-inapp/v1.2/apps/${APP}/consume`, body), -4040202);
    expectGb(await post(`${BASE}/subscriptions/cancel`, {}), -4040202);
    expect(await h.count('unmatched')).toBe(2);
    expect(await h.count('gamebase.consume')).toBe(4);
  });
});

describe('Get Payment Transaction', () => {
  it('answers the payment in the shape of the guide, consumable until consumed', async () => {
    const p = await pay({
      price: '2.29',
      currency: 'EUR',
      storeCode: 'AS',
      userId: 'AS@QW4M1GM7W97YJDCN',
      gamebaseProductId: 'qa_ksw_prod_as_001',
      purchaseTime: '2022-04-11T16:47:01+09:00',
      payload: 'string',
      paymentToken: 'store-purchase-token-77',
    });
    expect(p.paymentToken).toBe('store-purchase-token-77');
    const answer = expectGb(await transaction(p.accessToken), 0);
    expect(obj(answer.header).resultMessage).toBe('SUCCESS');
    expect(answer.result).toEqual({
      paymentSeq: p.paymentSeq,
      productSeq: p.productSeq,
      currency: 'EUR',
      price: 2.29,
      marketId: 'AS',
      accessToken: p.accessToken,
      paymentId: p.paymentId,
      paymentToken: 'store-purchase-token-77',
      productType: 'CONSUMABLE',
      userId: 'AS@QW4M1GM7W97YJDCN',
      gamebaseProductId: 'qa_ksw_prod_as_001',
      purchaseTime: '2022-04-11T16:47:01+09:00',
      payload: 'string',
      isTestPurchase: true,
      isConsumable: true,
    });
    expectGb(await post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }), 0);
    expect(obj(expectGb(await transaction(p.accessToken), 0).result).isConsumable).toBe(false);
    const sub = await pay({ productType: 'AUTO_RENEWABLE' });
    expect(obj(expectGb(await transaction(sub.accessToken), 0).result)).toMatchObject({
      productType: 'AUTO_RENEWABLE',
      isConsumable: false,
    });
  });

  it('answers 1100 for a missing, unknown, refunded or other app token', async () => {
    const p = await pay();
    await h.control('POST', '/gamebase/apps', { appId: 'OTHERAPP', secretKey: 'other' });
    const other = await pay({ appId: 'OTHERAPP' });
    expectGb(await h.http('GET', `${BASE}/payment/transaction`, { headers: HEADERS }), 1100);
    expectGb(await transaction(''), 1100);
    expectGb(await transaction('unknown-token'), 1100);
    expectGb(await transaction(other.accessToken), 1100);
    expectGb(await transaction(p.accessToken), 0);
    await h.control('POST', `/gamebase/payments/${p.paymentSeq}/void`);
    expectGb(await transaction(p.accessToken), 1100);
  });
});

describe('List Consumables', () => {
  it("answers the guide's example body with the user's unconsumed consumables, newest first", async () => {
    const now = h.sandbox.clock.now();
    const older = await pay({ storeCode: 'AS', purchaseTime: now - 60_000 });
    const newer = await pay({ storeCode: 'GG', purchaseTime: now - 1_000, payload: 'additional info' });
    const used = await pay();
    await pay({ userId: 'someone-else' });
    await pay({ productType: 'AUTO_RENEWABLE' });
    await pay({ storeCode: 'ONESTORE' });
    expectGb(
      await post(`${BASE}/consume`, { paymentSeq: used.paymentSeq, accessToken: used.accessToken }),
      0,
    );
    const answer = expectGb(
      await post(
        `${BASE}/consumable`,
        '{\n    "marketIds": ["GG", "AS"],\n    "userId": "QXG774PMRZMWR3BR"\n}',
      ),
      0,
    );
    expect(obj(answer.header).resultMessage).toBe('success');
    const kst = (ms: number) => `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
    expect(answer.result).toEqual([
      {
        paymentSeq: newer.paymentSeq,
        productSeq: newer.productSeq,
        currency: 'KRW',
        price: 1500,
        marketId: 'GG',
        accessToken: newer.accessToken,
        paymentId: newer.paymentId,
        gamebaseProductId: 'tap_prod_001',
        purchaseTime: kst(now - 1_000),
        payload: 'additional info',
        isTestPurchase: true,
      },
      {
        paymentSeq: older.paymentSeq,
        productSeq: older.productSeq,
        currency: 'KRW',
        price: 1500,
        marketId: 'AS',
        accessToken: older.accessToken,
        paymentId: older.paymentId,
        gamebaseProductId: 'tap_prod_001',
        purchaseTime: kst(now - 60_000),
        isTestPurchase: true,
      },
    ]);
  });

  it('looks in every store but AMAZON by default; the deprecated marketId still works', async () => {
    const one = await pay({ storeCode: 'ONESTORE' });
    const amazon = await pay({ storeCode: 'AMAZON' });
    const seqs = async (body: unknown) =>
      arr(expectGb(await post(`${BASE}/consumable`, body), 0).result).map((r) => obj(r).paymentSeq);
    const userId = 'QXG774PMRZMWR3BR';
    expect(await seqs({ userId })).toEqual([one.paymentSeq]);
    expect(await seqs({ userId, marketIds: [] })).toEqual([one.paymentSeq]);
    expect(await seqs({ userId, marketIds: null })).toEqual([one.paymentSeq]);
    expect((await seqs({ userId, marketIds: ['ONESTORE', 'AMAZON'] })).sort()).toEqual(
      [one.paymentSeq, amazon.paymentSeq].sort(),
    );
    expect(await seqs({ userId, marketId: 'AMAZON' })).toEqual([amazon.paymentSeq]);
    expect(await seqs({ userId: 'nobody' })).toEqual([]);
  });

  it('answers 1100 for a missing user or unknown store code, -4000001 for wrong types', async () => {
    const cases: [unknown, number][] = [
      [{}, 1100],
      [{ userId: '' }, 1100],
      [{ userId: 'u', marketIds: ['XX'] }, 1100],
      [{ userId: 'u', marketId: 'gg' }, 1100],
      [{ userId: 7 }, -4000001],
      [{ userId: 'u', marketIds: 'GG' }, -4000001],
      [{ userId: 'u', marketIds: [1] }, -4000001],
      ['not json', -4150001],
    ];
    for (const [body, code] of cases) expectGb(await post(`${BASE}/consumable`, body), code);
  });
});

describe('control API and demo', () => {
  it('creates apps and payments, shows and refunds them, and refuses bad input', async () => {
    const p = await pay({ paymentSeq: '2026010100000001', accessToken: 'fixed-token' });
    expect(p).toMatchObject({
      paymentSeq: '2026010100000001',
      accessToken: 'fixed-token',
      status: 'purchased',
    });
    const generated = await pay();
    expect(generated.paymentSeq).toMatch(/^\d{16}$/);
    expect(generated.accessToken).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    const shown = await h.control('GET', `/gamebase/payments/${p.paymentSeq}`);
    expect(shown).toMatchObject({ price: '1500', productType: 'CONSUMABLE', storeCode: 'GG' });
    const refunded = await h.control('POST', `/gamebase/payments/${p.paymentSeq}/refund`);
    expect(refunded.status).toBe('refunded');
    const consumed = await pay({ consumed: true });
    expectGb(
      await post(`${BASE}/consume`, { paymentSeq: consumed.paymentSeq, accessToken: consumed.accessToken }),
      5018,
    );
    const problem = async (method: string, path: string, body?: unknown) =>
      (
        await h.http(method, `/sandbox/v1${path}`, {
          headers: { 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        })
      ).status;
    expect(await problem('POST', '/gamebase/apps', { appId: 'a/b', secretKey: 'k' })).toBe(400);
    expect(await problem('POST', '/gamebase/apps', { appId: 'A', secretKey: 'with space' })).toBe(400);
    expect(
      await problem('POST', '/gamebase/payments', {
        appId: 'NOPE',
        userId: 'u',
        gamebaseProductId: 'p',
        price: '1',
        currency: 'KRW',
      }),
    ).toBe(404);
    expect(
      await problem('POST', '/gamebase/payments', {
        appId: APP,
        userId: 'u',
        gamebaseProductId: 'p',
        price: 1.5e-7,
        currency: 'KRW',
      }),
    ).toBe(400);
    expect(
      await problem('POST', '/gamebase/payments', {
        appId: APP,
        userId: 'u',
        gamebaseProductId: 'p',
        price: '1',
        currency: 'KRW',
        storeCode: 'XX',
      }),
    ).toBe(400);
    expect(await problem('GET', '/gamebase/payments/1')).toBe(404);
    expect(await problem('POST', `/gamebase/payments/${generated.paymentSeq}/explode`)).toBe(404);
  });

  it('lists the demo app and its payments, which work against the API', async () => {
    h.sandbox.reset({ demo: true });
    const demo = obj((await h.control('GET', '/demo')).gamebase);
    expect(demo).toMatchObject({
      appId: 'DEMOGBAP',
      secretKey: 'sandbox-gamebase-secret',
      userId: 'AS@DEMOUSER0001',
    });
    const payments = arr(demo.payments).map(obj);
    expect(payments.map((p) => p.paymentSeq)).toEqual([
      '2026112310000001',
      '2026112310000002',
      '2026112310000003',
      '2026112310000004',
    ]);
    const onestoreProducts = arr(obj((await h.control('GET', '/demo')).onestore).purchases).map(
      (p) => obj(p).productId,
    );
    for (const p of payments) expect(onestoreProducts).toContain(p.gamebaseProductId);
    const headers = { 'content-type': 'application/json', 'x-secret-key': DEMO_GAMEBASE.secretKey };
    const base = `/tcgb-inapp/v1.3/apps/${DEMO_GAMEBASE.appId}`;
    const list = expectGb(await post(`${base}/consumable`, { userId: DEMO_GAMEBASE.userId }, headers), 0);
    expect(arr(list.result)).toHaveLength(3);
    const [first] = payments;
    expectGb(
      await post(
        `${base}/consume`,
        { paymentSeq: first?.paymentSeq, accessToken: first?.accessToken },
        headers,
      ),
      0,
    );
    const after = arr(obj((await h.control('GET', '/demo')).gamebase).payments).map(obj);
    expect(after[0]?.status).toBe('consumed');
  });
});

describe("faults with phase 'after'", () => {
  const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);

  it('ONE store consume: consumed for real, then the connection is dropped', async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    const p = await buy(h, app, { developerPayload: 'order-1' });
    const created = await fault({
      endpoint: 'onestore.consumePurchase',
      phase: 'after',
      drop: true,
      count: 1,
    });
    expect(created).toMatchObject({ phase: 'after', drop: true });
    await expect(
      call(h, 'POST', pathOf(app, p, 'inapp', 'consume'), { token, body: { developerPayload: 'order-1' } }),
    ).rejects.toThrow();
    expect(await record(h, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
    const stats = (await h.stats()).endpoints['onestore.consumePurchase'];
    expect(stats).toEqual({ total: 1, byStatus: { dropped: 1 } });
  });

  it("ONE store consume with phase 'before' drops without consuming (today's behaviour)", async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    const p = await buy(h, app);
    await fault({ endpoint: 'onestore.consumePurchase', drop: true, count: 1 });
    await expect(call(h, 'POST', pathOf(app, p, 'inapp', 'consume'), { token, body: {} })).rejects.toThrow();
    expect(await record(h, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });

  it('NHN consume: consumed at once, answered late; the answer is the real one', async () => {
    const now = h.sandbox.clock.now();
    const { nhn } = h.sandbox.core;
    nhn.addApp({ appSeq: '1000047' });
    nhn.addItem({ appSeq: '1000047', itemName: 'gas', marketItemId: 'gas', itemSeq: 1032032 }, now);
    const payment = nhn.addPayment(
      { appSeq: '1000047', itemSeq: 1032032, userKey: 'u', price: '1000', currency: 'KRW' },
      now,
    );
    await fault({ endpoint: 'nhncloud.consume', phase: 'after', latencyMs: 400, count: 1 });
    const started = Date.now();
    const pending = h.http('POST', `/inapp/v3/consume/${payment.paymentSeq}/items/1032032`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purchaseToken: payment.purchaseToken }),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(payment.consumed).toBe(true);
    expectNhn(await pending, 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('Gamebase consume: consumed, then answered with an injected error or dropped', async () => {
    const p = await pay();
    const body = { paymentSeq: p.paymentSeq, accessToken: p.accessToken };
    await fault({ endpoint: 'gamebase.consume', phase: 'after', resultCode: -5000001, count: 1 });
    expectGb(await post(`${BASE}/consume`, body), -5000001);
    expectGb(await post(`${BASE}/consume`, body), 5018);
    const q = await pay();
    await fault({ endpoint: 'gamebase.consume', phase: 'after', drop: true, count: 1 });
    await expect(
      post(`${BASE}/consume`, { paymentSeq: q.paymentSeq, accessToken: q.accessToken }),
    ).rejects.toThrow();
    expect((await h.control('GET', `/gamebase/payments/${q.paymentSeq}`)).status).toBe('consumed');
    expect((await h.stats()).endpoints['gamebase.consume']?.byStatus).toEqual({ '200': 2, dropped: 1 });
  });

  it("a 'before' resultCode on Gamebase answers its envelope and changes nothing", async () => {
    const p = await pay();
    await fault({ endpoint: 'gamebase.consume', resultCode: 9999, count: 1 });
    const failed = expectGb(
      await post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }),
      9999,
    );
    expect(obj(failed.header).resultMessage).toBe('UNKNOWN ERROR');
    expectGb(await post(`${BASE}/consume`, { paymentSeq: p.paymentSeq, accessToken: p.accessToken }), 0);
  });

  it('maintenance covers Gamebase too, and bad phases are refused', async () => {
    await h.control('POST', '/maintenance', { on: true, store: 'gamebase' });
    expect((await transaction('x')).status).toBe(503);
    await h.control('POST', '/maintenance', { on: false, store: 'all' });
    const bad = await h.http('POST', '/sandbox/v1/faults', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'gamebase.consume', phase: 'later' }),
    });
    expect(bad.status).toBe(400);
  });
});
