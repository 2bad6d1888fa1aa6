import { migrate } from './migrations.js';

/**
 * Something SQL can be sent to: the ledger itself or one of its transactions.
 *
 * Parameters are `$1, $2, …`. Without `params` the text goes through the simple query protocol on both
 * backends, so it may hold several statements (the migrations rely on that); the rows returned are then
 * those of the last statement.
 */
export interface Queryable {
  query<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface LedgerDb extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (READ COMMITTED) on one connection: committed when `fn` resolves, rolled
   * back when it throws. Use only `q` inside `fn`: on PGlite the ledger's own `query` waits for the
   * transaction to end, so calling it from inside would never return.
   */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface LedgerDbOptions {
  /** `postgres://…` URL; when set, the ledger lives in PostgreSQL (shared by replicas). Default: unset (PGlite). */
  url?: string;
  /** PGlite data directory, created when missing; ignored with `url`. Default: unset (in memory, lost at close). */
  dataDir?: string;
  /**
   * Schema created when missing and put first on the search_path of every connection, so tests (or several
   * ledgers in one database) can be isolated. A plain lower-case identifier. Default `'public'`.
   */
  schema?: string;
  /** Most PostgreSQL connections per ledger (per replica); ignored by PGlite, which has one. Default `10`. */
  poolSize?: number;
}

/** Thrown by {@link openLedgerDb} for options it cannot use (before any connection is made). */
export class LedgerConfigError extends Error {
  override readonly name = 'LedgerConfigError';
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates the options, connects, creates the schema when missing and applies pending migrations. */
export async function openLedgerDb(options: LedgerDbOptions): Promise<LedgerDb> {
  const schema = options.schema ?? 'public';
  // The name is interpolated into DDL and a connection option, so it must be a bare identifier.
  if (!SCHEMA_NAME.test(schema)) {
    throw new LedgerConfigError(
      `ledger schema must match ${SCHEMA_NAME.source}, got ${JSON.stringify(schema)}`,
    );
  }
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new LedgerConfigError(`ledger poolSize must be a positive integer, got ${poolSize}`);
  }
  // Adapters are loaded on demand: a PostgreSQL deployment never loads the PGlite WebAssembly, and the
  // embedded one never loads pg.
  let db: LedgerDb;
  if (options.url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(options.url)) {
      throw new LedgerConfigError('ledger url must start with postgres:// or postgresql://');
    }
    const { openPostgres } = await import('./postgres.js');
    db = await openPostgres({ url: options.url, schema, poolSize });
  } else {
    const { openPglite } = await import('./pglite.js');
    db = await openPglite({ dataDir: options.dataDir, schema });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
