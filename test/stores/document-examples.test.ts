import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreApiError, UpstreamProtocolError } from '../../src/stores/errors.js';
import { GamebaseClient } from '../../src/stores/gamebase/index.js';
import { NhnCloudClient } from '../../src/stores/nhncloud/index.js';
import { OneStoreClient } from '../../src/stores/onestore/index.js';
import { FAST_RETRY, failure } from '../helpers/stores.js';
import * as doc from './fixtures/document-examples.js';

/**
 * Replays every example answer of the store documents (test/stores/fixtures/document-examples.ts)
 * through the real clients: a local server answers each endpoint's path with the document's text,
 * and the decoded result is compared whole. The identifiers are the documents' own (clientId
 * com.onestore.game.goindol, the Authorization sample's token, NHN's example paymentSeq ...).
 */

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

let server: Server;
let base: string;
const routes = new Map<string, Answer>();
const seen: Seen[] = [];

/** Serves `example` at `method path` (path without the query string). */
function serve(method: string, path: string, example: Answer): void {
  routes.set(`${method} ${path}`, example);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      seen.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = routes.get(`${req.method} ${path}`);
      if (!answer) {
        res.writeHead(599, { 'content-type': 'text/plain' }).end(`no example at ${req.method} ${path}`);
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  routes.clear();
  seen.length = 0;
});

// ONE store (002): the identifiers of the document's Authorization sample and token example.
const CLIENT_ID = 'com.onestore.game.goindol';
const CLIENT_SECRET = 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=';
const REF = { productId: 'product01', purchaseToken: 'SANDBOXT000120004476' };
const APP_PATH = `/v7/apps/${CLIENT_ID}`;
const PURCHASE_PATH = (type: string) =>
  `${APP_PATH}/purchases/${type}/products/product01/SANDBOXT000120004476`;
const SUCCESS = { code: 'Success', message: 'Request has been completed successfully.' };

function oneStore(): OneStoreClient {
  return new OneStoreClient({
    baseUrl: base,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    http: { retry: FAST_RETRY },
  });
}

/** The API calls made (token requests left out), as `METHOD path`. */
const apiCalls = () => seen.filter((s) => s.path !== '/v7/oauth/token').map((s) => `${s.method} ${s.path}`);

