/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AcknowledgePurchaseInput = {
  app: string;
  /** When given, must match the purchase (max 200). */
  developerPayload?: string | null | undefined;
  /** The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  productId: string;
  purchaseToken: string;
};

export type AcknowledgementState =
  | 'ACKNOWLEDGED'
  | 'NOT_ACKNOWLEDGED';

export type CancelReason =
  /** 0: 고객요청 */
  | 'CUSTOMER_REQUEST'
  /** 1: 기타 (system or developer) */
  | 'OTHER';

/** Give exactly one of onestore and nhncloud. */
export type ConsumePurchaseInput = {
  app: string;
  nhncloud?: NhnCloudConsumeInput | null | undefined;
  onestore?: OneStoreConsumeInput | null | undefined;
};

export type ConsumptionState =
  | 'CONSUMED'
  | 'NOT_CONSUMED';

export type DeferSubscriptionInput = {
  app: string;
  /** How far to push the next payment: days (1-365) in production; minutes in the ONE store sandbox. */
  deferPeriod: number;
  /** The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  productId: string;
  purchaseToken: string;
};

/** ONE store: productId + purchaseToken. NHN Cloud: paymentSeq + purchaseToken + userKey. */
export type EntitlementCheckInput = {
  /** Default PURCHASE. */
  kind?: EntitlementKind | null | undefined;
  /** ONE store only. The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  paymentSeq?: string | null | undefined;
  productId?: string | null | undefined;
  purchaseToken: string;
  store: Store;
  /** NHN Cloud user channel; default "GF". */
  userChannel?: string | null | undefined;
  userKey?: string | null | undefined;
};

export type EntitlementKind =
  /** A ONE store managed product or an NHN Cloud payment (default). */
  | 'PURCHASE'
  /** A ONE store subscription or monthly product. */
  | 'SUBSCRIPTION';

export type EntitlementReason =
  /** Cancelled or refunded by the store. */
  | 'CANCELLED'
  /** Renewal stopped; usable until expiresAt. */
  | 'CANCEL_RESERVED'
  /** Consumed already: delivered once, entitles to nothing more. */
  | 'CONSUMED'
  /** A DEFERRED plan change is pending; usable until expiresAt. */
  | 'DEFERRED'
  /** The paid period ran out. */
  | 'EXPIRED'
  /** Renewal payment failed, in grace (결제유예); usable until expiresAt. */
  | 'IN_GRACE_PERIOD'
  /** Renewal payment failed and the paid time ran out: account hold (계정보류). */
  | 'ON_HOLD'
  /** Paused by the customer. */
  | 'PAUSED'
  /** A pause is scheduled; usable until it starts. */
  | 'PAUSE_RESERVED'
  /** Renewal payment pending; usable until expiresAt. */
  | 'PAYMENT_PENDING'
  /** A managed product, purchased and not consumed. */
  | 'PURCHASED'
  /** Paid and renewing. */
  | 'SUBSCRIPTION_ACTIVE'
  /** An NHN Cloud payment not consumed yet. */
  | 'UNCONSUMED_PAYMENT';

export type ErrorCode =
  | 'ALREADY_CONSUMED'
  | 'CONSUMED_OUTSIDE_LEDGER'
  | 'DEVELOPER_PAYLOAD_MISMATCH'
  | 'FORBIDDEN'
  | 'GRANT_ALREADY_REVOKED'
  | 'GRANT_CONFLICT'
  | 'IDEMPOTENCY_KEY_CONFLICT'
  | 'INVALID_INPUT'
  | 'INVALID_PURCHASE_STATE'
  | 'LEDGER_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'PURCHASE_MISMATCH'
  | 'RATE_LIMITED'
  | 'REDEMPTION_IN_PROGRESS'
  | 'STORE_ACCESS_DENIED'
  | 'STORE_PROTOCOL_ERROR'
  | 'STORE_UNAVAILABLE'
  | 'UNCERTAIN_OUTCOME'
  | 'UNKNOWN_ENTITLEMENT';

/** Inactive Google subscription states List Active Subscriptions can add; the guide supports ON_HOLD only. */
export type GamebaseInactiveGoogleStatus =
  | 'ON_HOLD';

export type GamebaseProductType =
  | 'AUTO_RENEWABLE'
  | 'CONSUMABLE'
  | 'CONSUMABLE_AUTO_RENEWABLE'
  | 'UNKNOWN';

export type GamebaseRedeemInput = {
  paymentSeq: string;
  /** When given, must be the payment's gamebaseProductId. */
  productId?: string | null | undefined;
  /** The receipt's purchaseToken (the API's accessToken). */
  purchaseToken: string;
};

/** The guide's Store Reference Status (Google In-App only); a code it does not list reads NOT_APPOINTED, its "no corresponding condition". */
export type GamebaseReferenceStatus =
  | 'CANCELED_PRODUCT'
  | 'CANCELED_SUBSCRIPTION'
  | 'EXPIRED'
  | 'IN_GRACE'
  | 'NOT_APPOINTED'
  | 'ON_HOLD'
  | 'PAUSED'
  | 'PAUSE_SCHEDULED'
  | 'PENDING'
  | 'PURCHASED'
  | 'RECOVERED'
  | 'RENEWED'
  | 'REPURCHASED'
  | 'RESTARTED'
  | 'REVOKED';

export type GamebaseStoreCode =
  | 'AMAZON'
  | 'AS'
  | 'GALAXY'
  | 'GG'
  | 'HUAWEI'
  | 'MYCARD'
  | 'ONESTORE';

export type GatewayEventType =
  /** An active entitlement reached its end (`previousEntitlement.expiresAt`). occurredAt: that end. Followed by ENTITLEMENT_GRANTED when a new run had already started by the time the gateway computed it. */
  | 'ENTITLEMENT_EXPIRED'
  /** An active entitlement ends later than before (`previousEntitlement.expiresAt`), or never (expiresAt null): a stacked pass, a renewal. */
  | 'ENTITLEMENT_EXTENDED'
  /** The player's entitlement became active (it was inactive, or they never had it): a redemption, a subscription's access back. occurredAt: when the gateway computed it. */
  | 'ENTITLEMENT_GRANTED'
  /** An active entitlement ended before its end (revocation, refund, hold, pause), or, with `entitlement.active` still true, now ends earlier than it did (one of two stacked passes refunded). occurredAt: when it ended. */
  | 'ENTITLEMENT_REVOKED'
  /** A redemption claimed the purchase: the grant is PENDING until the store change is proven. */
  | 'GRANT_CREATED'
  /** A PENDING grant was removed before settling: the store made no change (e.g. refunded meanwhile); nothing was granted. */
  | 'GRANT_DROPPED'
  /** The store voided the purchase of a settled grant (refund, cancellation), or a support key revoked it (revokeGrant: revocation.source SUPPORT): take the item back. Never before GRANT_SETTLED. */
  | 'GRANT_REVOKED'
  /** The grant is SETTLED: the item is the player's. Deliver it, by grant id. */
  | 'GRANT_SETTLED'
  /** acknowledgePurchase succeeded through the gateway. */
  | 'PURCHASE_ACKNOWLEDGED'
  /** consumePurchase succeeded through the gateway (ONE store or NHN Cloud). */
  | 'PURCHASE_CONSUMED'
  /** cancelSubscription succeeded through the gateway. */
  | 'SUBSCRIPTION_CANCELLED'
  /** deferSubscription succeeded through the gateway. */
  | 'SUBSCRIPTION_DEFERRED'
  /** A tracked subscription is over (EXPIRED, or CANCELLED at once): no more periods. occurredAt: its expiry (cancelledAt for an immediate cancellation). */
  | 'SUBSCRIPTION_EXPIRED'
  /** A renewal payment failed; access continues until the grace period ends (결제유예). occurredAt: the failed payment's due time. */
  | 'SUBSCRIPTION_GRACE_STARTED'
  /** The grace period ran out unpaid: account hold (계정보류), no access until recovered. occurredAt: the end of access (expiresAt). */
  | 'SUBSCRIPTION_ON_HOLD'
  /** A pause started. occurredAt: the pause start. */
  | 'SUBSCRIPTION_PAUSED'
  /** The store refunded one paid period of a ONE store subscription or monthly product whose grant the ledger holds: written right after that grant's GRANT_REVOKED, in its transaction. `purchaseId` names the period, `grant` is that period's grant; the other periods' grants stay. */
  | 'SUBSCRIPTION_PERIOD_REFUNDED'
  /** The subscription replaced another (`subscription.linkedPurchaseToken` names the one replaced) or changed product. occurredAt: its start. */
  | 'SUBSCRIPTION_PLAN_CHANGED'
  /** The subscriber agreed to the pending price change. occurredAt: the read. */
  | 'SUBSCRIPTION_PRICE_CHANGE_AGREED'
  /** A price change waits for the subscriber's consent (`subscription.priceChange`, with agreementDueAt: unagreed by then, it stops renewing). occurredAt: the change's applyTime. */
  | 'SUBSCRIPTION_PRICE_CHANGE_PENDING'
  /** reactivateSubscription succeeded through the gateway. */
  | 'SUBSCRIPTION_REACTIVATED'
  /** A subscription in grace or on hold was paid: access is back (followed by SUBSCRIPTION_RENEWED for the period). occurredAt: the read. */
  | 'SUBSCRIPTION_RECOVERED'
  /** Auto-renew turned off (the player, or a plan change): usable until expiry, then no renewal. occurredAt: cancelledAt, else the read. */
  | 'SUBSCRIPTION_RENEWAL_CANCELLED'
  /** Auto-renew turned back on. occurredAt: the read. */
  | 'SUBSCRIPTION_RENEWAL_RESTORED'
  /** A tracked subscription has a new paid period (lastPurchaseId changed): `purchaseId` is the new period's. Redeem it for the period's grant. occurredAt: the period's start as the reads tell it (docs/events.md). */
  | 'SUBSCRIPTION_RENEWED'
  /** A paused subscription runs again. occurredAt: the pause end (the read, if resumed early). */
  | 'SUBSCRIPTION_RESUMED'
  /** A support key gave the player an entitlement (grantEntitlement): `supportGrant` says which, until when, who and why. */
  | 'SUPPORT_GRANT_CREATED'
  /** A support key revoked a support grant (revokeGrant): `supportGrant` as revoked. A store grant revoked by support is GRANT_REVOKED with revocation.source SUPPORT. */
  | 'SUPPORT_GRANT_REVOKED';

export type GrantOutcome =
  /** The gateway acknowledged the purchase. */
  | 'ACKNOWLEDGED'
  /** Acknowledged before redemption (e.g. by the game client): nothing to change. */
  | 'ACKNOWLEDGED_BEFORE'
  /** The gateway consumed the purchase. */
  | 'CONSUMED'
  /** Verified and recorded; the store has no server-side change for it (ONE store subscriptions). */
  | 'RECORDED';

export type GrantStatus =
  /** Written before the upstream change; settled only on evidence of that change, by the call, a duplicate or the sweeper. */
  | 'PENDING'
  /** The upstream change is done (or none was needed): the item is the player's. */
  | 'SETTLED';

/** ONE store market a purchase lives in. An argument left out means the app's first configured market. */
export type Market =
  /** ONE store global platform (x-market-code MKT_GLB): the store's times are UTC */
  | 'MKT_GLB'
  /** ONE store Korea (x-market-code MKT_ONE): the store's times are UTC+09 wall clock */
  | 'MKT_ONE';

export type NhnCloudConsumeInput = {
  itemSeq: string;
  paymentSeq: string;
  purchaseToken: string;
};

export type OneStoreConsumeInput = {
  /** When given, must match the purchase (max 200). */
  developerPayload?: string | null | undefined;
  /** The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  productId: string;
  purchaseToken: string;
};

export type OneStoreProductKind =
  /** Managed product the player uses up: verified, then consumed. */
  | 'CONSUMABLE'
  /** Monthly auto-renewing product (월정액): verified active, then acknowledged. */
  | 'MONTHLY'
  /** Managed product kept for good (permanent or term): verified, then acknowledged. */
  | 'NON_CONSUMABLE'
  /** Subscription product: verified active and recorded (API v7 has no server acknowledge for it). */
  | 'SUBSCRIPTION';

export type OneStoreRedeemInput = {
  /** When given, must match the purchase (max 200). */
  developerPayload?: string | null | undefined;
  /** Default CONSUMABLE. */
  kind?: OneStoreProductKind | null | undefined;
  /** The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  productId: string;
  purchaseToken: string;
};

/** What the current period of a subscription is (docs/entitlements.md says how it is read). */
export type PeriodType =
  /** A free period (paymentState 2). */
  | 'FREE_TRIAL'
  /** Paid at the normal price; also every monthly product (월정액). */
  | 'NORMAL'
  /** Paid at the promotion price (priceAmount equals promotionPrice). */
  | 'PROMOTION';

export type PurchaseKind =
  /** NHN Cloud IAP payment */
  | 'NHN_CLOUD_PAYMENT'
  /** ONE store managed product (관리형: consumable, permanent or term) */
  | 'ONESTORE_MANAGED'
  /** ONE store monthly auto-renewing product (월정액), in the unconfirmed list */
  | 'ONESTORE_MONTHLY';

export type PurchaseState =
  | 'CANCELLED'
  | 'PURCHASED';

/** Give exactly one of onestore, nhncloud and gamebase. */
export type RedeemPurchaseInput = {
  app: string;
  gamebase?: GamebaseRedeemInput | null | undefined;
  /** Your key for this request (max 128 printable ASCII): a repeat returns the same grant; reuse with other parameters is an error. */
  idempotencyKey?: string | null | undefined;
  nhncloud?: NhnCloudConsumeInput | null | undefined;
  onestore?: OneStoreRedeemInput | null | undefined;
  /** The player's id in your game (max 128, no spaces or control characters; printable ASCII for nhncloud and gamebase). */
  userId: string;
};

export type Store =
  /** NHN Gamebase Server API v1.3 (purchase) */
  | 'GAMEBASE'
  /** NHN Cloud IAP */
  | 'NHN_CLOUD'
  /** ONE store IAP Server API v7 */
  | 'ONESTORE';

export type SubscriptionKind =
  /** ONE store monthly auto-renewing product (월정액, `auto`, legacy) */
  | 'MONTHLY'
  /** ONE store subscription product (구독형) */
  | 'SUBSCRIPTION';

export type SubscriptionStatus =
  /** Paid and renewing. */
  | 'ACTIVE'
  /** Cancelled at once or refunded. */
  | 'CANCELLED'
  /** Renewal stopped; usable until expiresAt. */
  | 'CANCEL_RESERVED'
  /** A plan change with the DEFERRED option (paymentState 3); usable until expiresAt. */
  | 'DEFERRED'
  /** The paid period ran out. */
  | 'EXPIRED'
  /** The renewal payment failed (paymentState 0) and the paid time has not run out: grace (결제유예); usable until expiresAt. */
  | 'IN_GRACE_PERIOD'
  /** The renewal payment failed (paymentState 0) and the paid time ran out: account hold (계정보류); not usable. */
  | 'ON_HOLD'
  /** Paused; not usable until it resumes. */
  | 'PAUSED'
  /** A pause starts at the next payment date; usable until then. */
  | 'PAUSE_RESERVED'
  /** The renewal payment has not gone through yet (grace period or account hold). */
  | 'PAYMENT_PENDING';

export type SubscriptionTargetInput = {
  app: string;
  /** Saves a call when known. */
  kind?: SubscriptionKind | null | undefined;
  /** The purchase's market; default the app's first configured market. */
  market?: Market | null | undefined;
  productId: string;
  purchaseToken: string;
};

export type AcknowledgePurchaseMutationVariables = Exact<{
  input: AcknowledgePurchaseInput;
}>;


export type AcknowledgePurchaseMutation = { acknowledgePurchase:
    | { __typename: 'AcknowledgePurchaseSuccess', purchase: { __typename: 'Purchase', purchaseToken: string, purchaseState: PurchaseState, acknowledgementState: AcknowledgementState, consumptionState: ConsumptionState, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason } } | null, subscription: { __typename: 'Subscription', purchaseToken: string, kind: SubscriptionKind, status: SubscriptionStatus, acknowledgementState: AcknowledgementState, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } } | null }
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, storeCode: string | null, field: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, storeCode: string | null, retryAfterSeconds: number }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string, storeCode: string | null }
   };

