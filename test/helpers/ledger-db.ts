import { afterAll, beforeAll } from 'vitest';
import type { LedgerDb } from '../../src/ledger/index.js';
import type { LedgerBackend } from './ledger.js';

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