describe('ONE store Server API v7 (002): every example answer through OneStoreClient', () => {
  it('the token examples (the Example block and the curl transcript) decode to the token', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    expect(await client.requestToken()).toEqual({
      client_id: '0000000001',
      access_token: '680b3621-1234-1234-1234-8adfaef561b4',
      token_type: 'bearer',
      expires_in: 3010,
      scope: 'DEFAULT',
    });
    serve('POST', '/v7/oauth/token', doc.oneStoreTokenCurl);
    expect(await client.requestToken()).toMatchObject({ expires_in: 3600 });
    expect(seen.map((s) => s.body)).toEqual([
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
    ]);
    await client.close();
  });

  it('getPurchaseDetails: the example decodes, sent with the example token as Bearer', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('inapp'), doc.getPurchaseDetails);
    expect(await client.getPurchaseDetails(REF)).toEqual({
      consumptionState: 0,
      developerPayload: 'developerPayload',
      purchaseState: 0,
      purchaseTime: 1345678900000,
      purchaseId: '17070421461015116878',
      acknowledgeState: 0,
      quantity: 2,
    });
    const call = seen.find((s) => s.path === PURCHASE_PATH('inapp'));
    expect(call?.headers.authorization).toBe('Bearer 680b3621-1234-1234-1234-8adfaef561b4');
    await client.close();
  });

  it('getRecurringPurchaseDetails: the example decodes', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('auto'), doc.getRecurringPurchaseDetails);
    expect(await client.getRecurringPurchaseDetails(REF)).toEqual({
      startTime: 1345678900000,
      expiryTime: 1345678999999,
      nextPaymentTime: 1345688000000,
      autoRenewing: true,
      cancelReason: 1,
      cancelledTime: 1345679000000,
      acknowledgeState: 0,
      lastPurchaseId: '15081718460701027851',
      lastPurchaseState: 0,
    });
    await client.close();
  });

  it('the seven state changes: each Success example decodes, at its own path', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('POST', `${PURCHASE_PATH('all')}/acknowledge`, doc.acknowledgePurchase);
    serve('POST', `${PURCHASE_PATH('inapp')}/consume`, doc.consumePurchase);
    serve('POST', `${PURCHASE_PATH('auto')}/cancel`, doc.cancelRecurringPurchase);
    serve('POST', `${PURCHASE_PATH('auto')}/reactivate`, doc.reactivateRecurringPurchase);
    serve('POST', `${PURCHASE_PATH('subscription')}/cancel`, doc.cancelSubscription);
    serve('POST', `${PURCHASE_PATH('subscription')}/reactivate`, doc.reactivateSubscription);
    serve('POST', `${PURCHASE_PATH('subscription')}/defer`, doc.deferSubscription);
    expect(await client.acknowledgePurchase({ ...REF, developerPayload: 'your payload' })).toEqual(SUCCESS);
    expect(await client.consumePurchase({ ...REF, developerPayload: 'your payload' })).toEqual(SUCCESS);
    expect(await client.cancelRecurringPurchase(REF)).toEqual(SUCCESS);
    expect(await client.reactivateRecurringPurchase(REF)).toEqual(SUCCESS);
    expect(await client.cancelSubscription(REF)).toEqual(SUCCESS);
    expect(await client.reactivateSubscription(REF)).toEqual(SUCCESS);
    expect(await client.deferSubscription({ ...REF, deferPeriod: 3 })).toEqual(SUCCESS);
    expect(apiCalls()).toEqual([
      `POST ${PURCHASE_PATH('all')}/acknowledge`,
      `POST ${PURCHASE_PATH('inapp')}/consume`,
      `POST ${PURCHASE_PATH('auto')}/cancel`,
      `POST ${PURCHASE_PATH('auto')}/reactivate`,
      `POST ${PURCHASE_PATH('subscription')}/cancel`,
      `POST ${PURCHASE_PATH('subscription')}/reactivate`,
      `POST ${PURCHASE_PATH('subscription')}/defer`,
    ]);
    // The documents' request examples: {"developerPayload": "your payload"} and {"deferPeriod" : 3}.
    const bodies = seen.filter((s) => s.path !== '/v7/oauth/token').map((s) => s.body);
    expect(JSON.parse(bodies[0] ?? '')).toEqual({ developerPayload: 'your payload' });
    expect(JSON.parse(bodies[6] ?? '')).toEqual({ deferPeriod: 3 });
    await client.close();
  });

  it('getVoidedPurchases: the example, with its "voidedPurchaseList " key, decodes', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', `${APP_PATH}/voided-purchases`, doc.getVoidedPurchases);
    expect(await client.getVoidedPurchases()).toEqual({
      continuationKey: 'continuationKey',
      voidedPurchaseList: [
        {
          purchaseId: '19062709124410111299',
          purchaseTime: 1345678900000,
          voidedTime: 1345688900000,
          purchaseToken: '19062709124410111299',
          marketCode: 'MKT_ONE',
        },
        {
          purchaseId: '19062709124410111300',
          purchaseTime: 1345679900000,
          voidedTime: 1345878900000,
          purchaseToken: '19062709124410111299',
          marketCode: 'MKT_ONE',
        },
      ],
    });
    await client.close();
  });

  it('getUnconfirmedPurchases: the example, with its "unconfirmedPurchaseList " key, decodes', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', `${APP_PATH}/unconfirmed-purchases`, doc.getUnconfirmedPurchases);
    expect(await client.getUnconfirmedPurchases()).toEqual({
      continuationKey: 'continuationKey',
      unconfirmedPurchaseList: [
        {
          type: 'inapp',
          orderId: '01239349082349823489342',
          productId: '다이아100_20170818000000',
          purchaseToken: '19062709124410111299',
          purchaseId: '19062709124410111299',
          purchaseTime: 1345678900000,
          purchaseState: 0,
          developerPayload: 'E23DEFB029F84F4383ECB0E53B46B6A2',
          quantity: 1,
          marketCode: 'MKT_ONE',
        },
        {
          type: 'inapp',
          orderId: '01239349082349823489343',
          productId: '루비300_20170818000000',
          purchaseToken: '19062709124410111299',
          purchaseId: '19062709124410111300',
          purchaseTime: 1345679900000,
          purchaseState: 0,
          developerPayload: 'T_RPAY_27_201707120110880',
          quantity: 2,
          marketCode: 'MKT_ONE',
        },
      ],
    });
    await client.close();
  });

  it('getSubscriptionDetail: the example (a comma missing) is a protocol error naming the endpoint', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('subscription'), doc.getSubscriptionDetail);
    const err = await failure(client.getSubscriptionDetail(REF));
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({
      kind: 'UpstreamProtocolError',
      store: 'onestore',
      endpoint: 'onestore.getSubscriptionDetail',
      code: 'INVALID_JSON',
      httpStatus: 200,
      message: 'onestore.getSubscriptionDetail: response body is not valid JSON (HTTP 200)',
    });
    // A read answered 200 is not retried: one call reached the store.
    expect(apiCalls()).toEqual([`GET ${PURCHASE_PATH('subscription')}`]);
    await client.close();
  });

  it('getSubscriptionDetail: the same example with its one missing comma added decodes whole', async () => {
    const client = oneStore();
    const repaired = doc.getSubscriptionDetailCommaAdded;
    expect(repaired.body).not.toBe(doc.getSubscriptionDetail.body);
    expect(repaired.body.length).toBe(doc.getSubscriptionDetail.body.length + 1);
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('subscription'), repaired);
    expect(await client.getSubscriptionDetail(REF)).toEqual({
      acknowledgementState: 1,
      developerPayload: null,
      autoRenewing: true,
      paymentState: 1,
      priceAmount: '100',
      priceAmountMicros: '100000000',
      nextPriceAmount: '150',
      nextPriceAmountMicros: '150000000',
      nextPaymentTimeMillis: 1623337199000,
      priceCurrencyCode: 'KRW',
      countryCode: 'KR',
      startTimeMillis: 1623337199000,
      expiryTimeMillis: 1625929199000,
      pauseStartTimeMillis: 1625929199000,
      pauseEndTimeMillis: 1625929199000,
      autoResumeTimeMillis: 1625878800000,
      linkedPurchaseToken: null,
      lastPurchaseId: '20202394820938409234',
      cancelledTimeMillis: 1625929199000,
      cancelReason: 0,
      promotionPrice: { promotionPrice: '100', promotionPriceMicros: '100000000', promotionPeriod: 30 },
      priceChange: {
        seq: 1,
        previousPrice: '100',
        previousPriceMicros: '100000000',
        newPrice: '500',
        newPriceMicros: '500000000',
        applyTimeMillis: 1625670000000,
        agreement: false,
        agreementDueDateTimeMillis: 1345678920000,
      },
    });
    await client.close();
  });

  it('the standard error example (NoSuchData printed with HTTP 400) is that store code', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('inapp'), doc.standardError);
    const err = await failure(client.getPurchaseDetails(REF));
    expect(err).toBeInstanceOf(StoreApiError);
    expect(err).toMatchObject({
      kind: 'StoreApiError',
      endpoint: 'onestore.getPurchaseDetails',
      code: 'NoSuchData',
      httpStatus: 400,
      retryable: false,
    });
    await client.close();
  });
});