export type CancelSubscriptionMutationVariables = Exact<{
  input: SubscriptionTargetInput;
}>;


export type CancelSubscriptionMutation = { cancelSubscription:
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, storeCode: string | null, field: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, storeCode: string | null, retryAfterSeconds: number }
    | { __typename: 'SubscriptionChange', kind: SubscriptionKind, subscription: { __typename: 'Subscription', purchaseToken: string, status: SubscriptionStatus, autoRenewing: boolean, expiresAt: string, nextPaymentAt: string | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } } | null }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string, storeCode: string | null }
   };

export type CheckEntitlementsQueryVariables = Exact<{
  app: string;
  checks: Array<EntitlementCheckInput> | EntitlementCheckInput;
}>;


export type CheckEntitlementsQuery = { checkEntitlements:
    | { __typename: 'EntitlementCheckList', checks: Array<{ __typename: 'EntitlementCheck', index: number, store: Store, kind: EntitlementKind, productId: string | null, paymentSeq: string | null, active: boolean | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } | null, purchase:
          | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
          | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
          | { __typename: 'NotFoundError', code: ErrorCode, message: string }
          | { __typename: 'Purchase', purchaseToken: string, purchaseState: PurchaseState, consumptionState: ConsumptionState, acknowledgementState: AcknowledgementState, quantity: number }
          | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
          | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
          | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
          | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
         | null, subscription:
          | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
          | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
          | { __typename: 'NotFoundError', code: ErrorCode, message: string }
          | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
          | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
          | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
          | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
          | { __typename: 'Subscription', purchaseToken: string, kind: SubscriptionKind, status: SubscriptionStatus, autoRenewing: boolean, expiresAt: string }
         | null }> }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
   };

