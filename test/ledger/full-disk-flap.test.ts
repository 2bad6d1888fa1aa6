import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { canMount, gatewayOnFullDisk, redeemNewPurchase, smallDisks } from '../helpers/ledger-outage.js';
import type { RedeemAnswer } from '../helpers/redeem.js';

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
const smallDisk = smallDisks();

describe.skipIf(!canMount)('a nearly full disk (tmpfs)', () => {
  it('a ledger that cannot commit a redemption stays not ready (no flapping on the probe write)', async () => {
    const { g, ledger, answers } = await gatewayOnFullDisk(smallDisk);
    try {
      expect(answers.at(-1)).toBe('LedgerUnavailableError');
      // Readiness as a load balancer sees it, then the redemption it would send.
      const seen: number[] = [];
      const redeemed: string[] = [];
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 5; i++) {
          await sleep(100);
          seen.push((await fetch(`${g.url}/readyz`)).status);
        }
        const { body } = await redeemNewPurchase(g);
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
