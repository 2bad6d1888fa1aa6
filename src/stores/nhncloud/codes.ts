import type { ChangeAnswer } from '../errors.js';
import type { ResultCodeInfo } from '../http/envelope.js';

/**
 * NHN Cloud IAP server API result codes (document 000, "Server API 에러타입"): the one table of what
 * each code means. Every answer is HTTP 200 with the code in its header.
 *
 * `change` is what the code proves when answered to a consume: 1100, 2111 and 2112 refuse the
 * request's parameters, content type or method; 5018 says the payment was consumed before (this
 * request changed nothing; a repeat of our own consume answered 5018 is the evidence that it was
 * applied). 5000 CONSUME_FAILED says only "Consume 실패" (the guide's troubleshooting: a wrong
 * purchaseToken, or a payment the client did not complete), never that it failed before any change,
 * nor that the token is checked before the consumed state: uncertain, to a first consume and to its
 * repeat alike. A code the table does not know (9999 ...) is uncertain too (`nhnCloudChangeAnswer`).
 * docs/redemption.md shows this column; test/stores/change-answers.test.ts has a test per row.
 *
 * A read answered with any of them is not repeated (`internal: false` in {@link ResultCodeInfo}):
 * the guide names no failure of the store's own that waiting would cure. Unknown codes are kept as
 * their number in string form, so nothing is lost.
 */
export const NHNCLOUD_RESULT_CODES = {
  1100: { name: 'INVALID_PARAMETERS', change: 'NOT_APPLIED' },
  2111: { name: 'HTTP_CONTENT_TYPE_NOT_SUPPORT', change: 'NOT_APPLIED' },
  2112: { name: 'HTTP_REQUEST_METHOD_NOT_SUPPORT', change: 'NOT_APPLIED' },
  5000: { name: 'CONSUME_FAILED', change: 'UNCERTAIN' },
  5018: { name: 'ALREADY_CONSUMED', change: 'NOT_APPLIED' },
} as const satisfies Record<number, { name: string; change: ChangeAnswer }>;

export type NhnCloudResultName = (typeof NHNCLOUD_RESULT_CODES)[keyof typeof NHNCLOUD_RESULT_CODES]['name'];

const known = (resultCode: number) =>
  Object.hasOwn(NHNCLOUD_RESULT_CODES, resultCode)
    ? NHNCLOUD_RESULT_CODES[resultCode as keyof typeof NHNCLOUD_RESULT_CODES]
    : undefined;

export function describeResultCode(resultCode: number): ResultCodeInfo {
  return { code: known(resultCode)?.name ?? String(resultCode), internal: false };
}

/** What a failed result code answered to a consume proves: the table's `change`; an unknown code is uncertain. */
export function nhnCloudChangeAnswer(resultCode: number): ChangeAnswer {
  return known(resultCode)?.change ?? 'UNCERTAIN';
}
