import { APP, type GatewayHarness } from './gateway.js';

/** What names one ONE store purchase: its product and token. */
export interface PurchaseRef {
  productId: string;
  purchaseToken: string;
}

/** The variables `app`, `productId` and `purchaseToken` of a lookup of `p` in app A. */
export const purchaseVars = (p: PurchaseRef) => ({
  app: APP,
  productId: p.productId,
  purchaseToken: p.purchaseToken,
});

/** `{ input }` of a consumePurchase of ONE store purchase `p` in app A. */
export const onestoreConsume = (p: PurchaseRef) => ({
  input: { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
});

/**
 * Makes the sandbox answer the next calls of `endpoint` (e.g. `onestore.consumePurchase`) with a
 * fault: `code`, `status`, `drop`, `phase`, `resultCode` ... as the control API takes them. `count`
 * defaults to 1.
 */
export async function injectFault(
  g: GatewayHarness,
  endpoint: string,
  fault: Record<string, unknown>,
): Promise<void> {
  await g.control('POST', '/faults', { endpoint, count: 1, ...fault });
}
