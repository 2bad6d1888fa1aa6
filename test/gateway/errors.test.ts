import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, GatewayError } from '../../src/graphql/errors/error-classes.js';
import { toGatewayError } from '../../src/graphql/errors/store-error-map.js';
import { nhncloud, onestore, StoreApiError } from '../../src/stores/index.js';
import { NHNCLOUD_RESULT_CODES as NHNCLOUD_CODE_MAP } from '../../src/stores/nhncloud/codes.js';
import { ONESTORE_ERROR_CODES as ONESTORE_CODE_MAP } from '../../src/stores/onestore/codes.js';
import {
  APP,
  act,
  BAD_SECRET_APP,
  ERROR_FIELDS,
  nhnItem,
  nhnPayment,
  OTHER_APP,
  purchase,
  upstreamTotal,
} from '../helpers/gateway.js';
import { injectFault, purchaseVars } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';

/** Every GraphQL error type, produced over real HTTP against the sandbox. */

const g = useGateway();
let itemSeq = '';
beforeAll(async () => {
  itemSeq = await nhnItem(g, { marketItemId: 'gas_can' });
});
afterEach(async () => {
  await g.control('DELETE', '/faults');
  await g.control('POST', '/maintenance', { on: false, store: 'all' });
});

const PURCHASE = `query ($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
}`;
const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) {
    __typename ... on ConsumePurchaseSuccess { purchase { consumptionState } } ${ERROR_FIELDS}
  }
}`;
const ACK = `mutation ($input: AcknowledgePurchaseInput!) {
  acknowledgePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;

const consumeInput = (
  p: { productId: string; purchaseToken: string },
  extra: Record<string, unknown> = {},
) => ({
  input: { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken, ...extra } },
});

describe('edge errors: nothing reaches a store', () => {
  it('InvalidInputError for a purchaseToken of 21 characters, with "/", or an empty productId', async () => {
    await g.resetStats();
    const cases = [
      { productId: 'gem_100', purchaseToken: 'A'.repeat(21), field: 'purchaseToken' },
      { productId: 'gem_100', purchaseToken: 'ABC/../DEF', field: 'purchaseToken' },
      { productId: 'gem_100', purchaseToken: '..', field: 'purchaseToken' },
      { productId: '', purchaseToken: 'A'.repeat(20), field: 'productId' },
      { productId: 'a/b', purchaseToken: 'A'.repeat(20), field: 'productId' },
    ];
    for (const c of cases) {
      const answer = await g.gql(PURCHASE, purchaseVars(c));
      expect(answer.data.purchase).toMatchObject({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: c.field,
      });
    }
    const mutation = await g.gql(
      CONSUME,
      consumeInput({ productId: 'gem_100', purchaseToken: 'x'.repeat(21) }),
    );
    expect(mutation.data.consumePurchase).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.onestore.purchaseToken',
    });
    expect(await upstreamTotal(g)).toBe(0);
  });

  it('ForbiddenError for a key of another app, a read-only key on a mutation, an unknown app', async () => {
    const p = await purchase(g);
    await g.resetStats();
    const otherKey = await g.gql(PURCHASE, { app: APP, ...p }, { key: g.keys.other });
    expect(otherKey.data.purchase).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const readOnly = await g.gql(CONSUME, consumeInput(p), { key: g.keys.ro });
    expect(readOnly.data.consumePurchase).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const unknown = await g.gql(PURCHASE, { app: 'nosuchapp', ...p });
    expect(unknown.data.purchase).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    // The same answer whether the app exists or not.
    const outside = await g.gql(PURCHASE, { app: OTHER_APP, ...p });
    expect(outside.data.purchase).toMatchObject({ __typename: 'ForbiddenError' });
    const check = await g.gql(
      `query { checkEntitlements(app: "${OTHER_APP}", checks: []) { __typename ... on Error { code } } }`,
    );
    expect(check.data.checkEntitlements).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await upstreamTotal(g)).toBe(0);
    // The read-only key may read.
    const read = await g.gql(PURCHASE, { app: APP, ...p }, { key: g.keys.ro });
    expect(read.data.purchase).toMatchObject({ __typename: 'Purchase' });
  });

  it('no key or a bad key is HTTP 401 and reaches no store', async () => {
    const p = await purchase(g);
    await g.resetStats();
    for (const key of [null, 'not-a-key', '']) {
      const answer = await g.gql(PURCHASE, { app: APP, ...p }, { key });
      expect(answer.status).toBe(401);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const viaHeader = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'wrong' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(viaHeader.status).toBe(401);
    expect(viaHeader.headers.get('www-authenticate')).toBe('Bearer');
    expect(await upstreamTotal(g)).toBe(0);
  });
});

