import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import {
  expectWriteOutage,
  gatewayOnDisk,
  type LogLine,
  metricValue,
  readyz,
  redeemNew,
} from '../helpers/ledger-outage.js';

/**
 * Issue 24 (10): SQLITE_READONLY is an outage while the gateway serves, as SQLITE_FULL
 * (full-disk.test.ts) and SQLITE_IOERR (sqlite-write-outage.test.ts) are: typed, logged, `/readyz`
 * not ready until a write works again. sqlite-write-outage.test.ts shows the code is classified as
 * an outage; this follows it through the gateway. A connection SQLite opened read-only (what it
 * falls back to for a file it cannot write) answers every write SQLITE_READONLY; `query_only` puts
 * the ledger's own connection in that state through the ledger's public `query`, with no root, no
 * chattr and no special file system, so this runs everywhere. (In WAL mode SQLite does not check
 * whether the file was moved, so SQLITE_READONLY_DBMOVED cannot be provoked by renaming it.)
 */
describe('an embedded ledger whose connection turns read-only while the gateway serves (SQLITE_READONLY)', () => {
  let dir = '';
  let g: GatewayHarness;
  let lines: LogLine[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-readonly-'));
    ({ g, lines } = await gatewayOnDisk(dir));
  });
  afterAll(async () => {
    await g?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('LedgerUnavailableError, /readyz 503 naming SQLITE_READONLY, a log line; ready again once it can write', async () => {
    expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
    expect((await readyz(g)).status).toBe(200);
    const file = join(dir, SQLITE_FILE);
    const { db } = (await g.gateway.redemption()).storage;
    await db.query('PRAGMA query_only = 1');
    try {
      expect(await redeemNew(g)).toMatchObject({ __typename: 'LedgerUnavailableError' });
      await expectWriteOutage(g, lines, file, /^SQLITE_READONLY/);
    } finally {
      await db.query('PRAGMA query_only = 0');
    }
    for (let i = 0; i < 50 && (await readyz(g)).status !== 200; i++) await sleep(100);
    expect((await readyz(g)).body.checks.ledgerWrite).toBe('ok');
    expect(await metricValue(g, 'gateway_ledger_writable')).toBe(1);
    expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
  });
});
