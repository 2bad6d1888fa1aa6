import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_DIALECT } from './dialect.js';
import { lockDataDir } from './dir-lock.js';
import { LedgerConfigError, type LedgerDb, type Queryable, SQLITE_FILE } from './types.js';

export interface SqliteOptions {
  /** Data directory; undefined keeps the database in memory. */
  dataDir: string | undefined;
}

/**
 * A PGlite (PostgreSQL) cluster, as earlier releases wrote there, has this file at its top. Such a
 * directory is refused: opening a new, empty ledger beside its grants would redeem them all again.
 */
const OLD_FORMAT_MARKER = 'PG_VERSION';

/** `$n` placeholders become `?` with the values in order of appearance (a `$n` may repeat). */
function bind(sql: string, params: readonly unknown[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const value = params[Number(n) - 1];
    // better-sqlite3 binds neither Date nor boolean; the dialect keeps instants as epoch ms.
    values.push(value instanceof Date ? value.getTime() : typeof value === 'boolean' ? Number(value) : value);
    return '?';
  });
  return { text, values };
}

function run<R>(db: Database.Database, sql: string, params?: readonly unknown[]): R[] {
  if (params === undefined && !isSingleStatement(db, sql)) {
    db.exec(sql);
    return [];
  }
  const { text, values } = bind(sql, params ?? []);
  const statement = db.prepare(text);
  if (statement.reader) return statement.all(...values) as R[];
  statement.run(...values);
  return [];
}

function isSingleStatement(db: Database.Database, sql: string): boolean {
  try {
    db.prepare(sql);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * Opens the embedded ledger: one SQLite file, one connection, WAL journal with a full fsync at every
 * commit (a grant, once claimed, survives a crash or power loss). Queries run synchronously, so each
 * statement is atomic; a transaction holds the others back until it ends.
 */
export async function openSqlite(options: SqliteOptions): Promise<LedgerDb> {
  const { dataDir } = options;
  if (dataDir !== undefined && existsSync(join(dataDir, OLD_FORMAT_MARKER))) {
    throw new LedgerConfigError(
      `${dataDir} holds a grant ledger in the PGlite format of earlier releases, which this release no longer reads; nothing was changed. Its grants must not be lost (their purchases would be granted again): finish with the previous release, or move the ledger to PostgreSQL (DATABASE_URL), and point ledger.dataDir at a new, empty directory (docs/ledger.md, "Upgrading from PGlite")`,
    );
  }
  const unlock = dataDir === undefined ? async () => undefined : await lockDataDir(dataDir);
  let db: Database.Database;
  try {
    db = new Database(dataDir === undefined ? ':memory:' : join(dataDir, SQLITE_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Only this process opens the file (dir lock); a wait here means a checkpoint or backup is running.
    db.pragma('busy_timeout = 5000');
    // The dialect's clock (SQLITE_DIALECT.now): this process's, as JavaScript reads it.
    db.function('ledger_now', { deterministic: false }, () => Date.now());
  } catch (error) {
    await unlock();
    throw error;
  }

  // One connection: every query and transaction runs in turn, so a transaction sees no other
  // statement between its BEGIN and COMMIT. Statements are synchronous; only transactions wait here.
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
  const direct: Queryable = { query: async (sql, params) => run(db, sql, params) };

  return {
    kind: 'sqlite',
    dialect: SQLITE_DIALECT,
    query: <R>(sql: string, params?: readonly unknown[]) => inTurn(async () => run<R>(db, sql, params)),
    transaction: <T>(fn: (q: Queryable) => Promise<T>) =>
      inTurn(async () => {
        // IMMEDIATE takes the write lock at once: no deadlock upgrading a read lock later.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      inTurn(async () => {
        if (!db.open) return;
        db.close();
        await unlock();
      }),
  };
}
