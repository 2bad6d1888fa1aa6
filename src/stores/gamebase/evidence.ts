import type { ChangeAnswer } from '../errors.js';
import type { GAMEBASE_RESULT_CODES } from './codes.js';

/**
 * What a Gamebase result code answered to Consume proves (error-code guide, "Server" table; every
 * answer is HTTP 200 with the code in its header). The common codes refuse the request (parameters,
 * app id, secret key, content type, JSON, API version, a sandbox/live mix-up) before any change;
 * 1100 (unknown or refunded token), 5032 and -4001002 refuse the payment; 5018 says it was consumed
 * before (this request changed nothing). 5000 CONSUME_FAILED says only that the consume failed,
 * and 9999, the internal ranges (-4090001 ~ 4, -5000001 ~ 15, -5000201 ~ 8) and unknown codes say
 * nothing: all uncertain. docs/redemption.md shows this table; test/stores/change-answers.test.ts
 * has a test per row.
 */
export const GAMEBASE_CHANGE_ANSWERS = {
  [-4000001]: 'NOT_APPLIED',
  [-4000002]: 'NOT_APPLIED',
  [-4000003]: 'NOT_APPLIED',
  [-4000004]: 'NOT_APPLIED',
  [-4000005]: 'NOT_APPLIED',
  [-4000006]: 'NOT_APPLIED',
  [-4000007]: 'NOT_APPLIED',
  [-4000008]: 'NOT_APPLIED',
  [-4010001]: 'NOT_APPLIED',
  [-4010002]: 'NOT_APPLIED',
  [-4010003]: 'NOT_APPLIED',
  [-4010004]: 'NOT_APPLIED',
  [-4060001]: 'NOT_APPLIED',
  [-4060002]: 'NOT_APPLIED',
  [-4060003]: 'NOT_APPLIED',
  [-4150001]: 'NOT_APPLIED',
  [-4010202]: 'NOT_APPLIED',
  [-4040201]: 'NOT_APPLIED',
  [-4040202]: 'NOT_APPLIED',
  [-4120201]: 'NOT_APPLIED',
  1100: 'NOT_APPLIED',
  5000: 'UNCERTAIN',
  5018: 'NOT_APPLIED',
  5032: 'NOT_APPLIED',
  9999: 'UNCERTAIN',
  [-4001002]: 'NOT_APPLIED',
} as const satisfies Record<keyof typeof GAMEBASE_RESULT_CODES, ChangeAnswer>;

/** What a failed result code answered to Consume proves; the internal ranges and unknown codes are uncertain. */
export function gamebaseChangeAnswer(resultCode: number): ChangeAnswer {
  return Object.hasOwn(GAMEBASE_CHANGE_ANSWERS, resultCode)
    ? GAMEBASE_CHANGE_ANSWERS[resultCode as keyof typeof GAMEBASE_CHANGE_ANSWERS]
    : 'UNCERTAIN';
}
