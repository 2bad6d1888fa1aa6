import type { ChangeAnswer, CodeCategory, CodeReading } from '../errors.js';
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
 * The error-code guide's "Server" table: the one table of what each Gamebase code means. Every
 * answer is HTTP 200 with the code in its header.
 *
 * `change` is what the code proves when answered to Consume. The common codes refuse the request
 * (parameters, app id, secret key, content type, JSON, API version, a sandbox/live mix-up) before
 * any change; 1100 (INVALID_PARAMETERS), 5032 and -4001002 refuse its parameters or the product;
 * 5018 says the payment was consumed before (this request changed nothing). 5000 CONSUME_FAILED says
 * only that the consume failed, and 9999 says nothing: both uncertain, as are the internal ranges
 * and unknown codes (`gamebaseChangeAnswer`). docs/redemption.md shows this column;
 * test/stores/change-answers.test.ts has a test per row.
 *
 * `category` is what the code says happened (`CodeCategory`, docs/errors.md), `meaning` the caller's
 * message where the category alone says less, `byEndpoint` another reading on one endpoint. The
 * codes read as PROTOCOL refuse what the gateway's client never sends (it checks its parameters and
 * sends one API version, content type and JSON body) or, like 5000, answer a call it did not make.
 *
 * `internal` marks the store's own failure (9999 and the ranges below): a read answered with it may
 * succeed when repeated. Every other code refuses a read, which is not repeated.
 */
interface CodeEntry {
  name: string;
  change: ChangeAnswer;
  category: CodeCategory;
  meaning?: string;
  byEndpoint?: Readonly<Record<string, CodeCategory>>;
  internal?: true;
}

const refused = <C extends CodeCategory>(name: string, category: C) =>
  ({ name, change: 'NOT_APPLIED', category }) as const;

export const GAMEBASE_RESULT_CODES = {
  [-4000001]: refused('INVALID_PARAMETER_TYPE', 'INVALID_INPUT'),
  [-4000002]: refused('INVALID_PARAMETER', 'INVALID_INPUT'),
  [-4000003]: refused('UNDEFINED_BODY_VALUE', 'PROTOCOL'),
  [-4000004]: refused('INVALID_PARAMETER', 'PROTOCOL'),
  [-4000005]: refused('INVALID_PARAMETER', 'PROTOCOL'),
  [-4000006]: refused('INVALID_PARAMETER_TYPE', 'PROTOCOL'),
  [-4000007]: refused('UNSUPPORTED_API_VERSION', 'PROTOCOL'),
  [-4000008]: refused('PARAMETER_TOO_LONG', 'INVALID_INPUT'),
  [-4010001]: refused('INVALID_APP_ID', 'ACCESS_DENIED'),
  [-4010002]: refused('INVALID_APPKEY', 'ACCESS_DENIED'),
  [-4010003]: refused('NOT_AUTHENTICATED', 'ACCESS_DENIED'),
  [-4010004]: refused('INVALID_SECRET_KEY', 'ACCESS_DENIED'),
  [-4060001]: refused('INVALID_CONTENT_TYPE', 'PROTOCOL'),
  [-4060002]: refused('DEPRECATED_API_VERSION', 'PROTOCOL'),
  [-4060003]: refused('UNSUPPORTED_API_VERSION', 'PROTOCOL'),
  [-4150001]: refused('INVALID_JSON', 'PROTOCOL'),
  [-4010202]: refused('INVALID_APP_ID', 'ACCESS_DENIED'),
  [-4040201]: refused('PRODUCT_NOT_ENABLED', 'PROTOCOL'),
  [-4040202]: refused('UNDEFINED_API', 'PROTOCOL'),
  [-4120201]: refused('SANDBOX_ENVIRONMENT_MISMATCH', 'PROTOCOL'),
  // "parameter error": to Get Payment Transaction, the store takes no payment for this paymentSeq and
  // token (unknown, or no longer valid; the guide does not say refunded, and redemption does not read
  // it so after verification). A list names no token, so there it is only what it says: the
  // parameters were refused; so on the subscription calls, which list (Get Subscriptions Status
  // names tokens, but the guide does not say it answers 1100 for an unknown one).
  1100: {
    ...refused('INVALID_PARAMETERS', 'NOT_FOUND'),
    meaning: 'Gamebase takes no payment for this paymentSeq and token (1100 INVALID_PARAMETERS).',
    byEndpoint: {
      'gamebase.consumableList': 'INVALID_INPUT',
      'gamebase.activeSubscriptions': 'INVALID_INPUT',
      'gamebase.subscriptionsStatus': 'INVALID_INPUT',
    },
  },
  5000: { name: 'CONSUME_FAILED', change: 'UNCERTAIN', category: 'PROTOCOL' },
  5018: refused('ALREADY_CONSUMED', 'ALREADY_DONE'),
  5032: refused('INVALID_JSON_DATA', 'PROTOCOL'),
  9999: { name: 'UNKNOWN_ERROR', change: 'UNCERTAIN', category: 'UNAVAILABLE', internal: true },
  [-4001002]: refused('INVALID_GAMEBASE_PRODUCT', 'PROTOCOL'),
} as const satisfies Record<number, CodeEntry>;

