import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  type App,
  buy,
  call,
  createApp,
  expectError,
  FORM_TYPE,
  obj,
  pathOf,
  productPath,
  requestToken,
  tokenOf,
} from './helpers.js';

const h = useSandbox({ reset: true });

const credentials = (app: App) => ({
  grant_type: 'client_credentials',
  client_id: app.clientId,
  client_secret: app.clientSecret,
});

/** Asserts each token request's refusal in order: status, code, and the message where one is given. */
async function expectTokenRefusals(
  refusals: [form: Record<string, string>, status: number, code: string, message?: string][],
): Promise<void> {
  for (const [form, status, code, message] of refusals) {
    expectError(await requestToken(h, form), status, code, message);
  }
}

describe('POST /v7/oauth/token', () => {
  it("answers the document's own example request (form with charset, x-market-code MKT_GLB)", async () => {
    await h.control('POST', '/onestore/apps', {
      clientId: 'com.onestore.game.goindol',
      clientSecret: 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=',
    });
    const answer = await h.http('POST', '/v7/oauth/token', {
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
        'x-market-code': 'MKT_GLB',
      },
      // Exactly the document's body: '/' and '=' of the secret are not percent-encoded.
      body: 'grant_type=client_credentials&client_id=com.onestore.game.goindol&client_secret=vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = obj(answer.json);
    expect(body).toEqual({
      client_id: 'com.onestore.game.goindol',
      access_token: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'DEFAULT',
    });
    expect(String(body.access_token)).toHaveLength(36);
  });

  it("answers the document's curl example (form without charset, fields in curl's order)", async () => {
    await h.control('POST', '/onestore/apps', {
      clientId: '0000000001',
      clientSecret: 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=',
    });
    const answer = await h.http('POST', '/v7/oauth/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-market-code': 'MKT_GLB' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: '0000000001',
        client_secret: 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=',
      }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(obj(answer.json)).toMatchObject({
      client_id: '0000000001',
      token_type: 'bearer',
      expires_in: 3600,
    });
  });

  it('hands out the same token while 600 s or more are left, with expires_in the time remaining', async () => {
    const app = await createApp(h);
    const first = obj((await requestToken(h, credentials(app))).json);
    h.sandbox.clock.advance(1_000_000);
    const again = obj((await requestToken(h, credentials(app))).json);
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBeGreaterThanOrEqual(2590);
    expect(again.expires_in).toBeLessThanOrEqual(2600);
    // 660 s left: still the same token.
    h.sandbox.clock.advance(1_940_000);
    const late = obj((await requestToken(h, credentials(app))).json);
    expect(late.access_token).toBe(first.access_token);
    expect(late.expires_in).toBeGreaterThanOrEqual(650);
    expect(late.expires_in).toBeLessThanOrEqual(660);
    expect(h.sandbox.core.onestore.tokens.issuedCount).toBe(1);
  });

  it('issues a new token with fewer than 600 s left; the old one stays valid until it expires', async () => {
    const app = await createApp(h);
    const p = await buy(h, app, { acknowledged: true });
    const old = await tokenOf(h, app);
    h.sandbox.clock.advance(3_002_000); // 598 s left
    const renewed = obj((await requestToken(h, credentials(app))).json);
    expect(renewed.access_token).not.toBe(old);
    expect(renewed.expires_in).toBe(3600);
    const fresh = String(renewed.access_token);
    // Several tokens are live at once.
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: old })).status).toBe(200);
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: fresh })).status).toBe(200);
    h.sandbox.clock.advance(600_000);
    expectError(
      await call(h, 'GET', pathOf(app, p, 'inapp'), { token: old }),
      401,
      'AccessTokenExpired',
      'Access token has expired.',
    );
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: fresh })).status).toBe(200);
  });

  it('lives 3600 s: afterwards AccessTokenExpired, and asking again gives a new token', async () => {
    const app = await createApp(h);
    const p = await buy(h, app);
    const token = await tokenOf(h, app);
    h.sandbox.clock.advance(3_590_000);
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token })).status).toBe(200);
    h.sandbox.clock.advance(10_000);
    expectError(await call(h, 'GET', pathOf(app, p, 'inapp'), { token }), 401, 'AccessTokenExpired');
    const next = await tokenOf(h, app);
    expect(next).not.toBe(token);
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: next })).status).toBe(200);
  });

  it('keeps a token per market, both usable', async () => {
    const app = await createApp(h);
    const one = await tokenOf(h, app, 'MKT_ONE');
    const glb = await tokenOf(h, app, 'MKT_GLB');
    expect(glb).not.toBe(one);
    const p = await buy(h, app, { market: 'MKT_GLB' });
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: one, market: 'MKT_GLB' })).status).toBe(
      200,
    );
    expect((await call(h, 'GET', pathOf(app, p, 'inapp'), { token: glb, market: 'MKT_GLB' })).status).toBe(
      200,
    );
  });

  it('answers RequiredValueNotExist with the missing fields', async () => {
    await expectTokenRefusals([
      [
        {},
        400,
        'RequiredValueNotExist',
        'Request parameters are required. [ grant_type, client_id, client_secret ]',
      ],
      [
        { grant_type: 'client_credentials', client_id: 'x' },
        400,
        'RequiredValueNotExist',
        'Request parameters are required. [ client_secret ]',
      ],
      [
        { grant_type: '', client_id: 'x', client_secret: 'y' },
        400,
        'RequiredValueNotExist',
        'Request parameters are required. [ grant_type ]',
      ],
    ]);
  });

  it('answers InvalidRequest for a grant_type other than client_credentials', async () => {
    const app = await createApp(h);
    expectError(
      await requestToken(h, { ...credentials(app), grant_type: 'password' }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ grant_type ]',
    );
  });

  it('answers UnauthorizedAccess for a wrong secret or an unknown client', async () => {
    const app = await createApp(h);
    await expectTokenRefusals([
      [
        { ...credentials(app), client_secret: 'wrong' },
        403,
        'UnauthorizedAccess',
        'Not authorized to this API.',
      ],
      [{ ...credentials(app), client_secret: `${app.clientSecret}x` }, 403, 'UnauthorizedAccess'],
      [{ ...credentials(app), client_id: 'no.such.app' }, 403, 'UnauthorizedAccess'],
    ]);
  });

  it('answers AccessBlocked for a blocked app, and issues again once unblocked', async () => {
    const app = await createApp(h);
    await h.control('POST', `/onestore/apps/${app.clientId}/block`, { blocked: true });
    expectError(await requestToken(h, credentials(app)), 403, 'AccessBlocked', 'The request was blocked.');
    await h.control('POST', `/onestore/apps/${app.clientId}/block`, { blocked: false });
    expect((await requestToken(h, credentials(app))).status).toBe(200);
  });

  it('answers InvalidContentType unless the body is form-urlencoded', async () => {
    const app = await createApp(h);
    const form = new URLSearchParams(credentials(app)).toString();
    const wrongTypes: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'text/plain' },
      {},
    ];
    for (const headers of wrongTypes) {
      expectError(
        await h.http('POST', '/v7/oauth/token', { headers, body: form }),
        415,
        'InvalidContentType',
        'The request content-type is invalid.',
      );
    }
  });

  it('answers MethodNotAllowed for GET and InvalidRequest for an unknown market code', async () => {
    expectError(
      await h.http('GET', '/v7/oauth/token'),
      405,
      'MethodNotAllowed',
      'HTTP method not supported.',
    );
    const app = await createApp(h);
    expectError(
      await requestToken(h, credentials(app), { 'content-type': FORM_TYPE, 'x-market-code': 'MKT_XXX' }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ x-market-code ]',
    );
  });

  it('answers BadRequest for a body over 64 KiB', async () => {
    const app = await createApp(h);
    const answer = await requestToken(h, { ...credentials(app), padding: 'x'.repeat(70_000) });
    expectError(answer, 400, 'BadRequest');
  });
});

