import type { onestore, StoreError } from '../../stores/index.js';
import type { GatewayError } from '../errors/error-classes.js';
import { InvalidPurchaseStateError } from '../errors/error-classes.js';
import { toGatewayError } from '../errors/store-error-map.js';

/**
 * A ONE store consume whose answer proves nothing (`UncertainOutcomeError` from the client: a 429,
 * maintenance, a 5xx, a cut body, no answer): the purchase read right after decides, as redemption
 * does. The caller read it unconsumed just before the consume (consume-purchase.ts), so consumed
 * now means this consume happened: the mutation succeeds (resolves). Cancelled and not consumed: it
 * can never be consumed, `InvalidPurchaseStateError`. Still unconsumed, or the read failed:
 * `UncertainOutcomeError`, because a consume still in flight may land after the read, and "nothing
 * changed" would let the caller's retry meet "already consumed" and never deliver.
 */
export async function consumedAfterAll(
  error: StoreError,
  read: () => Promise<onestore.PurchaseDetails>,
): Promise<void> {
  let answer: GatewayError;
  try {
    const details = await read();
    if (details.consumptionState === 1) return;
    answer =
      details.purchaseState === 1
        ? new InvalidPurchaseStateError(
            'The store did not answer the consume clearly, and the purchase is cancelled and not consumed.',
            { store: 'ONESTORE', storeCode: error.code },
          )
        : toGatewayError(error);
  } catch {
    answer = toGatewayError(error);
  }
  throw answer;
}
