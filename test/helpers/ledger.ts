import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type LedgerDb, type LedgerDbOptions, openLedgerDb } from '../../src/ledger/index.js';

/** One ledger backend a test file runs against. */
export interface LedgerBackend {
  name: 'sqlite' | 'postgres';
  /** True when the backend is not available here (PostgreSQL without TEST_DATABASE_URL); use describe.skipIf. */
  skip: boolean;
  /**
   * Opens a ledger. On PostgreSQL every call opens another pool on this file's own schema (a second
   * "replica" of one ledger); on SQLite every call opens a new, separate in-memory database.
   */
  open(options?: Pick<LedgerDbOptions, 'poolSize'>): Promise<LedgerDb>;
  /**
   * Drops this file's schema (PostgreSQL); call in afterAll after closing the ledgers. Also done
   * after the file's last test when a file forgets it (see `ledgerBackends`).
   */
  cleanup(): Promise<void>;
  /** The options `open` uses, for tests that call openLedgerDb themselves. */
  options: LedgerDbOptions;
}

let warned = false;

/**
 * `ledger_test_<creation time, base 36 ms>_<random>`: the time lets a later run tell a schema left by
 * a killed run (no afterAll ran) from one a running file still uses. Valid as a ledger schema name.
 */
export function newTestSchemaName(now = Date.now()): string {
  return `ledger_test_${now.toString(36)}_${randomBytes(6).toString('hex')}`;
}

const TIMED_NAME = /^ledger_test_([0-9a-z]{6,10})_[0-9a-f]{12}$/;
/** A test file never runs this long: a schema older than this was left by a run that was killed. */
export const STALE_SCHEMA_MS = 6 * 3_600_000;

/**
 * Drops the `ledger_test_` schemas of runs that were killed before their afterAll: only names
 * carrying a creation time (older names are left alone: their age is unknown), only older than
 * `maxAgeMs`, never one whose tables another session holds a lock on, and never waiting for a
 * lock (`lock_timeout`): a schema still in use is skipped, not dropped. Resolves to the names dropped.
 */
export async function sweepStaleSchemas(
  url: string,
  maxAgeMs = STALE_SCHEMA_MS,
  now = Date.now(),
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  const dropped: string[] = [];
  try {
    await client.query("SET lock_timeout = '500ms'");
    const { rows } = await client.query<{ name: string; locked: boolean }>(
      `SELECT n.nspname AS name,
         EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                 WHERE c.relnamespace = n.oid AND l.pid <> pg_backend_pid()) AS locked
       FROM pg_namespace n WHERE n.nspname LIKE 'ledger\\_test\\_%'`,
    );
    for (const { name, locked } of rows) {
      const created = TIMED_NAME.exec(name)?.[1];
      if (created === undefined || locked || now - Number.parseInt(created, 36) < maxAgeMs) continue;
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
        dropped.push(name);
      } catch {
        // Busy (lock timeout) or dropped by another run at the same moment: left for a later sweep.
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return dropped;
}

/** One sweep per test process, started with its first `ledgerBackends()` (it never touches a fresh name). */
let swept: Promise<unknown> | undefined;

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * SQLite in memory always; PostgreSQL at TEST_DATABASE_URL, in a fresh schema per call (so per test file),
 * when that is set. Without it the PostgreSQL tests are skipped with one warning, except under CI, where a
 * missing TEST_DATABASE_URL is an error: CI must exercise the shared-ledger code path.
 *
 * Call it at the top of a test file or in a describe: the schema is also dropped after the file's (or
 * the describe's) last test, so a file that forgets `cleanup()` leaves nothing behind; a run killed
 * before that leaves a schema that a later run sweeps once it is 6 hours old.
 */
export function ledgerBackends(): LedgerBackend[] {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    if (process.env.CI !== undefined && process.env.CI !== '') {
      throw new Error(
        'TEST_DATABASE_URL is not set under CI: the PostgreSQL ledger tests must not be skipped',
      );
    }
    if (!warned) {
      warned = true;
      console.warn('PostgreSQL ledger tests skipped: TEST_DATABASE_URL is not set (SQLite tests still run)');
    }
  }
  const schema = newTestSchemaName();
  const pgOptions: LedgerDbOptions = { url: url ?? '', schema };
  if (url) {
    swept ??= sweepStaleSchemas(url).catch((error: unknown) =>
      console.warn(`sweep of stale ledger_test_ schemas failed: ${String(error)}`),
    );
  }
  // Tests open the schema through `open` or through `options` (openLedgerStorage): either way it is
  // dropped once, whether the file calls cleanup() or not.
  let dropped = false;
  const cleanup = async () => {
    if (url === undefined || url === '' || dropped) return;
    dropped = true;
    await dropSchema(url, schema);
  };
  afterAll(async () => {
    await swept;
    await cleanup();
  });
  const sqlite: LedgerBackend = {
    name: 'sqlite',
    skip: false,
    options: {},
    open: () => openLedgerDb({}),
    cleanup: async () => undefined,
  };
  const postgres: LedgerBackend = {
    name: 'postgres',
    skip: url === undefined || url === '',
    options: pgOptions,
    open: (options = {}) => openLedgerDb({ ...pgOptions, ...options }),
    cleanup,
  };
  return [sqlite, postgres];
}

/** Resolves after `ms` milliseconds (for lease expiry, which runs on the database clock). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
