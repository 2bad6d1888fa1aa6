/**
 * What a redemption can end in besides a grant, a store error or a ledger error (`ledger/errors.ts`).
 * A class with a `code` is registered by the GraphQL layer as its own error type under that code
 * (`graphql/errors/redemption-errors.ts`); the others are mapped there. `name` labels the
 * `gateway_redemptions_total` metric and the logs. Nothing here carries a token or a secret.
 */

import { STORES, type StoreId } from '../vocabulary/stores.js';

/** Why the store's record of a purchase does not allow granting it. */
export type NotRedeemableReason =
  | 'NOT_PURCHASED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'PRODUCT_MISMATCH'
  | 'PAYLOAD_MISMATCH'
  | 'USER_MISMATCH'
  | 'NOT_CONSUMABLE';

/** A grant the store's read proves refunded: the ledger key of its purchase (a period's) and why. */
export interface ProvenRevocation {
  purchaseKey: string;
  revocation: Record<string, string>;
}

export class NotRedeemable extends Error {
  override readonly name = 'NotRedeemable';
  constructor(
    readonly reason: NotRedeemableReason,
    message: string,
    /**
     * Set when the same read proves a grant already made refunded (Gamebase: the subscription
     * REVOKED, naming its current period): the redeemer revokes it before answering. Default none.
     */
    readonly revokes?: ProvenRevocation,
  ) {
    super(message);
  }
}

/** Another call is redeeming this purchase right now (or its outcome is still being settled). */
export class RedemptionInProgress extends Error {
  override readonly name = 'RedemptionInProgress';
  readonly code = 'REDEMPTION_IN_PROGRESS';
  constructor(
    readonly grantId: string,
    readonly retryAfterSeconds: number,
  ) {
    super('This purchase is being redeemed by another call; retry after retryAfterSeconds.');
  }
}

/** The store says the purchase was consumed, and the ledger has no grant for it. */
export class ConsumedOutsideLedger extends Error {
  override readonly name = 'ConsumedOutsideLedger';
  readonly code = 'CONSUMED_OUTSIDE_LEDGER';
  constructor() {
    super(
      'The store reports this purchase as consumed, but the ledger has no grant for it: another system consumed it. No grant was made.',
    );
  }
}

/** The idempotency key was used before with different parameters. */
export class IdempotencyKeyConflict extends Error {
  override readonly name = 'IdempotencyKeyConflict';
  readonly code = 'IDEMPOTENCY_KEY_CONFLICT';
  constructor(readonly grantId: string) {
    super('This idempotency key was used before with different parameters.');
  }
}

/** The purchase was redeemed before with different parameters (another user, product or token). */
export class GrantConflict extends Error {
  override readonly name = 'GrantConflict';
  readonly code = 'GRANT_CONFLICT';
  constructor(
    readonly grantId: string,
    message = 'This purchase was already redeemed with different parameters (user, product or token).',
  ) {
    super(message);
  }
}

/**
 * The app is not configured (any more) for the store a redemption or a pending grant names. The
 * resolvers check this before redeeming; this is the same answer should the check be passed by.
 */
export class StoreNotConfigured extends Error {
  override readonly name = 'StoreNotConfigured';
  constructor(
    readonly app: string,
    /** The store the app lacks; undefined when the app itself is not configured. */
    readonly store?: StoreId,
  ) {
    super(
      store === undefined
        ? `App "${app}" is not configured.`
        : `App "${app}" has no ${STORES[store].label} configuration.`,
    );
  }
}
