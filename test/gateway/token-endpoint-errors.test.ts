import { describe, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, nhnItem, nhnPayment, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';

/**
 * Issue 24, point 4: an error answered by ONE store's token endpoint (`POST /v7/oauth/token`) is
 * about the gateway's credentials or configuration, never about the purchase: `NoSuchData` there
 * ("no such client") must not become NotFoundError ("no such purchase: treat the token as fake"),
 * and a checkEntitlements entry must not read `active: false` from it (its answer is that error, with
 * `active: null`; the other entries are answered). Errors are read per endpoint.
 */

const g = useGateway({ clearFaults: true });

const PURCHASE = `query ($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
}`;
const CHECK = `query ($app: String!, $checks: [EntitlementCheckInput!]!) {
  checkEntitlements(app: $app, checks: $checks) {
    __typename
    ... on EntitlementCheckList { checks {
      active
      purchase { __typename ... on Error { code storeCode } }
      subscription { __typename ... on Error { code storeCode } }
    } }
    ... on Error { code message errorStore: store storeCode }
  }
}`;

/** A fresh token request is needed for every call: a failed one leaves nothing cached. */
const tokenAnswers = (answer: Record<string, unknown>) =>
  g.control('POST', '/faults', { endpoint: 'onestore.token', ...answer });

const tokenRefused = async (): Promise<number> => {
  const text = await (await fetch(`${g.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('gateway_token_refreshes_total{') && l.includes('outcome="refused"'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
};

describe('NoSuchData from the token endpoint', () => {
  it('purchase: StoreAccessDeniedError naming the token endpoint, not NotFoundError; 0 purchase calls', async () => {
    const p = await purchase(g);
    await tokenAnswers({ code: 'NoSuchData' });
    await g.resetStats();
    const before = await tokenRefused();
    const answer = await g.gql(PURCHASE, { app: APP, ...p });
    expect(answer.data.purchase).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
      errorStore: 'ONESTORE',
      storeCode: 'NoSuchData',
    });
    expect((answer.data.purchase as { message: string }).message).toContain('onestore.token');
    expect(await upstreamCounts(g)).toEqual({ 'onestore.token': 1 });
    expect(await tokenRefused()).toBe(before + 1);
  });

  it('redeemPurchase: StoreAccessDeniedError, no grant, 0 purchase calls', async () => {
    const p = await purchase(g);
    await tokenAnswers({ code: 'NoSuchData' });
    await g.resetStats();
    const answer = await g.gql(REDEEM, {
      input: {
        app: APP,
        userId: 'player-1',
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      },
    });
    expect(answer.data.redeemPurchase as RedeemAnswer).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
      storeCode: 'NoSuchData',
    });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.token': 1 });
    const grants = await g.gql(
      `query ($app: String!) { grants(app: $app, userId: "player-1", first: 10) {
        ... on GrantConnection { edges { node { id } } } } }`,
      { app: APP },
    );
    expect(grants.data.grants).toEqual({ edges: [] });
  });

  it('checkEntitlements: each ONE store entry answers StoreAccessDeniedError with active null (never false); an NHN entry is answered as usual', async () => {
    const p = await purchase(g);
    const itemSeq = await nhnItem(g, { marketItemId: 'token_gas' });
    const pay = await nhnPayment(g, { itemSeq });
    await tokenAnswers({ code: 'NoSuchData' });
    await g.resetStats();
    const answer = await g.gql(CHECK, {
      app: APP,
      checks: [
        { store: 'ONESTORE', productId: p.productId, purchaseToken: p.purchaseToken },
        { store: 'ONESTORE', kind: 'SUBSCRIPTION', productId: 'sub_x', purchaseToken: p.purchaseToken },
        {
          store: 'NHN_CLOUD',
          paymentSeq: pay.paymentSeq,
          purchaseToken: pay.purchaseToken,
          userKey: pay.userKey,
        },
      ],
    });
    const denied = {
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
      storeCode: 'NoSuchData',
    };
    expect(answer.data.checkEntitlements).toEqual({
      __typename: 'EntitlementCheckList',
      checks: [
        { active: null, purchase: denied, subscription: null },
        { active: null, purchase: null, subscription: denied },
        { active: true, purchase: { __typename: 'Purchase' }, subscription: null },
      ],
    });
    // Each entry's call asked for a token; none reached a purchase endpoint.
    const counts = await upstreamCounts(g);
    expect(counts).toMatchObject({ 'nhncloud.consumableList': 1 });
    expect(Object.keys(counts).filter((k) => k.startsWith('onestore.') && k !== 'onestore.token')).toEqual(
      [],
    );
  });
});

describe('every standard code the token endpoint can answer', () => {
  // Document 002's codes for every API (대상 API 공통), plus NoSuchData: refusals of the gateway's
  // request for a token, i.e. of its credentials or configuration.
  const REFUSALS = [
    'AccessBlocked',
    'AccessTokenExpired',
    'BadRequest',
    'InvalidAccessToken',
    'InvalidAuthorizationHeader',
    'InvalidContentType',
    'InvalidRequest',
    'MethodNotAllowed',
    'NoSuchData',
    'RequiredValueNotExist',
    'ResourceNotFound',
    'UnauthorizedAccess',
  ];

  it.each(REFUSALS)('%s: StoreAccessDeniedError, counted as a refused token request', async (code) => {
    const p = await purchase(g);
    await tokenAnswers({ code });
    await g.resetStats();
    const before = await tokenRefused();
    const answer = await g.gql(PURCHASE, { app: APP, ...p });
    expect(answer.data.purchase).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      storeCode: code,
    });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.token': 1 });
    expect(await tokenRefused()).toBe(before + 1);
  });

  it.each([
    ['ServiceMaintenance', { code: 'ServiceMaintenance', retryAfterSeconds: 60 }],
    ['HTTP 429', { status: 429, retryAfterSeconds: 60 }],
  ])(
    '%s: StoreUnavailableError (the store is busy, the credentials are not in doubt)',
    async (_name, answer) => {
      const p = await purchase(g);
      await tokenAnswers(answer);
      const before = await tokenRefused();
      const read = await g.gql(PURCHASE, { app: APP, ...p });
      expect(read.data.purchase).toMatchObject({ __typename: 'StoreUnavailableError' });
      expect(await tokenRefused()).toBe(before);
    },
  );
});
