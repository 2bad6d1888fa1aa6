import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { newGrant, type RedeemRequest } from '../../src/redemption/target.js';
import { APP, act, type GatewayHarness, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * A claim with nothing to change upstream (action NONE) left pending by a process that died before
 * settling it is settled by whoever recovers it (the sweeper, a retry, start-up) with the outcome the
 * live call would have given: ACKNOWLEDGED_BEFORE when the purchase was acknowledged before (a monthly
 * product's renewed period; a NON_CONSUMABLE the client's SDK acknowledged), RECORDED only where the
 * store has no server change (ONE store subscriptions). Found by test/subscriptions/year-replicas.test.ts:
 * a monthly period recovered after a SIGKILL read RECORDED.
 */

/** What a process that died between its claim and its settle leaves: the claim, pending, its lease run out. */
async function orphanClaim(
  ledger: LedgerStorage,
  g: GatewayHarness,
  request: RedeemRequest,
  purchaseId: string,
  purchaseKey: string,
) {
  const productId = request.target.store === 'ONESTORE' ? request.target.productId : '';
  const facts = { productId, quantity: 1, storeIds: { purchaseId }, environment: 'SANDBOX' as const };
  const orphan = await ledger.grants.claim(
    newGrant(request, facts, 'NONE', g.onestore.a, purchaseKey),
    'dead-process',
    1,
  );
  if (!orphan.claimed) throw new Error('expected the claim');
  await sleep(20);
  return orphan.grant;
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a recovered claim with nothing to change, on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: { config: SHORT_LEASE } }, (started) => {
      ({ g, ledger } = started);
    });

    it("MONTHLY: a renewed period's claim is settled ACKNOWLEDGED_BEFORE, as the live call settles it", async () => {
      const p = await purchase(g, { productId: 'monthly_pass', type: 'auto' });
      const userId = `player-${randomUUID().slice(0, 8)}`;
      const input = {
        app: APP,
        userId,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken, kind: 'MONTHLY' },
      };
      expect(await redeem(g, input)).toMatchObject({ grant: { outcome: 'ACKNOWLEDGED' } });
      await act(g, p.purchaseToken, 'renew');
      const period = String((await record(g, p.purchaseToken)).lastPurchaseId);
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'ONESTORE',
          productId: p.productId,
          purchaseToken: p.purchaseToken,
          kind: 'MONTHLY',
        },
      };
      const orphan = await orphanClaim(ledger, g, request, period, `${p.purchaseToken}:${period}`);
      const swept = await (await g.gateway.redemption()).sweeper.sweep();
      expect(swept).toMatchObject({ settled: 1, dropped: 0, left: 0 });
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: {
          id: orphan.id,
          status: 'SETTLED',
          outcome: 'ACKNOWLEDGED_BEFORE',
          storeIds: { purchaseId: period },
        },
      });
    });

    it('NON_CONSUMABLE acknowledged by the client: taken over by a retry, ACKNOWLEDGED_BEFORE', async () => {
      const p = await purchase(g, { productId: 'no_ads', acknowledged: true });
      const userId = `player-${randomUUID().slice(0, 8)}`;
      const onestore = { productId: p.productId, purchaseToken: p.purchaseToken, kind: 'NON_CONSUMABLE' };
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'ONESTORE',
          productId: p.productId,
          purchaseToken: p.purchaseToken,
          kind: 'NON_CONSUMABLE',
        },
      };
      const orphan = await orphanClaim(ledger, g, request, p.purchaseId, p.purchaseToken);
      expect(await redeem(g, { app: APP, userId, onestore })).toMatchObject({
        grant: { id: orphan.id, status: 'SETTLED', outcome: 'ACKNOWLEDGED_BEFORE' },
      });
    });

    it('SUBSCRIPTION: the store has no server change, RECORDED', async () => {
      const p = await purchase(g, { productId: 'vip_pass', type: 'subscription' });
      const userId = `player-${randomUUID().slice(0, 8)}`;
      const onestore = { productId: p.productId, purchaseToken: p.purchaseToken, kind: 'SUBSCRIPTION' };
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'ONESTORE',
          productId: p.productId,
          purchaseToken: p.purchaseToken,
          kind: 'SUBSCRIPTION',
        },
      };
      const orphan = await orphanClaim(
        ledger,
        g,
        request,
        p.purchaseId,
        `${p.purchaseToken}:${p.purchaseId}`,
      );
      expect(await redeem(g, { app: APP, userId, onestore })).toMatchObject({
        grant: { id: orphan.id, status: 'SETTLED', outcome: 'RECORDED' },
      });
    });
  });
}