export type ConsumePurchaseMutationVariables = Exact<{
  input: ConsumePurchaseInput;
}>;


export type ConsumePurchaseMutation = { consumePurchase:
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ConsumePurchaseSuccess', price: { __typename: 'Money', amount: string, currency: string } | null, purchase: { __typename: 'Purchase', purchaseToken: string, purchaseState: PurchaseState, consumptionState: ConsumptionState, acknowledgementState: AcknowledgementState, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason } } | null }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, storeCode: string | null, field: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, storeCode: string | null, retryAfterSeconds: number }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string, storeCode: string | null }
   };

export type DeferSubscriptionMutationVariables = Exact<{
  input: DeferSubscriptionInput;
}>;


export type DeferSubscriptionMutation = { deferSubscription:
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, storeCode: string | null, field: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, storeCode: string | null, retryAfterSeconds: number }
    | { __typename: 'SubscriptionChange', kind: SubscriptionKind, subscription: { __typename: 'Subscription', purchaseToken: string, status: SubscriptionStatus, autoRenewing: boolean, expiresAt: string, nextPaymentAt: string | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } } | null }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string, storeCode: string | null }
   };

export type GamebaseSubscriptionStatusQueryVariables = Exact<{
  app: string;
  paymentSeq: string;
  purchaseToken: string;
}>;