describe('store answers mapped to error types', () => {
  it('NotFoundError: a token the store does not know', async () => {
    const answer = await g.gql(PURCHASE, {
      app: APP,
      productId: 'gem_100',
      purchaseToken: 'UNKNOWN0000000000001',
    });
    expect(answer.data.purchase).toMatchObject({ __typename: 'NotFoundError', storeCode: 'NoSuchData' });
  });

  it('AlreadyConsumedError: consuming twice', async () => {
    const p = await purchase(g);
    expect((await g.gql(CONSUME, consumeInput(p))).data.consumePurchase).toMatchObject({
      __typename: 'ConsumePurchaseSuccess',
    });
    expect((await g.gql(CONSUME, consumeInput(p))).data.consumePurchase).toMatchObject({
      __typename: 'AlreadyConsumedError',
      code: 'ALREADY_CONSUMED',
    });
  });

  it('InvalidPurchaseStateError: consuming a voided purchase; NHN consume with a wrong token (5000) is uncertain', async () => {
    const p = await purchase(g, { acknowledged: true });
    await act(g, p.purchaseToken, 'void');
    const voided = await g.gql(CONSUME, consumeInput(p));
    expect(voided.data.consumePurchase).toMatchObject({
      __typename: 'InvalidPurchaseStateError',
      code: 'INVALID_PURCHASE_STATE',
      errorStore: 'ONESTORE',
      storeCode: 'InvalidPurchaseState',
    });
    const pay = await nhnPayment(g, { itemSeq });
    const nhn = await g.gql(CONSUME, {
      input: {
        app: APP,
        nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: 'd3JvbmctdG9rZW4=' },
      },
    });
    // CONSUME_FAILED does not say the consume failed before any change (docs/redemption.md).
    expect(nhn.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      code: 'UNCERTAIN_OUTCOME',
      errorStore: 'NHN_CLOUD',
      storeCode: '5000',
    });
  });

  it('DeveloperPayloadMismatchError: consume and acknowledge with another developerPayload', async () => {
    const p = await purchase(g, { developerPayload: 'order-1' });
    const consume = await g.gql(CONSUME, consumeInput(p, { developerPayload: 'order-2' }));
    expect(consume.data.consumePurchase).toMatchObject({
      __typename: 'DeveloperPayloadMismatchError',
      code: 'DEVELOPER_PAYLOAD_MISMATCH',
      storeCode: 'DeveloperPayloadNotMatch',
    });
    const ack = await g.gql(ACK, {
      input: { app: APP, productId: p.productId, purchaseToken: p.purchaseToken, developerPayload: 'x' },
    });
    expect(ack.data.acknowledgePurchase).toMatchObject({ __typename: 'DeveloperPayloadMismatchError' });
  });

  it('StoreUnavailableError: store maintenance on a read, retryAfterSeconds from Retry-After; a consume is uncertain', async () => {
    const p = await purchase(g);
    await g.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 30 });
    const read = await g.gql(PURCHASE, { app: APP, ...p });
    expect(read.data.purchase).toMatchObject({
      __typename: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
      retryAfterSeconds: 30,
    });
    // A consume reads the purchase first: refused there, nothing is sent (a consume answered
    // ServiceMaintenance is UncertainOutcomeError: test/gateway/uncertain-changes.test.ts).
    await g.resetStats();
    const consume = await g.gql(CONSUME, consumeInput(p));
    expect(consume.data.consumePurchase).toMatchObject({
      __typename: 'StoreUnavailableError',
      storeCode: 'ServiceMaintenance',
      retryAfterSeconds: 30,
    });
    expect(await g.count('onestore.consumePurchase')).toBe(0);
    await g.control('POST', '/maintenance', { on: false, store: 'onestore' });
    const after = await g.gql(PURCHASE, { app: APP, ...p });
    expect(after.data.purchase).toEqual({ __typename: 'Purchase', purchaseState: 'PURCHASED' });
  });

  it('UncertainOutcomeError: an InternalError on consume; exactly one consume reached the store', async () => {
    const p = await purchase(g);
    await g.gql(PURCHASE, { app: APP, ...p }); // a token is cached
    await injectFault(g, 'onestore.consumePurchase', { code: 'InternalError' });
    await g.resetStats();
    const answer = await g.gql(CONSUME, consumeInput(p));
    expect(answer.data.consumePurchase).toMatchObject({
      __typename: 'UncertainOutcomeError',
      code: 'UNCERTAIN_OUTCOME',
      errorStore: 'ONESTORE',
    });
    expect(await g.count('onestore.consumePurchase')).toBe(1);
  });

  it('UncertainOutcomeError: a dropped connection on consume; exactly one consume reached the store', async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', drop: true, count: 1 });
    await g.resetStats();
    const answer = await g.gql(CONSUME, consumeInput(p));
    expect(answer.data.consumePurchase).toMatchObject({ __typename: 'UncertainOutcomeError' });
    expect(await g.count('onestore.consumePurchase')).toBe(1);
    // It was not applied (the sandbox dropped it before handling): a re-read tells, and a consume now works.
    const retry = await g.gql(CONSUME, consumeInput(p));
    expect(retry.data.consumePurchase).toMatchObject({
      __typename: 'ConsumePurchaseSuccess',
      purchase: { consumptionState: 'CONSUMED' },
    });
  });

  it('StoreAccessDeniedError: a blocked app; a wrong client secret in the config', async () => {
    const p = await purchase(g, { app: 'b' });
    await g.control('POST', `/onestore/apps/${g.onestore.b}/block`, { blocked: true });
    try {
      const blocked = await g.gql(PURCHASE, { app: OTHER_APP, ...p }, { key: g.keys.other });
      expect(blocked.data.purchase).toMatchObject({
        __typename: 'StoreAccessDeniedError',
        code: 'STORE_ACCESS_DENIED',
        storeCode: 'AccessBlocked',
      });
    } finally {
      await g.control('POST', `/onestore/apps/${g.onestore.b}/block`, { blocked: false });
    }
    const wrongSecret = await g.gql(PURCHASE, {
      app: BAD_SECRET_APP,
      productId: 'gem_100',
      purchaseToken: 'ABCDEFGHIJ0123456789',
    });
    expect(wrongSecret.data.purchase).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
    });
    expect(JSON.stringify(wrongSecret.body)).not.toContain('not-the-secret');
  });

  it('StoreProtocolError: MethodNotAllowed, or an HTML 404 page, on a lookup', async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', code: 'MethodNotAllowed' });
    const method = await g.gql(PURCHASE, { app: APP, ...p });
    expect(method.data.purchase).toMatchObject({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
      storeCode: 'MethodNotAllowed',
    });
    await g.control('DELETE', '/faults');
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 404 });
    const html = await g.gql(PURCHASE, { app: APP, ...p });
    expect(html.data.purchase).toMatchObject({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
    });
  });
});

