import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_DIALECT } from './dialect.js';
import { lockDataDir } from './dir-lock.js';
import { LedgerFileCondition, SQLITE_WRITE_OUTAGE } from './sqlite-condition.js';
import { checkWritable, probeRecovery, probeWrite, rollbackQuietly } from './sqlite-file.js';
import { LedgerConfigError, type LedgerDb, type Queryable, SQLITE_FILE } from './types.js';

export interface SqliteOptions {
  /** Data directory; undefined keeps the database in memory. */
  dataDir: string | undefined;
  /** How often the WAL is checkpointed and a failure reported, ms. Default 10000. */
  checkpointIntervalMs?: number;
  /** While writes fail, how often a probe write tries again, ms. Default 2000. */
  writeProbeIntervalMs?: number;
}

/**
 * Once the WAL has been checkpointed, its file is cut back to this size: its size on disk then shows
 * how much is waiting for a checkpoint (`gateway_ledger_wal_bytes`), instead of the largest it ever was.
 * About SQLite's auto-checkpoint threshold (1000 pages of 4 KiB).
 */
const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

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
  const file = dataDir === undefined ? undefined : join(dataDir, SQLITE_FILE);
  if (dataDir !== undefined && file !== undefined) await checkWritable(dataDir, file);
  const unlock = dataDir === undefined ? async () => undefined : await lockDataDir(dataDir);
  let db: Database.Database | undefined;
  try {
    db = new Database(file ?? ':memory:');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    // Only this process writes the file (dir lock); a wait here means a checkpoint or backup is running.
    db.pragma('busy_timeout = 5000');
    // The dialect's clock (SQLITE_DIALECT.now): this process's, as JavaScript reads it.
    db.function('ledger_now', { deterministic: false }, () => Date.now());
    // Migrations that are all applied write nothing: without this a full disk or a file SQLite opened
    // read-only would pass the start and fail the first redemption instead.
    if (file !== undefined) probeWrite(db);
  } catch (error) {
    db?.close();
    await unlock();
    const code = (error as { code?: unknown } | null)?.code;
    if (file !== undefined && typeof code === 'string' && SQLITE_WRITE_OUTAGE.test(code))
      throw new LedgerConfigError(
        `the embedded ledger ${file} cannot be written (${code}: ${error instanceof Error ? error.message : String(error)}); fix the disk or the file's permissions, or point ledger.dataDir at a writable directory`,
        { cause: error },
      );
    throw error;
  }
  const open = db;
  const condition = file === undefined ? undefined : new LedgerFileCondition(file);

  // One connection: every query and transaction runs in turn, so a transaction sees no other
  // statement between its BEGIN and COMMIT. Statements are synchronous; only transactions wait here.
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
  const direct: Queryable = { query: async (sql, params) => run(open, sql, params) };

  // Used since the last checkpoint (reads too: a checkpoint with nothing to copy costs nothing): an
  // idle ledger is not checkpointed again and again.
  let used = false;
  let probing: NodeJS.Timeout | undefined;
  const probe = () =>
    inTurn(async () => {
      if (!open.open) return;
      try {
        // Not the start-up probe's one page: a commit as large as a redemption's, on a disk with room.
        if (dataDir !== undefined && probeRecovery(open, dataDir)) condition?.wrote();
      } catch (error) {
        condition?.failed(error);
      }
    });
  /** Every failure passes here: a write outage is reported, and probed until a write works again. */
  const failed = (error: unknown): never => {
    if (condition?.failed(error) && probing === undefined) {
      probing = setInterval(() => {
        if (condition.writeProblem === null) {
          clearInterval(probing);
          probing = undefined;
        } else void probe();
      }, options.writeProbeIntervalMs ?? 2_000);
      probing.unref();
    }
    throw error;
  };
  // SQLite's own checkpoints (every 1000 pages, at a commit) fail silently: a file that cannot be
  // written any more still takes commits into its WAL, which grows without a word. This one reports.
  const checkpoints =
    condition &&
    setInterval(() => {
      if (!used && condition.checkpointFailures === 0) return;
      used = false;
      void inTurn(async () => {
        if (!open.open) return;
        try {
          open.pragma('wal_checkpoint(PASSIVE)');
          condition.checkpointed();
        } catch (error) {
          condition.checkpointFailed(error);
        }
      });
    }, options.checkpointIntervalMs ?? 10_000);
  checkpoints?.unref();

  return {
    kind: 'sqlite',
    dialect: SQLITE_DIALECT,
    ...(condition && { fileCondition: condition }),
    query: <R>(sql: string, params?: readonly unknown[]) =>
      inTurn(async () => {
        try {
          const rows = run<R>(open, sql, params);
          used = true;
          return rows;
        } catch (error) {
          return failed(error);
        }
      }),
    transaction: <T>(fn: (q: Queryable) => Promise<T>) =>
      inTurn(async () => {
        try {
          // IMMEDIATE takes the write lock at once: no deadlock upgrading a read lock later.
          open.exec('BEGIN IMMEDIATE');
          try {
            const result = await fn(direct);
            open.exec('COMMIT');
            used = true;
            return result;
          } catch (error) {
            rollbackQuietly(open);
            throw error;
          }
        } catch (error) {
          return failed(error);
        }
      }),
    close: () =>
      inTurn(async () => {
        clearInterval(checkpoints);
        clearInterval(probing);
        if (!open.open) return;
        open.close();
        await unlock();
      }),
  };
}
