import type { ChangeAnswer } from '../errors.js';

/**
 * ONE store IAP Server API v7 standard response codes (표준응답코드), as the document lists them: the
 * one table of what each code means. `retryable` is our reading: only codes that describe a
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
  },
  AccessTokenExpired: {
    httpStatus: 401,
    retryable: true,
    message: 'Access token has expired.',
    change: 'NOT_APPLIED',
  },
  BadRequest: {
    httpStatus: 400,
    retryable: false,
    message: 'The request are invalid.',
    change: 'NOT_APPLIED',
  },
  DeveloperPayloadNotMatch: {
    httpStatus: 400,
    retryable: false,
    message: 'The request developerPayload does not match the value passed in the purchase request.',
    change: 'NOT_APPLIED',
  },
  InternalError: {
    httpStatus: 500,
    retryable: true,
    message: 'An undefined error has occurred.',
    change: 'UNCERTAIN',
  },
  InvalidAccessToken: {
    httpStatus: 401,
    retryable: true,
    message: 'Access token is invalid.',
    change: 'NOT_APPLIED',
  },
  InvalidAuthorizationHeader: {
    httpStatus: 400,
    retryable: false,
    message: 'Authorization header is invalid.',
    change: 'NOT_APPLIED',
  },
  InvalidConsumeState: {
    httpStatus: 409,
    retryable: false,
    message: 'The purchase consumption status cannot be changed or has already been changed.',
    change: 'NOT_APPLIED',
  },
  InvalidContentType: {
    httpStatus: 415,
    retryable: false,
    message: 'The request content-type is invalid.',
    change: 'NOT_APPLIED',
  },
  InvalidPurchaseState: {
    httpStatus: 409,
    retryable: false,
    message: 'Purchase history does not exist or is not completed.',
    change: 'NOT_APPLIED',
  },
  InvalidRequest: {
    httpStatus: 400,
    retryable: false,
    message: 'Request parameters are invalid.',
    change: 'NOT_APPLIED',
  },
  MethodNotAllowed: {
    httpStatus: 405,
    retryable: false,
    message: 'HTTP method not supported.',
    change: 'NOT_APPLIED',
  },
  NoSuchData: {
    httpStatus: 404,
    retryable: false,
    message: 'The requested data could not be found.',
    change: 'NOT_APPLIED',
  },
  RequiredValueNotExist: {
    httpStatus: 400,
    retryable: false,
    message: 'Request parameters are required.',
    change: 'NOT_APPLIED',
  },
  ResourceNotFound: {
    httpStatus: 404,
    retryable: false,
    message: 'The requested resource could not be found.',
    change: 'NOT_APPLIED',
  },
  ServiceMaintenance: {
    httpStatus: 503,
    retryable: true,
    message: 'System maintenance is in progress.',
    change: 'UNCERTAIN',
  },
  UnauthorizedAccess: {
    httpStatus: 403,
    retryable: false,
    message: 'Not authorized to this API.',
    change: 'NOT_APPLIED',
  },
} as const satisfies Record<
  string,
  { httpStatus: number; retryable: boolean; message: string; change: ChangeAnswer }
>;

export type OneStoreErrorCode = keyof typeof ONESTORE_ERROR_CODES;

export function isOneStoreErrorCode(code: string): code is OneStoreErrorCode {
  return Object.hasOwn(ONESTORE_ERROR_CODES, code);
}

/** Codes after which a fresh access token and one repeat of the call can succeed. */
export function isAuthTokenError(code: string): boolean {
  return code === 'AccessTokenExpired' || code === 'InvalidAccessToken';
}