describe('checks common to every purchase API', () => {
  let app: App;
  let token: string;
  let path: string;

  beforeEach(async () => {
    app = await createApp(h);
    token = await tokenOf(h, app);
    const p = await buy(h, app);
    path = pathOf(app, p, 'inapp');
  });

  it("accepts the document's sample call (Bearer + space + token) once Content-Type is added", async () => {
    await h.control('POST', '/onestore/apps', { clientId: 'com.onestore.game.goindol', clientSecret: 's' });
    h.sandbox.core.onestore.create(
      {
        clientId: 'com.onestore.game.goindol',
        productId: 'product01',
        type: 'inapp',
        purchaseToken: 'SANDBOXT000120004476',
      },
      h.sandbox.clock.now(),
    );
    const goindol = await tokenOf(h, { clientId: 'com.onestore.game.goindol', clientSecret: 's' });
    const samplePath =
      '/v7/apps/com.onestore.game.goindol/purchases/inapp/products/product01/SANDBOXT000120004476';
    const answer = await h.http('GET', samplePath, {
      headers: {
        Authorization: `Bearer ${goindol}`,
        'Content-Type': 'application/json',
        'x-market-code': 'MKT_ONE',
      },
    });
    expect(answer.status).toBe(200);
    expect(obj(answer.json)).toMatchObject({ purchaseState: 0, consumptionState: 0, acknowledgeState: 0 });
    // The sample itself carries no Content-Type; the header table marks it required.
    expectError(
      await h.http('GET', samplePath, { headers: { Authorization: `Bearer ${goindol}` } }),
      415,
      'InvalidContentType',
    );
  });

  it('requires Content-Type application/json, also on GET (parameters allowed)', async () => {
    expectError(
      await call(h, 'GET', path, { headers: { authorization: `Bearer ${token}` } }),
      415,
      'InvalidContentType',
    );
    expectError(
      await call(h, 'GET', path, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      }),
      415,
      'InvalidContentType',
    );
    const withCharset = await call(h, 'GET', path, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(withCharset.status).toBe(200);
    // Content type is checked before the Authorization header.
    expectError(await call(h, 'GET', path, { headers: {} }), 415, 'InvalidContentType');
  });

  it('applies the checks to each of the 12 purchase APIs, counted under its own endpoint name', async () => {
    const p = (type: 'inapp' | 'auto' | 'subscription' | 'all', action?: string) =>
      productPath(app.clientId, type, 'p', 'SANDBOXT000000000000', action);
    const endpoints: [string, 'GET' | 'POST', string][] = [
      ['getPurchaseDetails', 'GET', p('inapp')],
      ['getRecurringPurchaseDetails', 'GET', p('auto')],
      ['acknowledgePurchase', 'POST', p('all', 'acknowledge')],
      ['consumePurchase', 'POST', p('inapp', 'consume')],
      ['cancelRecurringPurchase', 'POST', p('auto', 'cancel')],
      ['reactivateRecurringPurchase', 'POST', p('auto', 'reactivate')],
      ['getVoidedPurchases', 'GET', `/v7/apps/${app.clientId}/voided-purchases`],
      ['getUnconfirmedPurchases', 'GET', `/v7/apps/${app.clientId}/unconfirmed-purchases`],
      ['getSubscriptionDetail', 'GET', p('subscription')],
      ['cancelSubscription', 'POST', p('subscription', 'cancel')],
      ['reactivateSubscription', 'POST', p('subscription', 'reactivate')],
      ['deferSubscription', 'POST', p('subscription', 'defer')],
    ];
    await h.control('DELETE', '/stats');
    for (const [, method, path] of endpoints) {
      expectError(
        await call(h, method, path, { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        415,
        'InvalidContentType',
      );
      expectError(await call(h, method, path), 400, 'InvalidAuthorizationHeader');
      expectError(await call(h, method, path, { token: 'unknown' }), 401, 'InvalidAccessToken');
    }
    const stats = await h.stats();
    for (const [name] of endpoints) {
      expect(stats.endpoints[`onestore.${name}`]).toEqual({
        total: 3,
        byStatus: { '415': 1, '400': 1, '401': 1 },
      });
    }
  });

  it("answers InvalidAuthorizationHeader for a missing header and each of the document's wrong forms", async () => {
    expectError(
      await call(h, 'GET', path),
      400,
      'InvalidAuthorizationHeader',
      'Authorization header is invalid.',
    );
    const wrongForms = [
      token,
      `bearer ${token}`,
      `Bearer <${token}>`,
      `Bearer${token}`,
      `Bearer  ${token}`,
      'Bearer ',
    ];
    for (const authorization of wrongForms) {
      const answer = await call(h, 'GET', path, {
        headers: { 'content-type': 'application/json', authorization },
      });
      expectError(answer, 400, 'InvalidAuthorizationHeader');
    }
  });

  it('answers InvalidAccessToken for a token the store never issued', async () => {
    expectError(
      await call(h, 'GET', path, { token: '680b3621-1234-1234-1234-8adfaef561b4' }),
      401,
      'InvalidAccessToken',
      'Access token is invalid.',
    );
  });

  it("answers UnauthorizedAccess for another app's token", async () => {
    const other = await createApp(h);
    const otherToken = await tokenOf(h, other);
    expectError(await call(h, 'GET', path, { token: otherToken }), 403, 'UnauthorizedAccess');
    expectError(
      await call(h, 'GET', `/v7/apps/${other.clientId}/voided-purchases`, { token }),
      403,
      'UnauthorizedAccess',
    );
  });

  it('answers AccessBlocked for a blocked app with a valid token', async () => {
    await h.control('POST', `/onestore/apps/${app.clientId}/block`, { blocked: true });
    expectError(await call(h, 'GET', path, { token }), 403, 'AccessBlocked');
    expectError(await call(h, 'POST', `${path}/consume`, { token, body: {} }), 403, 'AccessBlocked');
    await h.control('POST', `/onestore/apps/${app.clientId}/block`, { blocked: false });
    expect((await call(h, 'GET', path, { token })).status).toBe(200);
  });

  it('answers InvalidRequest for an unknown x-market-code', async () => {
    expectError(
      await call(h, 'GET', path, {
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-market-code': 'MKT_KR',
        },
      }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ x-market-code ]',
    );
  });

  it('checks the path sizes: clientId 128, productId 150, purchaseToken 20', async () => {
    const longId = `c${'x'.repeat(128)}`;
    // No app can have such an id; the size check comes before the token's app is compared.
    expectError(
      await call(h, 'GET', productPath(longId, 'inapp', 'p', 'SANDBOXT000000000000'), { token }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ clientId ]',
    );
    expectError(
      await call(h, 'GET', productPath(app.clientId, 'inapp', 'p'.repeat(151), 'SANDBOXT000000000000'), {
        token,
      }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ productId ]',
    );
    expectError(
      await call(h, 'GET', productPath(app.clientId, 'inapp', 'p', 'T'.repeat(21)), { token }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ purchaseToken ]',
    );
    expectError(
      await call(h, 'POST', productPath(app.clientId, 'inapp', 'p'.repeat(151), 'T'.repeat(21), 'consume'), {
        token,
        body: {},
      }),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ productId, purchaseToken ]',
    );
    // At the limits the sizes are fine: the purchase just does not exist.
    expectError(
      await call(h, 'GET', productPath(app.clientId, 'inapp', 'p'.repeat(150), 'T'.repeat(20)), { token }),
      404,
      'NoSuchData',
    );
    // Sizes count characters after percent-decoding.
    expectError(
      await call(h, 'GET', productPath(app.clientId, 'inapp', '상'.repeat(150), 'T'.repeat(20)), { token }),
      404,
      'NoSuchData',
    );
  });
});

