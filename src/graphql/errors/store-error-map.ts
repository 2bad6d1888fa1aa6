import {
  type CodeCategory,
  isStoreError,
  readStoreCode,
  type StoreError,
  storeCodeOf,
} from '../../stores/index.js';
import { storeIdOf } from '../../vocabulary/stores.js';
import {
  AlreadyConsumedError,
  DeveloperPayloadMismatchError,
  type ErrorDetails,
  type GatewayError,
  InvalidInputError,
  InvalidPurchaseStateError,
  NotFoundError,
  StoreAccessDeniedError,
  StoreProtocolError,
  StoreUnavailableError,
  UncertainOutcomeError,
} from './error-classes.js';

type Make = (details: ErrorDetails, error: StoreError, meaning?: string) => GatewayError;

/**
 * consumePurchase's calls: a retry of the same consume is safe and tells (consume-purchase.ts answers
 * it success when the earlier one went through). Other changes (a deferral) must not be sent twice.
 */
const CONSUMES: ReadonlySet<string> = new Set(['onestore.consumePurchase', 'nhncloud.consume']);

const unavailable: Make = (d, e, meaning) =>
  new StoreUnavailableError(
    Math.max(1, Math.ceil((e.retryAfterMs ?? 5_000) / 1000)),
    meaning ?? 'The store is unavailable; nothing was changed. Retry after retryAfterSeconds.',
    d,
  );
// The endpoint and storeCode say what came back (HTTP_429, ServiceMaintenance, 5000, INVALID_JSON,
// ECONNRESET ...): none of it says whether the change was made.
const uncertain: Make = (d, e) =>
  new UncertainOutcomeError(
    `The store's answer to ${e.endpoint} does not say whether the change was applied (no answer, or one that proves nothing). ${
      CONSUMES.has(e.endpoint)
        ? 'Do not deliver yet: send the same consumePurchase again (if this consume went through, the answer is then success), or wait for its PURCHASE_CONSUMED event.'
        : 'Read it again before you deliver or retry.'
    }`,
    d,
  );
// Names the endpoint (our logical name, never a URL), so "which call got the HTML page or the
// unparsable body" is in the answer; storeCode says what was wrong (INVALID_JSON, HTTP_404 ...).
const protocol: Make = (d, e, meaning) =>
  new StoreProtocolError(meaning ?? `The store answered ${e.endpoint} outside its documented protocol.`, d);

/**
 * The one table from what a store code says happened (its category in the store's code table,
 * `stores/<store>/codes.ts`) to the GraphQL error type; the code's `meaning`, when its table gives
 * one, is the message. docs/errors.md shows the codes with the types they come to; a test walks them.
 */
const BY_CATEGORY: Record<CodeCategory, Make> = {
  NOT_FOUND: (d, _e, meaning) => new NotFoundError(meaning ?? 'The store has no such purchase.', d),
  ALREADY_DONE: (d, _e, meaning) =>
    new AlreadyConsumedError(meaning ?? 'The payment was consumed already; do not deliver again.', d),
  INVALID_STATE: (d, _e, meaning) =>
    new InvalidPurchaseStateError(
      meaning ??
        'The purchase does not exist in a state that allows this (cancelled, refunded, expired or not paid).',
      d,
    ),
  PAYLOAD_MISMATCH: (d, _e, meaning) =>
    new DeveloperPayloadMismatchError(
      meaning ?? 'developerPayload differs from the one given at purchase time.',
      d,
    ),
  ACCESS_DENIED: (d, _e, meaning) =>
    new StoreAccessDeniedError(
      meaning ?? "The store refused the gateway's credentials for this app; check its configuration.",
      d,
    ),
  UNAVAILABLE: unavailable,
  INVALID_INPUT: (d, _e, meaning) =>
    new InvalidInputError('input', meaning ?? 'The store rejected the request parameters.', d),
  PROTOCOL: protocol,
};

/** The one place a store error becomes a GraphQL error type. Anything else is rethrown (masked). */
export function toGatewayError(error: unknown): GatewayError {
  if (!isStoreError(error)) throw error;
  const details: ErrorDetails = {
    store: storeIdOf(error.store),
    storeCode: storeCodeOf(error),
  };
  switch (error.kind) {
    case 'StoreApiError': {
      // Codes are read per endpoint (the token endpoint's answer is never about a purchase).
      const { category, meaning } = readStoreCode(error);
      return BY_CATEGORY[category](details, error, meaning);
    }
    case 'StoreUnavailableError':
    case 'DeadlineExceededError':
      return unavailable(details, error);
    case 'UncertainOutcomeError':
      return uncertain(details, error);
    case 'UpstreamProtocolError':
      return protocol(details, error);
    case 'InvalidInputError':
      return new InvalidInputError(
        error.field,
        `Invalid ${error.field}: outside the store's documented size or characters.`,
      );
  }
}

/**
 * ONE store's InvalidConsumeState to a consume, read with the purchase as it is now: consumed means
 * AlreadyConsumedError; not consumed, the table's InvalidPurchaseStateError. A failed read is
 * answered as that failure (the consume was refused, so nothing changed; a retry asks again).
 */
export async function onestoreConsumeRefusal(
  error: StoreError,
  consumed: () => Promise<boolean>,
): Promise<GatewayError> {
  const read = await consumed().then(
    (value) => ({ value }),
    (readError: unknown) => ({ readError }),
  );
  if ('readError' in read) return toGatewayError(read.readError);
  if (!read.value) return toGatewayError(error);
  return new AlreadyConsumedError('The purchase was consumed already; do not deliver again.', {
    store: 'ONESTORE',
    storeCode: error.code,
  });
}

/** Runs a store call and converts its failure, so callers only ever see GraphQL error types. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGatewayError(error);
  }
}
