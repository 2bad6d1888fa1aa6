import { z } from 'zod';
import { ENTITLEMENT_ID } from '../config/entitlements.js';
import { APP_NAME } from '../config/schema.js';
import { nhncloud, onestore, type SegmentRule } from '../stores/index.js';
import { InvalidInputError } from './errors/error-classes.js';

/** A store client's rule, or one of ours; `empty`: the empty string is a value too (default: refused). */
type TextRule = SegmentRule & { readonly empty?: true };

/**
 * Arguments that become path segments use the store clients' own rules (the document's sizes and
 * the same allowlists), so the edge and the URL builder cannot drift apart; body values are never
 * looser than the client that sends them (the limits named below); the others are ours. Every rule
 * also refuses broken UTF-16 (a lone surrogate), whatever its pattern (see `fits`).
 */
const RULES = {
  // The config's own rule for app names: a name it cannot hold is no app, and no value to echo.
  app: { maxLength: 64, pattern: APP_NAME, allowed: 'lowercase letters, digits, _ and -' },
  productId: onestore.PRODUCT_ID_RULE,
  purchaseToken: onestore.PURCHASE_TOKEN_RULE,
  sequence: nhncloud.SEQUENCE_RULE,
  nhnPurchaseToken: { maxLength: 1024, pattern: /^[A-Za-z0-9+/=_-]+$/, allowed: 'base64 characters' },
  // The NHN client sends userKey (at most 256) and userChannel (at most 32) as printable ASCII.
  userKey: { maxLength: 200, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  userChannel: { maxLength: 32, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'ASCII letters, digits, _ and -' },
  // Document 002: developerPayload is a String of Data Size 200 (no unit given; counted as below)
  // and no minimum. Empty is what the store answers for a purchase made without one (and so the
  // gateway's Purchase.developerPayload), which a client may send back as it read it.
  developerPayload: {
    maxLength: 200,
    pattern: /^[^\p{Cc}]*$/u,
    allowed: 'no control characters',
    empty: true,
  },
  userId: { maxLength: 128, pattern: /^[^\p{Cc}\s]+$/u, allowed: 'no spaces or control characters' },
  // A redeeming NHN Cloud player: the ledger's userId, also sent as the payment's userKey.
  nhnUserId: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  idempotencyKey: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The Gamebase client's own rule for userId (the guide's ids: QXG774PMRZMWR3BR, AS@QW4M1GM7W97YJDCN).
  gamebaseUserId: { maxLength: 128, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The Gamebase client sends accessToken as base64 / base64url text of at most 2048 characters.
  gamebaseToken: { maxLength: 2048, pattern: /^[A-Za-z0-9+/=_.-]+$/, allowed: 'base64 characters' },
  gamebaseProductId: { maxLength: 150, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The Gamebase client sends packageName (a store app id: a package or bundle name) as printable ASCII.
  gamebasePackageName: { maxLength: 255, pattern: /^[\x21-\x7e]+$/, allowed: 'printable ASCII' },
  // The ledger's event and grant ids are UUIDs; the rule only keeps junk out of the query.
  eventId: { maxLength: 64, pattern: /^[A-Za-z0-9-]+$/, allowed: 'ASCII letters, digits and -' },
  grantId: { maxLength: 64, pattern: /^[A-Za-z0-9-]+$/, allowed: 'ASCII letters, digits and -' },
  // The catalogue's own rule for entitlement ids (config/entitlements.ts).
  entitlementId: { maxLength: 64, pattern: ENTITLEMENT_ID, allowed: 'lowercase letters, digits, _ . and -' },
  // A support action's reason: kept in the ledger and shown in `player`, so one line, not blank.
  reason: {
    maxLength: 500,
    pattern: /^[^\p{Cc}]*[^\p{Cc}\s][^\p{Cc}]*$/u,
    allowed: 'not blank, no control characters',
  },
  webhookEndpoint: {
    maxLength: 64,
    pattern: /^[a-z0-9][a-z0-9_-]*$/,
    allowed: 'lowercase letters, digits, _ and -',
  },
} as const satisfies Record<string, TextRule>;

export type Rule = keyof typeof RULES;

const isRule = (value: unknown): value is Rule => typeof value === 'string' && Object.hasOwn(RULES, value);

/** A lone surrogate: under the `u` flag a paired one is one astral code point, never Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

function fits(value: unknown, rule: TextRule): value is string {
  if (typeof value !== 'string') return false;
  // Sizes count UTF-16 code units, as the store clients do (safe-path.ts): first, so a long value
  // never reaches a pattern.
  if ((value.length === 0 && !rule.empty) || value.length > rule.maxLength) return false;
  // No UTF-8 form: a store or the ledger would see U+FFFD, or refuse the body, after the call.
  if (LONE_SURROGATE.test(value)) return false;
  return rule.pattern.test(value);
}

/**
 * A string argument under one of RULES. A missing one fails like an empty one, so an input field
 * the GraphQL type leaves optional (`checks[].productId`) can be required per store with the same
 * message.
 */
export const text = (rule: Rule) =>
  z.custom<string>((value) => fits(value, RULES[rule]), { params: { rule } });

/** True when `value` meets `rule`, for a check that has no zod schema around it. */
export const meets = (rule: Rule, value: unknown): value is string => fits(value, RULES[rule]);

/** The InvalidInputError a value failing `rule` at `field` gets (the message names the field, never the value). */
export function ruleError(rule: Rule, field: string): InvalidInputError {
  const r: TextRule = RULES[rule];
  const size = r.empty ? `at most ${r.maxLength}` : `1-${r.maxLength}`;
  return new InvalidInputError(field, `${field} must be ${size} characters: ${r.allowed}.`);
}

/** The same rule for an optional argument: null and absent both become undefined. */
export const optionalText = (rule: Rule) =>
  text(rule)
    .nullish()
    .transform((value) => value ?? undefined);

/** The ONE store purchase reference, as lookups, checks and mutations take it. */
export const ONE_STORE_REF = { productId: text('productId'), purchaseToken: text('purchaseToken') };

/**
 * A schema over some of the fields of `Fields` (a Pothos input's `$inferInput`, or a field's
 * arguments): a key that is not a field does not compile, so the path an error names is one the
 * schema knows. The shape's order is the order fields are checked in; the first failure answers.
 */
export const inputSchema =
  <Fields>() =>
  <Shape extends { [K in keyof Shape]: K extends keyof Fields ? z.ZodType : never }>(shape: Shape) =>
    z.object(shape);

/**
 * `value` checked against `schema`, or an InvalidInputError for the first failure. Its `field` is
 * the argument's path: `at` (the argument or input's own path, e.g. `input` or `checks.3`) and the
 * failing key. A rule's message names that path; any other issue carries its own message.
 */
export function validated<S extends z.ZodType>(schema: S, value: unknown, at = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [at, ...(issue?.path ?? []).map(String)].filter((part) => part !== '').join('.');
  const rule: unknown = issue?.code === 'custom' ? issue.params?.rule : undefined;
  if (isRule(rule)) throw ruleError(rule, field);
  throw new InvalidInputError(field, issue?.message ?? `${field} is not valid.`);
}

/**
 * One calendar month before `now`, the day clamped to the shorter month's last day (31 March →
 * 28 or 29 February), as a Java `minusMonths(1)` counts it: plain `setUTCMonth` would overflow to
 * 3 March and refuse days the store allows. Counted in UTC, which is never earlier than the same
 * count on the KST wall clock the store reads MKT_ONE times in.
 */
export function monthBefore(now: Date): Date {
  const at = new Date(now);
  const day = at.getUTCDate();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() - 1);
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, lastDay));
  return at;
}

