import { LedgerInputError } from '../../ledger/index.js';
import {
  ConsumedOutsideLedger,
  GrantConflict,
  IdempotencyKeyConflict,
  LedgerUnavailable,
  NotRedeemable,
  RedemptionInProgress,
} from '../../redemption/errors.js';
import { builder } from '../builder.js';
import {
  CHANGE_ERRORS,
  DeveloperPayloadMismatchError,
  GatewayError,
  InvalidInputError,
  InvalidPurchaseStateError,
} from './error-classes.js';
import { ErrorInterface } from './error-objects.js';
import { toGatewayError } from './store-error-map.js';

/** Another call is redeeming this purchase now, or its outcome is being settled. Retry after retryAfterSeconds. */
export class RedemptionInProgressError extends GatewayError {
  readonly code = 'REDEMPTION_IN_PROGRESS';
  constructor(
    readonly grantId: string,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** The store reports the purchase consumed, but the ledger has no grant: another system consumed it. */
export class ConsumedOutsideLedgerError extends GatewayError {
  readonly code = 'CONSUMED_OUTSIDE_LEDGER';
}

/** The idempotency key was used before with different parameters. */
export class IdempotencyKeyConflictError extends GatewayError {
  readonly code = 'IDEMPOTENCY_KEY_CONFLICT';
  constructor(
    readonly grantId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The purchase was redeemed before with different parameters (another user, product or token). */
export class GrantConflictError extends GatewayError {
  readonly code = 'GRANT_CONFLICT';
  constructor(
    readonly grantId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The store's record names another user or product than the request. */
export class PurchaseMismatchError extends GatewayError {
  readonly code = 'PURCHASE_MISMATCH';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The grant ledger's database is unreachable. Retry after retryAfterSeconds; nothing is lost. */
export class LedgerUnavailableError extends GatewayError {
  readonly code = 'LEDGER_UNAVAILABLE';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

const withGrantId = { grantId: { description: 'The grant the conflict is with.' } } as const;

builder.objectType(RedemptionInProgressError, {
  name: 'RedemptionInProgressError',
  description:
    'Another call is redeeming this purchase now. Retry after retryAfterSeconds: you get its grant.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof RedemptionInProgressError,
  fields: (t) => ({
    grantId: t.exposeID('grantId', { description: 'The pending grant.' }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds'),
  }),
});
builder.objectType(ConsumedOutsideLedgerError, {
  name: 'ConsumedOutsideLedgerError',
  description: 'Consumed at the store, but not through this ledger: no grant was made. Do not deliver.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ConsumedOutsideLedgerError,
});
builder.objectType(IdempotencyKeyConflictError, {
  name: 'IdempotencyKeyConflictError',
  description: 'This idempotency key was used before with different parameters.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof IdempotencyKeyConflictError,
  fields: (t) => ({ grantId: t.exposeID('grantId', withGrantId.grantId) }),
});
builder.objectType(GrantConflictError, {
  name: 'GrantConflictError',
  description: 'This purchase was already redeemed with different parameters (user, product or token).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof GrantConflictError,
  fields: (t) => ({ grantId: t.exposeID('grantId', withGrantId.grantId) }),
});
builder.objectType(PurchaseMismatchError, {
  name: 'PurchaseMismatchError',
  description: "The store's record of the purchase names another user or product than the request.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PurchaseMismatchError,
  fields: (t) => ({ field: t.exposeString('field', { description: 'The input field that differs.' }) }),
});
builder.objectType(LedgerUnavailableError, {
  name: 'LedgerUnavailableError',
  description:
    'The grant ledger is unreachable. Retry after retryAfterSeconds; a grant already written is settled by the sweeper.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof LedgerUnavailableError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

/** Everything `redeemPurchase` can end in. */
export const REDEEM_ERRORS = [
  ...CHANGE_ERRORS,
  RedemptionInProgressError,
  ConsumedOutsideLedgerError,
  IdempotencyKeyConflictError,
  GrantConflictError,
  PurchaseMismatchError,
  LedgerUnavailableError,
] as const;

/**
 * Input the ledger refused (before any query) as InvalidInputError on the GraphQL argument that
 * carried it; `fields` maps the ledger's names (`id`, `after`, `idempotencyKey`...) to those
 * arguments. Unmapped names are reported as `input`.
 */
export function toLedgerInputError(
  error: LedgerInputError,
  fields: Readonly<Record<string, string>> = {},
): InvalidInputError {
  return new InvalidInputError(fields[error.field] ?? 'input', error.message);
}

const REDEEM_INPUT_FIELDS = {
  userId: 'input.userId',
  idempotencyKey: 'input.idempotencyKey',
  app: 'input.app',
} as const;

/**
 * The one place a redemption failure becomes a GraphQL error type; store errors go through the store
 * table. A LedgerFault (and anything unknown) is rethrown as it is: masked, with the request id.
 */
export function toRedeemError(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  if (error instanceof LedgerInputError) return toLedgerInputError(error, REDEEM_INPUT_FIELDS);
  if (error instanceof RedemptionInProgress)
    return new RedemptionInProgressError(error.grantId, error.retryAfterSeconds, error.message);
  if (error instanceof ConsumedOutsideLedger) return new ConsumedOutsideLedgerError(error.message);
  if (error instanceof IdempotencyKeyConflict)
    return new IdempotencyKeyConflictError(error.grantId, error.message);
  if (error instanceof GrantConflict) return new GrantConflictError(error.grantId, error.message);
  if (error instanceof LedgerUnavailable)
    return new LedgerUnavailableError(error.retryAfterSeconds, error.message);
  if (error instanceof NotRedeemable) {
    switch (error.reason) {
      case 'PAYLOAD_MISMATCH':
        return new DeveloperPayloadMismatchError(error.message);
      case 'USER_MISMATCH':
        return new PurchaseMismatchError('input.userId', error.message);
      case 'PRODUCT_MISMATCH':
        return new PurchaseMismatchError('input.gamebase.productId', error.message);
      default:
        return new InvalidPurchaseStateError(error.message);
    }
  }
  return toGatewayError(error);
}
