import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AcknowledgePurchaseDocument,
  CancelSubscriptionDocument,
  CheckEntitlementsDocument,
  ConsumePurchaseDocument,
  DeferSubscriptionDocument,
  GamebaseSubscriptionStatusDocument,
  GamebaseSubscriptionsDocument,
  ItemCatalogDocument,
  ReactivateSubscriptionDocument,
  type RedeemPurchaseInput,
  RevokedGrantsDocument,
  type StreamGatewayEventsSubscriptionVariables,
  SubscriptionStatusDocument,
  SyncVoidedPurchasesDocument,
  UnconfirmedPurchasesDocument,
  UnconsumedGamebasePaymentsDocument,
  UnconsumedPurchasesDocument,
  VerifyPurchaseDocument,
} from './generated/graphql.js';
import { type CallOptions, createSend, type GatewayClientOptions, type Send } from './http.js';
import { type RedeemResult, redeemWithRetries } from './redeem.js';
import { type GatewayEvent, type StreamOptions, streamGatewayEvents } from './stream.js';

/** The operations of schema/operations/ other than redeem and the stream: one call each, never retried. */
const OPERATIONS = {
  acknowledgePurchase: AcknowledgePurchaseDocument,
  cancelSubscription: CancelSubscriptionDocument,
  checkEntitlements: CheckEntitlementsDocument,
  consumePurchase: ConsumePurchaseDocument,
  deferSubscription: DeferSubscriptionDocument,
  gamebaseSubscriptionStatus: GamebaseSubscriptionStatusDocument,
  gamebaseSubscriptions: GamebaseSubscriptionsDocument,
  itemCatalog: ItemCatalogDocument,
  reactivateSubscription: ReactivateSubscriptionDocument,
  revokedGrants: RevokedGrantsDocument,
  subscriptionStatus: SubscriptionStatusDocument,
  syncVoidedPurchases: SyncVoidedPurchasesDocument,
  unconfirmedPurchases: UnconfirmedPurchasesDocument,
  unconsumedGamebasePayments: UnconsumedGamebasePaymentsDocument,
  unconsumedPurchases: UnconsumedPurchasesDocument,
  verifyPurchase: VerifyPurchaseDocument,
} as const;

type Operations = typeof OPERATIONS;

/** One typed helper per operation: its variables in, its `data` out. */
export type OperationHelpers = {
  [K in keyof Operations]: Operations[K] extends TypedDocumentNode<infer Result, infer Variables>
    ? (variables: Variables, options?: CallOptions) => Promise<Result>
    : never;
};

export interface GatewayClient extends OperationHelpers {
  /** Any typed document (e.g. your own, generated the same way); one call, never retried. */
  request: Send;
  /**
   * Redeems a purchase exactly once: retried on no answer, 5xx, 429 and "try again" answers with
   * backoff, always with the same idempotency key (the input's, or one made for this call).
   */
  redeemPurchase(input: RedeemPurchaseInput, options?: CallOptions): Promise<RedeemResult>;
  /** The app's live events; resumes from the last cursor after a disconnect. */
  events(
    variables: StreamGatewayEventsSubscriptionVariables,
    options?: StreamOptions,
  ): AsyncGenerator<GatewayEvent, void, undefined>;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const send = createSend(options);
  const helpers = Object.fromEntries(
    Object.entries(OPERATIONS).map(([name, document]) => [
      name,
      (variables: Record<string, unknown>, call?: CallOptions) =>
        send(document as TypedDocumentNode<unknown, Record<string, unknown>>, variables, call),
    ]),
  ) as unknown as OperationHelpers;
  return {
    ...helpers,
    request: send,
    redeemPurchase: (input, call) => redeemWithRetries(send, options, input, call),
    events: (variables, stream) => streamGatewayEvents(options, variables, stream),
  };
}
