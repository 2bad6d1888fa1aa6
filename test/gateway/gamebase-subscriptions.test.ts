import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { APP, ERROR_FIELDS, upstreamCounts, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * gamebaseSubscriptions and gamebaseSubscriptionStatus over HTTP against the sandbox's Gamebase:
 * every field, the sandbox clock's renewals seen through the gateway, batching (one List Active
 * Subscriptions call per distinct user, Get Subscriptions Status in calls of at most 10), and the
 * typed errors of the guide's codes.
 */

const FIELDS = `storeCode userId paymentSeq purchaseToken productSeq productId productType gamebaseProductId
  originalPaymentId paymentId linkedPaymentId price { amount amountMicros currency } payload purchasedAt
  expiresAt renewedAt isTestPurchase referenceStatus referenceStatusCode`;
const STATUS_FIELDS = `userId paymentSeq purchaseToken paymentId originalPaymentId purchasedAt expiresAt renewedAt
  referenceStatus referenceStatusCode`;

const LIST = `query ($app: String!, $userId: String!, $packageName: String!, $storeCodes: [GamebaseStoreCode!],
    $inactive: [GamebaseInactiveGoogleStatus!]) {
  gamebaseSubscriptions(app: $app, userId: $userId, packageName: $packageName, storeCodes: $storeCodes,
      includeInactiveStatuses: $inactive) {
    __typename
    ... on GamebaseSubscriptions { subscriptions { ${FIELDS} } }
    ${ERROR_FIELDS}
  }
}`;

const STATUS = `query ($app: String!, $paymentSeq: String!, $purchaseToken: String!) {
  gamebaseSubscriptionStatus(app: $app, paymentSeq: $paymentSeq, purchaseToken: $purchaseToken) {
    __typename
    ... on GamebaseSubscriptionStatus { ${STATUS_FIELDS} }
    ${ERROR_FIELDS}
  }
}`;

const PACKAGE = 'com.nhncloud.gamebase';
const DAY = 86_400_000;
const T0 = Date.parse('2026-05-01T00:00:00Z');

const g = useGateway();
afterEach(async () => {
  await g.control('DELETE', '/faults');
});

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
}
interface View {
  id: string;
  originalPaymentId: string;
  periods: Period[];
}

const newUser = () => `GG@${randomUUID().slice(0, 12).toUpperCase()}`;

async function subscribe(userId: string, extra: Record<string, unknown> = {}): Promise<View> {
  return g.control<View>('POST', '/gamebase/subscriptions', {
    appId: g.gamebase.appId,
    userId,
    packageName: PACKAGE,
    gamebaseProductId: 'vip_monthly',
    productId: 'vip.monthly',
    price: '2.29',
    currency: 'EUR',
    purchaseTime: T0,
    ...extra,
  });
}

const last = (v: View) => v.periods[v.periods.length - 1] as Period;

async function list(variables: Record<string, unknown>) {
  await g.resetStats();
  const answer = await g.gql(LIST, { app: APP, packageName: PACKAGE, ...variables });
  return answer.data.gamebaseSubscriptions as Record<string, unknown>;
}

async function status(p: Period) {
  const answer = await g.gql(STATUS, { app: APP, paymentSeq: p.paymentSeq, purchaseToken: p.accessToken });
  return answer.data.gamebaseSubscriptionStatus as Record<string, unknown>;
}

