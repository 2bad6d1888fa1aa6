import type { ChangeAnswer, CodeCategory, CodeReading } from '../errors.js';

/**
 * ONE store IAP Server API v7 standard response codes (표준응답코드), as the document lists them: the
 * one table of what each code means. `category` is what it says happened (`CodeCategory`; the GraphQL
 * error type follows from it, docs/errors.md), `meaning` the caller's message where the category
 * alone says less. `retryable` is our reading: only codes that describe a
 * transient condition are worth repeating (a read). `change` is what the code proves when answered,
 * at its documented 4xx status, to a state change (acknowledge, consume, the subscription changes):
 * a code the document answers with a 4xx refuses the request, so nothing changed (for
 * InvalidConsumeState, "cannot be changed or already changed", this request changed nothing; a read
 * tells whether an earlier one did); InternalError ("an undefined error") and ServiceMaintenance may
 * come from a store that had already applied the change. The status decides too: see
 * `oneStoreChangeAnswer` (evidence.ts).
 */
export const ONESTORE_ERROR_CODES = {
  AccessBlocked: {
    httpStatus: 403,
    retryable: false,
    message: 'The request was blocked.',
    change: 'NOT_APPLIED',
    category: 'ACCESS_DENIED',
  },
  AccessTokenExpired: {
    httpStatus: 401,
    retryable: true,
    message: 'Access token has expired.',
    change: 'NOT_APPLIED',
    category: 'ACCESS_DENIED',
  },
  BadRequest: {
    httpStatus: 400,
    retryable: false,
    message: 'The request are invalid.',
    change: 'NOT_APPLIED',
    category: 'INVALID_INPUT',
  },
  DeveloperPayloadNotMatch: {
    httpStatus: 400,
    retryable: false,
    message: 'The request developerPayload does not match the value passed in the purchase request.',
    change: 'NOT_APPLIED',
    category: 'PAYLOAD_MISMATCH',
  },
  InternalError: {
    httpStatus: 500,
    retryable: true,
    message: 'An undefined error has occurred.',
    change: 'UNCERTAIN',
    category: 'UNAVAILABLE',
  },
  InvalidAccessToken: {
    httpStatus: 401,
    retryable: true,
    message: 'Access token is invalid.',
    change: 'NOT_APPLIED',
    category: 'ACCESS_DENIED',
  },
  InvalidAuthorizationHeader: {
    httpStatus: 400,
    retryable: false,
    message: 'Authorization header is invalid.',
    change: 'NOT_APPLIED',
    category: 'ACCESS_DENIED',
  },
  InvalidConsumeState: {
    httpStatus: 409,
    retryable: false,
    message: 'The purchase consumption status cannot be changed or has already been changed.',
    change: 'NOT_APPLIED',
    category: 'INVALID_STATE',
    // "cannot be changed or has already been changed": only a read of the purchase tells which, so the
    // table says the first; consumePurchase and redeemPurchase re-read and answer AlreadyConsumedError
    // (or ConsumedOutsideLedgerError) when the purchase is consumed (onestoreConsumeRefusal).
    meaning: 'The store refused to change the consumption state, and the purchase is not consumed.',
  },
  InvalidContentType: {
    httpStatus: 415,
    retryable: false,
    message: 'The request content-type is invalid.',
    change: 'NOT_APPLIED',
    category: 'PROTOCOL',
  },
  InvalidPurchaseState: {
    httpStatus: 409,
    retryable: false,
    message: 'Purchase history does not exist or is not completed.',
    change: 'NOT_APPLIED',
    category: 'INVALID_STATE',
  },
  InvalidRequest: {
    httpStatus: 400,
    retryable: false,
    message: 'Request parameters are invalid.',
    change: 'NOT_APPLIED',
    category: 'INVALID_INPUT',
  },
  MethodNotAllowed: {
    httpStatus: 405,
    retryable: false,
    message: 'HTTP method not supported.',
    change: 'NOT_APPLIED',
    category: 'PROTOCOL',
  },
  NoSuchData: {
    httpStatus: 404,
    retryable: false,
    message: 'The requested data could not be found.',
    change: 'NOT_APPLIED',
    category: 'NOT_FOUND',
    meaning: 'The store has no such purchase for this product and token.',
  },
  RequiredValueNotExist: {
    httpStatus: 400,
    retryable: false,
    message: 'Request parameters are required.',
    change: 'NOT_APPLIED',
    category: 'INVALID_INPUT',
  },
  ResourceNotFound: {
    httpStatus: 404,
    retryable: false,
    message: 'The requested resource could not be found.',
    change: 'NOT_APPLIED',
    category: 'PROTOCOL',
  },
  ServiceMaintenance: {
    httpStatus: 503,
    retryable: true,
    message: 'System maintenance is in progress.',
    change: 'UNCERTAIN',
    category: 'UNAVAILABLE',
  },
  UnauthorizedAccess: {
    httpStatus: 403,
    retryable: false,
    message: 'Not authorized to this API.',
    change: 'NOT_APPLIED',
    category: 'ACCESS_DENIED',
  },
} as const satisfies Record<
  string,
  {
    httpStatus: number;
    retryable: boolean;
    message: string;
    change: ChangeAnswer;
    category: CodeCategory;
    meaning?: string;
  }
>;

export type OneStoreErrorCode = keyof typeof ONESTORE_ERROR_CODES;

export function isOneStoreErrorCode(code: string): code is OneStoreErrorCode {
  return Object.hasOwn(ONESTORE_ERROR_CODES, code);
}

/** Codes after which a fresh access token and one repeat of the call can succeed. */
export function isAuthTokenError(code: string): boolean {
  return code === 'AccessTokenExpired' || code === 'InvalidAccessToken';
}

/**
 * The token endpoint: every code it answers refuses the gateway's request for a token, i.e. its
 * credentials or configuration, whatever the code says elsewhere (`NoSuchData` there is no client,
 * not no purchase). A busy store (maintenance, 5xx, 429) never gets here: that is unavailable.
 */
export const TOKEN_ENDPOINT = 'onestore.token';

/** A code as the table reads it on `endpoint` (codes are read per endpoint); undefined: not in the table. */
export function readOneStoreCode(code: string, endpoint: string): CodeReading | undefined {
  if (endpoint === TOKEN_ENDPOINT)
    return {
      category: 'ACCESS_DENIED',
      meaning: `The store's token endpoint (${TOKEN_ENDPOINT}) refused the gateway's request for an access token: check the app's clientId, clientSecret, market and baseUrl. Nothing was asked about the purchase.`,
    };
  if (!isOneStoreErrorCode(code)) return undefined;
  const entry: { category: CodeCategory; meaning?: string } = ONESTORE_ERROR_CODES[code];
  return entry.meaning === undefined
    ? { category: entry.category }
    : { category: entry.category, meaning: entry.meaning };
}
