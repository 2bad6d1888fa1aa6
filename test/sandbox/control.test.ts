import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { startHarness } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  type App,
  arr,
  buy,
  call,
  createApp,
  DAY_MS,
  expectError,
  expectNhn,
  expectSuccess,
  obj,
  type Purchase,
  pathOf,
  requestToken,
  tokenOf,
} from './helpers.js';

const h = useSandbox({ reset: true });

/** A control call whose answer the test inspects (the harness's `control` throws on >= 300). */
function ctl(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  return h.http(method, `/sandbox/v1${path}`, {
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function expectProblem(answer: HttpAnswer, status: number): void {
  expect(answer.status).toBe(status);
  expect(typeof obj(obj(answer.json).error).message).toBe('string');
}

async function purchase(): Promise<{ app: App; token: string; p: Purchase; path: string }> {
  const app = await createApp(h);
  const token = await tokenOf(h, app);
  const p = await buy(h, app);
  return { app, token, p, path: pathOf(app, p, 'inapp') };
}

describe('clock', () => {
  it('reads, advances and sets the sandbox time (ms or ISO)', async () => {
    const read = await h.control('GET', '/clock');
    expect(typeof read.now).toBe('number');
    expect(read.iso).toBe(new Date(Number(read.now)).toISOString());
    const set = await h.control('POST', '/clock', { set: Date.UTC(2030, 0, 1) });
    expect(Number(set.now)).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
    expect(Number(set.now)).toBeLessThan(Date.UTC(2030, 0, 1) + 60_000);
    const advanced = await h.control('POST', '/clock', { advanceMs: DAY_MS });
    expect(Number(advanced.now)).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 2));
    expect(Number(advanced.now)).toBeLessThan(Date.UTC(2030, 0, 2) + 60_000);
    const iso = await h.control('POST', '/clock', { set: '2031-06-15T00:00:00Z', advanceMs: 1000 });
    expect(String(iso.iso).startsWith('2031-06-15T00:00:01')).toBe(true);
    expect(Math.abs(h.sandbox.clock.now() - Date.UTC(2031, 5, 15, 0, 0, 1))).toBeLessThan(60_000);
  });

  it('moves token expiry and the 3-day rule through the HTTP control API', async () => {
    const { app, token, p, path } = await purchase();
    await h.control('POST', '/clock', { advanceMs: 3 * DAY_MS });
    expectError(await call(h, 'GET', path, { token }), 401, 'AccessTokenExpired');
    const fresh = await tokenOf(h, app);
    expect(obj((await call(h, 'GET', path, { token: fresh })).json).purchaseState).toBe(1);
    expect(await h.control('GET', `/onestore/purchases/${p.purchaseToken}`)).toMatchObject({
      purchaseState: 1,
      voidedTime: p.purchaseTime + 3 * DAY_MS,
    });
  });

  it('stops the clock with frozen: true (time moves only when set or advanced) and restarts it', async () => {
    const stopped = await h.control('POST', '/clock', { set: Date.UTC(2030, 0, 1), frozen: true });
    expect(stopped).toEqual({ now: Date.UTC(2030, 0, 1), iso: '2030-01-01T00:00:00.000Z', frozen: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await h.control('GET', '/clock')).now).toBe(Date.UTC(2030, 0, 1));
    expect((await h.control('POST', '/clock', { advanceMs: 1000 })).now).toBe(Date.UTC(2030, 0, 1, 0, 0, 1));
    const running = await h.control('POST', '/clock', { frozen: false });
    expect(running.frozen).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Number((await h.control('GET', '/clock')).now)).toBeGreaterThan(Date.UTC(2030, 0, 1, 0, 0, 1));
  });

  it('refuses malformed clock bodies with 400', async () => {
    for (const body of [
      { advanceMs: 'soon' },
      { advanceMs: 1.5 },
      { set: 'tomorrow' },
      { set: true },
      { frozen: 1 },
    ]) {
      expectProblem(await ctl('POST', '/clock', body), 400);
    }
  });
});

