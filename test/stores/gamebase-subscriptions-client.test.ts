import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/stores/errors.js';
import {
  activeSubscriptionListSchema,
  subscriptionStatusListSchema,
} from '../../src/stores/gamebase/subscription-schemas.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { expectResultCodeError } from '../helpers/store-errors.js';
import { failure, gamebaseClient, newGamebaseApp } from '../helpers/stores.js';

/**
 * The Gamebase client's subscription calls against the sandbox: the request it sends, the answer it
 * decodes (decimal prices, times with their ms, the reference status read against the guide's
 * table), and its refusals before any call.
 */

const h = useSandbox({ reset: true });
const PACKAGE = 'com.nhncloud.gamebase';

/** The guide's List Active Subscriptions example entry, as printed. */
const GUIDE_ENTRY = {
  marketId: 'GG',
  userId: 'QXG774PMRZMWR3BR',
  paymentSeq: '2020052810364755',
  accessToken: 'NczL3n4TumMF8n9oRR5l8zXDyMXRVjxSRks0Lk1Saob2A9rdAupqjZSrQ0-hb2GOSFwTx5uDDchH8EB-EkWGGQ',
  productSeq: 1001221,
  productId: 'money_100',
  productType: 'AUTO_RENEWABLE',
  originalPaymentId: 'GPA.3302-8679-7228-41195',
  paymentId: 'GPA.3302-8679-7228-41195',
  linkedPaymentId: 'GPA.3358-3220-2629-70624',
  price: 1000.0,
  currency: 'KRW',
  gamebaseProductId: 'gamebase_renewal_001',
  payload: 'additional info',
  purchaseTime: '2020-06-02T13:38:56+09:00',
  expiryTime: '2020-06-02T13:48:56+09:00',
  renewTime: '2020-06-02T13:50:56+09:00',
  isTestPurchase: false,
  referenceStatus: 'PURCHASED',
};

describe('decoding', () => {
  it("decodes the guide's example entry: every field, price as a decimal string, times with ms", () => {
    const [entry] = activeSubscriptionListSchema.parse([GUIDE_ENTRY]);
    expect(entry).toEqual({
      ...GUIDE_ENTRY,
      productSeq: '1001221',
      price: '1000',
      purchaseTimeMs: Date.parse('2020-06-02T04:38:56Z'),
      expiryTimeMs: Date.parse('2020-06-02T04:48:56Z'),
      renewTimeMs: Date.parse('2020-06-02T04:50:56Z'),
      referenceStatus: 'PURCHASED',
      referenceStatusText: 'PURCHASED',
    });
  });

  it('keeps a price exact (2.29 stays "2.29"); an unknown status reads NOT_APPOINTED with its text kept', () => {
    const [entry] = activeSubscriptionListSchema.parse([
      { ...GUIDE_ENTRY, price: 2.29, referenceStatus: 'SOMETHING_NEW', renewTime: null },
    ]);
    expect(entry).toMatchObject({
      price: '2.29',
      referenceStatus: 'NOT_APPOINTED',
      referenceStatusText: 'SOMETHING_NEW',
      renewTimeMs: null,
    });
    const [status] = subscriptionStatusListSchema.parse([
      {
        userId: 'QXG774PMRZMWR3BR',
        paymentSeq: '2023082410408389',
        accessToken: 'uddRuwkHm9nFIHjvVuDS2j',
        paymentId: 'GPA.3333-7714-3477-48799..5',
        originalPaymentId: 'GPA.3333-7714-3477-48799',
        purchaseTime: '2022-05-16T09:59:27+09:00',
        expiryTime: '2023-08-24T12:48:45+09:00',
        renewTime: '2023-08-24T12:48:45+09:00',
        referenceStatus: 'REPURCHASED',
      },
    ]);
    expect(status).toMatchObject({
      referenceStatus: 'REPURCHASED',
      expiryTimeMs: Date.parse('2023-08-24T03:48:45Z'),
    });
  });
});

describe('calls', () => {
  it('lists and asks status through the sandbox; a wrong secret key is -4010004 INVALID_SECRET_KEY', async () => {
    const app = await newGamebaseApp(h);
    const client = gamebaseClient(h, app);
    const s = await h.control<{ periods: { paymentSeq: string; accessToken: string }[] }>(
      'POST',
      '/gamebase/subscriptions',
      {
        appId: app.appId,
        userId: 'QXG774PMRZMWR3BR',
        packageName: PACKAGE,
        gamebaseProductId: 'vip',
        price: '2.29',
        currency: 'EUR',
      },
    );
    const [listed] = await client.activeSubscriptions({
      userId: 'QXG774PMRZMWR3BR',
      packageName: PACKAGE,
      marketIds: ['GG'],
      includeInactiveGoogleStatuses: ['ON_HOLD'],
    });
    expect(listed).toMatchObject({ price: '2.29', currency: 'EUR', referenceStatus: 'PURCHASED' });
    const period = s.periods[0] as { paymentSeq: string; accessToken: string };
    const statuses = await client.subscriptionsStatus({
      payments: [{ paymentSeq: period.paymentSeq, purchaseToken: period.accessToken }],
    });
    expect(statuses.map((x) => x.paymentSeq)).toEqual([period.paymentSeq]);
    expect(await h.count('gamebase.activeSubscriptions')).toBe(1);
    expect(await h.count('gamebase.subscriptionsStatus')).toBe(1);

    const wrong = gamebaseClient(h, { ...app, secretKey: 'not-the-secret' });
    await expectResultCodeError(wrong.activeSubscriptions({ userId: 'U1', packageName: PACKAGE }), {
      store: 'gamebase',
      code: 'INVALID_SECRET_KEY',
      resultCode: -4010004,
    });
    await expectResultCodeError(
      wrong.subscriptionsStatus({ payments: [{ paymentSeq: period.paymentSeq, purchaseToken: 'x' }] }),
      { store: 'gamebase', code: 'INVALID_SECRET_KEY', resultCode: -4010004 },
    );
    await Promise.all([client.close(), wrong.close()]);
  });

  it('refuses before any call: no or more than 10 payments, an inactive status but ON_HOLD, a bad packageName', async () => {
    const app = await newGamebaseApp(h);
    const client = gamebaseClient(h, app);
    const p = { paymentSeq: '2023082410408370', purchaseToken: 'abc' };
    const refusals = [
      client.subscriptionsStatus({ payments: [] }),
      client.subscriptionsStatus({ payments: Array(11).fill(p) }),
      client.subscriptionsStatus({ payments: [{ ...p, paymentSeq: '12a' }] }),
      client.activeSubscriptions({
        userId: 'U1',
        packageName: PACKAGE,
        includeInactiveGoogleStatuses: ['PAUSED' as 'ON_HOLD'],
      }),
      client.activeSubscriptions({ userId: 'U1', packageName: 'com bad' }),
    ];
    const fields = [];
    for (const call of refusals) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      fields.push((err as InvalidArgumentError).field);
    }
    expect(fields).toEqual([
      'payments',
      'payments',
      'paymentSeq',
      'includeInactiveGoogleStatuses',
      'packageName',
    ]);
    const stats = await h.stats();
    expect(stats.endpoints['gamebase.activeSubscriptions']?.total ?? 0).toBe(0);
    expect(stats.endpoints['gamebase.subscriptionsStatus']?.total ?? 0).toBe(0);
    await client.close();
  });
});
