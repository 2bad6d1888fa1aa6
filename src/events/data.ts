import type * as records from '../entitlements/records.js';
import type { StoreId } from '../vocabulary/stores.js';

/**
 * What an event's snapshot may hold: GRANT_* events the grant (the ledger's type, `G`, which this
 * module may not import: the ledger imports it), the others what {@link changeData} builds.
 */
export interface EventData<G extends object = object> {
  grant?: G;
  store?: StoreId;
  market?: records.Market;
  productId?: string;
  purchase?: records.PurchaseRecord | null;
  subscription?: records.SubscriptionRecord | null;
  kind?: records.SubscriptionKind;
  paymentSeq?: string;
  itemSeq?: string;
  price?: records.Money;
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
