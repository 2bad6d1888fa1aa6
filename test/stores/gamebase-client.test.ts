import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../../src/stores/errors.js';
import {
  describeResultCode,
  GAMEBASE_PRODUCT_TYPES,
  GAMEBASE_STORE_CODES,
  GamebaseClient,
} from '../../src/stores/gamebase/index.js';
import { consumeResultSchema, paymentTransactionSchema } from '../../src/stores/gamebase/schemas.js';
import { gamebase } from '../../src/stores/index.js';
import { hostileSegment } from '../helpers/hostile-inputs.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { expectResultCodeError } from '../helpers/store-errors.js';
import { eachStoreTest, FAULT_TESTS, gamebaseSetUp } from '../helpers/store-hooks.js';
import { failure, type GamebaseApp, gamebaseClient, newGamebasePayment } from '../helpers/stores.js';

const h = useSandbox();
let app: GamebaseApp;
let client: GamebaseClient;
eachStoreTest(h, FAULT_TESTS, gamebaseSetUp, (t) => {
  ({ app, client } = t);
});

const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);

describe('endpoints', () => {
  it('getPaymentTransaction decodes the payment: digit strings, decimal price, ISO time and its ms', async () => {
    const p = await newGamebasePayment(h, app, {
      price: '2.29',
      currency: 'EUR',
      storeCode: 'AS',
      purchaseTime: '2022-04-11T16:47:01+09:00',
      payload: 'order-9',
      paymentToken: 'store-purchase-token-9',
    });
    const payment = await client.getPaymentTransaction({
      purchaseToken: p.purchaseToken,
      paymentSeq: p.paymentSeq,
    });
    expect(payment).toEqual({
      paymentSeq: p.paymentSeq,
      productSeq: String(p.productSeq),
      currency: 'EUR',
      price: '2.29',
      marketId: 'AS',
      accessToken: p.purchaseToken,
      paymentId: p.paymentId,
      paymentToken: 'store-purchase-token-9',
      productType: 'CONSUMABLE',
      userId: p.userId,
      gamebaseProductId: 'gem_100',
      purchaseTime: '2022-04-11T16:47:01+09:00',
      purchaseTimeMs: Date.parse('2022-04-11T07:47:01Z'),
      payload: 'order-9',
      isTestPurchase: true,
      isConsumable: true,
    });
    expect(await h.count('gamebase.paymentTransaction')).toBe(1);
  });

  it('a paymentSeq that is not the token’s is PAYMENT_SEQ_MISMATCH', async () => {
    const p = await newGamebasePayment(h, app);
    const err = await failure(
      client.getPaymentTransaction({ purchaseToken: p.purchaseToken, paymentSeq: '1' }),
    );
    expect(err).toMatchObject({ kind: 'StoreApiError', code: 'PAYMENT_SEQ_MISMATCH', retryable: false });
  });

  it('consume answers price as a decimal string, then the payment is no longer consumable', async () => {
    const p = await newGamebasePayment(h, app, { price: '0.99', currency: 'USD', storeCode: 'GG' });
    expect(await client.consume(p)).toEqual({
      price: '0.99',
      currency: 'USD',
      productSeq: String(p.productSeq),
      marketId: 'GG',
      gamebaseProductId: 'gem_100',
    });
    expect((await client.getPaymentTransaction(p)).isConsumable).toBe(false);
    expect(await h.count('gamebase.consume')).toBe(1);
  });

  it('listConsumables returns the user’s unconsumed payments, filtered by store', async () => {
    const p = await newGamebasePayment(h, app, { storeCode: 'ONESTORE' });
    await newGamebasePayment(h, app, { storeCode: 'AMAZON', userId: p.userId });
    const list = await client.listConsumables({ userId: p.userId });
    expect(list).toEqual([
      expect.objectContaining({
        paymentSeq: p.paymentSeq,
        price: '1200',
        marketId: 'ONESTORE',
        accessToken: p.purchaseToken,
      }),
    ]);
    expect(
      await client.listConsumables({ userId: p.userId, marketIds: ['AMAZON', 'ONESTORE'] }),
    ).toHaveLength(2);
    expect(await client.listConsumables({ userId: p.userId, marketIds: ['GG'] })).toEqual([]);
    await client.consume(p);
    expect(await client.listConsumables({ userId: p.userId, marketIds: ['ONESTORE'] })).toEqual([]);
  });

  it('exports the store codes and product types, also through the stores index', () => {
    expect(GAMEBASE_STORE_CODES).toEqual(['GG', 'AS', 'ONESTORE', 'GALAXY', 'AMAZON', 'HUAWEI', 'MYCARD']);
    expect(GAMEBASE_PRODUCT_TYPES).toEqual([
      'CONSUMABLE',
      'AUTO_RENEWABLE',
      'CONSUMABLE_AUTO_RENEWABLE',
      'UNKNOWN',
    ]);
    expect(gamebase.GamebaseClient).toBe(GamebaseClient);
  });
});

