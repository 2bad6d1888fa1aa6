import { describe, expect, it } from 'vitest';
import { UpstreamUncertainOutcomeError } from '../../src/stores/errors.js';
import { NHNCLOUD_RESULT_CODES, type NhnCloudClient } from '../../src/stores/nhncloud/index.js';
import { consumeResultSchema } from '../../src/stores/nhncloud/schemas.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { expectResultCodeError } from '../helpers/store-errors.js';
import { eachStoreTest, FAULT_TESTS, nhnSetUp } from '../helpers/store-hooks.js';
import { failure, newNhnPayment } from '../helpers/stores.js';

const h = useSandbox();
let client: NhnCloudClient;
eachStoreTest(h, FAULT_TESTS, nhnSetUp, (t) => {
  ({ client } = t);
});

const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);

describe('endpoints', () => {
  it('consume v3 answers price as a decimal string and currency', async () => {
    const p = await newNhnPayment(h, { price: '1000', currency: 'KRW' });
    const result = await client.consume(p);
    expect(result).toEqual({ price: '1000', currency: 'KRW' });
    expect(await h.count('nhncloud.consume')).toBe(1);
  });

  it('keeps fractional prices exact as their shortest decimal form', async () => {
    const p = await newNhnPayment(h, { price: '0.99', currency: 'USD' });
    expect(await client.consume(p)).toEqual({ price: '0.99', currency: 'USD' });
  });

  it('consumable list returns the unconsumed payments of the user, then not after consume', async () => {
    const p = await newNhnPayment(h);
    const list = await client.getConsumableList({ appSeq: p.appSeq, userKey: p.userKey });
    expect(list).toEqual([
      {
        paymentSeq: p.paymentSeq,
        itemSeq: String(p.itemSeq),
        currency: 'KRW',
        price: '1000',
        purchaseToken: p.purchaseToken,
      },
    ]);
    await client.consume(p);
    expect(
      await client.getConsumableList({ appSeq: Number(p.appSeq), userKey: p.userKey, userChannel: 'GF' }),
    ).toEqual([]);
  });

  it('item list (POST) returns the registered items', async () => {
    const p = await newNhnPayment(h);
    const items = await client.getItemList({ appSeq: p.appSeq });
    expect(items.appSeq).toBe(p.appSeq);
    expect(items.itemList).toEqual([
      expect.objectContaining({ itemSeq: String(p.itemSeq), itemName: 'gas', marketItemId: 'gas' }),
    ]);
  });
});

describe('result codes become typed errors', () => {
  const nhnError = (call: Promise<unknown>, code: string, resultCode: number) =>
    expectResultCodeError(call, { store: 'nhncloud', code, resultCode });

  it('consuming twice is ALREADY_CONSUMED (5018)', async () => {
    const p = await newNhnPayment(h);
    await client.consume(p);
    await nhnError(client.consume(p), 'ALREADY_CONSUMED', 5018);
  });

  it('a wrong purchase token is CONSUME_FAILED (5000), which does not prove the consume was refused', async () => {
    const p = await newNhnPayment(h);
    const err = await failure(client.consume({ ...p, purchaseToken: 'd3Jvbmc=' }));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({
      store: 'nhncloud',
      code: 'CONSUME_FAILED',
      resultCode: 5000,
      httpStatus: 200,
    });
  });

  it('an unknown app is INVALID_PARAMETERS (1100)', async () => {
    await nhnError(client.getItemList({ appSeq: '999999999' }), 'INVALID_PARAMETERS', 1100);
  });

  it.each(Object.entries(NHNCLOUD_RESULT_CODES))('injected %s maps to %o', async (resultCode, entry) => {
    await fault({ endpoint: 'nhncloud.consumableList', resultCode: Number(resultCode), count: 1 });
    await nhnError(client.getConsumableList({ appSeq: 1, userKey: 'u' }), entry.name, Number(resultCode));
    expect(await h.count('nhncloud.consumableList')).toBe(1);
  });

  it('an unknown result code is kept as-is', async () => {
    await fault({ endpoint: 'nhncloud.itemList', resultCode: 9999, count: 1 });
    await nhnError(client.getItemList({ appSeq: 1 }), '9999', 9999);
  });
});

describe('retries and uncertainty', () => {
  it('a 5xx on the read-only list POST is retried and succeeds', async () => {
    const p = await newNhnPayment(h);
    await fault({ endpoint: 'nhncloud.consumableList', status: 503, count: 2 });
    expect(await client.getConsumableList({ appSeq: p.appSeq, userKey: p.userKey })).toHaveLength(1);
    expect(await h.count('nhncloud.consumableList')).toBe(3);
  });

  it('a 5xx on consume is sent once and is an uncertain outcome', async () => {
    const p = await newNhnPayment(h);
    await fault({ endpoint: 'nhncloud.consume', status: 502, count: 1 });
    const err = await failure(client.consume(p));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(await h.count('nhncloud.consume')).toBe(1);
  });

  it('maintenance is a retryable store-unavailable error on reads, an uncertain outcome on consume', async () => {
    const p = await newNhnPayment(h);
    await h.control('POST', '/maintenance', { on: true, store: 'nhncloud', retryAfterSeconds: 90 });
    const err = await failure(client.consume(p));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({ retryAfterMs: 90_000, httpStatus: 503 });
    expect(await failure(client.getItemList({ appSeq: p.appSeq }))).toMatchObject({
      kind: 'StoreUnavailableError',
      retryAfterMs: 90_000,
    });
    expect(await h.count('nhncloud.consume')).toBe(1);
    expect(await h.count('nhncloud.itemList')).toBe(1);
  });
});

describe('price decoding (no I/O)', () => {
  it.each([
    [1000.0, '1000'],
    [0.1, '0.1'],
    ['1000.50', '1000.50'],
    [4900, '4900'],
  ])('%o becomes %o', (price, expected) => {
    expect(consumeResultSchema.parse({ price, currency: 'KRW' }).price).toBe(expected);
  });

  it.each([[-1], [1e21], [1e-7], [Number.NaN], ['12a'], ['']])('refuses %o', (price) => {
    expect(consumeResultSchema.safeParse({ price, currency: 'KRW' }).success).toBe(false);
  });
});
