import { statfsSync } from 'node:fs';
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

/**
 * Free space the ledger's file system must have before a ledger that could not write counts as
 * writable again: about a dozen redemptions (each appends about 20 pages, 80 KiB, to the WAL). It is
 * the hysteresis that keeps /readyz from flapping on a nearly full disk: without it a probe that fits
 * turns the gateway ready, the next redemption (larger) fails, and so on.
 */
export const RECOVERY_FREE_BYTES = 1024 * 1024;

/**
 * Bytes the recovery probe commits: more than a redemption's largest commit (15 pages, 60 KiB, the
 * grant with its event and deliveries; measured on the sandbox), so that a probe that commits means a
 * redemption's commit fits too, where the file system's free space says nothing (a user quota).
 */
export const RECOVERY_PROBE_BYTES = 64 * 1024;

/**
 * The probe of a ledger whose writes failed: true when a redemption could commit now. First the file
 * system's free space (one `statfs`, nothing written while the disk is nearly full), then one commit
 * of {@link RECOVERY_PROBE_BYTES} in a table created and dropped in the same transaction (the
 * ledger's schema is unchanged; the pages go back to the file's free list and are reused by the next
 * probe). Throws the commit's error (SQLITE_READONLY, _FULL, _IOERR ...).
 */
export function probeRecovery(db: Database.Database, dataDir: string): boolean {
  const { bavail, bsize } = statfsSync(dataDir);
  if (bavail * bsize < RECOVERY_FREE_BYTES) return false;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE ledger_write_probe (data BLOB)');
    db.prepare('INSERT INTO ledger_write_probe (data) VALUES (randomblob(?))').run(RECOVERY_PROBE_BYTES);
    db.exec('DROP TABLE ledger_write_probe');
    db.exec('COMMIT');
    return true;
  } catch (error) {
    rollbackQuietly(db);
    throw error;
  }
}

/**
 * Rolls back the open transaction, if any: a failed ROLLBACK (the disk) must not hide
 * why the transaction failed, so its own error is dropped.
 */
export function rollbackQuietly(db: Database.Database): void {
  if (!db.inTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {}
}
