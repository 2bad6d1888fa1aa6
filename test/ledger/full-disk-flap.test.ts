import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';

/**
 * Readiness on a nearly full disk. The probe that turns a ledger writable again used to be the
 * start-up probe's one-page commit: on a disk with room for it but not for a redemption's commit
 * (about fifteen pages), it succeeded, /readyz turned 200, the next redemption failed again, and so on.
 * Now a ledger whose writes failed is writable again once its file system has RECOVERY_FREE_BYTES
 * free and a commit larger than a redemption's lands (src/ledger/sqlite-file.ts, probeRecovery).
 * Ready again once there is room: full-disk.test.ts.
 *
 * A small tmpfs, mounted here: only root with CAP_SYS_ADMIN can mount (this project's CI runs as
 * root on a machine that allows it); elsewhere the case is skipped.
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

describe.skipIf(!canMount)('a nearly full disk (tmpfs)', () => {
  it('a ledger that cannot commit a redemption stays not ready (no flapping on the probe write)', async () => {
    const mount = smallDisk();
    const { g, ledger } = await gatewayOn(join(mount, 'ledger'));
    try {
      const { answers } = await fill(g);
      expect(answers.at(-1)).toBe('LedgerUnavailableError');
      // Readiness as a load balancer sees it, then the redemption it would send.
      const seen: number[] = [];
      const redeemed: string[] = [];
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 5; i++) {
          await sleep(100);
          seen.push((await fetch(`${g.url}/readyz`)).status);
        }
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
        redeemed.push((body.data?.redeemPurchase as RedeemAnswer | null | undefined)?.__typename ?? 'masked');
      }
      // Every readiness answered while redemptions still fail is a lie to the load balancer.
      if (redeemed.every((r) => r === 'LedgerUnavailableError'))
        expect(
          seen.filter((s) => s === 200),
          `readyz ${seen.join(',')}; redemptions ${redeemed.join(',')}`,
        ).toEqual([]);
      else expect(redeemed).toContain('RedeemPurchaseSuccess');
    } finally {
      await g.close();
      await ledger.db.close();
    }
  }, 60_000);
});