describe('result codes become typed errors', () => {
  const gbError = (call: Promise<unknown>, code: string, resultCode: number, retryable = false) =>
    expectResultCodeError(call, { store: 'gamebase', code, resultCode, retryable });

  /** CONSUME_FAILED does not say it failed before any change (test/stores/change-answers.test.ts). */
  const consumeFailed = async (call: Promise<unknown>) => {
    const err = await failure(call);
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({ store: 'gamebase', code: 'CONSUME_FAILED', resultCode: 5000 });
  };

  it('consuming twice is ALREADY_CONSUMED (5018); a wrong token is CONSUME_FAILED (5000), uncertain', async () => {
    const p = await newGamebasePayment(h, app);
    await consumeFailed(client.consume({ ...p, purchaseToken: 'd3Jvbmc' }));
    await client.consume(p);
    await gbError(client.consume(p), 'ALREADY_CONSUMED', 5018);
  });

  it('a subscription cannot be consumed (5000, uncertain); an unknown token is INVALID_PARAMETERS (1100)', async () => {
    const p = await newGamebasePayment(h, app, { productType: 'AUTO_RENEWABLE' });
    await consumeFailed(client.consume(p));
    await gbError(client.getPaymentTransaction({ purchaseToken: 'unknown' }), 'INVALID_PARAMETERS', 1100);
  });

  it('a wrong secret key is INVALID_SECRET_KEY, an unknown app INVALID_APP_ID', async () => {
    const wrong = gamebaseClient(h, { ...app, secretKey: `${app.secretKey}x` });
    const other = gamebaseClient(h, { ...app, appId: 'NOSUCHAPP' });
    await gbError(wrong.listConsumables({ userId: 'u' }), 'INVALID_SECRET_KEY', -4010004);
    await gbError(other.listConsumables({ userId: 'u' }), 'INVALID_APP_ID', -4010001);
    await Promise.all([wrong.close(), other.close()]);
  });

  it('internal codes are retryable on reads and an uncertain outcome on consume', async () => {
    const p = await newGamebasePayment(h, app);
    await fault({ endpoint: 'gamebase.consumableList', resultCode: -5000003, count: 1 });
    await gbError(client.listConsumables({ userId: p.userId }), 'INTERNAL_SYSTEM_ERROR', -5000003, true);
    await fault({ endpoint: 'gamebase.consume', resultCode: 9999, count: 1 });
    const err = await failure(client.consume(p));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({ code: 'UNKNOWN_ERROR' });
  });

  it('names the documented codes and keeps unknown ones as their number', () => {
    expect(describeResultCode(-4010004)).toEqual({ code: 'INVALID_SECRET_KEY', internal: false });
    expect(describeResultCode(-4090002)).toEqual({ code: 'INTERNAL_DB_ERROR', internal: true });
    expect(describeResultCode(-5000205)).toEqual({ code: 'GATEWAY_INTERNAL_ERROR', internal: true });
    expect(describeResultCode(-4001002)).toEqual({ code: 'INVALID_GAMEBASE_PRODUCT', internal: false });
    expect(describeResultCode(12345)).toEqual({ code: '12345', internal: false });
  });
});

describe('retries and uncertainty', () => {
  it('a 5xx on reads is retried and succeeds', async () => {
    const p = await newGamebasePayment(h, app);
    await fault({ endpoint: 'gamebase.paymentTransaction', status: 503, count: 2 });
    await fault({ endpoint: 'gamebase.consumableList', drop: true, count: 1 });
    expect((await client.getPaymentTransaction(p)).paymentSeq).toBe(p.paymentSeq);
    expect(await client.listConsumables({ userId: p.userId })).toHaveLength(1);
    expect(await h.count('gamebase.paymentTransaction')).toBe(3);
    expect(await h.count('gamebase.consumableList')).toBe(2);
  });

  it('a 5xx on consume is sent once and is an uncertain outcome', async () => {
    const p = await newGamebasePayment(h, app);
    await fault({ endpoint: 'gamebase.consume', status: 502, count: 1 });
    expect(await failure(client.consume(p))).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(await h.count('gamebase.consume')).toBe(1);
  });

  it('a dropped consume that was applied is sent once and uncertain; the store shows it consumed', async () => {
    const p = await newGamebasePayment(h, app);
    await fault({ endpoint: 'gamebase.consume', phase: 'after', drop: true, count: 1 });
    expect(await failure(client.consume(p))).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(await h.count('gamebase.consume')).toBe(1);
    expect((await client.getPaymentTransaction(p)).isConsumable).toBe(false);
  });

  it('maintenance is a retryable store-unavailable error on reads, an uncertain outcome on consume', async () => {
    const p = await newGamebasePayment(h, app);
    await h.control('POST', '/maintenance', { on: true, store: 'gamebase', retryAfterSeconds: 90 });
    expect(await failure(client.consume(p))).toMatchObject({
      kind: 'UncertainOutcomeError',
      httpStatus: 503,
      retryAfterMs: 90_000,
    });
    expect(await failure(client.listConsumables({ userId: p.userId }))).toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });

  it('an HTML page with 200 is a protocol error', async () => {
    const p = await newGamebasePayment(h, app);
    await fault({ endpoint: 'gamebase.paymentTransaction', status: 200, count: 1 });
    expect(await failure(client.getPaymentTransaction(p))).toBeInstanceOf(UpstreamProtocolError);
  });
});