/**
 * The client's own code, not the store's: Get Payment Transaction answered a payment whose paymentSeq
 * is not the one asked for, i.e. the token belongs to another payment. It refuses nothing upstream.
 */
export const PAYMENT_SEQ_MISMATCH = {
  name: 'PAYMENT_SEQ_MISMATCH',
  category: 'NOT_FOUND',
  meaning: 'The token belongs to another paymentSeq.',
} as const satisfies Omit<CodeEntry, 'change'>;

/** The guide's ranges: "-4090001 ~ 4" internal DB, "-5000001 ~ 15" internal system, "-5000201 ~ 8" Gateway. */
const INTERNAL_RANGES: readonly [from: number, to: number, name: string][] = [
  [-4090004, -4090001, 'INTERNAL_DB_ERROR'],
  [-5000015, -5000001, 'INTERNAL_SYSTEM_ERROR'],
  [-5000208, -5000201, 'GATEWAY_INTERNAL_ERROR'],
];

const known = (resultCode: number): CodeEntry | undefined =>
  Object.hasOwn(GAMEBASE_RESULT_CODES, resultCode)
    ? GAMEBASE_RESULT_CODES[resultCode as keyof typeof GAMEBASE_RESULT_CODES]
    : undefined;

export function describeResultCode(resultCode: number): ResultCodeInfo {
  const entry = known(resultCode);
  if (entry) return { code: entry.name, internal: entry.internal === true };
  const range = INTERNAL_RANGES.find(([from, to]) => resultCode >= from && resultCode <= to);
  if (range) return { code: range[2], internal: true };
  return { code: String(resultCode), internal: false };
}

/** What a failed result code answered to Consume proves: the table's `change`; the ranges and unknown codes are uncertain. */
export function gamebaseChangeAnswer(resultCode: number): ChangeAnswer {
  return known(resultCode)?.change ?? 'UNCERTAIN';
}

/**
 * A code (the result code's number as text, or the client's own name) as the table reads it on
 * `endpoint`; the internal ranges are unavailable; undefined: not in the table.
 */
export function readGamebaseCode(code: string, endpoint: string): CodeReading | undefined {
  if (code === PAYMENT_SEQ_MISMATCH.name)
    return { category: PAYMENT_SEQ_MISMATCH.category, meaning: PAYMENT_SEQ_MISMATCH.meaning };
  if (!/^-?\d+$/.test(code)) return undefined;
  const resultCode = Number(code);
  const entry = known(resultCode);
  if (entry === undefined)
    return describeResultCode(resultCode).internal ? { category: 'UNAVAILABLE' } : undefined;
  const other = entry.byEndpoint?.[endpoint];
  if (other !== undefined) return { category: other };
  return entry.meaning === undefined
    ? { category: entry.category }
    : { category: entry.category, meaning: entry.meaning };
}