describe('reset', () => {
  it('empties the store and brings back the wall clock, faults, maintenance and counters', async () => {
    const { app, path, token } = await purchase();
    await h.control('POST', '/clock', { advanceMs: 10 * DAY_MS });
    await h.control('POST', '/faults', { endpoint: 'onestore.token', code: 'InternalError' });
    await h.control('POST', '/maintenance', { on: true, store: 'nhncloud' });
    await call(h, 'GET', path, { token });
    expect((await h.stats()).total).toBe(2); // the token request and the lookup
    expect(await h.control('POST', '/reset')).toEqual({ reset: true });
    expect(Math.abs(h.sandbox.clock.now() - Date.now())).toBeLessThan(60_000);
    expect(await h.control('GET', '/faults')).toEqual([]);
    expect((await h.stats()).total).toBe(0);
    // The app is gone; the token endpoint (no fault) says so.
    expectError(
      await requestToken(h, {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
      403,
      'UnauthorizedAccess',
    );
    expect((await h.http('GET', '/standard/item/list/1')).status).toBe(200);
  });

  it('loads the demo data on request', async () => {
    await h.control('POST', '/reset', { demo: true });
    const demo = await h.control('GET', '/demo');
    expect(obj(demo.onestore).clientId).toBe('com.example.demo.game');
    expectProblem(await ctl('POST', '/reset', { demo: 'yes' }), 400);
  });
});

describe('demo data', () => {
  it('lists nothing without demo data', async () => {
    const demo = await h.control('GET', '/demo');
    expect(demo.baseUrl).toBe(h.url);
    expect(obj(demo.onestore).purchases).toEqual([]);
    expect(obj(demo.nhncloud).payments).toEqual([]);
  });

  it('describes a demo that works against the store APIs', async () => {
    h.sandbox.reset({ demo: true });
    const demo = await h.control('GET', '/demo');
    const onestore = obj(demo.onestore);
    const purchases = arr(onestore.purchases).map(obj);
    expect(purchases).toHaveLength(16);
    expect(new Set(purchases.map((p) => p.type))).toEqual(new Set(['inapp', 'auto', 'subscription']));
    expect(purchases.every((p) => typeof p.note === 'string' && p.note !== '')).toBe(true);
    const app = { clientId: String(onestore.clientId), clientSecret: String(onestore.clientSecret) };
    const token = await tokenOf(h, app);
    const get = async (
      type: 'inapp' | 'auto' | 'subscription',
      productId: string,
      purchaseToken: string,
      market?: 'MKT_GLB',
    ) => {
      const answer = await call(
        h,
        'GET',
        `/v7/apps/${app.clientId}/purchases/${type}/products/${productId}/${purchaseToken}`,
        {
          token,
          ...(market && { market }),
        },
      );
      expect(answer.status).toBe(200);
      return obj(answer.json);
    };
    expect(await get('inapp', 'gem_100', 'DEMOINAPP00000000001')).toMatchObject({
      purchaseState: 0,
      acknowledgeState: 0,
      developerPayload: 'order-1001',
      quantity: 2,
    });
    expect(await get('inapp', 'gem_500', 'DEMOINAPP00000000003')).toMatchObject({ consumptionState: 1 });
    expect(await get('inapp', 'gem_100', 'DEMOINAPP00000000004')).toMatchObject({ purchaseState: 1 });
    expect(await get('inapp', 'gem_100', 'DEMOINAPP00000000005', 'MKT_GLB')).toMatchObject({
      purchaseState: 0,
    });
    expect(await get('auto', 'vip_monthly', 'DEMOAUTO000000000002')).toMatchObject({
      autoRenewing: false,
      cancelReason: 0,
    });
    expect(await get('subscription', 'pro_subscription', 'DEMOSUBS000000000005')).toMatchObject({
      autoRenewing: false,
      paymentState: null,
    });
    expect(await get('subscription', 'premium_global', 'DEMOSUBS000000000006', 'MKT_GLB')).toMatchObject({
      priceCurrencyCode: 'USD',
      priceAmount: '4.99',
    });
    expect(await get('subscription', 'pro_subscription', 'DEMOSUBS000000000007')).toMatchObject({
      paymentState: 0,
      autoRenewing: true,
    });
    expect(
      obj((await get('subscription', 'pro_subscription', 'DEMOSUBS000000000008')).priceChange),
    ).toMatchObject({ seq: 1, previousPrice: '4900', newPrice: '5900', agreement: false });
    expect(await get('subscription', 'pro_subscription', 'DEMOSUBS000000000009')).toMatchObject({
      paymentState: 2,
      priceAmount: '0',
      nextPriceAmount: '990',
      promotionPrice: { promotionPrice: '990', promotionPriceMicros: 990_000_000, promotionPeriod: 2 },
    });
    const voided = obj((await call(h, 'GET', `/v7/apps/${app.clientId}/voided-purchases`, { token })).json);
    expect(arr(voided.voidedPurchaseList).map((v) => obj(v).purchaseToken)).toEqual(['DEMOINAPP00000000004']);

    const nhn = obj(demo.nhncloud);
    expect(nhn.appSeq).toBe('1000272');
    expect(arr(nhn.payments).map((p) => obj(p).consumed)).toEqual([false, false, true]);
    // The NHN document's own consumable-list example finds the demo's unconsumed payments.
    const list = await h.http('POST', '/standard/inapp/v1/consumable/list', {
      headers: { 'content-type': 'application/json' },
      body: '{\n  "appSeq" : "1000272",\n  "userChannel" : "GF",\n  "userKey" : "tester"\n}',
    });
    expect(arr(expectNhn(list, 0).result).map((r) => obj(r).paymentSeq)).toEqual([
      '2016122110023124',
      '2016122110023125',
    ]);
  });
});

describe('ONE store apps and purchases', () => {
  it('creates apps (201), blocks them, and refuses bad bodies and unknown apps', async () => {
    const created = await ctl('POST', '/onestore/apps', { clientId: 'com.example.a', clientSecret: 's' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ clientId: 'com.example.a', clientSecret: 's' });
    expect((await ctl('POST', '/onestore/apps/com.example.a/block', { blocked: true })).json).toEqual({
      clientId: 'com.example.a',
      blocked: true,
    });
    expectProblem(await ctl('POST', '/onestore/apps/com.example.a/block', {}), 400);
    expectProblem(await ctl('POST', '/onestore/apps/no.such.app/block', { blocked: true }), 404);
    for (const body of [
      {},
      { clientId: '', clientSecret: 's' },
      { clientId: 'x'.repeat(129), clientSecret: 's' },
    ]) {
      expectProblem(await ctl('POST', '/onestore/apps', body), 400);
    }
  });

  it('switches ONE store token re-issue between the same text and a new text per request, until reset', async () => {
    const app = await createApp(h);
    const p = await buy(h, app, { acknowledged: true });
    expect((await ctl('GET', '/onestore/tokens')).json).toEqual({ reissue: 'same', issued: 0 });
    const first = await tokenOf(h, app);
    expect(await tokenOf(h, app)).toBe(first);

    expect((await ctl('POST', '/onestore/tokens', { reissue: 'new' })).json).toEqual({
      reissue: 'new',
      issued: 1,
    });
    const second = await tokenOf(h, app);
    const third = await tokenOf(h, app);
    expect(new Set([first, second, third]).size).toBe(3);
    expect((await ctl('GET', '/onestore/tokens')).json).toEqual({ reissue: 'new', issued: 3 });
    // Every text handed out stays valid until it expires.
    for (const token of [first, second, third]) {
      expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token })).status).toBe(200);
    }

    expect((await ctl('POST', '/onestore/tokens', { reissue: 'same' })).json).toEqual({
      reissue: 'same',
      issued: 3,
    });
    expect(await tokenOf(h, app)).toBe(third);
    expectProblem(await ctl('POST', '/onestore/tokens', { reissue: 'other' }), 400);
    expectProblem(await ctl('POST', '/onestore/tokens', {}), 400);

    await ctl('POST', '/onestore/tokens', { reissue: 'new' });
    h.sandbox.reset();
    expect((await ctl('GET', '/onestore/tokens')).json).toEqual({ reissue: 'same', issued: 0 });
  });

  it('starts with a new text per token request when the sandbox is started with onestoreTokenReissue "new"', async () => {
    const other = await startHarness({ onestoreTokenReissue: 'new' });
    try {
      const app = { clientId: 'com.example.fresh', clientSecret: 's' };
      await other.control('POST', '/onestore/apps', app);
      const a = await tokenOf(other, app);
      const b = await tokenOf(other, app);
      expect(b).not.toBe(a);
      other.sandbox.reset();
      expect(await other.control('GET', '/onestore/tokens')).toEqual({ reissue: 'new', issued: 0 });
    } finally {
      await other.close();
    }
  });

  it('creates purchases (201) and refuses bad ones', async () => {
    const app = await createApp(h);
    const created = await ctl('POST', '/onestore/purchases', {
      clientId: app.clientId,
      productId: 'p',
      type: 'inapp',
    });
    expect(created.status).toBe(201);
    expect(obj(created.json)).toMatchObject({
      purchaseToken: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      purchaseId: expect.stringMatching(/^\d{20}$/),
      orderId: expect.any(String),
      market: 'MKT_ONE',
      quantity: 1,
      purchaseState: 0,
    });
    expectProblem(
      await ctl('POST', '/onestore/purchases', { clientId: 'nope', productId: 'p', type: 'inapp' }),
      404,
    );
    for (const body of [
      { clientId: app.clientId, productId: 'p', type: 'lifetime' },
      { clientId: app.clientId, productId: 'p', type: 'inapp', market: 'MKT_US' },
      { clientId: app.clientId, productId: 'p', type: 'inapp', quantity: 0 },
      { clientId: app.clientId, productId: 'p'.repeat(151), type: 'inapp' },
      { clientId: app.clientId, type: 'inapp' },
      { clientId: app.clientId, productId: 'p', type: 'subscription', price: 'free' },
    ]) {
      expectProblem(await ctl('POST', '/onestore/purchases', body), 400);
    }
  });

  it('reads a stored purchase and applies store-side actions', async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    const p = await buy(h, app);
    expect(await h.control('GET', `/onestore/purchases/${p.purchaseToken}`)).toMatchObject({
      purchaseToken: p.purchaseToken,
      type: 'inapp',
    });
    const voided = await h.control('POST', `/onestore/purchases/${p.purchaseToken}/void`);
    expect(voided).toMatchObject({ purchaseState: 1 });
    expect(typeof voided.voidedTime).toBe('number');
    const monthly = await buy(h, app, {
      type: 'auto',
      productId: 'vip',
      acknowledged: true,
      market: 'MKT_GLB',
    });
    const renewed = await h.control('POST', `/onestore/purchases/${monthly.purchaseToken}/renew`);
    expect(renewed.expiryTime).toBe(monthly.purchaseTime + 60 * DAY_MS - 1);
    const details = obj(
      (await call(h, 'GET', pathOf(app, monthly, 'auto'), { token, market: 'MKT_GLB' })).json,
    );
    expect(details.lastPurchaseId).toBe(renewed.lastPurchaseId);
    expect(await h.control('POST', `/onestore/purchases/${monthly.purchaseToken}/expire`)).toMatchObject({
      autoRenewing: false,
    });
    const sub = await buy(h, app, { type: 'subscription', productId: 'pro' });
    expect(await h.control('POST', `/onestore/purchases/${sub.purchaseToken}/hold`)).toMatchObject({
      status: 'onHold',
      paymentState: 0,
    });
    expectProblem(await ctl('POST', `/onestore/purchases/${sub.purchaseToken}/pause`), 400);
    expectProblem(await ctl('POST', `/onestore/purchases/${p.purchaseToken}/pause`), 400);
    expectProblem(await ctl('POST', `/onestore/purchases/${p.purchaseToken}/explode`), 404);
    expectProblem(await ctl('GET', '/onestore/purchases/SANDBOXT999999999999'), 404);
    const fresh = await buy(h, app, { type: 'subscription', productId: 'pro' });
    expectProblem(await ctl('POST', `/onestore/purchases/${fresh.purchaseToken}/pause`, { days: 0 }), 400);
  });
});