describe('NHN Cloud IAP server guide (003): every example answer through NhnCloudClient', () => {
  const nhn = () => new NhnCloudClient({ baseUrl: base, http: { retry: FAST_RETRY } });

  it('Payment Consume API: the example request path and body, and the example answer', async () => {
    const client = nhn();
    serve('POST', '/inapp/v3/consume/2014090210002254/items/1032032', doc.nhnConsume);
    const purchaseToken =
      '5PYSHgisiCU8BditHnDbPhmlS/0DSt4JDs2UMyg1/EY8oC6Q8qkuw5VBo7GNrBYLNUy656GCAh7h9e1BtXeoBA==';
    expect(await client.consume({ paymentSeq: '2014090210002254', itemSeq: 1032032, purchaseToken })).toEqual(
      {
        price: '1000',
        currency: 'KRW',
      },
    );
    expect(seen.map((s) => [s.method, s.path, JSON.parse(s.body)])).toEqual([
      ['POST', '/inapp/v3/consume/2014090210002254/items/1032032', { purchaseToken }],
    ]);
    await client.close();
  });

  it('Payment Consumable API: the example answer decodes to both payments', async () => {
    const client = nhn();
    serve('POST', '/standard/inapp/v1/consumable/list', doc.nhnConsumableList);
    expect(
      await client.getConsumableList({ appSeq: '1000272', userKey: 'tester', userChannel: 'GF' }),
    ).toEqual([
      {
        paymentSeq: '2016122110023124',
        itemSeq: '1000292',
        currency: 'KRW',
        price: '1000',
        purchaseToken:
          'oJgM1EfDRjnQY7yqhWCUVgAXsSxLWq698t8QyTzk3NeeSoytKxtKGjldTc1wkSktgzjsfkVTKE50DoGihsAvGQ',
      },
      {
        paymentSeq: '2016122110023125',
        itemSeq: '1000292',
        currency: 'KRW',
        price: '1000',
        purchaseToken:
          '7_3zXyNJub0FNLed3m9XRAAXsSxLWq698t8QyTzk3NeeSoytKxtKGjldTc1wkSktgzjsfkVTKE50DoGihsAvGQ',
      },
    ]);
    // The example request, with appSeq as the field table's Long rather than the example's string.
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      appSeq: 1000272,
      userChannel: 'GF',
      userKey: 'tester',
    });
    await client.close();
  });

  it('Item Search API: the example answer decodes', async () => {
    const client = nhn();
    serve('POST', '/standard/item/list/1000047', doc.nhnItemList);
    expect(await client.getItemList({ appSeq: 1000047 })).toEqual({
      appUsingStatus: 'USE',
      itemList: [
        {
          itemSeq: '1000059',
          itemName: '가스',
          marketItemId: 'gas',
          usingStatus: 'USE',
          regYmdt: '2014-12-05 07:02:34',
          appName: 'Google 유니티 빌드 테스트 어플리케이션',
          marketId: 'GG',
        },
      ],
      marketAppId: 'com.nhnent.rich.smuggler',
      appSeq: '1000047',
    });
    await client.close();
  });
});