describe('routing', () => {
  it('answers ResourceNotFound for paths the document does not have', async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    for (const path of [
      '/',
      '/v6/oauth/token',
      `/v7/apps/${app.clientId}`,
      `/v7/apps/${app.clientId}/purchases/unknown/products/p/SANDBOXT000000000000`,
      `/v7/apps/${app.clientId}/purchases/inapp/products/p/SANDBOXT000000000000/refund`,
      `/v7/apps/${app.clientId}/purchases/subscription/products/p/SANDBOXT000000000000/consume`,
      `/v7/apps/${app.clientId}/purchases/inapp/products//SANDBOXT000000000000`,
    ]) {
      expectError(
        await call(h, 'GET', path, { token }),
        404,
        'ResourceNotFound',
        'The requested resource could not be found.',
      );
    }
  });

  it('answers MethodNotAllowed for a known path with the wrong method', async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    const base = productPath(app.clientId, 'inapp', 'p', 'SANDBOXT000000000000');
    expectError(await call(h, 'POST', base, { token, body: {} }), 405, 'MethodNotAllowed');
    expectError(await call(h, 'GET', `${base}/consume`, { token }), 405, 'MethodNotAllowed');
    expectError(
      await call(h, 'GET', productPath(app.clientId, 'all', 'p', 'SANDBOXT000000000000', 'acknowledge'), {
        token,
      }),
      405,
      'MethodNotAllowed',
    );
    expectError(
      await call(h, 'DELETE', `/v7/apps/${app.clientId}/voided-purchases`, { token }),
      405,
      'MethodNotAllowed',
    );
    expectError(await call(h, 'PUT', '/v7/oauth/token'), 405, 'MethodNotAllowed');
  });

  it('answers InvalidRequest [ path ] for a path segment that is not valid percent-encoding', async () => {
    const app = await createApp(h);
    const token = await tokenOf(h, app);
    expectError(
      await call(
        h,
        'GET',
        `/v7/apps/${app.clientId}/purchases/inapp/products/%E0%A4%A/SANDBOXT000000000000`,
        {
          token,
        },
      ),
      400,
      'InvalidRequest',
      'Request parameters are invalid. [ path ]',
    );
  });
});
