import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';

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
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    debug: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'debug', obj, msg }),
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', obj, msg }),
    error: (obj: Record<string, unknown>, msg: string) => lines.push({ level: 'error', obj, msg }),
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-readonly-'));
    const ledger = await openLedgerStorage({ dataDir: dir, writeProbeIntervalMs: 100 });
    g = await startGateway({ gatewayOptions: { ledger, logger } });
    await g.gateway.redemption();
  });
  afterAll(async () => {
    await g?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const redeemNew = async (): Promise<RedeemAnswer> => {
    const p = await purchase(g);
    const answer = await g.gql(REDEEM, {
      input: { app: APP, userId: 'u', onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
    });
    return answer.data.redeemPurchase as RedeemAnswer;
  };
  const readyz = async () => {
    const response = await fetch(`${g.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { checks: { ledgerWrite: string } } };
  };
  const writable = async (): Promise<number> => {
    const text = await (await fetch(`${g.url}/metrics`)).text();
    return Number(
      text
        .split('\n')
        .find((l) => l.startsWith('gateway_ledger_writable '))
        ?.split(' ')[1],
    );
  };

  it('LedgerUnavailableError, /readyz 503 naming SQLITE_READONLY, a log line; ready again once it can write', async () => {
    expect((await redeemNew()).__typename).toBe('RedeemPurchaseSuccess');
    expect((await readyz()).status).toBe(200);
    const file = join(dir, SQLITE_FILE);
    const { db } = (await g.gateway.redemption()).storage;
    await db.query('PRAGMA query_only = 1');
    try {
      expect(await redeemNew()).toMatchObject({ __typename: 'LedgerUnavailableError' });
      const down = await readyz();
      expect(down.status).toBe(503);
      expect(down.body.checks.ledgerWrite).toMatch(/^SQLITE_READONLY/);
      expect(await writable()).toBe(0);
      expect(lines.find((l) => l.msg.startsWith('grant ledger cannot write'))).toMatchObject({
        level: 'error',
        obj: { file, code: expect.stringMatching(/^SQLITE_READONLY/) },
      });
    } finally {
      await db.query('PRAGMA query_only = 0');
    }
    for (let i = 0; i < 50 && (await readyz()).status !== 200; i++) await sleep(100);
    expect((await readyz()).body.checks.ledgerWrite).toBe('ok');
    expect(await writable()).toBe(1);
    expect((await redeemNew()).__typename).toBe('RedeemPurchaseSuccess');
  });
});
