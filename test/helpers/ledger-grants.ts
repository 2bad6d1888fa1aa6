import type { NewGrant } from '../../src/ledger/index.js';

/**
 * A grant of a Gamebase payment `key` of `app` for `userId`, as tests write straight into a ledger
 * (no store call follows it: action NONE).
 */
export function gamebaseGrant(app: string, userId: string, key: string): NewGrant {
  return {
    app,
    store: 'GAMEBASE',
    purchaseKey: key,
    userId,
    productId: 'p1',
    quantity: 1,
    storeIds: { paymentSeq: key },
    fingerprint: 'f',
    idempotencyKey: null,
    action: 'NONE',
  };
}
