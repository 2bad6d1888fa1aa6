import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, backupLedger } from '../../src/cli/ledger-backup.js';
import { openLedgerStorage } from '../../src/redemption/service.js';

/**
 * `npm run ledger:backup -- <file>` never replaces a file. It checked that the name was free when it
 * started and then renamed its copy onto the name, which replaces silently: a file created meanwhile,
 * or the copy of a second backup to the same name at the same time, was overwritten. Both backups
 * here run in one process: each makes its copy synchronously (better-sqlite3's VACUUM INTO) before
 * its first await, so both copies exist before either gives its copy the name.
 */
let dir = '';
let dataDir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-backup-target-'));
  dataDir = join(dir, 'ledger');
  // A ledger with its schema (the backup counts its grants).
  const ledger = await openLedgerStorage({ dataDir });
  await ledger.db.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const partials = () => readdirSync(dir).filter((name) => name.includes('.partial-'));

describe('ledger:backup and the name it writes', () => {
  it('two backups to one name at once: one writes it, the other fails, nothing is replaced', async () => {
    const target = join(dir, 'twice.sqlite');
    const outcomes = await Promise.allSettled([backupLedger(dataDir, target), backupLedger(dataDir, target)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = outcomes.find((o) => o.status === 'rejected');
    expect(failed?.reason).toBeInstanceOf(BackupError);
    expect(String(failed?.reason)).toMatch(
      /was created while the backup ran; a backup never overwrites a file/,
    );
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      copy.close();
    }
    expect(partials()).toEqual([]);
  });

  it('a file created at the name while the backup runs is kept as it was', async () => {
    const target = join(dir, 'taken.sqlite');
    const backup = backupLedger(dataDir, target);
    // The backup has checked the name and made its copy; it now waits for its fsync.
    writeFileSync(target, 'another file, written meanwhile');
    await expect(backup).rejects.toThrow(BackupError);
    expect(readFileSync(target, 'utf8')).toBe('another file, written meanwhile');
    expect(partials()).toEqual([]);
  });

  it('a name that exists before: refused at once', async () => {
    const target = join(dir, 'exists.sqlite');
    writeFileSync(target, 'kept');
    await expect(backupLedger(dataDir, target)).rejects.toThrow(/exists; a backup never overwrites a file/);
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });
});
