import { access, constants, mkdir } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { LedgerConfigError } from './types.js';

const errorCode = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
};

const fix = (path: string) =>
  `fix: make it writable by this process's user${
    process.getuid ? ` (uid ${process.getuid()})` : ''
  } (chmod u+w; chattr -i if it is immutable; a read-only mount cannot be fixed here), or point ledger.dataDir at a writable directory; nothing was changed in ${path}`;

/**
 * Refuses, before SQLite opens anything, a data directory or ledger file this process cannot write.
 * SQLite itself would open an unwritable file read-only without a word: the gateway would start and
 * report ready, then fail every redemption; and it would create `-wal` and `-shm` with the file's own
 * read-only mode, which block the next start even once the file is fixed. `access(W_OK)` also sees an
 * immutable file and a read-only mount, which stop root as well.
 */
export async function checkWritable(dataDir: string, file: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new LedgerConfigError(
      `cannot create the embedded ledger's directory ${dataDir} (${errorCode(error)}); ${fix(dataDir)}`,
      { cause: error },
    );
  }
  // The directory first: SQLite creates the -wal and -shm files (and the gateway its lock file) there.
  for (const path of [dataDir, file, `${file}-wal`, `${file}-shm`]) {
    try {
      await access(path, constants.W_OK);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') continue;
      throw new LedgerConfigError(`the embedded ledger cannot write ${path} (${code}); ${fix(path)}`, {
        cause: error,
      });
    }
  }
}

/**
 * One real commit: rewrites the database header's `user_version` with its own value (the ledger
 * does not use it), which appends a frame to the WAL and fsyncs it. It fails exactly when a grant's
 * commit would: a read-only connection (SQLITE_READONLY), a full disk (SQLITE_FULL), a failing
 * write or fsync (SQLITE_IOERR).
 */
export function probeWrite(db: Database.Database): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  db.pragma(`user_version = ${Number.isSafeInteger(version) ? version : 0}`);
}
