import type { ChangeAnswer, CodeCategory, CodeReading } from '../errors.js';
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
 * `category` is what the code says happened (`CodeCategory`, docs/errors.md). 5000 gets there only
 * from a read (a consume's 5000 is uncertain before it is read so), and only consume answers it:
 * off-protocol.
 *
 * A read answered with any of them is not repeated (`internal: false` in {@link ResultCodeInfo}):
 * the guide names no failure of the store's own that waiting would cure. Unknown codes are kept as
 * their number in string form, so nothing is lost.
 */
export const NHNCLOUD_RESULT_CODES = {
  1100: { name: 'INVALID_PARAMETERS', change: 'NOT_APPLIED', category: 'INVALID_INPUT' },
  2111: { name: 'HTTP_CONTENT_TYPE_NOT_SUPPORT', change: 'NOT_APPLIED', category: 'PROTOCOL' },
  2112: { name: 'HTTP_REQUEST_METHOD_NOT_SUPPORT', change: 'NOT_APPLIED', category: 'PROTOCOL' },
  5000: { name: 'CONSUME_FAILED', change: 'UNCERTAIN', category: 'PROTOCOL' },
  5018: { name: 'ALREADY_CONSUMED', change: 'NOT_APPLIED', category: 'ALREADY_DONE' },
} as const satisfies Record<number, { name: string; change: ChangeAnswer; category: CodeCategory }>;

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

/** A result code (its number as text, as errors carry it) as the table reads it; undefined: not in the table. */
export function readNhnCloudCode(code: string): CodeReading | undefined {
  const entry = /^-?\d+$/.test(code) ? known(Number(code)) : undefined;
  return entry && { category: entry.category };
}
