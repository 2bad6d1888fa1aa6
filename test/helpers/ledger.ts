import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
  /** Drops this file's schema (PostgreSQL); call in afterAll after closing the ledgers. */
  cleanup(): Promise<void>;
  /** The options `open` uses, for tests that call openLedgerDb themselves. */
  options: LedgerDbOptions;
}

let warned = false;

/**
 * SQLite in memory always; PostgreSQL at TEST_DATABASE_URL, in a fresh schema per call (so per test file),
 * when that is set. Without it the PostgreSQL tests are skipped with one warning, except under CI, where a
 * missing TEST_DATABASE_URL is an error: CI must exercise the shared-ledger code path.
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
  const schema = `ledger_test_${randomBytes(6).toString('hex')}`;
  const pgOptions: LedgerDbOptions = { url: url ?? '', schema };
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
    cleanup: async () => {
      if (url === undefined || url === '') return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
  return [sqlite, postgres];
}

/** Resolves after `ms` milliseconds (for lease expiry, which runs on the database clock). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
