import { isStoreError, type StoreError } from '../../stores/index.js';
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

type Make = (details: ErrorDetails, error: StoreError) => GatewayError;

/**
 * consumePurchase's calls: a retry of the same consume is safe and tells (consume-purchase.ts answers
 * it success when the earlier one went through). Other changes (a deferral) must not be sent twice.
 */
const CONSUMES: ReadonlySet<string> = new Set(['onestore.consumePurchase', 'nhncloud.consume']);

const unavailable: Make = (d, e) =>
  new StoreUnavailableError(
    Math.max(1, Math.ceil((e.retryAfterMs ?? 5_000) / 1000)),
    'The store is unavailable; nothing was changed. Retry after retryAfterSeconds.',
    d,
  );
const accessDenied: Make = (d) =>
  new StoreAccessDeniedError(
    "The store refused the gateway's credentials for this app; check its configuration.",
    d,
  );
// Names the endpoint (our logical name, never a URL), so "which call got the HTML page or the
// unparsable body" is in the answer; storeCode says what was wrong (INVALID_JSON, HTTP_404 ...).
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
const protocol: Make = (d, e) =>
  new StoreProtocolError(`The store answered ${e.endpoint} outside its documented protocol.`, d);
const invalidInput: Make = (d) =>
  new InvalidInputError('input', 'The store rejected the request parameters.', d);
const invalidState: Make = (d) =>
  new InvalidPurchaseStateError(
    'The purchase does not exist in a state that allows this (cancelled, refunded, expired or not paid).',
    d,
  );

/**
 * Every ONE store standard code (document 002, 표준응답코드) to exactly one GraphQL error type.
 * docs/errors.md shows the same table; a test walks it.
 */
export const ONESTORE_CODE_MAP: Record<string, Make> = {
  AccessBlocked: accessDenied,
  AccessTokenExpired: accessDenied,
  InvalidAccessToken: accessDenied,
  InvalidAuthorizationHeader: accessDenied,
  UnauthorizedAccess: accessDenied,
  BadRequest: invalidInput,
  InvalidRequest: invalidInput,
  RequiredValueNotExist: invalidInput,
  DeveloperPayloadNotMatch: (d) =>
    new DeveloperPayloadMismatchError('developerPayload differs from the one given at purchase time.', d),
  // "cannot be changed or has already been changed": only a read of the purchase tells which, so the
  // table says the first; consumePurchase and redeemPurchase re-read and answer AlreadyConsumedError
  // (or ConsumedOutsideLedgerError) when the purchase is consumed (onestoreConsumeRefusal).
  InvalidConsumeState: (d) =>
    new InvalidPurchaseStateError(
      'The store refused to change the consumption state, and the purchase is not consumed.',
      d,
    ),
  InvalidPurchaseState: invalidState,
  NoSuchData: (d) => new NotFoundError('The store has no such purchase for this product and token.', d),
  ResourceNotFound: protocol,
  InvalidContentType: protocol,
  MethodNotAllowed: protocol,
  ServiceMaintenance: unavailable,
  InternalError: unavailable,
};

/** Every NHN Cloud IAP server resultCode (document 000) to exactly one GraphQL error type. */
export const NHNCLOUD_CODE_MAP: Record<string, Make> = {
  '1100': invalidInput,
  '2111': protocol,
  '2112': protocol,
  // CONSUME_FAILED: only consume answers it, and there the client makes it UncertainOutcomeError
  // (it does not say "before any change"). Answered to a read it is outside the protocol.
  '5000': protocol,
  '5018': (d) => new AlreadyConsumedError('The payment was consumed already; do not deliver again.', d),
};

/**
 * Gamebase resultCodes (error-code guide, Server table) the gateway can meet on its three purchase
 * calls; the rest fall back by retryability like any unknown code. PAYMENT_SEQ_MISMATCH is the
 * client's own check: the token belongs to another payment.
 */
export const GAMEBASE_CODE_MAP: Record<string, Make> = {
  '-4010001': accessDenied,
  '-4010002': accessDenied,
  '-4010003': accessDenied,
  '-4010004': accessDenied,
  '-4010202': accessDenied,
  '-4000001': invalidInput,
  '-4000002': invalidInput,
  '-4000008': invalidInput,
  '-4060001': protocol,
  '-4150001': protocol,
  '-4040202': protocol,
  // INVALID_PARAMETERS, "parameter error": to Get Payment Transaction, the store takes no payment for
  // this paymentSeq and token (unknown, or no longer valid; the guide does not say refunded, and
  // redemption does not read it so after verification). A list names no token, so there it is only
  // what it says: the parameters were refused.
  '1100': (d, e) =>
    e.endpoint === 'gamebase.consumableList'
      ? invalidInput(d, e)
      : new NotFoundError(
          'Gamebase takes no payment for this paymentSeq and token (1100 INVALID_PARAMETERS).',
          d,
        ),
  // As for NHN Cloud: Consume's 5000 is UncertainOutcomeError before it gets here; elsewhere off-protocol.
  '5000': protocol,
  '5018': (d) => new AlreadyConsumedError('The payment was consumed already; do not deliver again.', d),
  PAYMENT_SEQ_MISMATCH: (d) => new NotFoundError('The token belongs to another paymentSeq.', d),
};

const STORE_IDS = { onestore: 'ONESTORE', nhncloud: 'NHN_CLOUD', gamebase: 'GAMEBASE' } as const;
const CODE_TABLES = {
  onestore: ONESTORE_CODE_MAP,
  nhncloud: NHNCLOUD_CODE_MAP,
  gamebase: GAMEBASE_CODE_MAP,
} as const;

/**
 * ONE store's token endpoint: every code it answers refuses the gateway's request for a token, i.e.
 * its credentials or configuration, whatever the code says elsewhere (`NoSuchData` there is no
 * client, not no purchase). A busy store (maintenance, 5xx, 429) is unavailable, as on any endpoint.
 */
const TOKEN_ENDPOINT = 'onestore.token';
const tokenRefused: Make = (d) =>
  new StoreAccessDeniedError(
    `The store's token endpoint (${TOKEN_ENDPOINT}) refused the gateway's request for an access token: check the app's clientId, clientSecret, market and baseUrl. Nothing was asked about the purchase.`,
    d,
  );

/** The one place a store error becomes a GraphQL error type. Anything else is rethrown (masked). */
export function toGatewayError(error: unknown): GatewayError {
  if (!isStoreError(error)) throw error;
  // NHN and Gamebase errors carry the result code's name in `code` and the number in
  // `resultCode`; the tables and storeCode use the number, as their documents do.
  const storeCode = error.resultCode !== undefined ? String(error.resultCode) : error.code;
  const details: ErrorDetails = {
    store: STORE_IDS[error.store],
    storeCode,
  };
  switch (error.kind) {
    case 'StoreApiError': {
      // Codes are read per endpoint: the token endpoint's answer is never about a purchase.
      if (error.endpoint === TOKEN_ENDPOINT) return tokenRefused(details, error);
      const table = CODE_TABLES[error.store];
      const make = table[storeCode] ?? (error.retryable ? unavailable : protocol);
      return make(details, error);
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
