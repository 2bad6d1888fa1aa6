import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../../src/stores/errors.js';
import { type OneStoreClient, TokenCache } from '../../src/stores/onestore/index.js';
import { tokenResponseSchema } from '../../src/stores/onestore/schemas.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { eachStoreTest, oneStoreSetUp } from '../helpers/store-hooks.js';
import { type CreatedPurchase, failure, type OneStoreApp, oneStoreClient } from '../helpers/stores.js';

describe('token cache against the sandbox', () => {
  const h = useSandbox();
  let app: OneStoreApp;
  let client: OneStoreClient;
  let purchase: CreatedPurchase;
  eachStoreTest(h, { clearStats: true, clearFaults: true }, oneStoreSetUp(), (t) => {
    ({ app, client, purchase } = t);
  });

  const advanceSeconds = (s: number) => h.control('POST', '/clock', { advanceMs: s * 1000 });

  it('1,000 calls in a row cause exactly one token request', async () => {
    for (let i = 0; i < 1000; i += 1) await client.getPurchaseDetails(purchase);
    expect(await h.count('onestore.token')).toBe(1);
    expect(await h.count('onestore.getPurchaseDetails')).toBe(1000);
  });

  it('50 concurrent first calls cause exactly one token request', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => client.getPurchaseDetails(purchase)));
    expect(results.every((r) => r.purchaseId === purchase.purchaseId)).toBe(true);
    expect(await h.count('onestore.token')).toBe(1);
  });

  it('renews exactly once when fewer than 600 s remain (sandbox clock)', async () => {
    const first = await client.getAccessToken();
    await advanceSeconds(2999); // 601 s left: still fresh
    await client.getPurchaseDetails(purchase);
    expect(await client.getAccessToken()).toBe(first);
    expect(await h.count('onestore.token')).toBe(1);

    await advanceSeconds(2); // 599 s left: renew
    await Promise.all(Array.from({ length: 20 }, () => client.getPurchaseDetails(purchase)));
    for (let i = 0; i < 20; i += 1) await client.getPurchaseDetails(purchase);
    expect(await h.count('onestore.token')).toBe(2);
    expect(await client.getAccessToken()).not.toBe(first);
  });

  it('an injected AccessTokenExpired is recovered with one refresh and one repeat', async () => {
    await client.getAccessToken();
    await h.control('DELETE', '/stats');
    await h.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'AccessTokenExpired',
      count: 1,
    });
    expect((await client.getPurchaseDetails(purchase)).purchaseId).toBe(purchase.purchaseId);
    expect(await h.count('onestore.token')).toBe(1);
    const stats = await h.stats();
    expect(stats.endpoints['onestore.getPurchaseDetails']).toEqual({
      total: 2,
      byStatus: { '401': 1, '200': 1 },
    });
  });

  it('a burst of 20 concurrent InvalidAccessToken answers causes one renewal, not twenty', async () => {
    await client.getAccessToken();
    await h.control('DELETE', '/stats');
    await h.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'InvalidAccessToken',
      count: 20,
    });
    await Promise.all(Array.from({ length: 20 }, () => client.getPurchaseDetails(purchase)));
    expect(await h.count('onestore.token')).toBe(1);
    expect(await h.count('onestore.getPurchaseDetails')).toBe(40);
  });

  it('clients sharing a cache share the token; another market gets its own', async () => {
    const cache = new TokenCache({ now: () => h.sandbox.clock.now() });
    const a = oneStoreClient(h, app, { tokenCache: cache });
    const b = oneStoreClient(h, app, { tokenCache: cache });
    const global = oneStoreClient(h, app, { tokenCache: cache, market: 'MKT_GLB' });
    await Promise.all([a.getAccessToken(), b.getAccessToken(), a.getAccessToken()]);
    await global.getAccessToken();
    expect(await h.count('onestore.token')).toBe(2);
    await Promise.all([a.close(), b.close(), global.close()]);
  });

  it('one caller giving up does not cancel the shared token request of the others', async () => {
    await h.control('POST', '/faults', { endpoint: 'onestore.token', latencyMs: 300, count: 1 });
    const controller = new AbortController();
    const impatient = client.getPurchaseDetails(purchase, { signal: controller.signal });
    const patient = client.getPurchaseDetails(purchase);
    controller.abort();
    const err = await failure(impatient);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect((await patient).purchaseId).toBe(purchase.purchaseId);
    expect(await h.count('onestore.token')).toBe(1);
  });
});

