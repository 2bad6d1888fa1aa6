import type { ChangeAnswer } from '../errors.js';
import { isOneStoreErrorCode, type OneStoreErrorCode } from './codes.js';

/**
 * What ONE store's error answer to a state change (acknowledgePurchase, consumePurchase and the
 * subscription and monthly changes) proves, code by code of document 002's standard codes
 * (표준응답코드). A code the document answers with a 4xx refuses the request: nothing changed (for
 * InvalidConsumeState, "cannot be changed or already changed", this request changed nothing; a read
 * tells whether an earlier one did). InternalError ("an undefined error") and ServiceMaintenance may
 * come from a store that had already applied the change. docs/redemption.md ("What an answer to a
 * change proves") shows this table; test/stores/change-answers.test.ts has a test per row.
 */
export const ONESTORE_CHANGE_ANSWERS = {
  AccessBlocked: 'NOT_APPLIED',
  AccessTokenExpired: 'NOT_APPLIED',
  BadRequest: 'NOT_APPLIED',
  DeveloperPayloadNotMatch: 'NOT_APPLIED',
  InternalError: 'UNCERTAIN',
  InvalidAccessToken: 'NOT_APPLIED',
  InvalidAuthorizationHeader: 'NOT_APPLIED',
  InvalidConsumeState: 'NOT_APPLIED',
  InvalidContentType: 'NOT_APPLIED',
  InvalidPurchaseState: 'NOT_APPLIED',
  InvalidRequest: 'NOT_APPLIED',
  MethodNotAllowed: 'NOT_APPLIED',
  NoSuchData: 'NOT_APPLIED',
  RequiredValueNotExist: 'NOT_APPLIED',
  ResourceNotFound: 'NOT_APPLIED',
  ServiceMaintenance: 'UNCERTAIN',
  UnauthorizedAccess: 'NOT_APPLIED',
} as const satisfies Record<OneStoreErrorCode, ChangeAnswer>;

/**
 * What a non-2xx answer to a state change proves. `code` is the standard error body's code,
 * undefined when the body is not one (an HTML page, a cut or empty body). Only a documented code
 * answered with a 4xx other than 429 is a refusal; a 429, a 5xx, a redirect, an unknown code and a
 * body that is not the standard one are uncertain, to be settled by a read.
 */
export function oneStoreChangeAnswer(status: number, code: string | undefined): ChangeAnswer {
  if (status < 400 || status === 429 || status >= 500) return 'UNCERTAIN';
  if (code === undefined || !isOneStoreErrorCode(code)) return 'UNCERTAIN';
  return ONESTORE_CHANGE_ANSWERS[code];
}
