import { isStoreId, listed, STORE_IDS } from '../vocabulary/stores.js';

/**
 * What a ledger failure means for the caller: `unavailable` (the database could not be reached or
 * did not answer in time: retrying later helps), `input` (the value cannot be stored or looked up:
 * retrying never helps, the caller must change it), `internal` (anything else: a defect or a broken
 * database, which an operator has to see).
 */
export type LedgerErrorKind = 'unavailable' | 'input' | 'internal';

/** A value the ledger refuses before sending any query (e.g. a NUL byte, which PostgreSQL text cannot hold; SQLite gets the same rules). */
export class LedgerInputError extends Error {
  override readonly name: string = 'LedgerInputError';
  constructor(
    /** The ledger's name for the value, e.g. `id`, `userId`, `after`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long a caller should wait before retrying a ledger outage, seconds: set here alone (docs/errors.md quotes it). */
const LEDGER_RETRY_SECONDS = 5;

/**
 * The ledger's database could not be reached or did not answer in time (kind `unavailable`). Nothing
 * is lost: a grant already written as pending is settled by the sweeper, and a retry returns it. The
 * GraphQL layer registers this class itself as `LedgerUnavailableError`.
 */
export class LedgerUnavailable extends Error {
  override readonly name = 'LedgerUnavailable';
  readonly code = 'LEDGER_UNAVAILABLE';
  readonly retryAfterSeconds = LEDGER_RETRY_SECONDS;
  constructor(options: { cause: unknown }) {
    super('The grant ledger is unavailable; retry after retryAfterSeconds.', options);
  }
}

/**
 * The ledger failed for a reason that retrying will not fix (kind `internal`: a defect or a broken
 * database). Shown to the caller only as a masked internal error; its cause is logged.
 */
export class LedgerFault extends Error {
  override readonly name = 'LedgerFault';
  constructor(options: { cause: unknown }) {
    super('The grant ledger failed unexpectedly.', options);
  }
}

/** Opening the PostgreSQL ledger failed; the message names the server (without credentials) and the cause. */
export class LedgerConnectError extends Error {
  override readonly name = 'LedgerConnectError';
  constructor(
    message: string,
    /** The driver's code when it gave one, else ETIMEDOUT for a connect timeout (both read as `unavailable`). */
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

// A lone UTF-16 surrogate has no UTF-8 form: the drivers would silently store U+FFFD instead.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws {@link LedgerInputError} for text PostgreSQL cannot store as given (NUL, broken UTF-16). */
export function checkText(field: string, value: string): void {
  if (value.includes('\u0000'))
    throw new LedgerInputError(field, `${field} must not contain a NUL character`);
  if (LONE_SURROGATE.test(value)) throw new LedgerInputError(field, `${field} is not valid Unicode text`);
}

/** Throws {@link LedgerInputError} for a store name outside the store definition: the column's one check. */
export function checkStore(value: unknown): void {
  if (!isStoreId(value)) throw new LedgerInputError('store', `store must be one of ${listed(STORE_IDS)}`);
}

/**
 * SQLSTATE classes and codes that say the database is away or overloaded, not that the statement is
 * wrong: 08 connection exception, 53 insufficient resources, 57P01-57P05 shutdown / cannot connect
 * now / idle session timeout, 57014 statement timeout or cancel, 55P03 lock timeout, 58 system I/O
 * error, 40001 / 40P01 serialization failure and deadlock (a retry succeeds).
 */
const OUTAGE_CLASSES = ['08', '53', '58'];
const OUTAGE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57P04',
  '57P05',
  '57014',
  '55P03',
  '40001',
  '40P01',
]);
/** Node socket errors: the server is unreachable or the connection broke. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * Messages of errors the drivers raise without a code: pg's pool and client (connection timeout,
 * terminated connection, ended pool) and better-sqlite3 once closed.
 */
const OUTAGE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection timeout/i,
  /Cannot use a pool after calling end/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  // pg's query_timeout: the server did not answer in time (postgres.ts, queryTimeoutMs).
  /^Query read timeout$/,
  /The database connection is not open/i,
];

/**
 * SQLite result codes (better-sqlite3 puts the extended one in `code`, e.g. SQLITE_BUSY_SNAPSHOT)
 * that say the file is busy or cannot be written, not that the statement is wrong: BUSY and LOCKED
 * (another connection, a checkpoint or a backup holds the lock past busy_timeout), READONLY (the
 * file or its directory not writable, or opened read-only), IOERR, FULL, CANTOPEN, NOMEM. CONSTRAINT,
 * CORRUPT, NOTADB, MISMATCH and the rest stay `internal`.
 */
const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|NOMEM|PROTOCOL)(_|$)/;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Reads a failure of a ledger call; a connection error wrapped in AggregateError (pg on dual-stack hosts) counts too. */
export function ledgerErrorKind(error: unknown): LedgerErrorKind {
  if (error instanceof LedgerInputError) return 'input';
  if (error instanceof AggregateError && error.errors.some((e) => ledgerErrorKind(e) === 'unavailable'))
    return 'unavailable';
  if (!(error instanceof Error)) return 'internal';
  const code = errorCode(error);
  if (code !== undefined) {
    if (SOCKET_CODES.has(code) || OUTAGE_CODES.has(code) || SQLITE_OUTAGE.test(code)) return 'unavailable';
    if (/^[0-9A-Z]{5}$/.test(code) && OUTAGE_CLASSES.includes(code.slice(0, 2))) return 'unavailable';
  }
  if (OUTAGE_MESSAGES.some((pattern) => pattern.test(error.message))) return 'unavailable';
  return 'internal';
}
