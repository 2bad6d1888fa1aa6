/**
 * NHN Cloud IAP server API result codes (Error Code Guide, "Server API 에러타입").
 * Unknown codes are kept as their number in string form, so nothing is lost.
 */
export const NHNCLOUD_RESULT_CODES = {
  1100: { name: 'INVALID_PARAMETERS', retryable: false },
  2111: { name: 'HTTP_CONTENT_TYPE_NOT_SUPPORT', retryable: false },
  2112: { name: 'HTTP_REQUEST_METHOD_NOT_SUPPORT', retryable: false },
  5000: { name: 'CONSUME_FAILED', retryable: false },
  5018: { name: 'ALREADY_CONSUMED', retryable: false },
} as const satisfies Record<number, { name: string; retryable: boolean }>;

export type NhnCloudResultName = (typeof NHNCLOUD_RESULT_CODES)[keyof typeof NHNCLOUD_RESULT_CODES]['name'];

export function describeResultCode(resultCode: number): { code: string; retryable: boolean } {
  if (!Object.hasOwn(NHNCLOUD_RESULT_CODES, resultCode))
    return { code: String(resultCode), retryable: false };
  const known = NHNCLOUD_RESULT_CODES[resultCode as keyof typeof NHNCLOUD_RESULT_CODES];
  return { code: known.name, retryable: known.retryable };
}