describe('NHN apps, items and payments', () => {
  it('creates them (201) and refuses unknown references and bad bodies', async () => {
    const app = await ctl('POST', '/nhncloud/apps', {});
    expect(app.status).toBe(201);
    const appSeq = String(obj(app.json).appSeq);
    expect(appSeq).toMatch(/^\d+$/);
    const item = await ctl('POST', '/nhncloud/items', { appSeq, itemName: 'Gas', marketItemId: 'gas' });
    expect(item.status).toBe(201);
    const itemSeq = Number(obj(item.json).itemSeq);
    const payment = await ctl('POST', '/nhncloud/payments', {
      appSeq,
      itemSeq,
      userKey: 'u',
      price: 1.5,
      currency: 'USD',
    });
    expect(payment.status).toBe(201);
    expect(obj(payment.json)).toMatchObject({ userChannel: 'GF', price: '1.5', consumed: false });
    expectProblem(
      await ctl('POST', '/nhncloud/items', { appSeq: '42', itemName: 'x', marketItemId: 'x' }),
      404,
    );
    expectProblem(
      await ctl('POST', '/nhncloud/payments', {
        appSeq,
        itemSeq: 1,
        userKey: 'u',
        price: '1',
        currency: 'KRW',
      }),
      404,
    );
    expectProblem(await ctl('POST', '/nhncloud/apps', { appSeq: 'abc' }), 400);
    expectProblem(
      await ctl('POST', '/nhncloud/payments', { appSeq, itemSeq, userKey: 'u', price: '1', currency: 'won' }),
      400,
    );
  });
});

