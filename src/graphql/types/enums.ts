import type { Environment } from '../../vocabulary/environments.js';
import { STORE_IDS, STORES, type StoreId } from '../../vocabulary/stores.js';
import { builder } from '../builder.js';

/** Derived from the one store definition; keyed by StoreId, so its values are that type. */
export const StoreEnum = builder.enumType('Store', {
  values: Object.fromEntries(STORE_IDS.map((id) => [id, { description: STORES[id].api }])) as Record<
    StoreId,
    { description: string }
  >,
});

/**
 * The ONE store market: the store's own codes (its document, console and `marketCode` fields use
 * them), so a value read from the store or a client SDK is passed on as it is.
 */
export const MarketEnum = builder.enumType('Market', {
  description:
    "ONE store market a purchase lives in. An argument left out means the app's first configured market.",
  values: {
    MKT_ONE: {
      description: "ONE store Korea (x-market-code MKT_ONE): the store's times are UTC+09 wall clock",
    },
    MKT_GLB: { description: "ONE store global platform (x-market-code MKT_GLB): the store's times are UTC" },
  },
});

export const PurchaseStateEnum = builder.enumType('PurchaseState', {
  values: ['PURCHASED', 'CANCELLED'] as const,
});
export const ConsumptionStateEnum = builder.enumType('ConsumptionState', {
  values: ['NOT_CONSUMED', 'CONSUMED'] as const,
});
export const AcknowledgementStateEnum = builder.enumType('AcknowledgementState', {
  values: ['NOT_ACKNOWLEDGED', 'ACKNOWLEDGED'] as const,
});

export const PurchaseKindEnum = builder.enumType('PurchaseKind', {
  values: {
    ONESTORE_MANAGED: { description: 'ONE store managed product (관리형: consumable, permanent or term)' },
    ONESTORE_MONTHLY: {
      description: 'ONE store monthly auto-renewing product (월정액), in the unconfirmed list',
    },
    NHN_CLOUD_PAYMENT: { description: 'NHN Cloud IAP payment' },
  },
});

export const SubscriptionKindEnum = builder.enumType('SubscriptionKind', {
  values: {
    MONTHLY: { description: 'ONE store monthly auto-renewing product (월정액, `auto`, legacy)' },
    SUBSCRIPTION: { description: 'ONE store subscription product (구독형)' },
  },
});

export const SubscriptionStatusEnum = builder.enumType('SubscriptionStatus', {
  values: {
    ACTIVE: { description: 'Paid and renewing.' },
    CANCEL_RESERVED: { description: 'Renewal stopped; usable until expiresAt.' },
    PAUSE_RESERVED: { description: 'A pause starts at the next payment date; usable until then.' },
    PAUSED: { description: 'Paused; not usable until it resumes.' },
    PAYMENT_PENDING: {
      description: 'The renewal payment has not gone through yet (grace period or account hold).',
      deprecationReason: 'No longer returned: grace and hold are told apart as IN_GRACE_PERIOD and ON_HOLD.',
    },
    CANCELLED: { description: 'Cancelled at once or refunded.' },
    EXPIRED: { description: 'The paid period ran out.' },
    IN_GRACE_PERIOD: {
      description:
        'The renewal payment failed (paymentState 0) and the paid time has not run out: grace (결제유예); usable until expiresAt.',
    },
    ON_HOLD: {
      description:
        'The renewal payment failed (paymentState 0) and the paid time ran out: account hold (계정보류); not usable.',
    },
    DEFERRED: {
      description: 'A plan change with the DEFERRED option (paymentState 3); usable until expiresAt.',
    },
  },
});

export const PeriodTypeEnum = builder.enumType('PeriodType', {
  description: 'What the current period of a subscription is (docs/entitlements.md says how it is read).',
  values: {
    FREE_TRIAL: { description: 'A free period (paymentState 2).' },
    PROMOTION: { description: 'Paid at the promotion price (priceAmount equals promotionPrice).' },
    NORMAL: { description: 'Paid at the normal price; also every monthly product (월정액).' },
  },
});

export const CancelReasonEnum = builder.enumType('CancelReason', {
  values: {
    CUSTOMER_REQUEST: { description: '0: 고객요청' },
    OTHER: { description: '1: 기타 (system or developer)' },
  },
});

export const EntitlementReasonEnum = builder.enumType('EntitlementReason', {
  values: {
    PURCHASED: { description: 'A managed product, purchased and not consumed.' },
    UNCONSUMED_PAYMENT: { description: 'An NHN Cloud payment not consumed yet.' },
    CONSUMED: { description: 'Consumed already: delivered once, entitles to nothing more.' },
    CANCELLED: { description: 'Cancelled or refunded by the store.' },
    SUBSCRIPTION_ACTIVE: { description: 'Paid and renewing.' },
    CANCEL_RESERVED: { description: 'Renewal stopped; usable until expiresAt.' },
    PAUSE_RESERVED: { description: 'A pause is scheduled; usable until it starts.' },
    PAYMENT_PENDING: {
      description: 'Renewal payment pending; usable until expiresAt.',
      deprecationReason: 'No longer returned: grace and hold are told apart as IN_GRACE_PERIOD and ON_HOLD.',
    },
    PAUSED: { description: 'Paused by the customer.' },
    EXPIRED: { description: 'The paid period ran out.' },
    IN_GRACE_PERIOD: { description: 'Renewal payment failed, in grace (결제유예); usable until expiresAt.' },
    ON_HOLD: { description: 'Renewal payment failed and the paid time ran out: account hold (계정보류).' },
    DEFERRED: { description: 'A DEFERRED plan change is pending; usable until expiresAt.' },
  },
});

/** What redeemPurchase does with a ONE store purchase: consume, acknowledge or only record it. */
export const OneStoreProductKindEnum = builder.enumType('OneStoreProductKind', {
  values: {
    CONSUMABLE: { description: 'Managed product the player uses up: verified, then consumed.' },
    NON_CONSUMABLE: {
      description: 'Managed product kept for good (permanent or term): verified, then acknowledged.',
    },
    MONTHLY: { description: 'Monthly auto-renewing product (월정액): verified active, then acknowledged.' },
    SUBSCRIPTION: {
      description:
        'Subscription product: verified active and recorded (API v7 has no server acknowledge for it).',
    },
  },
});

export const EnvironmentEnum = builder.enumType('Environment', {
  description:
    'Where a purchase was paid (docs/entitlements.md, "Environment"): keep test purchases out of revenue.',
  values: {
    SANDBOX: {
      description:
        "A test purchase: the store's sandbox (ONE store's sandbox host), a Gamebase payment marked isTestPurchase, or an app configured as sandbox.",
    },
    PRODUCTION: { description: 'Real revenue.' },
  } satisfies Record<Environment, { description: string }>,
});