describe('the mapping table', () => {
  const codeOf = (store: 'onestore' | 'nhncloud', code: string, resultCode?: number): ErrorCode => {
    const error = toGatewayError(
      new StoreApiError({
        store,
        endpoint: 'test',
        code,
        message: 'test',
        retryable: false,
        ...(resultCode !== undefined && { resultCode }),
      }),
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(ERROR_CODES).toContain(error.code);
    return error.code;
  };

  it('maps every ONE store standard code to exactly one error type', () => {
    expect(Object.keys(ONESTORE_CODE_MAP).sort()).toEqual(Object.keys(onestore.ONESTORE_ERROR_CODES).sort());
    const expected: Record<string, ErrorCode> = {
      AccessBlocked: 'STORE_ACCESS_DENIED',
      AccessTokenExpired: 'STORE_ACCESS_DENIED',
      InvalidAccessToken: 'STORE_ACCESS_DENIED',
      InvalidAuthorizationHeader: 'STORE_ACCESS_DENIED',
      UnauthorizedAccess: 'STORE_ACCESS_DENIED',
      BadRequest: 'INVALID_INPUT',
      InvalidRequest: 'INVALID_INPUT',
      RequiredValueNotExist: 'INVALID_INPUT',
      DeveloperPayloadNotMatch: 'DEVELOPER_PAYLOAD_MISMATCH',
      InvalidConsumeState: 'INVALID_PURCHASE_STATE',
      InvalidPurchaseState: 'INVALID_PURCHASE_STATE',
      NoSuchData: 'NOT_FOUND',
      ResourceNotFound: 'STORE_PROTOCOL_ERROR',
      InvalidContentType: 'STORE_PROTOCOL_ERROR',
      MethodNotAllowed: 'STORE_PROTOCOL_ERROR',
      ServiceMaintenance: 'STORE_UNAVAILABLE',
      InternalError: 'STORE_UNAVAILABLE',
    };
    const got = Object.fromEntries(Object.keys(ONESTORE_CODE_MAP).map((c) => [c, codeOf('onestore', c)]));
    expect(got).toEqual(expected);
  });

  it('maps every NHN Cloud result code (as the NHN client reports it) to exactly one error type', () => {
    expect(Object.keys(NHNCLOUD_CODE_MAP).sort()).toEqual(Object.keys(nhncloud.NHNCLOUD_RESULT_CODES).sort());
    const expected: Record<string, ErrorCode> = {
      '1100': 'INVALID_INPUT',
      '2111': 'STORE_PROTOCOL_ERROR',
      '2112': 'STORE_PROTOCOL_ERROR',
      // Only consume answers 5000, and there it is UNCERTAIN_OUTCOME (the client's error kind);
      // a read answered 5000 is off-protocol.
      '5000': 'STORE_PROTOCOL_ERROR',
      '5018': 'ALREADY_CONSUMED',
    };
    const got = Object.fromEntries(
      Object.keys(NHNCLOUD_CODE_MAP).map((resultCode) => {
        const { code } = nhncloud.describeResultCode(Number(resultCode));
        return [resultCode, codeOf('nhncloud', code, Number(resultCode))];
      }),
    );
    expect(got).toEqual(expected);
  });
});
