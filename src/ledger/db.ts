import { migrate } from './migrations.js';
import { LedgerConfigError, type LedgerDb, type LedgerDbOptions } from './types.js';

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
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1) {
    throw new LedgerConfigError(
      `ledger connectTimeoutMs must be a positive integer, got ${connectTimeoutMs}`,
    );
  }
  const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
  if (!Number.isInteger(queryTimeoutMs) || queryTimeoutMs < 1) {
    throw new LedgerConfigError(`ledger queryTimeoutMs must be a positive integer, got ${queryTimeoutMs}`);
  }
  let migrated: () => void = () => undefined;
  // Adapters are loaded on demand: a PostgreSQL deployment never loads the SQLite native module, and the
  // embedded one never loads pg.
  let db: LedgerDb;
  if (options.url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(options.url)) {
      throw new LedgerConfigError('ledger url must start with postgres:// or postgresql://');
    }
    const { openPostgres } = await import('./postgres.js');
    const postgres = await openPostgres({
      url: options.url,
      schema,
      poolSize,
      connectTimeoutMs,
      queryTimeoutMs,
    });
    db = postgres;
    migrated = () => postgres.startQueryTimeout();
  } else {
    const { openSqlite } = await import('./sqlite.js');
    db = await openSqlite({
      dataDir: options.dataDir,
      ...(options.checkpointIntervalMs !== undefined && {
        checkpointIntervalMs: options.checkpointIntervalMs,
      }),
      ...(options.writeProbeIntervalMs !== undefined && {
        writeProbeIntervalMs: options.writeProbeIntervalMs,
      }),
    });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  migrated();
  return db;
}
