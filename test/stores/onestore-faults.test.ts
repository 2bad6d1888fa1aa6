import { describe, expect, it } from 'vitest';
import {
  StoreApiError,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../../src/stores/errors.js';
import { ONESTORE_ERROR_CODES, type OneStoreClient } from '../../src/stores/onestore/index.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { eachStoreTest, FAULT_TESTS, oneStoreSetUp } from '../helpers/store-hooks.js';
import { type CreatedPurchase, failure, newPurchase, type OneStoreApp } from '../helpers/stores.js';

const h = useSandbox();
let app: OneStoreApp;
let client: OneStoreClient;
let purchase: CreatedPurchase;
// The token is warm, so counts below are about the API calls alone.
eachStoreTest(h, FAULT_TESTS, oneStoreSetUp(true), (t) => {
  ({ app, client, purchase } = t);
});

const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);

describe('every standard code the sandbox can answer maps to its error', () => {
  const definite = Object.entries(ONESTORE_ERROR_CODES).filter(
    ([code]) => !['ServiceMaintenance', 'InternalError'].includes(code),
  );

  it.each(definite)('%s is a StoreApiError with the table status', async (code, entry) => {
    // Token codes are answered twice: the client renews the token once and repeats the call once.
    await fault({ endpoint: 'onestore.getPurchaseDetails', code, count: 2 });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(StoreApiError);
    expect(err).toMatchObject({
      kind: 'StoreApiError',
      store: 'onestore',
      code,
      httpStatus: entry.httpStatus,
      retryable: entry.retryable,
    });
    const tokenError = code === 'AccessTokenExpired' || code === 'InvalidAccessToken';
    expect(await h.count('onestore.getPurchaseDetails')).toBe(tokenError ? 2 : 1);
  });

  it('an undocumented code is kept as-is', async () => {
    await fault({ endpoint: 'onestore.getPurchaseDetails', code: 'SomethingNew', status: 418 });
    expect(await failure(client.getPurchaseDetails(purchase))).toMatchObject({
      kind: 'StoreApiError',
      code: 'SomethingNew',
      httpStatus: 418,
      retryable: false,
    });
  });

  it('InternalError on a read is retried, then reported as unavailable', async () => {
    await fault({ endpoint: 'onestore.getPurchaseDetails', code: 'InternalError' });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ code: 'InternalError', httpStatus: 500, retryable: true });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(3);
  });
});

describe('retries of reads', () => {
  it('a 5xx proxy page on a GET is retried and the call succeeds', async () => {
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 502, count: 2 });
    expect((await client.getPurchaseDetails(purchase)).purchaseId).toBe(purchase.purchaseId);
    const stats = await h.stats();
    expect(stats.endpoints['onestore.getPurchaseDetails']).toEqual({
      total: 3,
      byStatus: { '502': 2, '200': 1 },
    });
  });

  it('a dropped connection on a GET is retried', async () => {
    await fault({ endpoint: 'onestore.getSubscriptionDetail', drop: true, count: 1 });
    const sub = await newPurchase(h, app, { type: 'subscription', productId: 'sub1' });
    expect((await client.getSubscriptionDetail(sub)).autoRenewing).toBe(true);
    expect(await h.count('onestore.getSubscriptionDetail')).toBe(2);
  });

  it('a 4xx HTML page is a protocol error and is not retried', async () => {
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 404 });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'HTTP_404', httpStatus: 404 });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(1);
  });

  it('a redirect is never followed', async () => {
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 302 });
    expect(await failure(client.getPurchaseDetails(purchase))).toMatchObject({
      kind: 'UpstreamProtocolError',
      httpStatus: 302,
    });
    expect((await h.stats()).total).toBe(1);
  });
});

describe('state changes are never repeated once they may have reached the store', () => {
  it('a 5xx on consume is sent once and reported as an uncertain outcome', async () => {
    await fault({ endpoint: 'onestore.consumePurchase', status: 500, count: 1 });
    const err = await failure(client.consumePurchase(purchase));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({ kind: 'UncertainOutcomeError', code: 'HTTP_500', retryable: false });
    expect(await h.count('onestore.consumePurchase')).toBe(1);
    // The caller re-reads the state to settle the doubt.
    expect((await client.getPurchaseDetails(purchase)).consumptionState).toBe(0);
  });

  it('InternalError on acknowledge is uncertain too', async () => {
    await fault({ endpoint: 'onestore.acknowledgePurchase', code: 'InternalError', count: 1 });
    expect(await failure(client.acknowledgePurchase(purchase))).toMatchObject({
      kind: 'UncertainOutcomeError',
      code: 'InternalError',
      httpStatus: 500,
    });
    expect(await h.count('onestore.acknowledgePurchase')).toBe(1);
  });

  it('a dropped connection on consume is uncertain and not repeated', async () => {
    await fault({ endpoint: 'onestore.consumePurchase', drop: true, count: 1 });
    expect(await failure(client.consumePurchase(purchase))).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(await h.count('onestore.consumePurchase')).toBe(1);
  });

  it('an injected AccessTokenExpired on consume is repeated once with a renewed token (safe: refused)', async () => {
    await fault({ endpoint: 'onestore.consumePurchase', code: 'AccessTokenExpired', count: 1 });
    expect(await client.consumePurchase(purchase)).toMatchObject({ code: 'Success' });
    expect(await h.count('onestore.consumePurchase')).toBe(2);
    expect(await h.count('onestore.token')).toBe(1);
  });
});

describe('maintenance', () => {
  it('is a retryable store-unavailable error carrying the Retry-After hint', async () => {
    await h.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 120 });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({
      kind: 'StoreUnavailableError',
      code: 'ServiceMaintenance',
      httpStatus: 503,
      retryable: true,
      retryAfterMs: 120_000,
    });
    // A hint longer than we are willing to wait ends the call at once.
    expect(await h.count('onestore.getPurchaseDetails')).toBe(1);
  });

  it('on a state change is an uncertain outcome: the store may have applied it before maintenance began', async () => {
    await h.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 30 });
    expect(await failure(client.consumePurchase(purchase))).toMatchObject({
      kind: 'UncertainOutcomeError',
      code: 'ServiceMaintenance',
      retryAfterMs: 30_000,
    });
    expect(await h.count('onestore.consumePurchase')).toBe(1);
  });

  it('a short Retry-After on a read is waited for and retried', async () => {
    await h.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 0 });
    expect(await failure(client.getPurchaseDetails(purchase))).toMatchObject({ code: 'ServiceMaintenance' });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(3);
  });
});
