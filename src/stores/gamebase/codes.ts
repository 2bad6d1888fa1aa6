import type { ResultCodeInfo } from '../http/envelope.js';

/**
 * Gamebase vocabularies: the API guide's store codes and product types, and the result codes of the
 * error-code guide's "Server" table. The guide names only the IAP codes; the Common and Gateway
 * names below are ours, made from the guide's descriptions. Unknown codes are kept as their number
 * in string form, so nothing is lost.
 */

/** "Store Code" table of the API v1.3 guide (English edition; the Korean one lacks MYCARD). */
export const GAMEBASE_STORE_CODES = ['GG', 'AS', 'ONESTORE', 'GALAXY', 'AMAZON', 'HUAWEI', 'MYCARD'] as const;
export type GamebaseStoreCode = (typeof GAMEBASE_STORE_CODES)[number];

/** `productType` values of Get Payment Transaction, plus the SDK guide's UNKNOWN (also used for new ones). */
export const GAMEBASE_PRODUCT_TYPES = [
  'CONSUMABLE',
  'AUTO_RENEWABLE',
  'CONSUMABLE_AUTO_RENEWABLE',
  'UNKNOWN',
] as const;
export type GamebaseProductType = (typeof GAMEBASE_PRODUCT_TYPES)[number];

/**
 * `internal` codes are the store's own failures: a read may succeed when repeated, and a consume
 * answered with one may or may not have been applied. `rejected` codes say the request was refused.
 */
type Nature = 'rejected' | 'internal';

export const GAMEBASE_RESULT_CODES = {
  [-4000001]: { name: 'INVALID_PARAMETER_TYPE', nature: 'rejected' },
  [-4000002]: { name: 'INVALID_PARAMETER', nature: 'rejected' },
  [-4000003]: { name: 'UNDEFINED_BODY_VALUE', nature: 'rejected' },
  [-4000004]: { name: 'INVALID_PARAMETER', nature: 'rejected' },
  [-4000005]: { name: 'INVALID_PARAMETER', nature: 'rejected' },
  [-4000006]: { name: 'INVALID_PARAMETER_TYPE', nature: 'rejected' },
  [-4000007]: { name: 'UNSUPPORTED_API_VERSION', nature: 'rejected' },
  [-4000008]: { name: 'PARAMETER_TOO_LONG', nature: 'rejected' },
  [-4010001]: { name: 'INVALID_APP_ID', nature: 'rejected' },
  [-4010002]: { name: 'INVALID_APPKEY', nature: 'rejected' },
  [-4010003]: { name: 'NOT_AUTHENTICATED', nature: 'rejected' },
  [-4010004]: { name: 'INVALID_SECRET_KEY', nature: 'rejected' },
  [-4060001]: { name: 'INVALID_CONTENT_TYPE', nature: 'rejected' },
  [-4060002]: { name: 'DEPRECATED_API_VERSION', nature: 'rejected' },
  [-4060003]: { name: 'UNSUPPORTED_API_VERSION', nature: 'rejected' },
  [-4150001]: { name: 'INVALID_JSON', nature: 'rejected' },
  [-4010202]: { name: 'INVALID_APP_ID', nature: 'rejected' },
  [-4040201]: { name: 'PRODUCT_NOT_ENABLED', nature: 'rejected' },
  [-4040202]: { name: 'UNDEFINED_API', nature: 'rejected' },
  [-4120201]: { name: 'SANDBOX_ENVIRONMENT_MISMATCH', nature: 'rejected' },
  1100: { name: 'INVALID_PARAMETERS', nature: 'rejected' },
  5000: { name: 'CONSUME_FAILED', nature: 'rejected' },
  5018: { name: 'ALREADY_CONSUMED', nature: 'rejected' },
  5032: { name: 'INVALID_JSON_DATA', nature: 'rejected' },
  9999: { name: 'UNKNOWN_ERROR', nature: 'internal' },
  [-4001002]: { name: 'INVALID_GAMEBASE_PRODUCT', nature: 'rejected' },
} as const satisfies Record<number, { name: string; nature: Nature }>;

/** The guide's ranges: "-4090001 ~ 4" internal DB, "-5000001 ~ 15" internal system, "-5000201 ~ 8" Gateway. */
const INTERNAL_RANGES: readonly [from: number, to: number, name: string][] = [
  [-4090004, -4090001, 'INTERNAL_DB_ERROR'],
  [-5000015, -5000001, 'INTERNAL_SYSTEM_ERROR'],
  [-5000208, -5000201, 'GATEWAY_INTERNAL_ERROR'],
];

export function describeResultCode(resultCode: number): ResultCodeInfo {
  if (Object.hasOwn(GAMEBASE_RESULT_CODES, resultCode)) {
    const known = GAMEBASE_RESULT_CODES[resultCode as keyof typeof GAMEBASE_RESULT_CODES];
    return { code: known.name, internal: known.nature === 'internal' };
  }
  const range = INTERNAL_RANGES.find(([from, to]) => resultCode >= from && resultCode <= to);
  if (range) return { code: range[2], internal: true };
  return { code: String(resultCode), internal: false };
}