export type GamebaseSubscriptionStatusQuery = { gamebaseSubscriptionStatus:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'GamebaseSubscriptionStatus', userId: string, paymentSeq: string, purchaseToken: string, paymentId: string | null, originalPaymentId: string | null, purchasedAt: string, expiresAt: string | null, renewedAt: string | null, referenceStatus: GamebaseReferenceStatus | null, referenceStatusCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
   };

export type GamebaseSubscriptionsQueryVariables = Exact<{
  app: string;
  userId: string;
  packageName: string;
  storeCodes?: Array<GamebaseStoreCode> | GamebaseStoreCode | null | undefined;
  includeInactiveStatuses?: Array<GamebaseInactiveGoogleStatus> | GamebaseInactiveGoogleStatus | null | undefined;
}>;


export type GamebaseSubscriptionsQuery = { gamebaseSubscriptions:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'GamebaseSubscriptions', subscriptions: Array<{ __typename: 'GamebaseSubscription', storeCode: string, userId: string, paymentSeq: string, purchaseToken: string, productSeq: string | null, productId: string | null, productType: GamebaseProductType, gamebaseProductId: string | null, originalPaymentId: string | null, paymentId: string | null, linkedPaymentId: string | null, payload: string | null, purchasedAt: string, expiresAt: string | null, renewedAt: string | null, isTestPurchase: boolean | null, referenceStatus: GamebaseReferenceStatus | null, referenceStatusCode: string | null, price: { __typename: 'Money', amount: string, currency: string } }> }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
   };

