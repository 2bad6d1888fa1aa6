import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_APP as APP, DOCUMENT_CLIENT_ID, useDocumentGateway } from '../helpers/document-gateway.js';
import type { Answer } from '../helpers/fake-onestore-lists.js';
import * as doc from '../stores/fixtures/document-examples.js';

/**
 * Every field of getSubscriptionDetail and of the monthly detail on `Subscription`
 * (docs/entitlements.md), through the game backends' own operation (schema/operations/
 * subscription-status.graphql) over yoga.fetch, from a store answering the document's examples: the
 * sandbox serves no price change or promotion. The subscription example has its one missing comma
 * added and nothing else changed. MKT_ONE: the store's numbers are UTC+09 wall clock, 9 h come off.
 */

const OPERATION = readFileSync(
  new URL('../../schema/operations/subscription-status.graphql', import.meta.url),
  'utf8',
);
const TOKEN = 'SANDBOXT000120004476';
const PATH = (type: string) => `/v7/apps/${DOCUMENT_CLIENT_ID}/purchases/${type}/products/product01/${TOKEN}`;
const KST = 9 * 3_600_000;
const utc = (storeMillis: number) => new Date(storeMillis - KST).toISOString();
const krw = (amount: string, amountMicros: string) => ({ amount, amountMicros, currency: 'KRW' });

const store = useDocumentGateway();
/** The operation's answer when the store answers `example` at the detail path of `kind`. */
async function read(kind: 'SUBSCRIPTION' | 'MONTHLY', example: Answer): Promise<unknown> {
  store.serve('POST', '/v7/oauth/token', doc.oneStoreToken);
  store.serve('GET', PATH(kind === 'MONTHLY' ? 'auto' : 'subscription'), example);
  return (await store.gql(OPERATION, { app: APP, productId: 'product01', purchaseToken: TOKEN, kind }))
    .subscription;
}

describe('Subscription from the document examples', () => {
  it('getSubscriptionDetail: price change, promotion, country, period type, willRenew as money and UTC', async () => {
    expect(await read('SUBSCRIPTION', doc.getSubscriptionDetailCommaAdded)).toEqual({
      __typename: 'Subscription',
      kind: 'SUBSCRIPTION',
      productId: 'product01',
      purchaseToken: TOKEN,
      market: 'MKT_ONE',
      // The example's pause window (2021) has started.
      status: 'PAUSED',
      autoRenewing: true,
      acknowledgementState: 'ACKNOWLEDGED',
      startedAt: utc(1623337199000),
      expiresAt: utc(1625929199000),
      nextPaymentAt: utc(1623337199000),
      cancelledAt: utc(1625929199000),
      cancelReason: 'CUSTOMER_REQUEST',
      pauseStartsAt: utc(1625929199000),
      pauseEndsAt: utc(1625929199000),
      autoResumeAt: utc(1625878800000),
      linkedPurchaseToken: null,
      countryCode: 'KR',
      // Paid 100, the promotion price.
      periodType: 'PROMOTION',
      // The price change is not agreed and its due time (2012 in the example) has passed.
      willRenew: false,
      billingIssueSince: null,
      price: krw('100', '100000000'),
      nextPrice: krw('150', '150000000'),
      priceChange: {
        seq: 1,
        previousPrice: krw('100', '100000000'),
        newPrice: krw('500', '500000000'),
        appliesAt: utc(1625670000000),
        agreed: false,
        agreementDueAt: utc(1345678920000),
      },
      promotion: { price: krw('100', '100000000'), periods: 30 },
      entitlement: { active: false, reason: 'PAUSED', expiresAt: utc(1625929199000) },
    });
  });

  it('getRecurringPurchaseDetails (monthly): what it does not have is null, NORMAL, and no renewal once expired', async () => {
    expect(await read('MONTHLY', doc.getRecurringPurchaseDetails)).toMatchObject({
      kind: 'MONTHLY',
      status: 'EXPIRED',
      autoRenewing: true,
      expiresAt: utc(1345678999999),
      nextPaymentAt: utc(1345688000000),
      countryCode: null,
      periodType: 'NORMAL',
      willRenew: false,
      billingIssueSince: null,
      price: null,
      nextPrice: null,
      priceChange: null,
      promotion: null,
      entitlement: { active: false, reason: 'EXPIRED' },
    });
  });
});
