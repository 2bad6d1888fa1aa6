import type {
  Market,
  Money,
  PurchaseRecord,
  SubscriptionKind,
  SubscriptionRecord,
} from '../entitlements/records.js';
import type { StoreId } from '../vocabulary/stores.js';

/**
 * What an event's snapshot may hold: GRANT_* events the grant (the ledger's type, `G`, which this
 * module may not import: the ledger imports it), the others what {@link changeData} builds.
 */
export interface EventData<G extends object = object> {
  grant?: G;
  store?: StoreId;
  market?: Market;
  productId?: string;
  purchase?: PurchaseRecord | null;
  subscription?: SubscriptionRecord | null;
  kind?: SubscriptionKind;
  paymentSeq?: string;
  itemSeq?: string;
  price?: Money;
}

/** The event data of each change (what `gatewayEvents` serves), built alike by a mutation and by a read. */
export const changeData = {
  purchase: (market: Market, productId: string, purchase: PurchaseRecord | null) => ({
    store: 'ONESTORE' as const,
    market,
    productId,
    purchase,
  }),
  nhnConsume: (paymentSeq: string, itemSeq: string, price: Money | null) => ({
    store: 'NHN_CLOUD' as const,
    paymentSeq,
    itemSeq,
    price,
  }),
  subscription: (
    market: Market,
    productId: string,
    kind: SubscriptionKind,
    s: SubscriptionRecord | null,
  ) => ({
    store: 'ONESTORE' as const,
    market,
    productId,
    kind,
    subscription: s,
  }),
};
