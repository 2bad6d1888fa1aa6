import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { APP, BAD_SECRET_APP, ERROR_FIELDS, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { injectFault } from '../helpers/gateway-actions.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * unconsumedGamebasePayments over HTTP against the sandbox's Gamebase: a success, and every error
 * type the query can answer, each with the number of calls that reached the store.
 */

const QUERY = `query ($app: String!, $userId: String!, $storeCodes: [GamebaseStoreCode!]) {
  unconsumedGamebasePayments(app: $app, userId: $userId, storeCodes: $storeCodes) {
    __typename
    ... on UnconsumedGamebasePayments { payments { paymentSeq purchaseToken storeCode gamebaseProductId
      productSeq paymentId purchasedAt price { amount amountMicros currency } payload isTestPurchase } }
    ${ERROR_FIELDS}
  }
}`;

const g = useGateway();
afterEach(async () => {
  await g.control('DELETE', '/faults');
  await g.control('POST', '/maintenance', { on: false, store: 'all' });
});

const USER = 'AS@UNCONSUMED0001';
const run = async (variables: Record<string, unknown>, key?: string) => {
  await g.resetStats();
  const answer = await g.gql(QUERY, { app: APP, userId: USER, ...variables }, key ? { key } : {});
  return answer.data.unconsumedGamebasePayments as Record<string, unknown>;
};

describe('unconsumedGamebasePayments', () => {
  it('lists the user’s unconsumed payments, newest first, by store; one upstream call each', async () => {
    const hour = 3_600_000;
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const one = await newGamebasePayment(g.h, g.gamebase, {
      userId: USER,
      storeCode: 'ONESTORE',
      price: '1200',
      currency: 'KRW',
      purchaseTime: t0,
      payload: 'order-1',
    });
    const google = await newGamebasePayment(g.h, g.gamebase, {
      userId: USER,
      storeCode: 'GG',
      price: '0.99',
      currency: 'USD',
      purchaseTime: t0 + hour,
    });
    const amazon = await newGamebasePayment(g.h, g.gamebase, { userId: USER, storeCode: 'AMAZON' });
    await newGamebasePayment(g.h, g.gamebase, { userId: USER, storeCode: 'GG', consumed: true });
    await newGamebasePayment(g.h, g.gamebase, { userId: 'AS@SOMEONEELSE01', storeCode: 'GG' });
    const row = (
      p: typeof one,
      storeCode: string,
      price: object,
      purchasedAt: string,
      payload: string | null,
    ) => ({
      paymentSeq: p.paymentSeq,
      purchaseToken: p.purchaseToken,
      storeCode,
      gamebaseProductId: 'gem_100',
      productSeq: String(p.productSeq),
      paymentId: p.paymentId,
      purchasedAt,
      price,
      payload,
      isTestPurchase: true,
    });

    expect(await run({})).toEqual({
      __typename: 'UnconsumedGamebasePayments',
      payments: [
        row(
          google,
          'GG',
          { amount: '0.99', amountMicros: null, currency: 'USD' },
          '2026-03-01T01:00:00.000Z',
          null,
        ),
        row(
          one,
          'ONESTORE',
          { amount: '1200', amountMicros: null, currency: 'KRW' },
          '2026-03-01T00:00:00.000Z',
          'order-1',
        ),
      ],
    });
    expect(await g.count('gamebase.consumableList')).toBe(1);

    const amazonOnly = await run({ storeCodes: ['AMAZON', 'AMAZON'] });
    expect((amazonOnly.payments as { paymentSeq: string }[]).map((p) => p.paymentSeq)).toEqual([
      amazon.paymentSeq,
    ]);
    expect(await g.count('gamebase.consumableList')).toBe(1);

    expect(await run({ userId: 'AS@NOPAYMENTS0001' })).toEqual({
      __typename: 'UnconsumedGamebasePayments',
      payments: [],
    });
  });

  it('InvalidInputError: a userId outside printable ASCII, or an app without Gamebase; no call made', async () => {
    expect(await run({ userId: 'AS@ bad' })).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      field: 'userId',
    });
    expect(await upstreamTotal(g)).toBe(0);
    expect(await run({ app: BAD_SECRET_APP })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'app',
    });
    expect(await upstreamTotal(g)).toBe(0);
  });

  it('an unknown store code is refused by GraphQL validation before any call', async () => {
    await g.resetStats();
    const answer = await g.gql(QUERY, { app: APP, userId: USER, storeCodes: ['APPLE'] });
    // A variable refused before execution: HTTP 400 with or without graphql-jit (jit said 200).
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBe(null);
    expect(answer.body.errors?.[0]?.message).toMatch(/GamebaseStoreCode/);
    expect(await upstreamTotal(g)).toBe(0);
  });

  it('InvalidInputError: Gamebase answers 1100 INVALID_PARAMETERS to the list (not NotFoundError)', async () => {
    await g.control('POST', '/faults', { endpoint: 'gamebase.consumableList', resultCode: 1100 });
    expect(await run({})).toMatchObject({
      __typename: 'InvalidInputError',
      code: 'INVALID_INPUT',
      errorStore: 'GAMEBASE',
      storeCode: '1100',
    });
    expect(await g.count('gamebase.consumableList')).toBe(1);
  });

  it('ForbiddenError: a key for another app; no call made', async () => {
    expect(await run({}, g.keys.other)).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await upstreamTotal(g)).toBe(0);
  });

  it('StoreAccessDeniedError: Gamebase refuses the secret key (-4010004)', async () => {
    await g.control('POST', '/faults', { endpoint: 'gamebase.consumableList', resultCode: -4010004 });
    expect(await run({})).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
      storeCode: '-4010004',
    });
    expect(await g.count('gamebase.consumableList')).toBe(1);
  });

  it('StoreUnavailableError: Gamebase in maintenance (HTTP 503 with Retry-After)', async () => {
    await g.control('POST', '/maintenance', { on: true, store: 'gamebase', retryAfterSeconds: 30 });
    expect(await run({})).toMatchObject({
      __typename: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
      retryAfterSeconds: 30,
      storeCode: 'HTTP_503',
    });
    expect(await g.count('gamebase.consumableList')).toBe(1);
  });

  it('StoreProtocolError: an HTML 404 from a front server, or Gamebase’s "undefined API"', async () => {
    await g.control('POST', '/faults', { endpoint: 'gamebase.consumableList', status: 404, count: 1 });
    expect(await run({})).toEqual({
      __typename: 'StoreProtocolError',
      code: 'STORE_PROTOCOL_ERROR',
      message: 'The store answered gamebase.consumableList outside its documented protocol.',
      errorStore: 'GAMEBASE',
      storeCode: 'HTTP_404',
    });
    expect(await g.count('gamebase.consumableList')).toBe(1);
    await injectFault(g, 'gamebase.consumableList', { resultCode: -4040202 });
    expect(await run({})).toMatchObject({ __typename: 'StoreProtocolError', storeCode: '-4040202' });
  });

  it('is in schema/operations, and the operation runs as the README-style client would send it', async () => {
    const operation = readFileSync('schema/operations/unconsumed-gamebase-payments.graphql', 'utf8');
    await g.resetStats();
    const answer = await g.gql(operation, { app: APP, userId: 'AS@NOPAYMENTS0002' });
    expect(answer.data.unconsumedGamebasePayments).toEqual({
      __typename: 'UnconsumedGamebasePayments',
      payments: [],
    });
    expect(await upstreamTotal(g)).toBe(1);
  });
});

describe('unconsumedGamebasePayments under a rate limit', () => {
  it('RateLimitedError once the app’s budget is spent; no call made for it', async () => {
    const limited = await startGateway({
      config: { rateLimits: { perApp: { points: 1, durationSeconds: 60 } } },
    });
    try {
      const ask = async () =>
        (await limited.gql(QUERY, { app: APP, userId: USER })).data.unconsumedGamebasePayments as Record<
          string,
          unknown
        >;
      expect((await ask()).__typename).toBe('UnconsumedGamebasePayments');
      await limited.resetStats();
      expect(await ask()).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
      expect(await upstreamTotal(limited)).toBe(0);
    } finally {
      await limited.close();
    }
  });
});
