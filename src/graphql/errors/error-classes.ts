/**
 * The GraphQL layer's own error types, one class each. Resolvers throw (or loaders return) these;
 * the errors plugin turns them into members of the field's result union. Domain errors that a
 * caller sees as they are (a redemption in progress, the ledger unavailable...) are not copied
 * here: `redemption-errors.ts` registers their classes as GraphQL types. Store errors become one
 * of these through the one table, `store-error-map.ts`. Messages never carry a token, a secret or
 * an upstream URL.
 */

import { LedgerUnavailable } from '../../ledger/index.js';
import type { StoreId } from '../../vocabulary/stores.js';

export const ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_INPUT',
  'FORBIDDEN',
  'ALREADY_CONSUMED',
  'INVALID_PURCHASE_STATE',
  'DEVELOPER_PAYLOAD_MISMATCH',
  'STORE_UNAVAILABLE',
  'UNCERTAIN_OUTCOME',
  'STORE_ACCESS_DENIED',
  'STORE_PROTOCOL_ERROR',
  'RATE_LIMITED',
  'REDEMPTION_IN_PROGRESS',
  'CONSUMED_OUTSIDE_LEDGER',
  'IDEMPOTENCY_KEY_CONFLICT',
  'GRANT_CONFLICT',
  'PURCHASE_MISMATCH',
  'LEDGER_UNAVAILABLE',
  'UNKNOWN_ENTITLEMENT',
  'GRANT_ALREADY_REVOKED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetails {
  /** Which store answered, when a store did. */
  store?: StoreId;
  /** The store's own code (ONE store standard code, NHN resultCode), for support requests. */
  storeCode?: string;
}

/**
 * What the GraphQL `Error` interface reads: a {@link GatewayError}, or a domain error class
 * registered as its own type (it carries its `code`; `store` and `storeCode` are then null).
 */
export interface TypedError {
  readonly message: string;
  readonly code: ErrorCode;
  readonly store?: StoreId | null;
  readonly storeCode?: string | null;
}

export abstract class GatewayError extends Error implements TypedError {
  abstract readonly code: ErrorCode;
  readonly store: StoreId | null;
  readonly storeCode: string | null;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.store = details.store ?? null;
    this.storeCode = details.storeCode ?? null;
  }
}

/** The store knows no such purchase, subscription or item (a fake or mistyped token). */
export class NotFoundError extends GatewayError {
  readonly code = 'NOT_FOUND';
}

/** An argument is malformed or outside the document's limits; no store was called for it. */
export class InvalidInputError extends GatewayError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly field: string,
    message: string,
    details?: ErrorDetails,
  ) {
    super(message, details);
  }
}

/** The API key may not use this app, or lacks the scope. The same answer whether the app exists or not. */
export class ForbiddenError extends GatewayError {
  readonly code = 'FORBIDDEN';
}

/** The purchase was consumed already: do not deliver again. */
export class AlreadyConsumedError extends GatewayError {
  readonly code = 'ALREADY_CONSUMED';
}

/** The purchase does not exist in a state that allows this (cancelled, refunded, expired, unpaid). */
export class InvalidPurchaseStateError extends GatewayError {
  readonly code = 'INVALID_PURCHASE_STATE';
}

/** The developerPayload given differs from the one recorded at purchase time. */
export class DeveloperPayloadMismatchError extends GatewayError {
  readonly code = 'DEVELOPER_PAYLOAD_MISMATCH';
}

/** The store is down, in maintenance, or did not answer in time; nothing was changed. Retry later. */
export class StoreUnavailableError extends GatewayError {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    details?: ErrorDetails,
  ) {
    super(message, details);
  }
}

/** A state change may or may not have happened (no answer after sending). Re-read before retrying. */
export class UncertainOutcomeError extends GatewayError {
  readonly code = 'UNCERTAIN_OUTCOME';
}

/** The store refused the gateway's own credentials (blocked app, wrong secret, revoked access). */
export class StoreAccessDeniedError extends GatewayError {
  readonly code = 'STORE_ACCESS_DENIED';
}

/** The store answered outside its documented protocol; the gateway cannot tell what happened. */
export class StoreProtocolError extends GatewayError {
  readonly code = 'STORE_PROTOCOL_ERROR';
}

/**
 * The API key's or the app's request budget is spent (`rateLimits`); no store was called. Retry
 * after retryAfterSeconds.
 */
export class RateLimitedError extends GatewayError {
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** The entitlement id is not in the app's catalogue (`entitlements` of the app's config). */
export class UnknownEntitlementError extends GatewayError {
  readonly code = 'UNKNOWN_ENTITLEMENT';
}

/** The grant (a store grant or a support grant) was revoked before: nothing changed, no event written. */
export class GrantAlreadyRevokedError extends GatewayError {
  readonly code = 'GRANT_ALREADY_REVOKED';
}

/** Errors any store lookup can end in. */
export const LOOKUP_ERRORS = [
  NotFoundError,
  InvalidInputError,
  ForbiddenError,
  StoreUnavailableError,
  StoreAccessDeniedError,
  StoreProtocolError,
  RateLimitedError,
] as const;

/** Errors any store state change can end in. */
export const CHANGE_ERRORS = [
  ...LOOKUP_ERRORS,
  InvalidPurchaseStateError,
  DeveloperPayloadMismatchError,
  AlreadyConsumedError,
  UncertainOutcomeError,
  // A change's intent is written to the ledger before its store call: no ledger, no change.
  LedgerUnavailable,
] as const;