describe('Gamebase Android guide (004): the SDK receipts are what the server calls carry', () => {
  const receipts = [
    doc.gamebaseReceiptConsumable,
    doc.gamebaseReceiptSubscription,
    doc.gamebaseSubscriptionStatus,
  ].map(
    (r) =>
      JSON.parse(r.body) as { paymentSeq: string; purchaseToken: string; userId: string; storeCode?: string },
  );

  it('every example parses as the JSON it claims to be, the item example included', () => {
    expect(JSON.parse(doc.gamebasePurchasableItem.body)).toMatchObject({
      gamebaseProductId: 'my_product_001',
    });
    expect(receipts.map((r) => r.paymentSeq)).toEqual([
      '2021032510000001',
      '2021032510000001',
      '2021032510000002',
    ]);
  });

  it('each receipt’s paymentSeq, purchaseToken, userId and storeCode pass the client and reach the API as sent', async () => {
    const appId = 'C3JmSctU';
    const client = new GamebaseClient({
      appId,
      secretKey: 'example-secret',
      baseUrl: base,
      http: { retry: FAST_RETRY },
    });
    const failed = {
      status: 200,
      contentType: 'application/json',
      body: '{"header":{"isSuccessful":false,"resultCode":1100}}',
    };
    serve('GET', `/tcgb-inapp/v1.3/apps/${appId}/payment/transaction`, failed);
    serve('POST', `/tcgb-inapp/v1.3/apps/${appId}/consume`, failed);
    serve('POST', `/tcgb-inapp/v1.3/apps/${appId}/consumable`, failed);
    for (const r of receipts) {
      await failure(client.getPaymentTransaction({ purchaseToken: r.purchaseToken }));
      await failure(client.consume({ paymentSeq: r.paymentSeq, purchaseToken: r.purchaseToken }));
      await failure(
        client.listConsumables({ userId: r.userId, marketIds: r.storeCode === 'GG' ? ['GG'] : [] }),
      );
    }
    expect(seen).toHaveLength(9);
    const consumes = seen.filter((s) => s.path.endsWith('/consume')).map((s) => JSON.parse(s.body));
    expect(consumes).toEqual(
      receipts.map((r) => ({ paymentSeq: r.paymentSeq, accessToken: r.purchaseToken })),
    );
    const lists = seen.filter((s) => s.path.endsWith('/consumable')).map((s) => JSON.parse(s.body));
    expect(lists).toEqual([
      { userId: 'AS@123456ABCDEFGHIJ', marketIds: [] },
      { userId: 'AS@123456ABCDEFGHIJ', marketIds: [] },
      { userId: 'AS@123456ABCDEFGHIJ', marketIds: ['GG'] },
    ]);
    await client.close();
  });
});