describe('faults', () => {
  it('answers a ONE store code at its status, or at the given status, for the next N requests', async () => {
    const { path, token } = await purchase();
    const fault = await ctl('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'InternalError',
      count: 2,
    });
    expect(fault.status).toBe(201);
    expect(typeof obj(fault.json).id).toBe('number');
    expectError(
      await call(h, 'GET', path, { token }),
      500,
      'InternalError',
      'An undefined error has occurred.',
    );
    expectError(await call(h, 'GET', path, { token }), 500, 'InternalError');
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
    expect(await h.control('GET', '/faults')).toEqual([]);
    await h.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'ServiceMaintenance',
      status: 502,
      count: 1,
    });
    expectError(
      await call(h, 'GET', path, { token }),
      502,
      'ServiceMaintenance',
      'System maintenance is in progress.',
    );
    await h.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'SomethingNew',
      count: 1,
    });
    const custom = await call(h, 'GET', path, { token });
    expect(custom.status).toBe(500);
    expect(custom.json).toEqual({ error: { code: 'SomethingNew', message: 'Injected fault.' } });
  });

  it('answers an HTML error page for a status alone, as a proxy would', async () => {
    const { path, token } = await purchase();
    await h.control('POST', '/faults', { endpoint: '*', status: 502, count: 1 });
    const answer = await call(h, 'GET', path, { token });
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.json).toBeUndefined();
    expect(answer.text).toContain('502');
  });

  it('answers an NHN result code in an HTTP 200 envelope', async () => {
    await h.control('POST', '/faults', { endpoint: 'nhncloud.consume', resultCode: 5000, count: 1 });
    await h.control('POST', '/faults', { endpoint: 'nhncloud.itemList', resultCode: 9999, count: 1 });
    const consume = await h.http('POST', '/inapp/v3/consume/1/items/2', {
      headers: { 'content-type': 'application/json' },
      body: '{"purchaseToken":"t"}',
    });
    expect(consume.json).toEqual({
      header: { isSuccessful: false, resultCode: 5000, resultMessage: 'CONSUME_FAILED' },
      result: null,
    });
    const items = expectNhn(await h.http('GET', '/standard/item/list/1'), 9999);
    expect(obj(items.header).resultMessage).toBe('UNKNOWN_ERROR');
  });

  it('drops the connection and counts it as "dropped"', async () => {
    const { app } = await purchase();
    await h.control('POST', '/faults', { endpoint: 'onestore.token', drop: true, count: 1 });
    const form = {
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    };
    await expect(requestToken(h, form)).rejects.toThrow();
    expect((await requestToken(h, form)).status).toBe(200);
    const stats = await h.stats();
    expect(stats.endpoints['onestore.token']?.byStatus).toEqual({ dropped: 1, '200': 2 });
    expect(stats.byStatus.dropped).toBe(1);
  });

  it('adds latency without changing the answer, and a rate of 0 never applies', async () => {
    const { path, token } = await purchase();
    await h.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', latencyMs: 30, count: 1 });
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
    await h.control('POST', '/faults', { endpoint: '*', code: 'InternalError', rate: 0 });
    for (let i = 0; i < 10; i++) expect((await call(h, 'GET', path, { token })).status).toBe(200);
    expect(arr(await h.control('GET', '/faults'))).toHaveLength(1);
  });

  it('applies "*" to every store endpoint but never to the control API; faults can be removed', async () => {
    const { path, token } = await purchase();
    const fault = await h.control('POST', '/faults', { endpoint: '*', code: 'AccessBlocked' });
    expectError(await call(h, 'GET', path, { token }), 403, 'AccessBlocked');
    expectError(await call(h, 'GET', '/v7/nowhere', {}), 403, 'AccessBlocked');
    expect((await ctl('GET', '/clock')).status).toBe(200);
    expect((await ctl('DELETE', `/faults/${String(fault.id)}`)).json).toEqual({ removed: true });
    expectProblem(await ctl('DELETE', `/faults/${String(fault.id)}`), 404);
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
    await h.control('POST', '/faults', { endpoint: '*', code: 'AccessBlocked' });
    expect((await ctl('DELETE', '/faults')).json).toEqual([]);
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
  });

  it('adds Retry-After to a fault answer, and cuts an answer in half: its own or, after handling, the real one', async () => {
    const { app, p, path, token } = await purchase();
    await h.control('POST', '/faults', { endpoint: '*', status: 503, retryAfterSeconds: 30, count: 1 });
    const unavailable = await call(h, 'GET', path, { token });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('30');
    expect(unavailable.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // After handling: the consume applies, and its 200 answer arrives with half its JSON.
    await h.control('POST', '/faults', {
      endpoint: 'onestore.consumePurchase',
      phase: 'after',
      cut: true,
      count: 1,
    });
    const cut = await call(h, 'POST', pathOf(app, p, 'inapp', 'consume'), { token });
    expect(cut.status).toBe(200);
    const whole = JSON.stringify({
      result: { code: 'Success', message: 'Request has been completed successfully.' },
    });
    expect(cut.text).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(Number(cut.headers.get('content-length'))).toBe(cut.text.length);
    expect(await h.control('GET', `/onestore/purchases/${p.purchaseToken}`)).toMatchObject({
      consumptionState: 1,
    });
    // Its own answer, cut: an NHN envelope stopping mid-way.
    await h.control('POST', '/faults', {
      endpoint: 'nhncloud.consume',
      resultCode: 5000,
      cut: true,
      count: 1,
    });
    const consume = await h.http('POST', '/inapp/v3/consume/1/items/2', {
      headers: { 'content-type': 'application/json' },
      body: '{"purchaseToken":"t"}',
    });
    expect(consume.status).toBe(200);
    expect(consume.json).toBeUndefined();
    expect(consume.text.startsWith('{"header":{')).toBe(true);
    expect(await h.control('GET', '/faults')).toEqual([]);
  });

  it('refuses bad fault bodies with 400', async () => {
    for (const body of [
      { latencyMs: -1 },
      { status: 99 },
      { rate: 2 },
      { count: 0 },
      { drop: 'yes' },
      { endpoint: '' },
      { retryAfterSeconds: -1 },
      { cut: 1 },
      '[1]',
      '{"endpoint":',
    ]) {
      expectProblem(await ctl('POST', '/faults', body), 400);
    }
  });
});

