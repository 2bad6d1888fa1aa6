/**
 * What a redemption can end in besides a grant or a store error. The GraphQL layer gives each one
 * its own error type; nothing here carries a token or a secret.
 */

/** Why the store's record of a purchase does not allow granting it. */
export type NotRedeemableReason =
  | 'NOT_PURCHASED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'PRODUCT_MISMATCH'
  | 'PAYLOAD_MISMATCH'
  | 'USER_MISMATCH'
  | 'NOT_CONSUMABLE';

export class NotRedeemable extends Error {
  override readonly name = 'NotRedeemable';
  constructor(
    readonly reason: NotRedeemableReason,
    message: string,
  ) {
    super(message);
  }
}

/** Another call is redeeming this purchase right now (or its outcome is still being settled). */
export class RedemptionInProgress extends Error {
  override readonly name = 'RedemptionInProgress';
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
  constructor() {
    super(
      'The store reports this purchase as consumed, but the ledger has no grant for it: another system consumed it. No grant was made.',
    );
  }
}

/** The idempotency key was used before with different parameters. */
export class IdempotencyKeyConflict extends Error {
  override readonly name = 'IdempotencyKeyConflict';
  constructor(readonly grantId: string) {
    super('This idempotency key was used before with different parameters.');
  }
}

/** The purchase was redeemed before with different parameters (another user, product or token). */
export class GrantConflict extends Error {
  override readonly name = 'GrantConflict';
  constructor(readonly grantId: string) {
    super('This purchase was already redeemed with different parameters (user, product or token).');
  }
}

/**
 * The ledger's database could not be reached. Nothing is lost: a grant already written as pending is
 * settled by the sweeper, and a retry returns it.
 */
export class LedgerUnavailable extends Error {
  override readonly name = 'LedgerUnavailable';
  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super('The grant ledger is unavailable; retry after retryAfterSeconds.', options);
  }
}

/**
 * The ledger failed for a reason that retrying will not fix (not an outage, not bad input): a defect
 * or a broken database. Shown to the caller only as a masked internal error; its cause is logged.
 */
export class LedgerFault extends Error {
  override readonly name = 'LedgerFault';
  constructor(options: { cause: unknown }) {
    super('The grant ledger failed unexpectedly.', options);
  }
}

/** Advice to retry a ledger outage after, seconds. */
export const LEDGER_RETRY_SECONDS = 5;
