import type { ChangeAnswer } from '../errors.js';
import { isOneStoreErrorCode, ONESTORE_ERROR_CODES } from './codes.js';

/**
 * What a non-2xx answer to a state change (acknowledgePurchase, consumePurchase and the
 * subscription and monthly changes) proves. `code` is the standard error body's code, undefined when
 * the body is not one (an HTML page, a cut or empty body). Only a documented code answered with a
 * 4xx other than 429 can be a refusal, and then its `change` column in the one code table
 * (`ONESTORE_ERROR_CODES`, codes.ts) decides; a 429, a 5xx, a redirect, an unknown code and a body
 * that is not the standard one are uncertain, to be settled by a read. docs/redemption.md ("What an
 * answer to a change proves") shows this rule; test/stores/change-answers.test.ts has a test per row.
 */
export function oneStoreChangeAnswer(status: number, code: string | undefined): ChangeAnswer {
  if (status < 400 || status === 429 || status >= 500) return 'UNCERTAIN';
  if (code === undefined || !isOneStoreErrorCode(code)) return 'UNCERTAIN';
  return ONESTORE_ERROR_CODES[code].change;
}
