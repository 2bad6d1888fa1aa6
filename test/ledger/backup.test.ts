import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/ledger/index.js';
import {
  type GatewayProcess,
  gqlAt,
  killAllGateways,
  PROCESS_APP,
  spawnGateway,
  writeProcessConfig,
} from '../helpers/gateway-process.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';
import { type SandboxHarness, startHarness } from '../helpers/sandbox.js';

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
  let h: SandboxHarness;
  let dir = '';
  let config = '';
  let clientId = '';
  let clientSecret = '';
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    h = await startHarness({});
    clientId = `com.example.backup${randomUUID().slice(0, 8)}`;
    clientSecret = `secret-${randomUUID()}`;
    await h.control('POST', '/onestore/apps', { clientId, clientSecret });
    const nhn = await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {});
    dir = await mkdtemp(join(tmpdir(), 'ledger-backup-'));
    config = await writeProcessConfig({
      dir,
      sandboxUrl: h.url,
      clientId,
      clientSecret,
      nhnAppSeq: String(nhn.appSeq),
      apiKey: API_KEY,
      ledger: { dataDir: join(dir, 'ledger'), sweepIntervalSeconds: 0 },
    });
    gateway = await spawnGateway(config, { SECRET_A: clientSecret });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    killAllGateways();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function redeem(url: string, purchaseToken: string): Promise<RedeemAnswer> {
    const input = {
      app: PROCESS_APP,
      userId: 'player-backup',
      onestore: { productId: 'gem_100', purchaseToken },
    };
    const body = await gqlAt<{ redeemPurchase: RedeemAnswer }>(url, API_KEY, REDEEM, { input });
    if (!body.data) throw new Error(`no data: ${JSON.stringify(body.errors)}`);
    return body.data.redeemPurchase;
  }

  async function redeemNew(url: string): Promise<Redeemed> {
    const p = await h.control<{ purchaseToken: string }>('POST', '/onestore/purchases', {
      type: 'inapp',
      productId: 'gem_100',
      clientId,
    });
    const answer = await redeem(url, p.purchaseToken);
    if (answer.__typename !== 'RedeemPurchaseSuccess' || answer.grant?.status !== 'SETTLED')
      throw new Error(`not settled: ${JSON.stringify(answer)}`);
    return { purchaseToken: p.purchaseToken, grantId: answer.grant.id };
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
    gateway = await spawnGateway(config, { SECRET_A: clientSecret });
    await h.control('DELETE', '/stats');
    for (const s of settled) {
      const again = await redeem(gateway.url, s.purchaseToken);
      expect(again).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: true,
        grant: { id: s.grantId },
      });
    }
    expect(await h.count('onestore.consumePurchase')).toBe(0);
  }, 120_000);
});