describe('stats', () => {
  it('counts store requests per endpoint and status, never control calls, and can be cleared', async () => {
    const { app, p, path, token } = await purchase();
    await call(h, 'GET', path, { token });
    await call(h, 'GET', path, { token: 'nope' });
    expectSuccess(await call(h, 'POST', pathOf(app, p, 'inapp', 'consume'), { token }));
    await h.http('GET', '/nowhere');
    await h.http('GET', '/standard/item/list/1');
    await h.control('GET', '/clock');
    const stats = await h.stats();
    expect(stats).toEqual({
      // The token request of purchase() counts too.
      total: 6,
      byStatus: { '200': 4, '401': 1, '404': 1 },
      endpoints: {
        'onestore.token': { total: 1, byStatus: { '200': 1 } },
        'onestore.getPurchaseDetails': { total: 2, byStatus: { '200': 1, '401': 1 } },
        'onestore.consumePurchase': { total: 1, byStatus: { '200': 1 } },
        unmatched: { total: 1, byStatus: { '404': 1 } },
        'nhncloud.itemList': { total: 1, byStatus: { '200': 1 } },
      },
      // No notification URL is set: no payment notification was sent.
      notifications: { sent: 0, delivered: 0, failed: 0, attempts: 0 },
    });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(2);
    expect(await h.count('onestore.getVoidedPurchases')).toBe(0);
    expect(await h.control('DELETE', '/stats')).toEqual({
      total: 0,
      byStatus: {},
      endpoints: {},
      notifications: { sent: 0, delivered: 0, failed: 0, attempts: 0 },
    });
    expect(h.sandbox.stats().total).toBe(0);
  });
});

