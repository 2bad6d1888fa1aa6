import { beforeAll, describe, expect, it } from 'vitest';
import { APP, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * The InvalidInputError a client gets for each validated argument: its `field` (the argument's path)
 * and its message, exactly. Clients key on both, so they are pinned here for every field the edge
 * checks; where two fields are wrong, the one checked first answers. Nothing reaches a store.
 */

const INVALID = '__typename ... on InvalidInputError { field message }';

interface Case {
  name: string;
  query: string;
  variables?: object;
  /** Where the union is, below `data`. */
  path: (string | number)[];
  field: string;
  message: string;
}

const PRODUCT_ID = 'must be 1-150 characters: letters, digits and ._-.';
const TOKEN = 'must be 1-20 characters: ASCII letters and digits.';
const DIGITS = 'must be 1-20 characters: digits.';
const PAYLOAD = 'must be at most 200 characters: no control characters.';

const redeem = (input: object): Pick<Case, 'query' | 'variables' | 'path'> => ({
  query: `mutation($input: RedeemPurchaseInput!) { redeemPurchase(input: $input) { ${INVALID} } }`,
  variables: { input: { app: APP, userId: 'player-1', ...input } },
  path: ['redeemPurchase'],
});

const CASES: Case[] = [
  {
    name: 'purchase: productId is checked before purchaseToken',
    query: `{ purchase(app: "${APP}", productId: "", purchaseToken: "") { ${INVALID} } }`,
    path: ['purchase'],
    field: 'productId',
    message: `productId ${PRODUCT_ID}`,
  },
  {
    name: 'purchase.purchaseToken',
    query: `{ purchase(app: "${APP}", productId: "gem", purchaseToken: "a/b") { ${INVALID} } }`,
    path: ['purchase'],
    field: 'purchaseToken',
    message: `purchaseToken ${TOKEN}`,
  },
  {
    name: 'subscription.purchaseToken',
    query: `{ subscription(app: "${APP}", productId: "sub", purchaseToken: "${'x'.repeat(21)}") { ${INVALID} } }`,
    path: ['subscription'],
    field: 'purchaseToken',
    message: `purchaseToken ${TOKEN}`,
  },
  {
    name: 'unconsumedPurchases: userChannel is checked before userKey',
    query: `{ unconsumedPurchases(app: "${APP}", userKey: "", userChannel: "a b") { ${INVALID} } }`,
    path: ['unconsumedPurchases'],
    field: 'userChannel',
    message: 'userChannel must be 1-32 characters: ASCII letters, digits, _ and -.',
  },
  {
    name: 'unconsumedPurchases.userKey',
    query: `{ unconsumedPurchases(app: "${APP}", userKey: " ") { ${INVALID} } }`,
    path: ['unconsumedPurchases'],
    field: 'userKey',
    message: 'userKey must be 1-200 characters: printable ASCII.',
  },
  {
    name: 'item.itemSeq',
    query: `{ item(app: "${APP}", itemSeq: "12a") { ${INVALID} } }`,
    path: ['item'],
    field: 'itemSeq',
    message: `itemSeq ${DIGITS}`,
  },
  {
    name: 'item.itemSeq empty: named as itemSeq',
    query: `{ item(app: "${APP}", itemSeq: "") { ${INVALID} } }`,
    path: ['item'],
    field: 'itemSeq',
    message: `itemSeq ${DIGITS}`,
  },
  {
    name: 'item.marketItemId',
    query: `{ item(app: "${APP}", marketItemId: "a/b") { ${INVALID} } }`,
    path: ['item'],
    field: 'marketItemId',
    message: `marketItemId ${PRODUCT_ID}`,
  },
  {
    name: 'unconsumedGamebasePayments.userId',
    query: `{ unconsumedGamebasePayments(app: "${APP}", userId: "a b") { ${INVALID} } }`,
    path: ['unconsumedGamebasePayments'],
    field: 'userId',
    message: 'userId must be 1-128 characters: printable ASCII.',
  },
  {
    name: 'grants.userId',
    query: `{ grants(app: "${APP}", userId: "a b") { ${INVALID} } }`,
    path: ['grants'],
    field: 'userId',
    message: 'userId must be 1-128 characters: no spaces or control characters.',
  },
  {
    name: 'checkEntitlements: a ONE store entry without productId',
    query: `{ checkEntitlements(app: "${APP}", checks: [{ store: ONESTORE, purchaseToken: "T1" }]) {
      ... on EntitlementCheckList { checks { purchase { ${INVALID} } } } } }`,
    path: ['checkEntitlements', 'checks', 0, 'purchase'],
    field: 'checks.0.productId',
    message: `checks.0.productId ${PRODUCT_ID}`,
  },
  {
    name: 'checkEntitlements: an NHN Cloud entry, userChannel',
    query: `{ checkEntitlements(app: "${APP}", checks: [
        { store: ONESTORE, productId: "gem", purchaseToken: "a/b" },
        { store: NHN_CLOUD, paymentSeq: "1", purchaseToken: "abc", userKey: "u", userChannel: "a b" }]) {
      ... on EntitlementCheckList { checks { purchase { ${INVALID} } } } } }`,
    path: ['checkEntitlements', 'checks', 1, 'purchase'],
    field: 'checks.1.userChannel',
    message: 'checks.1.userChannel must be 1-32 characters: ASCII letters, digits, _ and -.',
  },
  {
    name: 'acknowledgePurchase.developerPayload',
    query: `mutation($input: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $input) { ${INVALID} } }`,
    variables: { input: { app: APP, productId: 'gem', purchaseToken: 'T1', developerPayload: 'a\u0001' } },
    path: ['acknowledgePurchase'],
    field: 'input.developerPayload',
    message: `input.developerPayload ${PAYLOAD}`,
  },
  {
    name: 'consumePurchase.onestore.purchaseToken',
    query: `mutation($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { ${INVALID} } }`,
    variables: { input: { app: APP, onestore: { productId: 'gem', purchaseToken: 'x'.repeat(21) } } },
    path: ['consumePurchase'],
    field: 'input.onestore.purchaseToken',
    message: `input.onestore.purchaseToken ${TOKEN}`,
  },
  {
    name: 'consumePurchase.onestore.developerPayload',
    query: `mutation($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { ${INVALID} } }`,
    variables: {
      input: { app: APP, onestore: { productId: 'gem', purchaseToken: 'T1', developerPayload: '\u0007' } },
    },
    path: ['consumePurchase'],
    field: 'input.onestore.developerPayload',
    message: `input.onestore.developerPayload ${PAYLOAD}`,
  },
  {
    name: 'consumePurchase.nhncloud.itemSeq',
    query: `mutation($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { ${INVALID} } }`,
    variables: { input: { app: APP, nhncloud: { paymentSeq: '1', itemSeq: 'x', purchaseToken: 'abc' } } },
    path: ['consumePurchase'],
    field: 'input.nhncloud.itemSeq',
    message: `input.nhncloud.itemSeq ${DIGITS}`,
  },
  {
    name: 'cancelSubscription.productId',
    query: `mutation($input: SubscriptionTargetInput!) { cancelSubscription(input: $input) { ${INVALID} } }`,
    variables: { input: { app: APP, productId: '', purchaseToken: 'T1' } },
    path: ['cancelSubscription'],
    field: 'input.productId',
    message: `input.productId ${PRODUCT_ID}`,
  },
  {
    name: 'deferSubscription.deferPeriod',
    query: `mutation($input: DeferSubscriptionInput!) { deferSubscription(input: $input) { ${INVALID} } }`,
    variables: { input: { app: APP, productId: 'sub', purchaseToken: 'T1', deferPeriod: 0 } },
    path: ['deferSubscription'],
    field: 'input.deferPeriod',
    message: 'deferPeriod must be 1-365.',
  },
  {
    name: 'redeemPurchase.onestore: developerPayload is checked before productId',
    ...redeem({ onestore: { productId: 'a/b', purchaseToken: 'T1', developerPayload: '\u0001' } }),
    field: 'input.onestore.developerPayload',
    message: `input.onestore.developerPayload ${PAYLOAD}`,
  },
  {
    name: 'redeemPurchase.onestore.productId',
    ...redeem({ onestore: { productId: 'a/b', purchaseToken: 'T1' } }),
    field: 'input.onestore.productId',
    message: `input.onestore.productId ${PRODUCT_ID}`,
  },
  {
    name: 'redeemPurchase.nhncloud.paymentSeq',
    ...redeem({ nhncloud: { paymentSeq: 'x', itemSeq: '1', purchaseToken: 'abc' } }),
    field: 'input.nhncloud.paymentSeq',
    message: `input.nhncloud.paymentSeq ${DIGITS}`,
  },
  {
    name: 'redeemPurchase.gamebase: productId is checked before paymentSeq',
    ...redeem({ gamebase: { paymentSeq: 'x', purchaseToken: 'tok', productId: ' ' } }),
    field: 'input.gamebase.productId',
    message: 'input.gamebase.productId must be 1-150 characters: printable ASCII.',
  },
  {
    name: 'redeemPurchase.gamebase.purchaseToken',
    ...redeem({ gamebase: { paymentSeq: '1', purchaseToken: 'a b' } }),
    field: 'input.gamebase.purchaseToken',
    message: 'input.gamebase.purchaseToken must be 1-2048 characters: base64 characters.',
  },
  {
    name: 'redeemPurchase.userId',
    ...redeem({ userId: 'a b', onestore: { productId: 'gem', purchaseToken: 'T1' } }),
    field: 'input.userId',
    message: 'input.userId must be 1-128 characters: no spaces or control characters.',
  },
  {
    name: 'redeemPurchase.userId of a Gamebase payment: printable ASCII, as Gamebase user ids are',
    ...redeem({ userId: '플레이어', gamebase: { paymentSeq: '1', purchaseToken: 'tok' } }),
    field: 'input.userId',
    message: 'input.userId must be 1-128 characters: printable ASCII.',
  },
  {
    name: 'redeemPurchase.app: a name no config can hold',
    ...redeem({ app: 'Game!', onestore: { productId: 'gem', purchaseToken: 'T1' } }),
    field: 'input.app',
    message: 'input.app must be 1-64 characters: lowercase letters, digits, _ and -.',
  },
  {
    name: 'grant.id',
    query: `{ grant(app: "${APP}", id: "a b") { ${INVALID} } }`,
    path: ['grant'],
    field: 'id',
    message: 'id must be 1-64 characters: ASCII letters, digits and -.',
  },
  {
    name: 'revokedGrants.since in the future',
    query: `{ revokedGrants(app: "${APP}", since: "9999-01-01T00:00:00Z") { ${INVALID} } }`,
    path: ['revokedGrants'],
    field: 'since',
    message: 'since may not be in the future.',
  },
  {
    name: 'voidedPurchases.since in the future',
    query: `{ voidedPurchases(app: "${APP}", since: "9999-01-01T00:00:00Z") { ${INVALID} } }`,
    path: ['voidedPurchases'],
    field: 'since',
    message: 'since may not be in the future.',
  },
  {
    name: 'unconfirmedPurchases.until more than a month ago',
    query: `{ unconfirmedPurchases(app: "${APP}", until: "2000-01-01T00:00:00Z") { ${INVALID} } }`,
    path: ['unconfirmedPurchases'],
    field: 'until',
    message: 'until may be at most one month ago.',
  },
  {
    name: 'redeemPurchase.idempotencyKey',
    ...redeem({ idempotencyKey: ' ', onestore: { productId: 'gem', purchaseToken: 'T1' } }),
    field: 'input.idempotencyKey',
    message: 'input.idempotencyKey must be 1-128 characters: printable ASCII.',
  },
];

describe('InvalidInputError: the path and message of every validated argument', () => {
  const g = useGateway();
  beforeAll(async () => {
    await g.resetStats();
  });

  it.each(CASES)('$name', async (c) => {
    const answer = await g.gql(c.query, c.variables ?? {});
    let result: unknown = answer.data;
    for (const step of c.path) result = (result as Record<string | number, unknown>)[step];
    expect(result).toEqual({ __typename: 'InvalidInputError', field: c.field, message: c.message });
  });

  it('none of them reached a store', async () => {
    expect(await upstreamTotal(g)).toBe(0);
  });
});
