import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_APP as APP,
  DOCUMENT_CLIENT_ID as CLIENT_ID,
  useDocumentGateway,
} from '../helpers/document-gateway.js';
import { ERROR_FIELDS } from '../helpers/gateway.js';
import * as doc from '../stores/fixtures/document-examples.js';

/**
 * The gateway over stores that answer exactly what their documents print: the list examples with
 * their trailing-space keys, the getSubscriptionDetail example missing a comma, the HTML 404 page
 * ONE store's front server sends (for an encoded slash in a path), and an NHN header whose
 * resultCode says failure while isSuccessful says true. Served by a local HTTP server at each
 * endpoint's path, through the real gateway (yoga.fetch).
 */

const TOKEN = 'SANDBOXT000120004476';
const PURCHASE_PATH = (type: string) => `/v7/apps/${CLIENT_ID}/purchases/${type}/products/product01/${TOKEN}`;
const HTML_404 = {
  status: 404,
  contentType: 'text/html',
  body: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>',
};

const store = useDocumentGateway();
const serve: typeof store.serve = (...args) => store.serve(...args);
const gql: typeof store.gql = (...args) => store.gql(...args);

const apiCalls = () => store.seen.filter((s) => s !== 'POST /v7/oauth/token');

describe('ONE store list examples through GraphQL', () => {
  it('unconfirmedPurchases reads the example with its "unconfirmedPurchaseList " key', async () => {
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', `/v7/apps/${CLIENT_ID}/unconfirmed-purchases`, doc.getUnconfirmedPurchases);
    const data = await gql(
      `query ($app: String!) { unconfirmedPurchases(app: $app) { __typename
      ... on PurchaseConnection { edges { node { productId purchaseToken purchaseId orderId quantity } }
        pageInfo { hasNextPage } }
      ${ERROR_FIELDS} } }`,
      { app: APP },
    );
    expect(data.unconfirmedPurchases).toEqual({
      __typename: 'PurchaseConnection',
      edges: [
        {
          node: {
            productId: '다이아100_20170818000000',
            purchaseToken: '19062709124410111299',
            purchaseId: '19062709124410111299',
            orderId: '01239349082349823489342',
            quantity: 1,
          },
        },
        {
          node: {
            productId: '루비300_20170818000000',
            purchaseToken: '19062709124410111299',
            purchaseId: '19062709124410111300',
            orderId: '01239349082349823489343',
            quantity: 2,
          },
        },
      ],
      pageInfo: { hasNextPage: true },
    });
  });

  it('voidedPurchases reads the example with its "voidedPurchaseList " key', async () => {
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', `/v7/apps/${CLIENT_ID}/voided-purchases`, doc.getVoidedPurchases);
    const data = await gql(
      `query ($app: String!) { voidedPurchases(app: $app) { __typename
      ... on VoidedPurchaseConnection { edges { node { purchaseId purchaseToken } } pageInfo { hasNextPage } }
      ${ERROR_FIELDS} } }`,
      { app: APP },
    );
    expect(data.voidedPurchases).toEqual({
      __typename: 'VoidedPurchaseConnection',
      edges: [
        { node: { purchaseId: '19062709124410111299', purchaseToken: '19062709124410111299' } },
        { node: { purchaseId: '19062709124410111300', purchaseToken: '19062709124410111299' } },
      ],
      pageInfo: { hasNextPage: true },
    });
  });
});

const SUBSCRIPTION = `query ($app: String!, $kind: SubscriptionKind) {
  subscription(app: $app, productId: "product01", purchaseToken: "${TOKEN}", kind: $kind) {
    __typename ${ERROR_FIELDS} } }`;

