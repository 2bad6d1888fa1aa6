import { beforeEach, describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  type App,
  arr,
  buy,
  call,
  createApp,
  DAY_MS,
  errorOf,
  expectError,
  expectSuccess,
  HOUR_MS,
  KST_MS,
  obj,
  type ProductType,
  type Purchase,
  pathOf,
  productPath,
  record,
  signedInApp,
  tokenOf,
} from './helpers.js';

const h = useSandbox({ reset: true });
let app: App;
let token: string;

beforeEach(async () => {
  ({ app, token } = await signedInApp(h));
});

/** A change of the purchase (acknowledge, consume) with the test's token; `body` is sent when given. */
function change(p: Purchase, type: ProductType, action: string, body?: unknown): Promise<HttpAnswer> {
  return call(h, 'POST', pathOf(app, p, type, action), { token, ...(body !== undefined && { body }) });
}

describe('getPurchaseDetails', () => {
  it('answers the fields of the document for a managed purchase', async () => {
    const p = await buy(h, app, {
      productId: 'product01',
      developerPayload: 'developerPayload',
      quantity: 2,
    });
    const answer = await call(h, 'GET', pathOf(app, p, 'inapp'), { token, market: 'MKT_GLB' });
    // Bought under MKT_ONE: another market does not see it.
    expectError(answer, 404, 'NoSuchData', 'The requested data could not be found.');
    const details = await call(h, 'GET', pathOf(app, p, 'inapp'), { token });
    expect(details.status).toBe(200);
    expect(details.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(details.json).toEqual({
      consumptionState: 0,
      developerPayload: 'developerPayload',
      purchaseState: 0,
      purchaseTime: p.purchaseTime + KST_MS,
      purchaseId: p.purchaseId,
      acknowledgeState: 0,
      quantity: 2,
    });
    expect(p.purchaseId).toMatch(/^\d{20}$/);
    expect(p.purchaseToken).toHaveLength(20);
  });

  it('writes times as KST wall clock under MKT_ONE (default and explicit) and as epoch under MKT_GLB', async () => {
    const purchaseTime = Date.UTC(2025, 0, 15, 3, 0, 0);
    h.sandbox.clock.set(purchaseTime + HOUR_MS);
    const one = await buy(h, app, { purchaseTime, acknowledged: true });
    const glb = await buy(h, app, { purchaseTime, acknowledged: true, market: 'MKT_GLB' });
    const byDefault = obj((await call(h, 'GET', pathOf(app, one, 'inapp'), { token })).json);
    const explicit = obj(
      (await call(h, 'GET', pathOf(app, one, 'inapp'), { token, market: 'MKT_ONE' })).json,
    );
    const global = obj((await call(h, 'GET', pathOf(app, glb, 'inapp'), { token, market: 'MKT_GLB' })).json);
    expect(byDefault.purchaseTime).toBe(Date.UTC(2025, 0, 15, 12, 0, 0));
    expect(explicit.purchaseTime).toBe(Date.UTC(2025, 0, 15, 12, 0, 0));
    expect(global.purchaseTime).toBe(purchaseTime);
  });

  it('answers NoSuchData for an unknown token, another product, another app or a token of another type', async () => {
    const p = await buy(h, app);
    const monthly = await buy(h, app, { type: 'auto', productId: 'vip' });
    const subscription = await buy(h, app, { type: 'subscription', productId: 'pro' });
    const cases = [
      productPath(app.clientId, 'inapp', p.productId, 'SANDBOXT999999999999'),
      productPath(app.clientId, 'inapp', 'other_product', p.purchaseToken),
      pathOf(app, monthly, 'inapp'),
      pathOf(app, subscription, 'inapp'),
    ];
    for (const path of cases) expectError(await call(h, 'GET', path, { token }), 404, 'NoSuchData');
    // The managed token on the monthly endpoint, and on the subscription endpoint.
    expectError(await call(h, 'GET', pathOf(app, p, 'auto'), { token }), 404, 'NoSuchData');
    expectError(await call(h, 'GET', pathOf(app, p, 'subscription'), { token }), 404, 'NoSuchData');
    // Another app's purchase under this app's id.
    const other = await createApp(h);
    const theirs = await buy(h, other);
    expectError(await call(h, 'GET', pathOf(app, theirs, 'inapp'), { token }), 404, 'NoSuchData');
  });
});

describe('acknowledgePurchase', () => {
  it("acknowledges with the document's example body and answers Success", async () => {
    const p = await buy(h, app, { developerPayload: 'your payload' });
    const answer = await call(h, 'POST', pathOf(app, p, 'all', 'acknowledge'), {
      token,
      rawBody: '{\n    "developerPayload": "your payload"\n}',
    });
    expectSuccess(answer);
    const details = obj((await call(h, 'GET', pathOf(app, p, 'inapp'), { token })).json);
    expect(details).toMatchObject({ acknowledgeState: 1, consumptionState: 0, purchaseState: 0 });
  });

  it('accepts an empty body or no developerPayload, and a second acknowledge is Success too', async () => {
    const p = await buy(h, app, { developerPayload: 'order-1' });
    expectSuccess(await change(p, 'all', 'acknowledge'));
    expectSuccess(await change(p, 'all', 'acknowledge', {}));
    expectSuccess(await change(p, 'all', 'acknowledge', { developerPayload: null }));
    expect(await record(h, p.purchaseToken)).toMatchObject({ acknowledgeState: 1 });
  });

  it('acknowledges a monthly product through purchases/all', async () => {
    const monthly = await buy(h, app, { type: 'auto', productId: 'vip' });
    expectSuccess(await change(monthly, 'all', 'acknowledge'));
    const details = obj((await call(h, 'GET', pathOf(app, monthly, 'auto'), { token })).json);
    expect(details.acknowledgeState).toBe(1);
  });

  it('answers DeveloperPayloadNotMatch when the payload differs, and changes nothing', async () => {
    const p = await buy(h, app, { developerPayload: 'order-1' });
    expectError(
      await change(p, 'all', 'acknowledge', { developerPayload: 'order-2' }),
      400,
      'DeveloperPayloadNotMatch',
      'The request developerPayload does not match the value passed in the purchase request.',
    );
    expect(await record(h, p.purchaseToken)).toMatchObject({ acknowledgeState: 0 });
  });

  it('answers InvalidRequest for a developerPayload that is not a string of at most 200', async () => {
    const p = await buy(h, app);
    for (const developerPayload of [42, 'x'.repeat(201), { a: 1 }]) {
      expectError(
        await change(p, 'all', 'acknowledge', { developerPayload }),
        400,
        'InvalidRequest',
        'Request parameters are invalid. [ developerPayload ]',
      );
    }
  });

  it('answers InvalidPurchaseState for unknown, voided, other-market and subscription purchases', async () => {
    const voided = await buy(h, app);
    await h.control('POST', `/onestore/purchases/${voided.purchaseToken}/void`);
    const global = await buy(h, app, { market: 'MKT_GLB' });
    const subscription = await buy(h, app, { type: 'subscription', productId: 'pro' });
    const paths = [
      productPath(app.clientId, 'all', 'gem_100', 'SANDBOXT999999999999', 'acknowledge'),
      pathOf(app, voided, 'all', 'acknowledge'),
      pathOf(app, global, 'all', 'acknowledge'),
      pathOf(app, subscription, 'all', 'acknowledge'),
    ];
    for (const path of paths) {
      expectError(
        await call(h, 'POST', path, { token }),
        409,
        'InvalidPurchaseState',
        'Purchase history does not exist or is not completed.',
      );
    }
    // The same global purchase is found under its own market.
    expectSuccess(
      await call(h, 'POST', pathOf(app, global, 'all', 'acknowledge'), { token, market: 'MKT_GLB' }),
    );
  });
});

describe('consumePurchase', () => {
  it("consumes with the document's example body; the purchase is then consumed and acknowledged", async () => {
    const p = await buy(h, app, { developerPayload: 'your payload' });
    expectSuccess(await change(p, 'inapp', 'consume', { developerPayload: 'your payload' }));
    const details = obj((await call(h, 'GET', pathOf(app, p, 'inapp'), { token })).json);
    expect(details).toMatchObject({ consumptionState: 1, acknowledgeState: 1, purchaseState: 0 });
  });

  it('answers InvalidConsumeState for a second consume and for a purchase bought consumed', async () => {
    const p = await buy(h, app);
    expectSuccess(await change(p, 'inapp', 'consume'));
    expectError(
      await change(p, 'inapp', 'consume'),
      409,
      'InvalidConsumeState',
      'The purchase consumption status cannot be changed or has already been changed.',
    );
    const consumed = await buy(h, app, { consumed: true });
    expectError(await change(consumed, 'inapp', 'consume'), 409, 'InvalidConsumeState');
    // Acknowledging a consumed purchase changes nothing and is Success.
    expectSuccess(await change(consumed, 'all', 'acknowledge'));
  });

  it('consumes an acknowledged purchase', async () => {
    const p = await buy(h, app, { acknowledged: true });
    expectSuccess(await change(p, 'inapp', 'consume'));
    expect(await record(h, p.purchaseToken)).toMatchObject({ consumptionState: 1, acknowledgeState: 1 });
  });

  it('answers DeveloperPayloadNotMatch before looking at the consumption state', async () => {
    const p = await buy(h, app, { developerPayload: 'order-1' });
    const path = pathOf(app, p, 'inapp', 'consume');
    expectError(
      await call(h, 'POST', path, { token, body: { developerPayload: '' } }),
      400,
      'DeveloperPayloadNotMatch',
    );
    expectSuccess(await call(h, 'POST', path, { token, body: { developerPayload: 'order-1' } }));
    expectError(
      await call(h, 'POST', path, { token, body: { developerPayload: 'x' } }),
      400,
      'DeveloperPayloadNotMatch',
    );
  });

  it('answers InvalidPurchaseState for unknown, voided and monthly purchases', async () => {
    const voided = await buy(h, app);
    await h.control('POST', `/onestore/purchases/${voided.purchaseToken}/void`);
    const monthly = await buy(h, app, { type: 'auto', productId: 'vip' });
    for (const path of [
      productPath(app.clientId, 'inapp', 'gem_100', 'SANDBOXT999999999999', 'consume'),
      pathOf(app, voided, 'inapp', 'consume'),
      pathOf(app, monthly, 'inapp', 'consume'),
    ]) {
      expectError(await call(h, 'POST', path, { token }), 409, 'InvalidPurchaseState');
    }
  });

  it('lets exactly one of 100 concurrent consumes of one purchase succeed', async () => {
    const p = await buy(h, app);
    const path = pathOf(app, p, 'inapp', 'consume');
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => call(h, 'POST', path, { token, body: {} })),
    );
    const codes = answers.map((a) => (a.status === 200 ? obj(obj(a.json).result).code : errorOf(a).code));
    expect(codes.filter((c) => c === 'Success')).toHaveLength(1);
    expect(codes.filter((c) => c === 'InvalidConsumeState')).toHaveLength(99);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(99);
    expect(await h.count('onestore.consumePurchase')).toBe(100);
  });
});

