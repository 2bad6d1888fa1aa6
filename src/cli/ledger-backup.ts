import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { configFileSchema } from '../config/schema.js';
import { SQLITE_FILE } from '../ledger/index.js';

const USAGE =
  'usage: npm run ledger:backup -- <file> [--config gateway.json | --data-dir DIR]  (default: GATEWAY_CONFIG, else ./data/ledger)';

/** What a backup wrote, printed as one JSON line. */
export interface BackupResult {
  file: string;
  bytes: number;
  /** `PRAGMA integrity_check` of the copy: always `ok` (anything else fails the backup). */
  integrity: 'ok';
  /** Grants in the copy, by status. */
  grants: Record<string, number>;
  tookMs: number;
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** fsync of a file or a directory: the copy, then its name, survive a power loss once this resolves. */
async function sync(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Copies the embedded ledger in `dataDir` to `target` while a gateway may be writing it. `VACUUM INTO`
 * reads the database in one read transaction, WAL included: a consistent snapshot of every commit made
 * before it started, never a half-written one, and writers are not held back (WAL readers do not block
 * writers). Copying `ledger.sqlite` by hand is not a backup: its last commits (or, after checkpoints
 * failed, all of them) may be only in `ledger.sqlite-wal`. The copy is checked (`integrity_check`),
 * fsynced, and only then given its name, with link(2), which fails on an existing name where rename(2)
 * would replace it: an existing `target`, one created while the copy was made, or the copy of a second
 * backup to the same name at the same time, is never overwritten.
 */
export async function backupLedger(dataDir: string, target: string): Promise<BackupResult> {
  const started = Date.now();
  const source = join(dataDir, SQLITE_FILE);
  if (!existsSync(source)) throw new BackupError(`no embedded ledger at ${source}`);
  const file = resolve(target);
  if (existsSync(file)) throw new BackupError(`${file} exists; a backup never overwrites a file`);
  // Random as well as the pid: two backups in one process, or in two containers (both pid 1).
  const partial = `${file}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    // Read-write like the gateway's own connection (a read-only one could not set up the WAL index
    // when the gateway is stopped). It changes no row, but with the gateway stopped it is the last
    // connection, and closing it checkpoints the WAL into ledger.sqlite and removes the WAL, as the
    // gateway's own stop does: run the backup with the ledger's user, on a disk it can write.
    const db = new Database(source, { fileMustExist: true });
    try {
      // A checkpoint holds the file briefly; wait for it as the gateway does.
      db.pragma('busy_timeout = 5000');
      db.prepare('VACUUM INTO ?').run(partial);
    } finally {
      db.close();
    }
    const copy = new Database(partial, { fileMustExist: true, readonly: true });
    let grants: Record<string, number>;
    try {
      const integrity = copy.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new BackupError(`the copy fails integrity_check: ${String(integrity)}`);
      const rows = copy.prepare('SELECT status, count(*) AS n FROM grants GROUP BY status').all() as {
        status: string;
        n: number;
      }[];
      grants = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    } finally {
      copy.close();
    }
    await sync(partial, 'r+');
    await publish(partial, file);
    await sync(dirname(file), 'r');
    return { file, bytes: (await stat(file)).size, integrity: 'ok', grants, tookMs: Date.now() - started };
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof BackupError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new BackupError(
      `backup of ${source} failed (${typeof code === 'string' ? code : 'error'}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Gives the finished copy its name without ever replacing a file: link(2) fails with EEXIST where
 * rename(2) would replace silently, and the name appears only with the whole copy behind it. A file
 * system without hard links (vfat, some network and FUSE mounts) is refused rather than written over.
 */
async function publish(partial: string, file: string): Promise<void> {
  try {
    await link(partial, file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EEXIST')
      throw new BackupError(`${file} was created while the backup ran; a backup never overwrites a file`);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP')
      throw new BackupError(
        `cannot give the copy its name: the file system of ${dirname(file)} has no hard links (${code}), which a backup uses so that it never overwrites a file; write it to a local disk and move it from there`,
        { cause: error },
      );
    throw error;
  }
  await rm(partial);
}

/** The data directory as `npm start` would use it: `--data-dir`, else the config file's `ledger.dataDir`. */
async function dataDirOf(values: { config?: string; 'data-dir'?: string }, env: NodeJS.ProcessEnv) {
  if (values['data-dir']) return values['data-dir'];
  const configPath = values.config ?? env.GATEWAY_CONFIG;
  // Only the ledger section is read: a backup needs none of the secrets the rest of the file names.
  const raw: unknown = configPath ? JSON.parse(await readFile(configPath, 'utf8')) : {};
  const ledger = (raw as { ledger?: unknown } | null)?.ledger ?? {};
  return configFileSchema.shape.ledger.parse(ledger).dataDir;
}

/** One JSON line (stdout), or a problem (stderr, exit 2). */
export async function runLedgerBackup(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; line: string } | { ok: false; error: string }> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { config: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    return { ok: false, error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) return { ok: false, error: USAGE };
  if (env.DATABASE_URL && !parsed.values['data-dir'])
    return {
      ok: false,
      error:
        'the ledger is in PostgreSQL (DATABASE_URL): back it up with pg_dump, which reads a consistent snapshot while the gateways serve, e.g. pg_dump --format=custom --file=ledger.dump "$DATABASE_URL" (restore into an empty database: pg_restore --dbname=URL ledger.dump). This command copies the embedded (SQLite) ledger only.',
    };
  try {
    const result = await backupLedger(await dataDirOf(parsed.values, env), target);
    return { ok: true, line: JSON.stringify(result) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLedgerBackup(process.argv.slice(2), process.env);
  if (result.ok) console.log(result.line);
  else {
    console.error(result.error);
    process.exitCode = 2;
  }
}