describe('hostile inputs make no request', () => {
  it('hostile app ids are refused before any I/O', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSegment(64, 'aZ0._-'), async (appId) => {
        const c = new GamebaseClient({ appId, secretKey: 's', baseUrl: h.url });
        const err = await failure(c.listConsumables({ userId: 'u' }));
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect(err).toMatchObject({ field: 'appId' });
      }),
      { numRuns: 200 },
    );
    expect((await h.stats()).total).toBe(0);
  });

  it('bad paymentSeq, purchaseToken, userId and marketIds are refused before any I/O', async () => {
    const bad: [Promise<unknown>, string][] = [
      [client.consume({ paymentSeq: '../1', purchaseToken: 'abc' }), 'paymentSeq'],
      [client.consume({ paymentSeq: -1, purchaseToken: 'abc' }), 'paymentSeq'],
      [client.consume({ paymentSeq: '1', purchaseToken: 'a&accessToken=b' }), 'purchaseToken'],
      [client.consume({ paymentSeq: '1', purchaseToken: '' }), 'purchaseToken'],
      [client.getPaymentTransaction({ purchaseToken: 'a\r\nX: 1' }), 'purchaseToken'],
      [client.getPaymentTransaction({ purchaseToken: 'abc', paymentSeq: '1.5' }), 'paymentSeq'],
      [client.listConsumables({ userId: 'a b' }), 'userId'],
      [client.listConsumables({ userId: 'u', marketIds: ['XX' as 'GG'] }), 'marketIds'],
    ];
    for (const [call, field] of bad)
      expect(await failure(call)).toMatchObject({ kind: 'InvalidInputError', field });
    expect((await h.stats()).total).toBe(0);
  });

  it('a secret key that could split a header is a configuration error that does not echo it', () => {
    expect(() => new GamebaseClient({ appId: 'A', secretKey: 'top\r\nsecret' })).toThrow(
      /^gamebase: secretKey/,
    );
    const err = (() => {
      try {
        return new GamebaseClient({ appId: 'A', secretKey: 'top secret' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).not.toContain('top secret');
  });
});

describe('decoding (no I/O)', () => {
  it.each([
    [1500.0, '1500'],
    [2.29, '2.29'],
    ['1000.50', '1000.50'],
  ])('price %o becomes %o', (price, expected) => {
    expect(consumeResultSchema.parse({ price, currency: 'KRW', marketId: 'GG' }).price).toBe(expected);
  });

  it.each([[-1], [1e21], [1e-7], ['12a']])('refuses price %o', (price) => {
    expect(consumeResultSchema.safeParse({ price, currency: 'KRW', marketId: 'GG' }).success).toBe(false);
  });

  it('a new product type decodes as UNKNOWN; the guide’s example decodes', () => {
    const example = {
      paymentSeq: '2022041110385239',
      productSeq: 1003150,
      currency: 'EUR',
      price: 2.29,
      marketId: 'AS',
      accessToken:
        '-Fr8Y7_dvv5qhdd6qVHbs7gKnkX0r7EKPvuK6CI-UBBekc1rE9CVbMKVCNuw6ZtwkBGlzeIHg6DdjaRVeaW7GYlPF4vRa50L8umB6tdBvk8',
      paymentId: 'Store Reference Key',
      productType: 'CONSUMABLE',
      userId: 'AS@QW4M1GM7W97YJDCN',
      gamebaseProductId: 'qa_ksw_prod_as_001',
      purchaseTime: '2022-04-11T16:47:01+09:00',
      payload: 'string',
      isTestPurchase: true,
      isConsumable: false,
    };
    expect(paymentTransactionSchema.parse(example)).toMatchObject({ productSeq: '1003150', price: '2.29' });
    expect(paymentTransactionSchema.parse({ ...example, productType: 'NEW_KIND' }).productType).toBe(
      'UNKNOWN',
    );
  });
});
