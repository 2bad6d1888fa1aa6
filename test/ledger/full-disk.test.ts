import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupLedger } from '../../src/cli/ledger-backup.js';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';

/**
 * Issue 24 (10, 11) on a real full disk: a small tmpfs, mounted here. Only root with CAP_SYS_ADMIN
 * can mount (this project's CI runs as root on a machine that allows it); elsewhere the cases are
 * skipped. SQLITE_FULL must be an outage like READONLY; and after a clean stop on a full disk the
 * main file holds 4 KiB while every commit is in the WAL, so the old advice (copy ledger.sqlite alone)
 * gave "database disk image is malformed", where `npm run ledger:backup` copies every grant.
 */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', [dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A 3 MiB file system: under SQLite's first auto-checkpoint (1000 pages), so every commit stays in the WAL. */
function smallDisk(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

interface Line {
  msg: string;
  obj: Record<string, unknown>;
}

async function gatewayOn(dataDir: string) {
  const ledger = await openLedgerStorage({ dataDir, writeProbeIntervalMs: 100 });
  const lines: Line[] = [];
  const log = (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg });
  // pino's error level too, which the gateway uses where the logger has one.
  const logger = { debug: log, warn: log, error: log };
  const g = await startGateway({ gatewayOptions: { ledger, logger } });
  await g.gateway.redemption();
  return { g, ledger, lines };
}

/** Redeems new purchases until the ledger answers an outage; the grant ids settled before. */
async function fill(g: GatewayHarness): Promise<{ settled: string[]; answers: string[] }> {
  const settled: string[] = [];
  const answers: string[] = [];
  for (let i = 0; i < 400; i++) {
    const p = await purchase(g);
    const body = (
      await g.gql(REDEEM, {
        input: {
          app: APP,
          userId: 'u',
          onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
        },
      })
    ).body;
    const answer = body.data?.redeemPurchase as RedeemAnswer | null | undefined;
    answers.push(answer?.__typename ?? `masked: ${JSON.stringify(body.errors)}`);
    if (answer?.grant?.status === 'SETTLED') settled.push(answer.grant.id);
    if (answer?.__typename === 'LedgerUnavailableError') break;
  }
  return { settled, answers };
}

describe.skipIf(!canMount)('an embedded ledger on a full disk (tmpfs)', () => {
  it('SQLITE_FULL: LedgerUnavailableError, /readyz 503 and a log line; ready again once there is room', async () => {
    const mount = smallDisk();
    const { g, ledger, lines } = await gatewayOn(join(mount, 'ledger'));
    try {
      const { answers } = await fill(g);
      expect(answers.at(-1)).toBe('LedgerUnavailableError');
      expect(answers.filter((a) => a !== 'RedeemPurchaseSuccess' && a !== 'LedgerUnavailableError')).toEqual(
        [],
      );
      const down = await fetch(`${g.url}/readyz`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { checks: { ledgerWrite: string } }).checks.ledgerWrite).toMatch(
        /^SQLITE_FULL since /,
      );
      expect(lines.find((l) => l.msg.startsWith('grant ledger cannot write'))?.obj).toMatchObject({
        code: 'SQLITE_FULL',
      });
      execFileSync('mount', ['-o', 'remount,size=32m', mount]);
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await sleep(100);
        status = (await fetch(`${g.url}/readyz`)).status;
      }
      expect(status).toBe(200);
      const p = await purchase(g);
      const again = await g.gql(REDEEM, {
        input: {
          app: APP,
          userId: 'u',
          onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
        },
      });
      expect((again.data.redeemPurchase as RedeemAnswer).__typename).toBe('RedeemPurchaseSuccess');
    } finally {
      await g.close();
      await ledger.db.close();
    }
  }, 60_000);

  it('after a clean stop on a full disk the file alone is malformed; the backup holds every settled grant', async () => {
    const mount = smallDisk();
    const dataDir = join(mount, 'ledger');
    const { g, ledger } = await gatewayOn(dataDir);
    const { settled } = await fill(g);
    await g.close();
    await ledger.db.close();
    expect(settled.length).toBeGreaterThan(10);
    const file = join(dataDir, SQLITE_FILE);
    // The closing checkpoint had no room: the commits are all in the WAL.
    expect(statSync(file).size).toBe(4096);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);

    const out = mkdtempSync(join(tmpdir(), 'ledger-full-out-'));
    try {
      copyFileSync(file, join(out, 'alone.sqlite'));
      const alone = new Database(join(out, 'alone.sqlite'), { readonly: true });
      expect(() => alone.prepare('SELECT count(*) FROM grants').get()).toThrow(/malformed/);
      alone.close();

      const result = await backupLedger(dataDir, join(out, 'backup.sqlite'));
      expect(result.integrity).toBe('ok');
      const copy = new Database(result.file, { readonly: true });
      const ids = new Set(
        (copy.prepare("SELECT id FROM grants WHERE status = 'SETTLED'").all() as { id: string }[]).map(
          (r) => r.id,
        ),
      );
      copy.close();
      expect(settled.filter((id) => !ids.has(id))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
