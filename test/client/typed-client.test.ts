import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type {
  CancelSubscriptionMutation,
  ErrorCode,
  PurchaseState,
  StreamGatewayEventsSubscription,
} from '../../src/client/generated/graphql.js';
import { type SandboxModeGateway, startSandboxModeGateway } from '../helpers/gateway-sandbox-mode.js';
import {
  createGatewayClient,
  DEMO_CHECKS,
  type ExampleResult,
  GatewayRequestError,
  runExample,
} from './example-client.js';

/** Narrows a union member by `__typename`, failing the test with what came instead. */
function as<T extends { __typename: string }, N extends T['__typename']>(
  value: T | null | undefined,
  typename: N,
): Extract<T, { __typename: N }> {
  expect(value?.__typename, JSON.stringify(value)).toBe(typename);
  return value as Extract<T, { __typename: N }>;
}

let served: SandboxModeGateway | undefined;
let url: string;
let apiKey: string;
let result: ExampleResult;

beforeAll(async () => {
  served = await startSandboxModeGateway();
  ({ url, apiKey } = served);
  result = await runExample(createGatewayClient(url, apiKey));
});

afterAll(async () => {
  await served?.close();
});

describe('the example program on the generated client, over real HTTP against sandbox mode', () => {
  it('verifies the demo gem purchase: purchased, not consumed, entitled, with its catalogue item', () => {
    const purchase = as(result.verified, 'Purchase');
    expectTypeOf(purchase.purchaseState).toEqualTypeOf<PurchaseState>();
    expect(purchase).toMatchObject({
      store: 'ONESTORE',
      kind: 'ONESTORE_MANAGED',
      productId: 'gem_100',
      purchaseToken: 'DEMOINAPP00000000001',
      purchaseState: 'PURCHASED',
      consumptionState: 'NOT_CONSUMED',
      acknowledgementState: 'NOT_ACKNOWLEDGED',
      quantity: 2,
      developerPayload: 'order-1001',
      entitlement: { active: true, reason: 'PURCHASED' },
    });
    expect(purchase.purchasedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(as(purchase.item, 'Item')).toMatchObject({ name: '100 gems', marketItemId: 'gem_100' });
  });

  it('checks a batch in order: each entry answers with its own union member', () => {
    const { checks } = as(result.checks, 'EntitlementCheckList');
    expect(checks.map((c) => c.index)).toEqual(DEMO_CHECKS.map((_, i) => i));
    const [gems, consumed, subscription, nhn, fake] = checks;

    expect(gems).toMatchObject({ active: true, store: 'ONESTORE', entitlement: { reason: 'PURCHASED' } });
    expect(as(gems?.purchase, 'Purchase').consumptionState).toBe('NOT_CONSUMED');

    expect(consumed).toMatchObject({ active: false, entitlement: { active: false, reason: 'CONSUMED' } });
    expect(as(consumed?.purchase, 'Purchase').consumptionState).toBe('CONSUMED');

    expect(subscription).toMatchObject({ active: true, kind: 'SUBSCRIPTION', purchase: null });
    expect(as(subscription?.subscription, 'Subscription')).toMatchObject({
      kind: 'SUBSCRIPTION',
      status: 'ACTIVE',
      autoRenewing: true,
    });

    expect(nhn).toMatchObject({ active: true, store: 'NHN_CLOUD', paymentSeq: '2016122110023124' });
    expect(as(nhn?.purchase, 'Purchase').consumptionState).toBe('NOT_CONSUMED');

    expect(fake).toMatchObject({ active: false, entitlement: null });
    const notFound = as(fake?.purchase, 'NotFoundError');
    expectTypeOf(notFound.code).toEqualTypeOf<ErrorCode>();
    expect(notFound.code).toBe('NOT_FOUND');
  });

  it('consumes the gems and reads the purchase back as consumed and no longer entitled', () => {
    const success = as(result.consumed, 'ConsumePurchaseSuccess');
    expect(success.purchase).toMatchObject({
      purchaseToken: 'DEMOINAPP00000000001',
      consumptionState: 'CONSUMED',
      entitlement: { active: false, reason: 'CONSUMED' },
    });
    expect(as(result.reverified, 'Purchase')).toMatchObject({
      consumptionState: 'CONSUMED',
      entitlement: { active: false, reason: 'CONSUMED' },
    });
  });

  it('a second consume is a typed AlreadyConsumedError, not a request error', async () => {
    const { ConsumePurchaseDocument } = await import('../../src/client/generated/graphql.js');
    const client = createGatewayClient(url, apiKey);
    const { consumePurchase } = await client.request(ConsumePurchaseDocument, {
      input: { app: 'demo', onestore: { productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000001' } },
    });
    expect(as(consumePurchase, 'AlreadyConsumedError').code).toBe('ALREADY_CONSUMED');
  });

  it('a wrong API key is a request-level error with HTTP 401', async () => {
    const client = createGatewayClient(url, 'not-the-key');
    const error = await runExample(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayRequestError);
    expect(error).toMatchObject({ status: 401 });
  });

  it('codegen takes EventStream for the subscription root and Subscription for the domain type', () => {
    type Change = Extract<
      CancelSubscriptionMutation['cancelSubscription'],
      { __typename: 'SubscriptionChange' }
    >;
    // A domain object: its __typename is generated like any other object's.
    expectTypeOf<NonNullable<Change['subscription']>['__typename']>().toEqualTypeOf<'Subscription'>();
    // A root: no __typename (skipTypeNameForRoot), just the field.
    expectTypeOf<keyof StreamGatewayEventsSubscription>().toEqualTypeOf<'gatewayEvents'>();
    expectTypeOf<
      StreamGatewayEventsSubscription['gatewayEvents']['__typename']
    >().toEqualTypeOf<'GatewayEvent'>();
  });
});