describe('answers no decoder can read are StoreProtocolError, never NotFoundError', () => {
  it('the getSubscriptionDetail example (a comma missing): StoreProtocolError naming the endpoint', async () => {
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('subscription'), doc.getSubscriptionDetail);
    const data = await gql(SUBSCRIPTION, { app: APP, kind: 'SUBSCRIPTION' });
    expect(data.subscription).toEqual({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
      message: 'The store answered onestore.getSubscriptionDetail outside its documented protocol.',
      errorStore: 'ONESTORE',
      storeCode: 'INVALID_JSON',
    });
    // Without a kind, an unreadable subscription answer is not "no such subscription": no fallback
    // to the monthly endpoint.
    store.seen.length = 0;
    const unknownKind = await gql(SUBSCRIPTION, { app: APP, kind: null });
    expect(unknownKind.subscription).toMatchObject({
      __typename: 'StoreProtocolError',
      storeCode: 'INVALID_JSON',
    });
    expect(apiCalls()).toEqual([`GET ${PURCHASE_PATH('subscription')}`]);
  });

  it('an HTML 404 from the front server: StoreProtocolError on purchase, subscription and checkEntitlements', async () => {
    serve('POST', '/v7/oauth/token', doc.oneStoreToken);
    serve('GET', PURCHASE_PATH('inapp'), HTML_404);
    serve('GET', PURCHASE_PATH('subscription'), HTML_404);
    const protocol404 = (endpoint: string) => ({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
      message: `The store answered ${endpoint} outside its documented protocol.`,
      errorStore: 'ONESTORE',
      storeCode: 'HTTP_404',
    });
    const purchase = await gql(
      `query ($app: String!) {
      purchase(app: $app, productId: "product01", purchaseToken: "${TOKEN}") { __typename ${ERROR_FIELDS} } }`,
      {
        app: APP,
      },
    );
    expect(purchase.purchase).toEqual(protocol404('onestore.getPurchaseDetails'));
    const subscription = await gql(SUBSCRIPTION, { app: APP, kind: null });
    expect(subscription.subscription).toEqual(protocol404('onestore.getSubscriptionDetail'));
    const check = await gql(
      `query ($app: String!) {
      checkEntitlements(app: $app, checks: [{ store: ONESTORE, productId: "product01", purchaseToken: "${TOKEN}" }]) {
        __typename ... on EntitlementCheckList { checks { active
          purchase { __typename ... on Error { code storeCode } } } } } }`,
      {
        app: APP,
      },
    );
    expect(check.checkEntitlements).toEqual({
      __typename: 'EntitlementCheckList',
      checks: [
        {
          // An HTML page says nothing about the purchase: not known, never "inactive".
          active: null,
          purchase: { __typename: 'StoreProtocolError', code: 'STORE_PROTOCOL_ERROR', storeCode: 'HTTP_404' },
        },
      ],
    });
    // A 404 page is not retried, and the subscription lookup did not fall back to the monthly endpoint.
    expect(apiCalls()).toEqual([
      `GET ${PURCHASE_PATH('inapp')}`,
      `GET ${PURCHASE_PATH('subscription')}`,
      `GET ${PURCHASE_PATH('inapp')}`,
    ]);
  });
});

describe('NHN Cloud: success needs isSuccessful and resultCode 0', () => {
  it('a consume answered isSuccessful true with resultCode 5018 is UncertainOutcomeError: neither a success nor a refusal', async () => {
    const path = '/inapp/v3/consume/2014090210002254/items/1032032';
    serve('POST', path, {
      ...doc.nhnConsume,
      body: doc.nhnConsume.body.replace('"resultCode": 0', '"resultCode": 5018'),
    });
    const data = await gql(
      `mutation ($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { __typename ${ERROR_FIELDS} } }`,
      {
        input: {
          app: APP,
          nhncloud: {
            paymentSeq: '2014090210002254',
            itemSeq: '1032032',
            purchaseToken:
              '5PYSHgisiCU8BditHnDbPhmlS/0DSt4JDs2UMyg1/EY8oC6Q8qkuw5VBo7GNrBYLNUy656GCAh7h9e1BtXeoBA==',
          },
        },
      },
    );
    // Half of the header says the consume went through: it proves no refusal (review 3, finding 2).
    expect(data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      code: 'UNCERTAIN_OUTCOME',
      errorStore: 'NHN_CLOUD',
      storeCode: '5018',
    });
    expect(store.seen).toEqual([`POST ${path}`]);
  });
});