export type ItemCatalogQueryVariables = Exact<{
  app: string;
}>;


export type ItemCatalogQuery = { items:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'ItemCatalog', items: Array<{ __typename: 'Item', itemSeq: string, name: string, store: Store, marketId: string, marketItemId: string, inUse: boolean }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
   };

export type ReactivateSubscriptionMutationVariables = Exact<{
  input: SubscriptionTargetInput;
}>;


export type ReactivateSubscriptionMutation = { reactivateSubscription:
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, storeCode: string | null, field: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string, storeCode: string | null }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, storeCode: string | null, retryAfterSeconds: number }
    | { __typename: 'SubscriptionChange', kind: SubscriptionKind, subscription: { __typename: 'Subscription', purchaseToken: string, status: SubscriptionStatus, autoRenewing: boolean, expiresAt: string, nextPaymentAt: string | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } } | null }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string, storeCode: string | null }
   };

export type RedeemPurchaseMutationVariables = Exact<{
  input: RedeemPurchaseInput;
}>;


export type RedeemPurchaseMutation = { redeemPurchase:
    | { __typename: 'AlreadyConsumedError', code: ErrorCode, message: string }
    | { __typename: 'ConsumedOutsideLedgerError', code: ErrorCode, message: string }
    | { __typename: 'DeveloperPayloadMismatchError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'GrantConflictError', code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyConflictError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InvalidPurchaseStateError', code: ErrorCode, message: string }
    | { __typename: 'LedgerUnavailableError', retryAfterSeconds: number, code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'PurchaseMismatchError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'RedeemPurchaseSuccess', alreadyRedeemed: boolean, grant: { __typename: 'Grant', id: string, store: Store, userId: string, productId: string, quantity: number, status: GrantStatus, outcome: GrantOutcome | null, createdAt: string, settledAt: string | null, price: { __typename: 'Money', amount: string, currency: string } | null, storeIds: { __typename: 'GrantStoreIds', purchaseToken: string | null, purchaseId: string | null, paymentSeq: string | null, itemSeq: string | null } } }
    | { __typename: 'RedemptionInProgressError', grantId: string, retryAfterSeconds: number, code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', retryAfterSeconds: number, code: ErrorCode, message: string }
    | { __typename: 'UncertainOutcomeError', code: ErrorCode, message: string }
   };

export type RevokedGrantsQueryVariables = Exact<{
  app: string;
  since: string;
  after?: string | null | undefined;
}>;


export type RevokedGrantsQuery = { revokedGrants:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'GrantConnection', edges: Array<{ __typename: 'GrantEdge', node: { __typename: 'Grant', id: string, userId: string, productId: string, quantity: number, revokedAt: string | null, revocation: { __typename: 'Revocation', source: string, purchaseId: string | null } | null } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'LedgerUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
   };

export type StreamGatewayEventsSubscriptionVariables = Exact<{
  app: string;
  after?: string | null | undefined;
  types?: Array<GatewayEventType> | GatewayEventType | null | undefined;
}>;


export type StreamGatewayEventsSubscription = { gatewayEvents: { __typename: 'GatewayEvent', id: string, cursor: string, type: GatewayEventType, occurredAt: string, store: Store | null, productId: string | null, grant: { __typename: 'Grant', id: string, userId: string, productId: string, quantity: number, status: GrantStatus, outcome: GrantOutcome | null, revokedAt: string | null } | null, purchase: { __typename: 'Purchase', purchaseState: PurchaseState, consumptionState: ConsumptionState, acknowledgementState: AcknowledgementState } | null, subscription: { __typename: 'Subscription', status: SubscriptionStatus, autoRenewing: boolean, expiresAt: string } | null } };

export type SubscriptionStatusQueryVariables = Exact<{
  app: string;
  productId: string;
  purchaseToken: string;
  kind?: SubscriptionKind | null | undefined;
  market?: Market | null | undefined;
}>;


export type SubscriptionStatusQuery = { subscription:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
    | { __typename: 'Subscription', kind: SubscriptionKind, productId: string, purchaseToken: string, market: Market, status: SubscriptionStatus, autoRenewing: boolean, acknowledgementState: AcknowledgementState, startedAt: string, expiresAt: string, nextPaymentAt: string | null, cancelledAt: string | null, cancelReason: CancelReason | null, pauseStartsAt: string | null, pauseEndsAt: string | null, autoResumeAt: string | null, linkedPurchaseToken: string | null, countryCode: string | null, periodType: PeriodType, willRenew: boolean, billingIssueSince: string | null, price: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string } | null, nextPrice: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string } | null, priceChange: { __typename: 'SubscriptionPriceChange', seq: number, appliesAt: string, agreed: boolean, agreementDueAt: string | null, previousPrice: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string }, newPrice: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string } } | null, promotion: { __typename: 'SubscriptionPromotion', periods: number, price: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string } } | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null } }
   };

