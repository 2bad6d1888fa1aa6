import { afterAll, beforeAll } from 'vitest';
import { type LedgerDb, MIGRATIONS, migrate } from '../../src/ledger/index.js';
import { openPostgres } from '../../src/ledger/postgres.js';
import { openSqlite } from '../../src/ledger/sqlite.js';
import type { LedgerBackend } from './ledger.js';

/**
 * A ledger on `backend` with only the migrations before `version` applied, as a release before it
 * left one (SQLite: a new one in memory; PostgreSQL: the backend's schema). Nothing else migrates it.
 */
export async function openLedgerBefore(backend: LedgerBackend, version: number): Promise<LedgerDb> {
  const db =
    backend.name === 'sqlite'
      ? await openSqlite({ dataDir: undefined })
      : await openPostgres({
          url: backend.options.url ?? '',
          schema: backend.options.schema ?? 'public',
          poolSize: 2,
          connectTimeoutMs: 5_000,
          queryTimeoutMs: 10_000,
        });
  await migrate(
    db,
    MIGRATIONS.filter((m) => m.version < version),
  );
  return db;
}

/**
 * For a describe: a ledger opened on `backend` before the first test and handed to `ready` (which
 * may set up data); after the last test it is closed and the backend's schema dropped.
 */
export function ledgerDbOn(backend: LedgerBackend, ready: (db: LedgerDb) => void | Promise<void>): void {
  let db: LedgerDb | undefined;
  beforeAll(async () => {
    db = await backend.open();
    await ready(db);
  });
  afterAll(async () => {
    await db?.close();
    await backend.cleanup();
  });
}