describe('token cache with an injected clock (no I/O)', () => {
  const key = { baseUrl: 'http://store.test/', clientId: 'app', market: 'MKT_ONE' } as const;

  it('honours a configurable renewal margin and single-flights the issuer', async () => {
    let now = 1_000_000;
    let issued = 0;
    const cache = new TokenCache({ now: () => now, renewBeforeExpirySeconds: 60 });
    const issue = async () => {
      issued += 1;
      return { accessToken: `token-${issued}`, expiresInSeconds: 3600 };
    };
    expect(await Promise.all([cache.get(key, issue), cache.get(key, issue)])).toEqual(['token-1', 'token-1']);
    now += 3539_000;
    expect(await cache.get(key, issue)).toBe('token-1');
    now += 2_000;
    expect(await cache.get(key, issue)).toBe('token-2');
    expect(issued).toBe(2);
  });

  it('callers rejected for one generation share one renewal, even when it brings back the same text', async () => {
    let issued = 0;
    const cache = new TokenCache({ now: () => 1 });
    // The document's store: asked again early, it answers the same text.
    const issue = async () => {
      issued += 1;
      return { accessToken: 'same-text', expiresInSeconds: 3600 };
    };
    const first = await cache.lease(key, issue);
    const renewed = await Promise.all([1, 2, 3].map(() => cache.renew(key, first, issue)));
    expect(issued).toBe(2);
    expect(new Set(renewed.map((l) => l.generation)).size).toBe(1);
    const [second] = renewed;
    expect(second?.accessToken).toBe('same-text');
    expect(second?.generation).not.toBe(first.generation);
    // A rejection of the first generation arriving after the renewal takes the renewed token.
    expect(await cache.renew(key, first, issue)).toEqual(second);
    expect(await cache.lease(key, issue)).toEqual(second);
    expect(issued).toBe(2);
    // A rejection of the renewed generation is a new period: one more renewal.
    if (second === undefined) throw new Error('no renewed lease');
    await cache.renew(key, second, issue);
    expect(issued).toBe(3);
  });

  it('a late rejection of an older generation joins a renewal in flight instead of starting one', async () => {
    let issued = 0;
    let release: () => void = () => {};
    const cache = new TokenCache({ now: () => 1 });
    const issue = async () => {
      issued += 1;
      if (issued === 3) await new Promise<void>((resolve) => (release = resolve));
      return { accessToken: `t${issued}`, expiresInSeconds: 3600 };
    };
    const g1 = await cache.lease(key, issue);
    const g2 = await cache.renew(key, g1, issue);
    const inFlight = cache.renew(key, g2, issue);
    const late = cache.renew(key, g1, issue);
    const waiting = cache.lease(key, issue);
    release();
    const results = await Promise.all([inFlight, late, waiting]);
    expect(results.map((l) => l.accessToken)).toEqual(['t3', 't3', 't3']);
    expect(issued).toBe(3);
  });

  it('a failed renewal reaches every caller of its generation and leaves no token behind', async () => {
    let issued = 0;
    const cache = new TokenCache({ now: () => 1 });
    const issue = async () => {
      issued += 1;
      if (issued === 2) throw new Error('token endpoint down');
      return { accessToken: `t${issued}`, expiresInSeconds: 3600 };
    };
    const g1 = await cache.lease(key, issue);
    const results = await Promise.allSettled([cache.renew(key, g1, issue), cache.renew(key, g1, issue)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(issued).toBe(2);
    // The refused token is not served again: the next caller asks for a new one.
    expect((await cache.lease(key, issue)).accessToken).toBe('t3');
  });

  it('a failed token request reaches every waiter and is not cached', async () => {
    const cache = new TokenCache();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('store down');
    };
    const results = await Promise.allSettled([cache.get(key, failing), cache.get(key, failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await cache.get(key, async () => ({ accessToken: 'ok', expiresInSeconds: 3600 }))).toBe('ok');
  });
});

describe('token response validation', () => {
  const valid = {
    client_id: 'a',
    access_token: '680b3621-1234',
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'DEFAULT',
  };

  it('accepts bearer in any case', () => {
    expect(tokenResponseSchema.safeParse({ ...valid, token_type: 'Bearer' }).success).toBe(true);
  });

  it.each([
    ['a non-bearer type', { token_type: 'mac' }],
    ['a zero lifetime', { expires_in: 0 }],
    ['a fractional lifetime', { expires_in: 1.5 }],
    ['a string lifetime', { expires_in: '3600' }],
    ['an empty token', { access_token: '' }],
    ['a token with spaces', { access_token: 'a b' }],
  ])('rejects %s', (_label, patch) => {
    expect(tokenResponseSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});