export type SyncVoidedPurchasesQueryVariables = Exact<{
  app: string;
  after?: string | null | undefined;
  first?: number | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
}>;


export type SyncVoidedPurchasesQuery = { voidedPurchases:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
    | { __typename: 'VoidedPurchaseConnection', edges: Array<{ __typename: 'VoidedPurchaseEdge', cursor: string, node: { __typename: 'VoidedPurchase', purchaseId: string, purchaseToken: string, market: Market | null, purchasedAt: string, voidedAt: string } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } }
   };

export type UnconfirmedPurchasesQueryVariables = Exact<{
  app: string;
  market?: Market | null | undefined;
  after?: string | null | undefined;
  first?: number | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
}>;


export type UnconfirmedPurchasesQuery = { unconfirmedPurchases:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'PurchaseConnection', edges: Array<{ __typename: 'PurchaseEdge', cursor: string, node: { __typename: 'Purchase', kind: PurchaseKind, productId: string | null, purchaseToken: string, purchaseId: string | null, quantity: number, developerPayload: string | null, purchasedAt: string | null, acknowledgeDeadline: string | null, purchaseState: PurchaseState, consumptionState: ConsumptionState, acknowledgementState: AcknowledgementState } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
   };

export type UnconsumedGamebasePaymentsQueryVariables = Exact<{
  app: string;
  userId: string;
  storeCodes?: Array<GamebaseStoreCode> | GamebaseStoreCode | null | undefined;
}>;


export type UnconsumedGamebasePaymentsQuery = { unconsumedGamebasePayments:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
    | { __typename: 'UnconsumedGamebasePayments', payments: Array<{ __typename: 'GamebasePayment', paymentSeq: string, purchaseToken: string, storeCode: string, gamebaseProductId: string | null, paymentId: string | null, purchasedAt: string, payload: string | null, isTestPurchase: boolean | null, price: { __typename: 'Money', amount: string, currency: string } }> }
   };

export type UnconsumedPurchasesQueryVariables = Exact<{
  app: string;
  userKey: string;
  userChannel?: string | null | undefined;
}>;


export type UnconsumedPurchasesQuery = { unconsumedPurchases:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
    | { __typename: 'UnconsumedPurchases', purchases: Array<{ __typename: 'Purchase', paymentSeq: string | null, itemSeq: string | null, purchaseToken: string, purchasedAt: string | null, price: { __typename: 'Money', amount: string, currency: string } | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason }, item:
          | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
          | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
          | { __typename: 'Item', name: string, marketItemId: string }
          | { __typename: 'NotFoundError', code: ErrorCode, message: string }
          | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
          | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
          | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
          | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string }
         }> }
   };