describe('gamebaseSubscriptions', () => {
  it('answers every field of the latest period; the clock’s renewal shows a new paymentSeq and paymentId', async () => {
    const user = newUser();
    await g.control('POST', '/clock', { set: T0 + 1000 });
    const s = await subscribe(user, {
      linkedPaymentId: 'GPA.3358-3220-2629-70624',
      payload: 'order-7',
      isTestPurchase: false,
    });
    const first = last(s);
    const expected = {
      storeCode: 'GG',
      userId: user,
      paymentSeq: first.paymentSeq,
      purchaseToken: first.accessToken,
      productSeq: expect.stringMatching(/^\d+$/),
      productId: 'vip.monthly',
      productType: 'AUTO_RENEWABLE',
      gamebaseProductId: 'vip_monthly',
      originalPaymentId: s.originalPaymentId,
      paymentId: s.originalPaymentId,
      linkedPaymentId: 'GPA.3358-3220-2629-70624',
      price: { amount: '2.29', amountMicros: null, currency: 'EUR' },
      payload: 'order-7',
      purchasedAt: '2026-05-01T00:00:00.000Z',
      expiresAt: '2026-05-31T00:00:00.000Z',
      renewedAt: null,
      isTestPurchase: false,
      referenceStatus: 'PURCHASED',
      referenceStatusCode: 'PURCHASED',
    };
    expect(await list({ userId: user })).toEqual({
      __typename: 'GamebaseSubscriptions',
      subscriptions: [expected],
    });
    expect(await upstreamCounts(g)).toEqual({ 'gamebase.activeSubscriptions': 1 });

    await g.control('POST', '/clock', { set: T0 + 30 * DAY + 1000 });
    const renewed = await g.control<View>('GET', `/gamebase/subscriptions/${s.id}`);
    expect(await list({ userId: user })).toEqual({
      __typename: 'GamebaseSubscriptions',
      subscriptions: [
        {
          ...expected,
          paymentSeq: last(renewed).paymentSeq,
          purchaseToken: last(renewed).accessToken,
          paymentId: `${s.originalPaymentId}..0`,
          purchasedAt: '2026-05-31T00:00:00.000Z',
          expiresAt: '2026-06-30T00:00:00.000Z',
          renewedAt: '2026-05-31T00:00:00.000Z',
          referenceStatus: 'RENEWED',
          referenceStatusCode: 'RENEWED',
        },
      ],
    });
    expect(last(renewed).paymentSeq).not.toBe(first.paymentSeq);
  });

  it('on hold: listed only with includeInactiveStatuses ON_HOLD; other stores carry no referenceStatus', async () => {
    const user = newUser();
    const s = await subscribe(user);
    await subscribe(user, { storeCode: 'AS', purchaseTime: T0 - DAY });
    await g.control('POST', `/gamebase/subscriptions/${s.id}/hold`, {});
    const listed = (await list({ userId: user })).subscriptions as Record<string, unknown>[];
    expect(listed.map((x) => [x.storeCode, x.referenceStatus, x.linkedPaymentId])).toEqual([
      ['AS', null, null],
    ]);
    const withHold = (await list({ userId: user, inactive: ['ON_HOLD'], storeCodes: ['GG'] }))
      .subscriptions as Record<string, unknown>[];
    expect(withHold.map((x) => x.referenceStatus)).toEqual(['ON_HOLD']);
  });

  it('one upstream call per distinct (app, userId) in a request, however many fields ask', async () => {
    const [a, b] = [newUser(), newUser()];
    await subscribe(a);
    await g.resetStats();
    const answer = await g.gql(
      `query ($app: String!, $a: String!, $b: String!, $p: String!) {
        x: gamebaseSubscriptions(app: $app, userId: $a, packageName: $p) { __typename }
        y: gamebaseSubscriptions(app: $app, userId: $a, packageName: $p) { __typename }
        z: gamebaseSubscriptions(app: $app, userId: $b, packageName: $p) { __typename }
        w: gamebaseSubscriptions(app: $app, userId: $b, packageName: $p, storeCodes: []) { __typename }
      }`,
      { app: APP, a, b, p: PACKAGE },
    );
    expect(Object.values(answer.data).map((r) => (r as { __typename: string }).__typename)).toEqual(
      Array(4).fill('GamebaseSubscriptions'),
    );
    expect(await upstreamCounts(g)).toEqual({ 'gamebase.activeSubscriptions': 2 });
  });

  it('InvalidInputError: a packageName with a space, or Gamebase answering 1100; no call for the first', async () => {
    expect(await list({ userId: newUser(), packageName: 'com.bad name' })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'packageName',
    });
    expect(await upstreamTotal(g)).toBe(0);
    await g.control('POST', '/faults', { endpoint: 'gamebase.activeSubscriptions', resultCode: 1100 });
    expect(await list({ userId: newUser() })).toMatchObject({
      __typename: 'InvalidInputError',
      errorStore: 'GAMEBASE',
      storeCode: '1100',
    });
  });

  it('StoreAccessDeniedError: Gamebase refuses the secret key (-4010004), on either call', async () => {
    await g.control('POST', '/faults', { endpoint: 'gamebase.activeSubscriptions', resultCode: -4010004 });
    expect(await list({ userId: newUser() })).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      code: 'STORE_ACCESS_DENIED',
      storeCode: '-4010004',
    });
    expect(await g.count('gamebase.activeSubscriptions')).toBe(1);
    await g.control('DELETE', '/faults');
    await g.control('POST', '/faults', { endpoint: 'gamebase.subscriptionsStatus', resultCode: -4010004 });
    expect(await status({ paymentSeq: '1', accessToken: 'abc', paymentId: '' })).toMatchObject({
      __typename: 'StoreAccessDeniedError',
      storeCode: '-4010004',
    });
  });

  it('is in schema/operations, and the operation runs as a client would send it', async () => {
    const operation = readFileSync('schema/operations/gamebase-subscriptions.graphql', 'utf8');
    await g.resetStats();
    const answer = await g.gql(operation, { app: APP, userId: newUser(), packageName: PACKAGE });
    expect(answer.data.gamebaseSubscriptions).toEqual({
      __typename: 'GamebaseSubscriptions',
      subscriptions: [],
    });
    expect(await upstreamTotal(g)).toBe(1);
  });
});

