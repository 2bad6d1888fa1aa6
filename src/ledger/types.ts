import type { Dialect } from './dialect.js';
import type { LedgerFileCondition } from './sqlite-condition.js';

/**
 * Something SQL can be sent to: the ledger itself or one of its transactions.
 *
 * Parameters are `$1, $2, …`. Without `params` the text may hold several statements (the migrations
 * rely on that); the rows returned are then those of the last statement on PostgreSQL, none on SQLite.
 */
export interface Queryable {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface LedgerDb extends Queryable {
  /** `sqlite`: the embedded ledger (one process); `postgres`: shared by replicas. */
  readonly kind: 'sqlite' | 'postgres';
  /** The SQL fragments that differ between the backends. */
  readonly dialect: Dialect;
  /**
   * SQLite in a data directory only: whether its file can be written, its checkpoint failures and WAL
   * size (`/readyz`, `/metrics`, log lines). Absent in memory and on PostgreSQL.
   */
  readonly fileCondition?: LedgerFileCondition;
  /**
   * Runs `fn` in one transaction on one connection (READ COMMITTED on PostgreSQL; on SQLite a write
   * transaction taken at BEGIN, so serializable): committed when `fn` resolves, rolled back when it
   * throws. Use only `q` inside `fn`: on SQLite the ledger's own `query` waits for the transaction to
   * end, so calling it from inside would never return.
   */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: a dedicated connection (outside the pool) that LISTENs on `channel`.
   * `onNotification` gets each payload; `onLost` is called once when the connection fails or
   * ends (the caller reconnects). Absent on SQLite, whose writers are all in this process.
   */
  listen?(
    channel: string,
    onNotification: (payload: string) => void,
    onLost: (error: Error) => void,
  ): Promise<ListenConnection>;
  close(): Promise<void>;
}

/** An open LISTEN connection of {@link LedgerDb.listen}. */
export interface ListenConnection {
  /** The server process id of the connection (`pg_backend_pid()`), for diagnosis. */
  readonly backendPid: number;
  /** Ends the connection; `onLost` is not called for it. */
  close(): Promise<void>;
}

export interface LedgerDbOptions {
  /** `postgres://…` URL; when set, the ledger lives in PostgreSQL (shared by replicas). Default: unset (SQLite). */
  url?: string;
  /**
   * Directory of the embedded (SQLite) ledger, created when missing; its file is `ledger.sqlite` there.
   * Ignored with `url`. Default: unset (in memory, lost at close).
   */
  dataDir?: string;
  /**
   * PostgreSQL schema created when missing and put first on the search_path of every connection, so
   * tests (or several ledgers in one database) can be isolated. A plain lower-case identifier; ignored
   * by SQLite. Default `'public'`.
   */
  schema?: string;
  /** Most PostgreSQL connections per ledger (per replica); ignored by SQLite, which has one. Default `10`. */
  poolSize?: number;
  /**
   * How long opening a PostgreSQL connection may take, ms, before it fails as unavailable (a server
   * that accepts and never answers would otherwise hang the start). Ignored by SQLite. Default `5000`.
   */
  connectTimeoutMs?: number;
  /**
   * Longest wait for the answer to one PostgreSQL query, ms, once the migrations ran; past it the query
   * fails as unavailable (LedgerUnavailableError) and its connection is destroyed. A server that stops
   * answering without a reset (a failover dropping packets) would otherwise hold the request until the
   * kernel gives up, about 15 min. Under the default request deadline (15 s) and lease (30 s); the
   * ledger's queries take milliseconds. Ignored by SQLite. Default `10000`.
   */
  queryTimeoutMs?: number;
  /** SQLite in a data directory: how often the WAL is checkpointed and a failure reported, ms. Default `10000`. */
  checkpointIntervalMs?: number;
  /** SQLite in a data directory: while writes fail, how often a probe write tries again, ms. Default `2000`. */
  writeProbeIntervalMs?: number;
}

/** Thrown by `openLedgerDb` for options it cannot use, or a data directory it must not open. */
export class LedgerConfigError extends Error {
  override readonly name = 'LedgerConfigError';
}

/**
 * Key of the transaction-scoped advisory lock that serializes schema creation and migrations across
 * PostgreSQL replicas. An arbitrary constant ("ledger" in ASCII) that nothing else in the database uses.
 */
export const LEDGER_LOCK_KEY = 0x6c6564676572;

/** The embedded ledger's file inside its data directory (with `-wal` and `-shm` beside it while open). */
export const SQLITE_FILE = 'ledger.sqlite';
