import type { ChangeAnswer } from '../errors.js';
import type { NHNCLOUD_RESULT_CODES } from './codes.js';

/**
 * What an NHN Cloud result code answered to a consume proves (document 000, "Server API 에러타입";
 * every answer is HTTP 200 with the code in its header). 1100, 2111 and 2112 refuse the request's
 * parameters, content type or method; 5018 says the payment was consumed before (this request changed
 * nothing; a repeat of our own consume answered 5018 is the evidence that it was applied). 5000
 * CONSUME_FAILED says only that the consume failed, not that it failed before any change, and an
 * unknown code (9999 ...) says nothing: both are uncertain. docs/redemption.md shows this table;
 * test/stores/change-answers.test.ts has a test per row.
 */
export const NHNCLOUD_CHANGE_ANSWERS = {
  1100: 'NOT_APPLIED',
  2111: 'NOT_APPLIED',
  2112: 'NOT_APPLIED',
  5000: 'UNCERTAIN',
  5018: 'NOT_APPLIED',
} as const satisfies Record<keyof typeof NHNCLOUD_RESULT_CODES, ChangeAnswer>;

/** What a failed result code answered to a consume proves; an unknown code is uncertain. */
export function nhnCloudChangeAnswer(resultCode: number): ChangeAnswer {
  return Object.hasOwn(NHNCLOUD_CHANGE_ANSWERS, resultCode)
    ? NHNCLOUD_CHANGE_ANSWERS[resultCode as keyof typeof NHNCLOUD_CHANGE_ANSWERS]
    : 'UNCERTAIN';
}