describe('gamebaseSubscriptionStatus', () => {
  it('answers every field, expired and revoked ones too; an unknown payment is NotFoundError', async () => {
    const user = newUser();
    await g.control('POST', '/clock', { set: T0 + 1000 });
    const s = await subscribe(user);
    await g.control('POST', '/clock', { set: T0 + 30 * DAY + 1000 });
    const v = await g.control<View>('POST', `/gamebase/subscriptions/${s.id}/cancel`, {});
    await g.control('POST', '/clock', { set: T0 + 60 * DAY + 1000 });
    const first = v.periods[0] as Period;
    expect(await status(first)).toEqual({
      __typename: 'GamebaseSubscriptionStatus',
      userId: user,
      paymentSeq: first.paymentSeq,
      purchaseToken: first.accessToken,
      paymentId: `${s.originalPaymentId}..0`,
      originalPaymentId: s.originalPaymentId,
      purchasedAt: '2026-05-31T00:00:00.000Z',
      expiresAt: '2026-06-30T00:00:00.000Z',
      renewedAt: '2026-05-31T00:00:00.000Z',
      referenceStatus: 'EXPIRED',
      referenceStatusCode: 'EXPIRED',
    });
    await g.control('POST', `/gamebase/subscriptions/${s.id}/void`, {});
    expect(await status(first)).toMatchObject({ referenceStatus: 'REVOKED' });
    expect(await status({ ...first, accessToken: 'not-its-token' })).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
  });

  it('batches: 12 payments (one asked twice) in one request are 2 upstream calls (10 + 2)', async () => {
    await g.control('POST', '/clock', { set: T0 + 1000 });
    const subs = await Promise.all(Array.from({ length: 12 }, () => subscribe(newUser())));
    const fields = subs
      .map((s, i) => {
        const p = last(s);
        return `s${i}: gamebaseSubscriptionStatus(app: "${APP}", paymentSeq: "${p.paymentSeq}", purchaseToken: "${p.accessToken}") { __typename ... on GamebaseSubscriptionStatus { paymentSeq referenceStatus } }`;
      })
      .join('\n');
    const again = last(subs[0] as View);
    await g.resetStats();
    const answer = await g.gql(
      `query { ${fields}
        dup: gamebaseSubscriptionStatus(app: "${APP}", paymentSeq: "${again.paymentSeq}", purchaseToken: "${again.accessToken}") { __typename } }`,
    );
    const results = Object.entries(answer.data as Record<string, Record<string, unknown>>);
    expect(results).toHaveLength(13);
    expect(subs.map((_, i) => answer.data[`s${i}`])).toEqual(
      subs.map((s) => ({
        __typename: 'GamebaseSubscriptionStatus',
        paymentSeq: last(s).paymentSeq,
        referenceStatus: 'PURCHASED',
      })),
    );
    expect(await upstreamCounts(g)).toEqual({ 'gamebase.subscriptionsStatus': 2 });
  });

  it('is in schema/operations', async () => {
    const operation = readFileSync('schema/operations/gamebase-subscription-status.graphql', 'utf8');
    const answer = await g.gql(operation, { app: APP, paymentSeq: '2023082410408370', purchaseToken: 'abc' });
    expect(answer.data.gamebaseSubscriptionStatus).toMatchObject({ __typename: 'NotFoundError' });
  });
});
