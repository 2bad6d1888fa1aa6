import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GrantStore,
  type LedgerDb,
  ledgerErrorKind,
  type NewGrant,
  openLedgerDb,
  SQLITE_FILE,
} from '../../src/ledger/index.js';

const grant = (purchaseKey: string): NewGrant => ({
  app: 'game-s',
  store: 'ONESTORE',
  purchaseKey,
  userId: 'u',
  productId: 'p',
  quantity: 1,
  storeIds: { purchaseToken: purchaseKey },
  fingerprint: 'fp',
  idempotencyKey: null,
  action: 'CONSUME',
});

describe('the embedded (SQLite) ledger', () => {
  let dir = '';
  let db: LedgerDb;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-sqlite-'));
    db = await openLedgerDb({ dataDir: dir });
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its file in WAL mode with a full fsync at every commit', async () => {
    expect(await db.query('PRAGMA journal_mode', [])).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.query('PRAGMA synchronous', [])).toEqual([{ synchronous: 2 }]);
  });

  it('reads a file held busy past its busy timeout (SQLITE_BUSY) as unavailable, then works again', async () => {
    // Another connection (a backup, a stray sqlite3 shell) holds the write lock.
    const other = new Database(join(dir, SQLITE_FILE));
    other.exec('BEGIN IMMEDIATE');
    const grants = new GrantStore(db);
    const error = await grants.claim(grant('busy-1'), 'o', 60_000).catch((e: unknown) => e);
    other.exec('ROLLBACK');
    other.close();
    expect((error as { code?: unknown }).code).toBe('SQLITE_BUSY');
    expect(ledgerErrorKind(error)).toBe('unavailable');
    expect(await grants.claim(grant('busy-1'), 'o', 60_000)).toMatchObject({ claimed: true });
  }, 20_000);

  it('reads a constraint the statement breaks (SQLITE_CONSTRAINT_CHECK) as internal', async () => {
    const error = await new GrantStore(db)
      .claim({ ...grant('bad-quantity'), quantity: 0 }, 'o', 60_000)
      .catch((e: unknown) => e);
    expect((error as { code?: unknown }).code).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(ledgerErrorKind(error)).toBe('internal');
  });

  it('runs a transaction alone: a query sent meanwhile waits for its end', async () => {
    const order: string[] = [];
    const tx = db.transaction(async (q) => {
      await q.query("INSERT INTO sync_checkpoints (app, source) VALUES ('tx', 'a')", []);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('tx');
      throw new Error('roll back');
    });
    const read = db.query<{ n: number }>("SELECT count(*) AS n FROM sync_checkpoints WHERE app = 'tx'", []);
    await expect(tx).rejects.toThrow('roll back');
    expect(await read).toEqual([{ n: 0 }]);
    order.push('read');
    expect(order).toEqual(['tx', 'read']);
  });
});