describe('answers the documents allow beyond their examples', () => {
  const nhn = () => new NhnCloudClient({ baseUrl: base, http: { retry: FAST_RETRY } });
  /** The consume example with another header: the document's own text, one value changed. */
  const consumeAnswer = (header: string) => ({
    ...doc.nhnConsume,
    body: doc.nhnConsume.body.replace(/"header": \{[^}]*\}/, `"header": ${header}`),
  });

  it('NHN: isSuccessful true with a non-zero resultCode is not a success; on a consume, uncertain', async () => {
    const client = nhn();
    const path = '/inapp/v3/consume/2014090210002254/items/1032032';
    serve(
      'POST',
      path,
      consumeAnswer('{"resultCode": 5018, "resultMessage": "ALREADY_CONSUMED", "isSuccessful": true}'),
    );
    const err = await failure(
      client.consume({ paymentSeq: '2014090210002254', itemSeq: 1032032, purchaseToken: 'dG9rZW4=' }),
    );
    // Half of the header says the consume went through: it proves no refusal.
    expect(err).toMatchObject({
      kind: 'UncertainOutcomeError',
      store: 'nhncloud',
      endpoint: 'nhncloud.consume',
      code: 'ALREADY_CONSUMED',
      resultCode: 5018,
    });
    await client.close();
  });

  it('NHN: isSuccessful false with resultCode 0 is not a success either; on a consume, uncertain', async () => {
    const client = nhn();
    const path = '/inapp/v3/consume/2014090210002254/items/1032032';
    serve('POST', path, consumeAnswer('{"resultCode": 0, "resultMessage": "", "isSuccessful": false}'));
    const err = await failure(
      client.consume({ paymentSeq: '2014090210002254', itemSeq: 1032032, purchaseToken: 'dG9rZW4=' }),
    );
    // Half of the header says success: nothing proves the consume was refused.
    expect(err).toMatchObject({ kind: 'UncertainOutcomeError', code: '0', resultCode: 0 });
    await client.close();
  });

  it('ONE store: a page holding both spellings of its list key is refused, not guessed at', async () => {
    const client = oneStore();
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', `${APP_PATH}/voided-purchases`, {
      ...doc.getVoidedPurchases,
      body: doc.getVoidedPurchases.body.replace(
        '"voidedPurchaseList ": [',
        '"voidedPurchaseList": [], "voidedPurchaseList ": [',
      ),
    });
    const err = await failure(client.getVoidedPurchases());
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'UNEXPECTED_SHAPE', endpoint: 'onestore.getVoidedPurchases' });
    await client.close();
  });

  it('Gamebase: Get Payment Transaction keeps paymentToken', async () => {
    const appId = 'C3JmSctU';
    const client = new GamebaseClient({
      appId,
      secretKey: 'example-secret',
      baseUrl: base,
      http: { retry: FAST_RETRY },
    });
    // Built from the API guide's field list (seeds README): no example of it is among the seeds.
    const result = {
      paymentSeq: '2021032510000001',
      productSeq: 1000001,
      currency: 'KRW',
      price: 1000.0,
      marketId: 'GG',
      accessToken: '5U_NVCLKSDFKLJJ',
      paymentId: 'GPA.1111-2222-3333-44444',
      paymentToken: 'store-purchase-token-1',
      productType: 'CONSUMABLE',
      userId: 'AS@123456ABCDEFGHIJ',
      gamebaseProductId: 'my_product_001',
      purchaseTime: '2021-03-25T14:13:45+09:00',
      isConsumable: true,
    };
    serve('GET', `/tcgb-inapp/v1.3/apps/${appId}/payment/transaction`, {
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        header: { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' },
        result,
      }),
    });
    const payment = await client.getPaymentTransaction({
      purchaseToken: '5U_NVCLKSDFKLJJ',
      paymentSeq: '2021032510000001',
    });
    expect(payment).toEqual({
      paymentSeq: '2021032510000001',
      productSeq: '1000001',
      currency: 'KRW',
      price: '1000',
      marketId: 'GG',
      accessToken: '5U_NVCLKSDFKLJJ',
      paymentId: 'GPA.1111-2222-3333-44444',
      paymentToken: 'store-purchase-token-1',
      productType: 'CONSUMABLE',
      userId: 'AS@123456ABCDEFGHIJ',
      gamebaseProductId: 'my_product_001',
      purchaseTime: '2021-03-25T14:13:45+09:00',
      purchaseTimeMs: Date.parse('2021-03-25T05:13:45Z'),
      isConsumable: true,
    });
    await client.close();
  });
});
