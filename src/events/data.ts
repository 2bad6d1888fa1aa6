import type * as records from '../entitlements/records.js';
import type { gamebase } from '../stores/index.js';
import type { StoreId } from '../vocabulary/stores.js';

/**
 * What an event's snapshot may hold: GRANT_* events the grant (the ledger's type, `G`, which this
 * module may not import: the ledger imports it), ENTITLEMENT_* events the player's entitlement as
 * computed (players/'s type, `E`, above this module), the others what {@link changeData} builds.
 */
export interface EventData<G extends object = object, S extends object = object, E extends object = object> {
  grant?: G;
  /** SUPPORT_GRANT_* events: the support grant as the action left it (the ledger's type, `S`). */
  supportGrant?: S;
  store?: StoreId;
  market?: records.Market;
  productId?: string;
  purchase?: records.PurchaseRecord | null;
  subscription?: records.SubscriptionRecord | null;
  kind?: records.SubscriptionKind;
  paymentSeq?: string;
  itemSeq?: string;
  price?: records.Money;
  /**
   * SUBSCRIPTION_PERIOD_REFUNDED: the ONE store purchaseId of the refunded period; SUBSCRIPTION_RENEWED:
   * the new period's (lastPurchaseId).
   */
  purchaseId?: string;
  /** Gamebase lifecycle events: the Get Subscriptions Status answer that saw the change. */
  gamebaseSubscription?: gamebase.SubscriptionStatus;
  /** Lifecycle events (SUBSCRIPTION_RENEWED …): the status the read before showed (null: none kept). */
  previousStatus?: records.SubscriptionStatus | null;
  /** ENTITLEMENT_* events: the player. */
  userId?: string;
  /** ENTITLEMENT_* events: the entitlement as computed after the change. */
  entitlement?: E;
  /** ENTITLEMENT_* events: the entitlement as the computation before left it (null: absent then). */
  previous?: { active: boolean; expiresAt: Date | null } | null;
}

/** What {@link periodRefundData} reads of a grant (the ledger's Grant, which this module may not import). */
interface PeriodGrant {
  productId: string;
  storeIds: Record<string, string>;
  revocation: Record<string, string> | null;
}

const isMarket = (value: string | undefined): value is records.Market =>
  value === 'MKT_ONE' || value === 'MKT_GLB';

/**
 * SUBSCRIPTION_PERIOD_REFUNDED: the revoked grant of the period, its product and kind, the market the
 * refund was seen in, and the period (the voided purchaseId; the grant's own when the revocation
 * names none).
 */
export function periodRefundData<G extends PeriodGrant>(grant: G) {
  const market = grant.revocation?.market ?? grant.storeIds.market;
  const kind = grant.storeIds.kind;
  const purchaseId = grant.revocation?.purchaseId ?? grant.storeIds.purchaseId;
  return {
    grant,
    store: 'ONESTORE' as const,
    productId: grant.productId,
    ...(isMarket(market) && { market }),
    ...((kind === 'SUBSCRIPTION' || kind === 'MONTHLY') && { kind: kind as records.SubscriptionKind }),
    ...(purchaseId !== undefined && { purchaseId }),
  };
}

/** The event data of each change (what `gatewayEvents` serves), built alike by a mutation and by a read. */
export const changeData = {
  purchase: (market: records.Market, productId: string, purchase: records.PurchaseRecord | null) => ({
    store: 'ONESTORE' as const,
    market,
    productId,
    purchase,
  }),
  nhnConsume: (paymentSeq: string, itemSeq: string, price: records.Money | null) => ({
    store: 'NHN_CLOUD' as const,
    paymentSeq,
    itemSeq,
    price,
  }),
  subscription: (
    market: records.Market,
    productId: string,
    kind: records.SubscriptionKind,
    s: records.SubscriptionRecord | null,
  ) => ({
    store: 'ONESTORE' as const,
    market,
    productId,
    kind,
    subscription: s,
  }),
};
