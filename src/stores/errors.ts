/**
 * The one error vocabulary of `src/stores/`. Every failure of a store call is exactly one member of
 * {@link StoreError}; the layers above switch on `kind` and never re-interpret upstream payloads.
 *
 * Messages are built only from our own words, endpoint names, field names and documented codes:
 * never from URLs, request bodies, tokens, secrets or upstream free text.
 *
 * The classes are named for what happened on the wire, apart from the GraphQL error types the
 * layer above makes of them (`graphql/errors/store-error-map.ts`), so an import cannot pick the
 * wrong one. `kind` and `name` are the stable tags: they label traces (`gateway.error`), logs and
 * the `gateway_redemptions_total` metric, so they keep the words they had when the classes shared
 * the GraphQL types' names (`StoreUnavailableError`, `UncertainOutcomeError`, `InvalidInputError`).
 */

import type { StoreName } from '../vocabulary/stores.js';

/** A store's wire name, from the one store definition (`src/vocabulary/stores.ts`). */
export type { StoreName };

export interface StoreErrorInit {
  store: StoreName;
  /** Logical endpoint name, e.g. `onestore.consumePurchase`; never a URL. */
  endpoint: string;
  code: string;
  message: string;
  httpStatus?: number | undefined;
  retryAfterMs?: number | undefined;
  /** The numeric `resultCode` of an NHN Cloud or Gamebase answer, when the error came from one. */
  resultCode?: number | undefined;
  cause?: unknown;
}

abstract class StoreErrorBase extends Error {
  abstract readonly kind: string;
  abstract readonly retryable: boolean;
  readonly store: StoreName;
  readonly endpoint: string;
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** The numeric `resultCode` of NHN Cloud or Gamebase, when the error came from one of their answers. */
  readonly resultCode: number | undefined;

  constructor(init: StoreErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.store = init.store;
    this.endpoint = init.endpoint;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
    this.resultCode = init.resultCode;
  }
}

/** The store answered with a documented (or at least well-formed) error code. */
export class StoreApiError extends StoreErrorBase {
  readonly kind = 'StoreApiError' as const;
  override readonly name = 'StoreApiError';
  readonly retryable: boolean;

  constructor(init: StoreErrorInit & { retryable: boolean }) {
    super(init);
    this.retryable = init.retryable;
  }
}

/**
 * The store could not serve a request: on a read, maintenance, a 429 or a 5xx after the retries ran
 * out; on any call, a request never sent (connection refused, circuit open, bulkhead full). Never the
 * answer to a state change that was sent: that is {@link UpstreamUncertainOutcomeError} unless the
 * store's table reads it as a refusal. Trying again later can help.
 */
export class UpstreamUnavailableError extends StoreErrorBase {
  readonly kind = 'StoreUnavailableError' as const;
  override readonly name = 'StoreUnavailableError';
  readonly retryable = true;
}

/**
 * A state-changing call may or may not have been applied: no answer after sending (timeout,
 * connection reset), or an answer that the store's table (`changeAnswer` of each store) does not read
 * as a refusal: 429, maintenance, a 5xx, NHN 5000 / 9999, an unknown code, a cut, empty or non-JSON
 * body. The caller must re-read the state before deciding anything.
 */
export class UpstreamUncertainOutcomeError extends StoreErrorBase {
  readonly kind = 'UncertainOutcomeError' as const;
  override readonly name = 'UncertainOutcomeError';
  readonly retryable = false;
}

/** The upstream answered something that is not the documented protocol (HTML, empty, wrong shape). */
export class UpstreamProtocolError extends StoreErrorBase {
  readonly kind = 'UpstreamProtocolError' as const;
  override readonly name = 'UpstreamProtocolError';
  readonly retryable = false;
}

/** An argument was rejected before any I/O; `field` names it, its value is never echoed. */
export class InvalidArgumentError extends StoreErrorBase {
  readonly kind = 'InvalidInputError' as const;
  override readonly name = 'InvalidInputError';
  readonly retryable = false;
  readonly field: string;

  constructor(init: Omit<StoreErrorInit, 'code' | 'message'> & { field: string; reason: string }) {
    super({
      ...init,
      code: 'INVALID_INPUT',
      message: `${init.endpoint}: invalid ${init.field}: ${init.reason}`,
    });
    this.field = init.field;
  }
}

/** The call's deadline passed, or the caller aborted it, before an answer arrived (reads only). */
export class DeadlineExceededError extends StoreErrorBase {
  readonly kind = 'DeadlineExceededError' as const;
  override readonly name = 'DeadlineExceededError';
  readonly retryable = true;
}

export type StoreError =
  | StoreApiError
  | UpstreamUnavailableError
  | UpstreamUncertainOutcomeError
  | UpstreamProtocolError
  | InvalidArgumentError
  | DeadlineExceededError;

export type StoreErrorKind = StoreError['kind'];

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreErrorBase;
}

/** What an answer to a state change proves about it, as a store's table reads the answer. */
export type ChangeAnswer = 'NOT_APPLIED' | 'UNCERTAIN';

/**
 * What a store's code says happened, in the few words the layers above decide on. Each store's code
 * table (`<store>/codes.ts`) gives every code one; `graphql/errors/store-error-map.ts` has one small
 * table from these to the GraphQL error types.
 * - NOT_FOUND: the store has no such purchase or payment (for this token, product, paymentSeq).
 * - ALREADY_DONE: the purchase was consumed already (this request changed nothing).
 * - INVALID_STATE: the purchase is not in a state that allows the request.
 * - PAYLOAD_MISMATCH: the developerPayload differs from the one given at purchase time.
 * - ACCESS_DENIED: the store refused the gateway's credentials or configuration.
 * - UNAVAILABLE: the store's own failure or maintenance; a later retry can help.
 * - INVALID_INPUT: the store refused the request's parameters.
 * - PROTOCOL: an answer the gateway's requests cannot provoke by the documents (off-protocol).
 */
export type CodeCategory =
  | 'NOT_FOUND'
  | 'ALREADY_DONE'
  | 'INVALID_STATE'
  | 'PAYLOAD_MISMATCH'
  | 'ACCESS_DENIED'
  | 'UNAVAILABLE'
  | 'INVALID_INPUT'
  | 'PROTOCOL';

/** A store code as its table reads it, on one endpoint. */
export interface CodeReading {
  category: CodeCategory;
  /**
   * What the answer tells a caller when the category alone says less (`NoSuchData`: no purchase for
   * this product and token): the message of the error the caller gets. Default: the category's.
   */
  meaning?: string;
}

/**
 * Whether an error thrown by a state-changing call proves the change was not applied. The clients
 * keep one rule: every failure after the request may have reached the store, and every answer that
 * the store's table (`changeAnswer`) does not read as a refusal, is an
 * {@link UpstreamUncertainOutcomeError}; any other store error is a refusal, or a request that was
 * never sent (invalid input, circuit open, connection refused, the token endpoint's answer).
 */
export function provesNotApplied(error: unknown): boolean {
  return isStoreError(error) && error.kind !== 'UncertainOutcomeError';
}
