import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import type { GatewayProcess } from '../helpers/gateway-process.js';
import { type ProcessRig, startProcessRig } from '../helpers/ledger-processes.js';
import type { RedeemAnswer } from '../helpers/redeem.js';

/**
 * Issue 24 (11): docs/ledger.md said copying `ledger.sqlite` alone is a backup; but commits live in
 * `ledger.sqlite-wal` until a checkpoint (after a stop on a full disk: all of them). The backup is
 * `npm run ledger:backup -- <file>`, taken here while a gateway process serves redemptions, then
 * restored: the copy passes integrity_check, holds every grant settled before the backup started,
 * and a gateway on it answers those purchases as already redeemed, with no second consume.
 */
const API_KEY = `backup-${randomUUID()}`;
const run = promisify(execFile);

interface Redeemed {
  purchaseToken: string;
  grantId: string;
}

describe('npm run ledger:backup while a gateway serves', () => {
  let rig: ProcessRig;
  let dir = '';
  let config = '';
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    rig = await startProcessRig('backup', 'ledger-backup-', API_KEY);
    dir = rig.dir;
    config = await rig.config({ dataDir: join(dir, 'ledger'), sweepIntervalSeconds: 0 });
    gateway = await rig.spawn(config);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await rig?.close();
  });

  async function redeem(url: string, purchaseToken: string): Promise<RedeemAnswer> {
    const body = await rig.redeem(url, purchaseToken, 'player-backup');
    if (!body.data) throw new Error(`no data: ${JSON.stringify(body.errors)}`);
    return body.data.redeemPurchase as RedeemAnswer;
  }

  async function redeemNew(url: string): Promise<Redeemed> {
    const purchaseToken = await rig.purchase();
    const answer = await redeem(url, purchaseToken);
    if (answer.__typename !== 'RedeemPurchaseSuccess' || answer.grant?.status !== 'SETTLED')
      throw new Error(`not settled: ${JSON.stringify(answer)}`);
    return { purchaseToken, grantId: answer.grant.id };
  }

  it('the copy passes integrity_check, holds every settled grant, and restores', async () => {
    const url = gateway?.url ?? '';
    const settled: Redeemed[] = [];
    for (let i = 0; i < 30; i++) settled.push(await redeemNew(url));
    // Redemptions go on while the backup runs.
    let loading = true;
    const during: Redeemed[] = [];
    const load = (async () => {
      while (loading) during.push(await redeemNew(url));
    })();
    const target = join(dir, 'backup.sqlite');
    let stdout = '';
    try {
      ({ stdout } = await run('npm', ['run', '-s', 'ledger:backup', '--', target, '--config', config]));
    } finally {
      loading = false;
      await load;
    }
    const result = JSON.parse(stdout.trim()) as {
      file: string;
      integrity: string;
      grants: { SETTLED?: number };
    };
    expect(result).toMatchObject({ file: target, integrity: 'ok' });
    expect(result.grants.SETTLED).toBeGreaterThanOrEqual(settled.length);
    expect(during.length).toBeGreaterThan(0);

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = copy.prepare("SELECT id FROM grants WHERE status = 'SETTLED'").all() as { id: string }[];
    copy.close();
    const inCopy = new Set(rows.map((r) => r.id));
    expect(settled.filter((s) => !inCopy.has(s.grantId))).toEqual([]);

    // Restore: the gateway stopped, the copy put in place as ledger.sqlite, with no -wal or -shm.
    await gateway?.stop('SIGTERM');
    const ledgerDir = join(dir, 'ledger');
    for (const suffix of ['', '-wal', '-shm'])
      await rm(join(ledgerDir, `${SQLITE_FILE}${suffix}`), { force: true });
    await rename(target, join(ledgerDir, SQLITE_FILE));
    gateway = await rig.spawn(config);
    await rig.h.control('DELETE', '/stats');
    for (const s of settled) {
      const again = await redeem(gateway.url, s.purchaseToken);
      expect(again).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: true,
        grant: { id: s.grantId },
      });
    }
    expect(await rig.h.count('onestore.consumePurchase')).toBe(0);
  }, 120_000);
});
