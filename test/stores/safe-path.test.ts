import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/stores/errors.js';
import { buildUrl, checkSegment, parseBaseUrl } from '../../src/stores/http/safe-path.js';
import { OneStoreClient } from '../../src/stores/onestore/index.js';
import { PRODUCT_ID_RULE, PURCHASE_TOKEN_RULE } from '../../src/stores/onestore/inputs.js';
import { hostileSegment } from '../helpers/hostile-inputs.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { failure, newOneStoreApp, nhnClient, type OneStoreApp, oneStoreClient } from '../helpers/stores.js';

const ctx = { store: 'onestore', endpoint: 'test.endpoint' } as const;
const ALNUM = 'abcXYZ0189';
const base = parseBaseUrl('http://127.0.0.1:9/');

describe('path segments (no I/O)', () => {
  it('accepts a Korean product ID and percent-encodes it', () => {
    const encoded = checkSegment(ctx, {
      field: 'productId',
      value: '다이아100_20170818000000',
      rule: PRODUCT_ID_RULE,
    });
    expect(encoded).toBe(encodeURIComponent('다이아100_20170818000000'));
    const url = buildUrl(ctx, base, [
      'v7',
      'apps',
      { field: 'productId', value: '루비300.x-y', rule: PRODUCT_ID_RULE },
    ]);
    expect(decodeURIComponent(url.pathname)).toBe('/v7/apps/루비300.x-y');
  });

  it('names the field and never echoes the value', () => {
    const err = (() => {
      try {
        checkSegment(ctx, { field: 'purchaseToken', value: '../SECRETTOKEN', rule: PURCHASE_TOKEN_RULE });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ kind: 'InvalidInputError', field: 'purchaseToken', retryable: false });
    expect(String((err as Error).message)).not.toContain('SECRETTOKEN');
  });

  it('any accepted segment decodes back to itself and stays one segment under the prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 160 }), (value) => {
        let encoded: string;
        try {
          encoded = checkSegment(ctx, { field: 'productId', value, rule: PRODUCT_ID_RULE });
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        expect(encoded).not.toMatch(/[/?#\\]/);
        expect(decodeURIComponent(encoded)).toBe(value);
        const url = buildUrl(ctx, parseBaseUrl('https://sbpp.onestore.net/prefix/'), [
          'v7',
          { field: 'productId', value, rule: PRODUCT_ID_RULE },
          'x',
        ]);
        expect(url.origin).toBe('https://sbpp.onestore.net');
        expect(url.pathname).toBe(`/prefix/v7/${encoded}/x`);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects every hostile value before building a URL', () => {
    fc.assert(
      fc.property(hostileSegment(150, 'a가1._-'), (value) => {
        expect(() => checkSegment(ctx, { field: 'productId', value, rule: PRODUCT_ID_RULE })).toThrow(
          InvalidArgumentError,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('refuses base URLs with credentials, queries or other schemes', () => {
    expect(() => parseBaseUrl('https://user:pw@example.com')).toThrow();
    expect(() => parseBaseUrl('https://example.com/?a=1')).toThrow();
    expect(() => parseBaseUrl('file:///etc/passwd')).toThrow();
  });
});

describe('hostile inputs against the sandbox', () => {
  const h = useSandbox();
  let app: OneStoreApp;
  let client: OneStoreClient;

  beforeAll(async () => {
    app = await newOneStoreApp(h);
    client = oneStoreClient(h, app);
  });
  afterAll(async () => {
    await client.close();
  });

  const expectRejected = async (call: Promise<unknown>, field: string) => {
    const err = await failure(call);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ kind: 'InvalidInputError', field });
  };

  it('ONE store: hostile productId / purchaseToken make zero upstream requests', async () => {
    const before = await h.stats();
    await fc.assert(
      fc.asyncProperty(hostileSegment(150, 'a가1._-'), async (productId) => {
        await expectRejected(
          client.getPurchaseDetails({ productId, purchaseToken: 'SANDBOXT000120004476' }),
          'productId',
        );
        await expectRejected(
          client.consumePurchase({ productId, purchaseToken: 'SANDBOXT000120004476' }),
          'productId',
        );
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(hostileSegment(20, ALNUM), async (purchaseToken) => {
        await expectRejected(
          client.getSubscriptionDetail({ productId: 'gem100', purchaseToken }),
          'purchaseToken',
        );
        await expectRejected(
          client.acknowledgePurchase({ productId: 'gem100', purchaseToken }),
          'purchaseToken',
        );
      }),
      { numRuns: 300 },
    );
    const after = await h.stats();
    expect(after.total).toBe(before.total);
    expect(after.endpoints['onestore.token']).toBeUndefined();
  });

  it('ONE store: a hostile clientId is refused when the client is built', () => {
    fc.assert(
      fc.property(hostileSegment(128, 'a.b-c_1'), (clientId) => {
        expect(() => new OneStoreClient({ baseUrl: h.url, clientId, clientSecret: 's' })).toThrow(
          InvalidArgumentError,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('ONE store: bad list queries and bodies are refused before I/O', async () => {
    const before = (await h.stats()).total;
    await expectRejected(client.getVoidedPurchases({ maxResults: 101 }), 'maxResults');
    await expectRejected(client.getVoidedPurchases({ maxResults: 0 }), 'maxResults');
    await expectRejected(client.getUnconfirmedPurchases({ startTime: -1 }), 'startTime');
    await expectRejected(client.getUnconfirmedPurchases({ continuationKey: 'a b\n' }), 'continuationKey');
    await expectRejected(
      client.consumePurchase({ productId: 'gem100', purchaseToken: 'A1', developerPayload: 'x'.repeat(201) }),
      'developerPayload',
    );
    await expectRejected(
      client.deferSubscription({ productId: 'gem100', purchaseToken: 'A1', deferPeriod: 0 }),
      'deferPeriod',
    );
    expect((await h.stats()).total).toBe(before);
  });

  it('NHN Cloud: hostile paymentSeq / itemSeq / appSeq make zero upstream requests', async () => {
    const nhn = nhnClient(h);
    const before = (await h.stats()).total;
    await fc.assert(
      fc.asyncProperty(hostileSegment(20, '0123456789'), async (seq) => {
        await expectRejected(
          nhn.consume({ paymentSeq: seq, itemSeq: 1, purchaseToken: 'abc=' }),
          'paymentSeq',
        );
        await expectRejected(
          nhn.consume({ paymentSeq: '1', itemSeq: seq, purchaseToken: 'abc=' }),
          'itemSeq',
        );
        await expectRejected(nhn.getItemList({ appSeq: seq }), 'appSeq');
        await expectRejected(nhn.getConsumableList({ appSeq: seq, userKey: 'u' }), 'appSeq');
      }),
      { numRuns: 300 },
    );
    await expectRejected(nhn.consume({ paymentSeq: -1, itemSeq: 1, purchaseToken: 'abc=' }), 'paymentSeq');
    await expectRejected(nhn.consume({ paymentSeq: '1', itemSeq: 1.5, purchaseToken: 'abc=' }), 'itemSeq');
    await expectRejected(nhn.consume({ paymentSeq: '1', itemSeq: 1, purchaseToken: 'a"b' }), 'purchaseToken');
    await expectRejected(nhn.getConsumableList({ appSeq: 1, userKey: '' }), 'userKey');
    expect((await h.stats()).total).toBe(before);
    await nhn.close();
  });
});