describe('maintenance', () => {
  it('answers ServiceMaintenance 503 with Retry-After on ONE store, an HTML 503 on NHN', async () => {
    const { path, token } = await purchase();
    expect(
      await h.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 120 }),
    ).toEqual({
      on: true,
      store: 'onestore',
      retryAfterSeconds: 120,
    });
    const down = await call(h, 'GET', path, { token });
    expectError(down, 503, 'ServiceMaintenance', 'System maintenance is in progress.');
    expect(down.headers.get('retry-after')).toBe('120');
    expect((await h.http('GET', '/standard/item/list/1')).status).toBe(200);
    await h.control('POST', '/maintenance', { on: true, store: 'nhncloud' });
    const nhn = await h.http('GET', '/standard/item/list/1');
    expect(nhn.status).toBe(503);
    expect(nhn.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(nhn.headers.get('retry-after')).toBeNull();
    // Maintenance wins over faults.
    await h.control('POST', '/faults', { endpoint: '*', code: 'InternalError' });
    expectError(await call(h, 'GET', path, { token }), 503, 'ServiceMaintenance');
    await h.control('DELETE', '/faults');
    await h.control('POST', '/maintenance', { on: false });
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
    expect((await h.http('GET', '/standard/item/list/1')).status).toBe(200);
    expect((await h.stats()).byStatus['503']).toBe(3);
  });

  it('refuses bad maintenance bodies with 400', async () => {
    for (const body of [
      {},
      { on: 'yes' },
      { on: true, store: 'google' },
      { on: true, retryAfterSeconds: -5 },
    ]) {
      expectProblem(await ctl('POST', '/maintenance', body), 400);
    }
  });
});

describe('the control API itself', () => {
  it('answers 404 for unknown endpoints, 400 for malformed JSON and 413 for bodies over 64 KiB', async () => {
    expectProblem(await ctl('GET', '/nothing'), 404);
    expectProblem(await ctl('PUT', '/clock', {}), 404);
    expectProblem(await ctl('POST', '/clock', '{"advanceMs":'), 400);
    expectProblem(await ctl('POST', '/clock', '[1]'), 400);
    expectProblem(
      await ctl('POST', '/onestore/apps', { clientId: 'x', clientSecret: 'y'.repeat(70_000) }),
      413,
    );
    expect(await h.count('unmatched')).toBe(0);
  });
});