export type VerifyPurchaseQueryVariables = Exact<{
  app: string;
  productId: string;
  purchaseToken: string;
  market?: Market | null | undefined;
}>;


export type VerifyPurchaseQuery = { purchase:
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string, field: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'Purchase', store: Store, kind: PurchaseKind, productId: string | null, purchaseToken: string, purchaseId: string | null, orderId: string | null, market: Market | null, purchaseState: PurchaseState, consumptionState: ConsumptionState, acknowledgementState: AcknowledgementState, quantity: number, developerPayload: string | null, purchasedAt: string | null, acknowledgeDeadline: string | null, price: { __typename: 'Money', amount: string, amountMicros: string | null, currency: string } | null, entitlement: { __typename: 'Entitlement', active: boolean, reason: EntitlementReason, expiresAt: string | null }, item:
        | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
        | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
        | { __typename: 'Item', itemSeq: string, name: string, marketItemId: string }
        | { __typename: 'NotFoundError', code: ErrorCode, message: string }
        | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
        | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
        | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
        | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string }
       }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
    | { __typename: 'StoreAccessDeniedError', code: ErrorCode, message: string }
    | { __typename: 'StoreProtocolError', code: ErrorCode, message: string }
    | { __typename: 'StoreUnavailableError', code: ErrorCode, message: string, retryAfterSeconds: number }
   };