/**
 * How far a time argument may lie beyond what the gateway takes (in the future, or before the
 * store's month) and still be taken, clamped to the edge, ms: a game backend's clock a little ahead
 * of the gateway's, or a window computed a moment before the request arrived. 5 minutes, as
 * Kerberos and signed-webhook receivers allow; beyond it, InvalidInputError.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/** A time given as "from": one further in the future than the tolerance can only be a mistake, never data. */
export function notInFuture(field: string, value: Date, now: Date): void {
  if (value.getTime() > now.getTime() + CLOCK_SKEW_TOLERANCE_MS)
    throw new InvalidInputError(field, `${field} may not be in the future.`);
}

/** A list window as the store is asked for it: each end absent (the store's default) or clamped. */
export interface ListWindow {
  since: Date | null;
  until: Date | null;
}

/**
 * The window of a ONE store list (document 002, getVoidedPurchases and getUnconfirmedPurchases):
 * startTime "at most one month back from now", endTime "not after now". A window either end of
 * which lies outside that month lists nothing the store will give, so both ends are held to it,
 * within {@link CLOCK_SKEW_TOLERANCE_MS}: an end up to that far in the future is taken as now, one up
 * to that far before the month as the month's first instant the store still takes (its edge plus
 * `onestore.STORE_CLOCK_MARGIN_MS`, for the request's transit); further out, InvalidInputError. The
 * start is not after the end (as given). `paging`: the arguments beside an `after`, whose cursor
 * holds the window the walk began with; they are held to all but the month, which a walk begun at
 * its edge passes while it runs.
 */
export function listWindow(
  window: { since?: Date | null; until?: Date | null },
  now: Date,
  paging = false,
): ListWindow {
  const monthAgo = monthBefore(now).getTime();
  const earliest = monthAgo + onestore.STORE_CLOCK_MARGIN_MS;
  const clamped = (field: 'since' | 'until'): Date | null => {
    const at = window[field];
    if (!at) return null;
    notInFuture(field, at, now);
    if (!paging && at.getTime() < monthAgo - CLOCK_SKEW_TOLERANCE_MS)
      throw new InvalidInputError(field, `${field} may be at most one month ago.`);
    return new Date(Math.min(now.getTime(), Math.max(earliest, at.getTime())));
  };
  const since = clamped('since');
  const until = clamped('until');
  if (window.since && window.until && window.since > window.until)
    throw new InvalidInputError('since', 'since must not be after until.');
  return { since, until };
}

/**
 * What a ONE store list cursor carries beside its key (which `decodeCursor` holds to the client's
 * rule), checked as its arguments were: a cursor is ours in form only (not signed), so a forged one
 * must not take to the store what `since` or `until` would refuse. The month-back rule is left to
 * the store: a walk that began at the edge of the month would otherwise be refused for the time it
 * took. A cursor's window was clamped when the walk began, so no tolerance applies here.
 */
export function listCursorContents(cursor: { start: Date | null; end: Date | null }, now: Date): void {
  const { start, end } = cursor;
  const future = (at: Date | null) => at !== null && at.getTime() > now.getTime();
  if (future(start) || future(end) || (start && end && start > end))
    throw new InvalidInputError('after', 'after is not a cursor this API gave out.');
}
