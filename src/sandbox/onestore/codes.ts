import type { Reply } from '../http-io.js';

/** The document's standard response code table (표준응답코드): HTTP status and message per code. */
export const STANDARD_CODES = {
  AccessBlocked: [403, 'The request was blocked.'],
  AccessTokenExpired: [401, 'Access token has expired.'],
  BadRequest: [400, 'The request are invalid.'],
  DeveloperPayloadNotMatch: [
    400,
    'The request developerPayload does not match the value passed in the purchase request.',
  ],
  InternalError: [500, 'An undefined error has occurred.'],
  InvalidAccessToken: [401, 'Access token is invalid.'],
  InvalidAuthorizationHeader: [400, 'Authorization header is invalid.'],
  InvalidConsumeState: [
    409,
    'The purchase consumption status cannot be changed or has already been changed.',
  ],
  InvalidContentType: [415, 'The request content-type is invalid.'],
  InvalidPurchaseState: [409, 'Purchase history does not exist or is not completed.'],
  InvalidRequest: [400, 'Request parameters are invalid.'],
  MethodNotAllowed: [405, 'HTTP method not supported.'],
  NoSuchData: [404, 'The requested data could not be found.'],
  RequiredValueNotExist: [400, 'Request parameters are required.'],
  ResourceNotFound: [404, 'The requested resource could not be found.'],
  ServiceMaintenance: [503, 'System maintenance is in progress.'],
  Success: [200, 'The request has been completed successfully.'],
  UnauthorizedAccess: [403, 'Not authorized to this API.'],
} as const satisfies Record<string, readonly [number, string]>;

export type StandardCode = keyof typeof STANDARD_CODES;

export function isStandardCode(code: string): code is StandardCode {
  return Object.hasOwn(STANDARD_CODES, code);
}

/**
 * The standard error answer `{"error": {code, message}}`. For InvalidRequest and
 * RequiredValueNotExist the message ends with the field list, as the table shows: `[ a, b ]`.
 */
export function errorReply(code: StandardCode, fields?: readonly string[], status?: number): Reply {
  const [tableStatus, message] = STANDARD_CODES[code];
  const text = fields && fields.length > 0 ? `${message} [ ${fields.join(', ')} ]` : message;
  return { status: status ?? tableStatus, body: { error: { code, message: text } } };
}

/** The success answer of state changes (acknowledge, consume, cancel, reactivate, defer). */
export function successReply(): Reply {
  return {
    status: 200,
    body: { result: { code: 'Success', message: 'Request has been completed successfully.' } },
  };
}

/** Thrown inside ONE store handlers to answer with a standard error. */
export class OneStoreFailure extends Error {
  constructor(
    readonly code: StandardCode,
    readonly fields?: readonly string[],
  ) {
    super(code);
  }
}