export const AcknowledgePurchaseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcknowledgePurchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcknowledgePurchaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acknowledgePurchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AcknowledgePurchaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchase"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<AcknowledgePurchaseMutation, AcknowledgePurchaseMutationVariables>;
export const CancelSubscriptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionTargetInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextPaymentAt"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<CancelSubscriptionMutation, CancelSubscriptionMutationVariables>;
export const CheckEntitlementsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CheckEntitlements"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"checks"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EntitlementCheckInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkEntitlements"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"checks"},"value":{"kind":"Variable","name":{"kind":"Name","value":"checks"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EntitlementCheckList"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"store"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"purchase"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Purchase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Subscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<CheckEntitlementsQuery, CheckEntitlementsQueryVariables>;
export const ConsumePurchaseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConsumePurchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConsumePurchaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"consumePurchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConsumePurchaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"purchase"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<ConsumePurchaseMutation, ConsumePurchaseMutationVariables>;
export const DeferSubscriptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeferSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeferSubscriptionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deferSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextPaymentAt"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<DeferSubscriptionMutation, DeferSubscriptionMutationVariables>;
export const GamebaseSubscriptionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GamebaseSubscriptionStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"paymentSeq"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gamebaseSubscriptionStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"paymentSeq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"paymentSeq"}}},{"kind":"Argument","name":{"kind":"Name","value":"purchaseToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GamebaseSubscriptionStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"paymentId"}},{"kind":"Field","name":{"kind":"Name","value":"originalPaymentId"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"renewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"referenceStatus"}},{"kind":"Field","name":{"kind":"Name","value":"referenceStatusCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<GamebaseSubscriptionStatusQuery, GamebaseSubscriptionStatusQueryVariables>;
export const GamebaseSubscriptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GamebaseSubscriptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"packageName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"storeCodes"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GamebaseStoreCode"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"includeInactiveStatuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GamebaseInactiveGoogleStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gamebaseSubscriptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"packageName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"packageName"}}},{"kind":"Argument","name":{"kind":"Name","value":"storeCodes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"storeCodes"}}},{"kind":"Argument","name":{"kind":"Name","value":"includeInactiveStatuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"includeInactiveStatuses"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GamebaseSubscriptions"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscriptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"storeCode"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"productSeq"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"productType"}},{"kind":"Field","name":{"kind":"Name","value":"gamebaseProductId"}},{"kind":"Field","name":{"kind":"Name","value":"originalPaymentId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentId"}},{"kind":"Field","name":{"kind":"Name","value":"linkedPaymentId"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"renewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"isTestPurchase"}},{"kind":"Field","name":{"kind":"Name","value":"referenceStatus"}},{"kind":"Field","name":{"kind":"Name","value":"referenceStatusCode"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<GamebaseSubscriptionsQuery, GamebaseSubscriptionsQueryVariables>;
export const ItemCatalogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ItemCatalog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"items"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ItemCatalog"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"itemSeq"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"store"}},{"kind":"Field","name":{"kind":"Name","value":"marketId"}},{"kind":"Field","name":{"kind":"Name","value":"marketItemId"}},{"kind":"Field","name":{"kind":"Name","value":"inUse"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<ItemCatalogQuery, ItemCatalogQueryVariables>;
export const ReactivateSubscriptionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReactivateSubscription"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionTargetInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reactivateSubscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionChange"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextPaymentAt"}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<ReactivateSubscriptionMutation, ReactivateSubscriptionMutationVariables>;
export const RedeemPurchaseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeemPurchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemPurchaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemPurchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemPurchaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alreadyRedeemed"}},{"kind":"Field","name":{"kind":"Name","value":"grant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"store"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"storeIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"itemSeq"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"settledAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RedemptionInProgressError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grantId"}},{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LedgerUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RedeemPurchaseMutation, RedeemPurchaseMutationVariables>;
export const RevokedGrantsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RevokedGrants"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokedGrants"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GrantConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revocation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseId"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RevokedGrantsQuery, RevokedGrantsQueryVariables>;
export const StreamGatewayEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"StreamGatewayEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"types"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GatewayEventType"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gatewayEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"types"},"value":{"kind":"Variable","name":{"kind":"Name","value":"types"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"grant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"store"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"purchase"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscription"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]}}]} as unknown as DocumentNode<StreamGatewayEventsSubscription, StreamGatewayEventsSubscriptionVariables>;
export const SubscriptionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SubscriptionStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SubscriptionKind"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"market"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Market"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subscription"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"productId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productId"}}},{"kind":"Argument","name":{"kind":"Name","value":"purchaseToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"market"},"value":{"kind":"Variable","name":{"kind":"Name","value":"market"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Subscription"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"market"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"autoRenewing"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"nextPaymentAt"}},{"kind":"Field","name":{"kind":"Name","value":"cancelledAt"}},{"kind":"Field","name":{"kind":"Name","value":"cancelReason"}},{"kind":"Field","name":{"kind":"Name","value":"pauseStartsAt"}},{"kind":"Field","name":{"kind":"Name","value":"pauseEndsAt"}},{"kind":"Field","name":{"kind":"Name","value":"autoResumeAt"}},{"kind":"Field","name":{"kind":"Name","value":"linkedPurchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"countryCode"}},{"kind":"Field","name":{"kind":"Name","value":"periodType"}},{"kind":"Field","name":{"kind":"Name","value":"willRenew"}},{"kind":"Field","name":{"kind":"Name","value":"billingIssueSince"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"priceChange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"previousPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"newPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"appliesAt"}},{"kind":"Field","name":{"kind":"Name","value":"agreed"}},{"kind":"Field","name":{"kind":"Name","value":"agreementDueAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"promotion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"periods"}}]}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<SubscriptionStatusQuery, SubscriptionStatusQueryVariables>;
export const SyncVoidedPurchasesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SyncVoidedPurchases"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voidedPurchases"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VoidedPurchaseConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchaseId"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"market"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"voidedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<SyncVoidedPurchasesQuery, SyncVoidedPurchasesQueryVariables>;
export const UnconfirmedPurchasesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnconfirmedPurchases"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"market"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Market"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unconfirmedPurchases"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"market"},"value":{"kind":"Variable","name":{"kind":"Name","value":"market"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PurchaseConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseId"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"developerPayload"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgeDeadline"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<UnconfirmedPurchasesQuery, UnconfirmedPurchasesQueryVariables>;
export const UnconsumedGamebasePaymentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnconsumedGamebasePayments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"storeCodes"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"GamebaseStoreCode"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unconsumedGamebasePayments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"storeCodes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"storeCodes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UnconsumedGamebasePayments"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"storeCode"}},{"kind":"Field","name":{"kind":"Name","value":"gamebaseProductId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentId"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"isTestPurchase"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<UnconsumedGamebasePaymentsQuery, UnconsumedGamebasePaymentsQueryVariables>;
export const UnconsumedPurchasesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnconsumedPurchases"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userKey"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userChannel"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unconsumedPurchases"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"userKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userKey"}}},{"kind":"Argument","name":{"kind":"Name","value":"userChannel"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userChannel"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UnconsumedPurchases"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentSeq"}},{"kind":"Field","name":{"kind":"Name","value":"itemSeq"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"item"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"marketItemId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<UnconsumedPurchasesQuery, UnconsumedPurchasesQueryVariables>;
export const VerifyPurchaseDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VerifyPurchase"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"market"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Market"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchase"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"productId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productId"}}},{"kind":"Argument","name":{"kind":"Name","value":"purchaseToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"purchaseToken"}}},{"kind":"Argument","name":{"kind":"Name","value":"market"},"value":{"kind":"Variable","name":{"kind":"Name","value":"market"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Purchase"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"store"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseToken"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseId"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"market"}},{"kind":"Field","name":{"kind":"Name","value":"purchaseState"}},{"kind":"Field","name":{"kind":"Name","value":"consumptionState"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgementState"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"developerPayload"}},{"kind":"Field","name":{"kind":"Name","value":"purchasedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgeDeadline"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"amountMicros"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"entitlement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"item"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Item"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"itemSeq"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"marketItemId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StoreUnavailableError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]}}]} as unknown as DocumentNode<VerifyPurchaseQuery, VerifyPurchaseQueryVariables>;