/**
 * ONE store IAP Server API v7 standard response codes (표준응답코드), as the document lists them.
 * `retryable` is our reading: only codes that describe a transient condition are worth repeating.
 */
export const ONESTORE_ERROR_CODES = {
  AccessBlocked: { httpStatus: 403, retryable: false, message: 'The request was blocked.' },
  AccessTokenExpired: { httpStatus: 401, retryable: true, message: 'Access token has expired.' },
  BadRequest: { httpStatus: 400, retryable: false, message: 'The request are invalid.' },
  DeveloperPayloadNotMatch: {
    httpStatus: 400,
    retryable: false,
    message: 'The request developerPayload does not match the value passed in the purchase request.',
  },
  InternalError: { httpStatus: 500, retryable: true, message: 'An undefined error has occurred.' },
  InvalidAccessToken: { httpStatus: 401, retryable: true, message: 'Access token is invalid.' },
  InvalidAuthorizationHeader: {
    httpStatus: 400,
    retryable: false,
    message: 'Authorization header is invalid.',
  },
  InvalidConsumeState: {
    httpStatus: 409,
    retryable: false,
    message: 'The purchase consumption status cannot be changed or has already been changed.',
  },
  InvalidContentType: { httpStatus: 415, retryable: false, message: 'The request content-type is invalid.' },
  InvalidPurchaseState: {
    httpStatus: 409,
    retryable: false,
    message: 'Purchase history does not exist or is not completed.',
  },
  InvalidRequest: { httpStatus: 400, retryable: false, message: 'Request parameters are invalid.' },
  MethodNotAllowed: { httpStatus: 405, retryable: false, message: 'HTTP method not supported.' },
  NoSuchData: { httpStatus: 404, retryable: false, message: 'The requested data could not be found.' },
  RequiredValueNotExist: { httpStatus: 400, retryable: false, message: 'Request parameters are required.' },
  ResourceNotFound: {
    httpStatus: 404,
    retryable: false,
    message: 'The requested resource could not be found.',
  },
  ServiceMaintenance: { httpStatus: 503, retryable: true, message: 'System maintenance is in progress.' },
  UnauthorizedAccess: { httpStatus: 403, retryable: false, message: 'Not authorized to this API.' },
} as const satisfies Record<string, { httpStatus: number; retryable: boolean; message: string }>;

export type OneStoreErrorCode = keyof typeof ONESTORE_ERROR_CODES;

export function isOneStoreErrorCode(code: string): code is OneStoreErrorCode {
  return Object.hasOwn(ONESTORE_ERROR_CODES, code);
}

/** Codes after which a fresh access token and one repeat of the call can succeed. */
export function isAuthTokenError(code: string): boolean {
  return code === 'AccessTokenExpired' || code === 'InvalidAccessToken';
}
