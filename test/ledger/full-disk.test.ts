import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupLedger } from '../../src/cli/ledger-backup.js';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import {
  canMount,
  fillUntilOutage,
  gatewayOnDisk,
  gatewayOnFullDisk,
  readyz,
  redeemNew,
  smallDisks,
} from '../helpers/ledger-outage.js';

/**
 * Issue 24 (10, 11) on a real full disk: a small tmpfs, mounted here. Only root with CAP_SYS_ADMIN
 * can mount (this project's CI runs as root on a machine that allows it); elsewhere the cases are
 * skipped. SQLITE_FULL must be an outage like READONLY; and after a clean stop on a full disk the
 * main file holds 4 KiB while every commit is in the WAL, so the old advice (copy ledger.sqlite alone)
 * gave "database disk image is malformed", where `npm run ledger:backup` copies every grant.
 */
const smallDisk = smallDisks();

describe.skipIf(!canMount)('an embedded ledger on a full disk (tmpfs)', () => {
  it('SQLITE_FULL: LedgerUnavailableError, /readyz 503 and a log line; ready again once there is room', async () => {
    const { g, ledger, lines, mount, answers } = await gatewayOnFullDisk(smallDisk);
    try {
      expect(answers.at(-1)).toBe('LedgerUnavailableError');
      expect(answers.filter((a) => a !== 'RedeemPurchaseSuccess' && a !== 'LedgerUnavailableError')).toEqual(
        [],
      );
      const down = await readyz(g);
      expect(down.status).toBe(503);
      expect(down.body.checks.ledgerWrite).toMatch(/^SQLITE_FULL since /);
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
      expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
    } finally {
      await g.close();
      await ledger.db.close();
    }
  }, 60_000);

  it('after a clean stop on a full disk the file alone is malformed; the backup holds every settled grant', async () => {
    const mount = smallDisk();
    const dataDir = join(mount, 'ledger');
    const { g, ledger } = await gatewayOnDisk(dataDir);
    const { settled } = await fillUntilOutage(g);
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
