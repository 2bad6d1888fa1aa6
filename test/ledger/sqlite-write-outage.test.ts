import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LedgerConfigError, ledgerErrorKind, openLedgerDb, SQLITE_FILE } from '../../src/ledger/index.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { killAllGateways, spawnGateway, writeProcessConfig } from '../helpers/gateway-process.js';
import {
  expectWriteOutage,
  gatewayOnDisk,
  type LogLine,
  metricValue,
  readyz,
  redeemNew,
} from '../helpers/ledger-outage.js';
import { how, makeUnwritable, midRun } from '../helpers/unwritable.js';

/**
 * Issue 24 (10): a read-only SQLite ledger looked healthy. Started on a file it could not write, the
 * gateway reported ready and every redemption answered a masked INTERNAL_SERVER_ERROR (SQLITE_READONLY
 * was not read as an outage), leaving a `-shm` at mode 0444 behind; with the file made read-only
 * mid-run, checkpoints failed silently while the WAL grew.
 */
const undo: (() => void)[] = [];
afterEach(() => {
  for (const fn of undo.splice(0)) fn();
});

async function newDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ledger-outage-'));
}

describe('SQLITE_READONLY', () => {
  it('is read as an outage (a connection opened read-only, as SQLite falls back to for an unwritable file)', async () => {
    const dir = await newDir();
    const file = join(dir, SQLITE_FILE);
    const db = await openLedgerDb({ dataDir: dir });
    await db.close();
    const readOnly = new Database(file, { readonly: true });
    let error: unknown;
    try {
      readOnly.prepare("INSERT INTO ledger_migrations (version, name) VALUES (999, 'x')").run();
    } catch (e) {
      error = e;
    }
    readOnly.close();
    await rm(dir, { recursive: true, force: true });
    expect((error as { code?: string }).code).toBe('SQLITE_READONLY');
    expect(ledgerErrorKind(error)).toBe('unavailable');
  });
});

describe.skipIf(how === null)(
  `an embedded ledger it cannot write, at start (made unwritable with ${how})`,
  () => {
    it('is refused at open with an error naming the file, and leaves no -wal or -shm beside it', async () => {
      const dir = await newDir();
      const file = join(dir, SQLITE_FILE);
      await (await openLedgerDb({ dataDir: dir })).close();
      undo.push(makeUnwritable(file));
      const error = await openLedgerDb({ dataDir: dir }).then(
        async (db) => {
          await db.close();
          return 'opened';
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LedgerConfigError);
      expect((error as Error).message).toContain(`cannot write ${file}`);
      expect((await readdir(dir)).sort()).toEqual([SQLITE_FILE]);
      // Fixed, it opens: nothing was left behind that blocks the next start.
      undo.pop()?.();
      await (await openLedgerDb({ dataDir: dir })).close();
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses a directory it cannot write, naming it', async () => {
      const dir = await newDir();
      await (await openLedgerDb({ dataDir: dir })).close();
      undo.push(makeUnwritable(dir));
      const error = await openLedgerDb({ dataDir: dir }).catch((e: unknown) => e);
      undo.pop()?.();
      expect(error).toBeInstanceOf(LedgerConfigError);
      expect((error as Error).message).toContain(`cannot write ${dir} `);
      await rm(dir, { recursive: true, force: true });
    });
  },
);

describe.skipIf(how === null)('a gateway started on a ledger file it cannot write (npm start)', () => {
  afterAll(() => killAllGateways());

  it('exits 2 at start with a message naming the file, instead of reporting ready', async () => {
    const dir = await newDir();
    const dataDir = join(dir, 'ledger');
    await (await openLedgerDb({ dataDir })).close();
    undo.push(makeUnwritable(join(dataDir, SQLITE_FILE)));
    const config = await writeProcessConfig({
      dir,
      sandboxUrl: 'http://127.0.0.1:9',
      clientId: 'com.example.readonly',
      clientSecret: 's',
      nhnAppSeq: '1',
      apiKey: 'k',
      ledger: { dataDir },
    });
    const started = await spawnGateway(config, { SECRET_A: 's' }).then(
      async (g) => {
        const readyz = await fetch(`${g.url}/readyz`).then((r) => r.status);
        await g.stop('SIGKILL');
        return `started, /readyz ${readyz}`;
      },
      (e: unknown) => String(e),
    );
    expect(started).toContain('gateway exited with 2 before listening');
    expect(started).toContain(`cannot write ${join(dataDir, SQLITE_FILE)}`);
    expect((await readdir(dataDir)).sort()).toEqual([SQLITE_FILE]);
    undo.pop()?.();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);
});

describe.skipIf(!midRun)('an embedded ledger that stops writing while the gateway serves (chattr)', () => {
  let dir = '';
  let g: GatewayHarness;
  let lines: LogLine[] = [];
  beforeAll(async () => {
    dir = await newDir();
    ({ g, lines } = await gatewayOnDisk(dir, { checkpointIntervalMs: 100 }));
  });
  afterAll(async () => {
    for (const fn of undo.splice(0)) fn();
    await g?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a WAL it cannot append to: LedgerUnavailableError, /readyz 503 naming the code, a log line; ready again once fixed', async () => {
    expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
    expect((await readyz(g)).status).toBe(200);
    undo.push(makeUnwritable(join(dir, `${SQLITE_FILE}-wal`)));
    const answer = await redeemNew(g);
    expect(answer).toMatchObject({ __typename: 'LedgerUnavailableError', retryAfterSeconds: 5 });
    await expectWriteOutage(g, lines, join(dir, SQLITE_FILE), /^SQLITE_IOERR/);
    undo.pop()?.();
    // The probe (every 100 ms here, 2 s by default) finds the file writable again.
    for (let i = 0; i < 50 && (await readyz(g)).status !== 200; i++) await sleep(100);
    expect((await readyz(g)).body.checks.ledgerWrite).toBe('ok');
    expect(lines.some((l) => l.msg === 'grant ledger can write again')).toBe(true);
    expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
  });

  it('a main file it cannot write: checkpoints fail, each is logged and counted, the WAL size is visible', async () => {
    const walBefore = await metricValue(g, 'gateway_ledger_wal_bytes');
    undo.push(makeUnwritable(join(dir, SQLITE_FILE)));
    // Commits still land in the WAL: redemptions work, the file does not take the pages back.
    for (let i = 0; i < 20; i++) expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
    for (let i = 0; i < 50 && (await metricValue(g, 'gateway_ledger_checkpoint_failures_total')) === 0; i++)
      await sleep(100);
    expect(await metricValue(g, 'gateway_ledger_checkpoint_failures_total')).toBeGreaterThan(0);
    expect(await metricValue(g, 'gateway_ledger_wal_bytes')).toBeGreaterThan(walBefore);
    expect(lines.find((l) => l.msg.startsWith('grant ledger checkpoint failed'))).toMatchObject({
      level: 'error',
      obj: { code: expect.stringMatching(/^SQLITE_IOERR/), walBytes: expect.any(Number) },
    });
    expect((await readyz(g)).status).toBe(200);
    undo.pop()?.();
    await redeemNew(g);
    for (let i = 0; i < 50 && !lines.some((l) => l.msg === 'grant ledger checkpoint succeeded again'); i++)
      await sleep(100);
    expect(lines.some((l) => l.msg === 'grant ledger checkpoint succeeded again')).toBe(true);
  });
});