describe('request bodies', () => {
  it('answers BadRequest for malformed JSON, a non-object body and a body over 64 KiB, never hanging', async () => {
    const p = await buy(h, app);
    const path = pathOf(app, p, 'inapp', 'consume');
    for (const rawBody of ['{"developerPayload":', 'not json', '[1,2]', '"text"', 'null']) {
      expectError(
        await call(h, 'POST', path, { token, rawBody }),
        400,
        'BadRequest',
        'The request are invalid. [ body ]',
      );
    }
    const big = await call(h, 'POST', path, { token, body: { developerPayload: 'x'.repeat(70_000) } });
    expectError(big, 400, 'BadRequest');
    expect(String(errorOf(big).message)).toContain('65536');
    // Nothing was consumed by the refused requests.
    expectSuccess(await call(h, 'POST', path, { token }));
  });
});

describe('the 3-day acknowledgement rule', () => {
  it('cancels an untouched purchase 3 days after it was bought, voidedTime = purchaseTime + 3 days', async () => {
    const now = h.sandbox.clock.now();
    const purchaseTime = now - 3 * DAY_MS + 60_000;
    const p = await buy(h, app, { purchaseTime });
    const path = pathOf(app, p, 'inapp');
    expect(obj((await call(h, 'GET', path, { token })).json).purchaseState).toBe(0);
    h.sandbox.clock.advance(120_000);
    const details = obj((await call(h, 'GET', path, { token, market: 'MKT_ONE' })).json);
    expect(details.purchaseState).toBe(1);
    const voided = obj((await call(h, 'GET', `/v7/apps/${app.clientId}/voided-purchases`, { token })).json);
    expect(voided.voidedPurchaseList).toEqual([
      {
        purchaseId: p.purchaseId,
        purchaseTime: purchaseTime + KST_MS,
        voidedTime: purchaseTime + 3 * DAY_MS + KST_MS,
        purchaseToken: p.purchaseToken,
        marketCode: 'MKT_ONE',
      },
    ]);
    // Too late now.
    expectError(await change(p, 'all', 'acknowledge'), 409, 'InvalidPurchaseState');
    expectError(await change(p, 'inapp', 'consume'), 409, 'InvalidPurchaseState');
  });

  it('keeps consumed and acknowledged purchases, and cancels an unacknowledged monthly product', async () => {
    const consumed = await buy(h, app);
    const acknowledged = await buy(h, app);
    const untouched = await buy(h, app);
    const monthly = await buy(h, app, { type: 'auto', productId: 'vip' });
    const monthlyAck = await buy(h, app, { type: 'auto', productId: 'vip', acknowledged: true });
    expectSuccess(await change(consumed, 'inapp', 'consume'));
    expectSuccess(await change(acknowledged, 'all', 'acknowledge'));
    h.sandbox.clock.advance(3 * DAY_MS + 1000);
    const fresh = await tokenOf(h, app);
    const state = async (p: typeof consumed) =>
      obj((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: fresh })).json).purchaseState;
    expect(await state(consumed)).toBe(0);
    expect(await state(acknowledged)).toBe(0);
    expect(await state(untouched)).toBe(1);
    const m = obj((await call(h, 'GET', pathOf(app, monthly, 'auto'), { token: fresh })).json);
    expect(m).toMatchObject({ lastPurchaseState: 1, autoRenewing: false, cancelReason: 1 });
    const mAck = obj((await call(h, 'GET', pathOf(app, monthlyAck, 'auto'), { token: fresh })).json);
    expect(mAck).toMatchObject({ lastPurchaseState: 0, autoRenewing: true });
    const voided = obj(
      (await call(h, 'GET', `/v7/apps/${app.clientId}/voided-purchases`, { token: fresh })).json,
    );
    const tokens = arr(voided.voidedPurchaseList).map((v) => obj(v).purchaseToken);
    expect(tokens.sort()).toEqual([untouched.purchaseToken, monthly.purchaseToken].sort());
  });

  it('cancels at once a purchase created more than 3 days in the past', async () => {
    const p = await buy(h, app, { purchaseTime: h.sandbox.clock.now() - 4 * DAY_MS, market: 'MKT_GLB' });
    const details = obj((await call(h, 'GET', pathOf(app, p, 'inapp'), { token, market: 'MKT_GLB' })).json);
    expect(details.purchaseState).toBe(1);
    expect(details.purchaseTime).toBe(p.purchaseTime);
  });
});
