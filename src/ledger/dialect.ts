/**
 * The SQL that differs between the two backends, as fragments the stores splice into one statement
 * text. PostgreSQL keeps instants as timestamptz and JSON as jsonb; SQLite keeps instants as integer
 * milliseconds since the epoch (UTC) and JSON as text, which the stores read back with {@link toDate}
 * and {@link toJson}. `param` is a placeholder such as `$3`.
 */
export interface Dialect {
  /** The current instant on the database clock. */
  readonly now: string;
  /** The same, to the millisecond (a keyset cursor carries it through a JS Date, which holds no more). */
  readonly nowMs: string;
  /** `now` plus `param` (a whole number of milliseconds). */
  plusMs(param: string): string;
  /** A bound instant (a JS Date). */
  time(param: string): string;
  /** A bound JSON object (JSON.stringify text). */
  json(param: string): string;
  /** A bound boolean. */
  bool(param: string): string;
  /** A bound string compared with a text column. */
  text(param: string): string;
  /** The JSON object in `column` with the keys of the object `param` merged in (new keys win). */
  mergeJson(column: string, param: string): string;
  /** The later of two instants; NULL only when both are. */
  later(a: string, b: string): string;
  /**
   * The text at `key` of the JSON object in `column`. `key` is a fixed identifier written in the
   * code (never user input): an expression index must see the very same text.
   */
  jsonText(column: string, key: string): string;
}

export const POSTGRES_DIALECT: Dialect = {
  now: 'now()',
  nowMs: "date_trunc('milliseconds', now())",
  plusMs: (param) => `now() + ${param}::double precision * interval '1 millisecond'`,
  time: (param) => `${param}::timestamptz`,
  json: (param) => `${param}::jsonb`,
  bool: (param) => `${param}::boolean`,
  text: (param) => `${param}::text`,
  mergeJson: (column, param) => `${column} || ${param}::jsonb`,
  later: (a, b) => `GREATEST(${a}, ${b})`,
  jsonText: (column, key) => `(${column} ->> '${key}')`,
};

/**
 * Milliseconds since the epoch from the process's clock (Date.now(), registered by the adapter as
 * `ledger_now()`): one process owns an embedded ledger, so its clock is the database clock, and a
 * test that freezes Date freezes the ledger too.
 */
const SQLITE_NOW = 'CAST(ledger_now() AS INTEGER)';

export const SQLITE_DIALECT: Dialect = {
  now: SQLITE_NOW,
  nowMs: SQLITE_NOW,
  plusMs: (param) => `(${SQLITE_NOW} + ${param})`,
  // The adapter binds a Date as its epoch milliseconds and a boolean as 0/1.
  time: (param) => param,
  json: (param) => `json(${param})`,
  bool: (param) => param,
  text: (param) => param,
  // RFC 7396 merge: the same as jsonb || for the flat string maps the ledger stores.
  mergeJson: (column, param) => `json_patch(${column}, ${param})`,
  // SQLite's two-argument max() is NULL when either is.
  later: (a, b) => `coalesce(max(${a}, ${b}), ${a}, ${b})`,
  jsonText: (column, key) => `json_extract(${column}, '$.${key}')`,
};

/** An instant as a driver returns it: a Date (PostgreSQL) or epoch milliseconds (SQLite). */
export type StoredTime = Date | number;

export function toDate(value: StoredTime): Date;
export function toDate(value: StoredTime | null): Date | null;
export function toDate(value: StoredTime | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

/** A JSON object as a driver returns it: parsed (PostgreSQL jsonb) or text (SQLite). */
export type StoredJson<T> = T | string;

export function toJson<T>(value: StoredJson<T>): T;
export function toJson<T>(value: StoredJson<T> | null): T | null;
export function toJson<T>(value: StoredJson<T> | null): T | null {
  if (value === null) return null;
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
