import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import { probeRecovery, RECOVERY_FREE_BYTES } from '../../src/ledger/sqlite-file.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { startGateway } from '../helpers/gateway.js';
import { redeemNew } from '../helpers/ledger-outage.js';

/**
 * The probe that declares an embedded ledger writable again after its writes failed
 * (`probeRecovery`): its commit must be at least as large as a redemption's largest, or a disk with
 * room for the probe and not for the redemption flaps /readyz (full-disk-flap.test.ts); and on a file
 * system with less than RECOVERY_FREE_BYTES free it writes nothing and answers false.
 */
const dirs: string[] = [];
const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) execFileSync('umount', [dir], { stdio: 'ignore' });
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const newDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
const walBytes = (dataDir: string) => {
  try {
    return statSync(join(dataDir, `${SQLITE_FILE}-wal`)).size;
  } catch {
    return 0;
  }
};
/** Pages of 4 KiB, each a WAL frame of 24 + 4096 bytes. */
const frames = (bytes: number) => Math.floor(bytes / 4120);

describe('the recovery probe', () => {
  it('commits more pages than the largest commit of a redemption', async () => {
    const dataDir = newDir('ledger-probe-');
    // No periodic checkpoint meanwhile: the WAL only grows, so each commit's growth is its size.
    const ledger = await openLedgerStorage({ dataDir, checkpointIntervalMs: 600_000 });
    const g = await startGateway({
      gatewayOptions: { ledger },
      config: { ledger: { sweepIntervalSeconds: 0 } },
    });
    let largest = 0;
    try {
      await g.gateway.redemption();
      const transaction = ledger.db.transaction.bind(ledger.db);
      ledger.db.transaction = async (fn) => {
        const before = walBytes(dataDir);
        const result = await transaction(fn);
        largest = Math.max(largest, walBytes(dataDir) - before);
        return result;
      };
      for (let i = 0; i < 5; i++) expect((await redeemNew(g)).__typename).toBe('RedeemPurchaseSuccess');
    } finally {
      await g.close();
      await ledger.db.close();
    }
    expect(frames(largest)).toBeGreaterThan(5);
    const db = new Database(join(dataDir, SQLITE_FILE));
    try {
      db.pragma('journal_mode = WAL');
      const before = walBytes(dataDir);
      expect(probeRecovery(db, dataDir)).toBe(true);
      expect(frames(walBytes(dataDir) - before)).toBeGreaterThan(frames(largest));
      // The ledger's schema is as it was.
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'ledger_write_probe'").all()).toEqual(
        [],
      );
    } finally {
      db.close();
    }
  }, 60_000);

  const canMount = process.getuid?.() === 0;
  it.skipIf(!canMount)(
    `a file system with less than ${RECOVERY_FREE_BYTES} bytes free: false, nothing written`,
    () => {
      const dir = newDir('ledger-probe-small-');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
      } catch {
        return; // no CAP_SYS_ADMIN here (a container): nothing to mount on
      }
      mounts.push(dir);
      const db = new Database(join(dir, SQLITE_FILE));
      try {
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE t (a)');
        const before = walBytes(dir);
        expect(probeRecovery(db, dir)).toBe(false);
        expect(walBytes(dir)).toBe(before);
      } finally {
        db.close();
      }
    },
  );
});
