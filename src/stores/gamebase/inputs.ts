import { purchaseTokenText, sequenceText } from '../http/envelope-fields.js';
import {
  ASCII_ID_PATTERN,
  DIGITS_PATTERN,
  invalidInput,
  type PathParam,
  type SegmentRule,
  type UrlContext,
} from '../http/safe-path.js';
import { GAMEBASE_STORE_CODES, type GamebaseStoreCode } from './codes.js';
import {
  GAMEBASE_INACTIVE_GOOGLE_STATUSES,
  type GamebaseInactiveGoogleStatus,
} from './subscription-schemas.js';

/** appId is the NHN Cloud project ID (the guide's examples: `C3JmSctU`); ASCII id characters only. */
export const APP_ID_RULE: SegmentRule = {
  maxLength: 64,
  pattern: ASCII_ID_PATTERN,
  allowed: 'A-Z a-z 0-9 . _ -',
};

export function appIdParam(value: unknown): PathParam {
  return { field: 'appId', value, rule: APP_ID_RULE };
}

/** The secret key goes into a header: printable ASCII only, so it cannot split the header. */
export const SECRET_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** paymentSeq: a String of digits on the wire (the guide's example `2019091931571201`). */
export type PaymentSeq = string | number;

export function paymentSeqText(ctx: UrlContext, value: unknown): string {
  const text = sequenceText(value);
  if (typeof text !== 'string' || text.length > 20 || !DIGITS_PATTERN.test(text)) {
    throw invalidInput(ctx, 'paymentSeq', 'must be 1-20 decimal digits');
  }
  return text;
}

export function marketIdsList(ctx: UrlContext, value: unknown): GamebaseStoreCode[] {
  if (!Array.isArray(value) || value.length > GAMEBASE_STORE_CODES.length) {
    throw invalidInput(
      ctx,
      'marketIds',
      `must be a list of at most ${GAMEBASE_STORE_CODES.length} store codes`,
    );
  }
  return value.map((code) => {
    const known = GAMEBASE_STORE_CODES.find((c) => c === code);
    if (!known) throw invalidInput(ctx, 'marketIds', `may contain only ${GAMEBASE_STORE_CODES.join(', ')}`);
    return known;
  });
}

export function inactiveStatusList(ctx: UrlContext, value: unknown): GamebaseInactiveGoogleStatus[] {
  const allowed = GAMEBASE_INACTIVE_GOOGLE_STATUSES;
  if (!Array.isArray(value) || value.length > allowed.length)
    throw invalidInput(ctx, 'includeInactiveGoogleStatuses', `may contain only ${allowed.join(', ')}`);
  return value.map((status) => {
    const known = allowed.find((s) => s === status);
    if (!known)
      throw invalidInput(ctx, 'includeInactiveGoogleStatuses', `may contain only ${allowed.join(', ')}`);
    return known;
  });
}

/** Get Subscriptions Status takes "up to 10" payments (the guide), each a paymentSeq and its token. */
export const STATUS_BATCH_MAX = 10;

export function statusPaymentList(
  ctx: UrlContext,
  value: unknown,
): { paymentSeq: string; accessToken: string }[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > STATUS_BATCH_MAX)
    throw invalidInput(ctx, 'payments', `must be a list of 1-${STATUS_BATCH_MAX} payments`);
  return value.map((p: { paymentSeq?: unknown; purchaseToken?: unknown }) => ({
    paymentSeq: paymentSeqText(ctx, p?.paymentSeq),
    accessToken: purchaseTokenText(ctx, p?.purchaseToken),
  }));
}
