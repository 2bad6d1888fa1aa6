import { builder } from '../builder.js';
import { StoreEnum } from '../types/enums.js';
import {
  AlreadyConsumedError,
  DeveloperPayloadMismatchError,
  ERROR_CODES,
  ForbiddenError,
  GrantAlreadyRevokedError,
  InvalidInputError,
  InvalidPurchaseStateError,
  NotFoundError,
  RateLimitedError,
  StoreAccessDeniedError,
  StoreProtocolError,
  StoreUnavailableError,
  type TypedError,
  UncertainOutcomeError,
  UnknownEntitlementError,
} from './error-classes.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', { values: ERROR_CODES });

export const ErrorInterface = builder.interfaceRef<TypedError>('Error').implement({
  description: 'Every error type: a human-readable message and a code a program can switch on.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    store: t.field({
      type: StoreEnum,
      nullable: true,
      description: 'The store that answered, if one did.',
      resolve: (e) => e.store ?? null,
    }),
    storeCode: t.exposeString('storeCode', {
      nullable: true,
      description: "The store's own code (ONE store standard code or NHN resultCode), for support requests.",
    }),
  }),
});

const simple = [
  [NotFoundError, 'NotFoundError', 'The store knows no such purchase, subscription or item.'],
  [ForbiddenError, 'ForbiddenError', 'The API key may not use this app or lacks the scope.'],
  [AlreadyConsumedError, 'AlreadyConsumedError', 'Consumed already: do not deliver again.'],
  [
    InvalidPurchaseStateError,
    'InvalidPurchaseStateError',
    'Not in a state that allows this (cancelled, refunded, expired, unpaid).',
  ],
  [
    DeveloperPayloadMismatchError,
    'DeveloperPayloadMismatchError',
    'developerPayload differs from the purchase.',
  ],
  [
    UncertainOutcomeError,
    'UncertainOutcomeError',
    'The change may or may not have happened: re-read before retrying.',
  ],
  [
    StoreAccessDeniedError,
    'StoreAccessDeniedError',
    "The store refused the gateway's credentials for this app.",
  ],
  [StoreProtocolError, 'StoreProtocolError', 'The store answered outside its documented protocol.'],
  [
    UnknownEntitlementError,
    'UnknownEntitlementError',
    "The entitlement id is not in the app's catalogue (its `entitlements` config).",
  ],
  [
    GrantAlreadyRevokedError,
    'GrantAlreadyRevokedError',
    'The grant was revoked before: nothing changed and no event was written (a retry ends here).',
  ],
] as const;

for (const [cls, name, description] of simple) {
  builder.objectType(cls, {
    name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (v) => v instanceof cls,
  });
}

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is malformed or outside the documented limits; nothing was sent to a store.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof InvalidInputError,
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The argument, as a path such as input.purchaseToken.' }),
  }),
});

builder.objectType(StoreUnavailableError, {
  name: 'StoreUnavailableError',
  description:
    'The store is down, in maintenance or slow; nothing was changed. Retry after retryAfterSeconds.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof StoreUnavailableError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description:
    "The API key's or the app's request budget is spent; no store was called. Retry after retryAfterSeconds.",
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof RateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});
