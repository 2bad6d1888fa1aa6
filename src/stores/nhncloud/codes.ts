import type { ResultCodeInfo } from '../http/envelope.js';

/**
 * NHN Cloud IAP server API result codes (Error Code Guide, "Server API 에러타입"). Each one says the
 * request was refused (`internal: false` in {@link ResultCodeInfo}); the guide names no failure of the
 * store's own. Unknown codes are kept as their number in string form, so nothing is lost.
 */
export const NHNCLOUD_RESULT_CODES = {
  1100: { name: 'INVALID_PARAMETERS' },
  2111: { name: 'HTTP_CONTENT_TYPE_NOT_SUPPORT' },
  2112: { name: 'HTTP_REQUEST_METHOD_NOT_SUPPORT' },
  5000: { name: 'CONSUME_FAILED' },
  5018: { name: 'ALREADY_CONSUMED' },
} as const satisfies Record<number, { name: string }>;

export type NhnCloudResultName = (typeof NHNCLOUD_RESULT_CODES)[keyof typeof NHNCLOUD_RESULT_CODES]['name'];

export function describeResultCode(resultCode: number): ResultCodeInfo {
  if (!Object.hasOwn(NHNCLOUD_RESULT_CODES, resultCode)) return { code: String(resultCode), internal: false };
  return {
    code: NHNCLOUD_RESULT_CODES[resultCode as keyof typeof NHNCLOUD_RESULT_CODES].name,
    internal: false,
  };
}
