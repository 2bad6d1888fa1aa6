import { LedgerInputError, LedgerUnavailable } from '../../ledger/index.js';
import {
  ConsumedOutsideLedger,
  GrantConflict,
  IdempotencyKeyConflict,
  NotRedeemable,
  RedemptionInProgress,
  StoreNotConfigured,
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

const withGrantId = { grantId: { description: 'The grant the conflict is with.' } } as const;

// The redemption's and the ledger's own error classes are the GraphQL types: a caller sees them as
// they were thrown, with their message, `code` and fields, so there is no copy to keep in step.
builder.objectType(RedemptionInProgress, {
  name: 'RedemptionInProgressError',
  description:
    'Another call is redeeming this purchase now. Retry after retryAfterSeconds: you get its grant.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof RedemptionInProgress,
  fields: (t) => ({
    grantId: t.exposeID('grantId', { description: 'The pending grant.' }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds'),
  }),
});
builder.objectType(ConsumedOutsideLedger, {
  name: 'ConsumedOutsideLedgerError',
  description: 'Consumed at the store, but not through this ledger: no grant was made. Do not deliver.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof ConsumedOutsideLedger,
});
builder.objectType(IdempotencyKeyConflict, {
  name: 'IdempotencyKeyConflictError',
  description: 'This idempotency key was used before with different parameters.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof IdempotencyKeyConflict,
  fields: (t) => ({ grantId: t.exposeID('grantId', withGrantId.grantId) }),
});
builder.objectType(GrantConflict, {
  name: 'GrantConflictError',
  description: 'This purchase was already redeemed with different parameters (user, product or token).',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof GrantConflict,
  fields: (t) => ({ grantId: t.exposeID('grantId', withGrantId.grantId) }),
});
builder.objectType(PurchaseMismatchError, {
  name: 'PurchaseMismatchError',
  description: "The store's record of the purchase names another user or product than the request.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PurchaseMismatchError,
  fields: (t) => ({ field: t.exposeString('field', { description: 'The input field that differs.' }) }),
});
builder.objectType(LedgerUnavailable, {
  name: 'LedgerUnavailableError',
  description:
    'The grant ledger is unreachable. Retry after retryAfterSeconds; a grant already written is settled by the sweeper.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof LedgerUnavailable,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

/** Domain errors a caller sees as they are: the classes registered above. */
const REGISTERED_DOMAIN_ERRORS = [
  RedemptionInProgress,
  ConsumedOutsideLedger,
  IdempotencyKeyConflict,
  GrantConflict,
  LedgerUnavailable,
] as const;

/** Everything `redeemPurchase` can end in (in the union's order). */
export const REDEEM_ERRORS = [
  ...CHANGE_ERRORS,
  RedemptionInProgress,
  ConsumedOutsideLedger,
  IdempotencyKeyConflict,
  GrantConflict,
  PurchaseMismatchError,
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

/** Why the store's record does not allow a grant, as the error type the caller acts on. */
function notRedeemable(error: NotRedeemable): GatewayError {
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

/**
 * The one place a redemption failure becomes a GraphQL error type: registered domain errors pass
 * as they are, the others are mapped here, store errors go through the store table. A LedgerFault
 * (and anything unknown) is rethrown as it is: masked, with the request id.
 */
export function toRedeemError(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  if (REGISTERED_DOMAIN_ERRORS.some((registered) => error instanceof registered)) return error;
  if (error instanceof LedgerInputError) return toLedgerInputError(error, REDEEM_INPUT_FIELDS);
  if (error instanceof NotRedeemable) return notRedeemable(error);
  // The same answer as the resolver's own check (oneStoreOf and its siblings) gives.
  if (error instanceof StoreNotConfigured) return new InvalidInputError('app', error.message);
  return toGatewayError(error);
}
