import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { fingerprintOf, newGrant, type RedeemRequest } from '../../src/redemption/target.js';
import { DEFAULT_PERIOD_MS } from '../../src/sandbox/onestore/model.js';
import { APP, act, type GatewayHarness, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { grantRows, type RedeemAnswer, redeem } from '../helpers/redeem.js';
import { dropNext } from '../helpers/redemption-faults.js';
import { SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 26, a grant per paid period: a ONE store subscription or monthly product is a purchase per
 * period in the ledger (key `${purchaseToken}:${lastPurchaseId}`). Within a period a redemption
 * answers the period's grant; after the store renews it (the sandbox clock passing the expiry) the
 * new period gets a grant of its own, exactly once.
 */

const user = () => `player-${randomUUID().slice(0, 8)}`;

type Kind = 'SUBSCRIPTION' | 'MONTHLY';
const PRODUCT: Record<Kind, { productId: string; type: 'subscription' | 'auto' }> = {
  SUBSCRIPTION: { productId: 'vip_pass', type: 'subscription' },
  MONTHLY: { productId: 'monthly_pass', type: 'auto' },
};

async function subscribe(g: GatewayHarness, kind: Kind) {
  const p = await purchase(g, PRODUCT[kind]);
  const userId = user();
  const input = {
    app: APP,
    userId,
    onestore: { productId: p.productId, purchaseToken: p.purchaseToken, kind },
  };
  return { p, userId, input };
}

/** The sandbox's current period of a subscription or monthly product. */
const lastPurchaseId = async (g: GatewayHarness, token: string) =>
  String((await record(g, token)).lastPurchaseId);

/** Moves the sandbox past the paid period: the store renews (a new lastPurchaseId). */
function renewByClock(g: GatewayHarness): void {
  g.h.sandbox.clock.advance(DEFAULT_PERIOD_MS + 60_000);
}

const oneGrantOf = (answers: RedeemAnswer[]) => {
  const ids = new Set(answers.map((a) => a.grant?.id));
  expect(ids.size).toBe(1);
  expect(answers.filter((a) => a.alreadyRedeemed === false)).toHaveLength(1);
  return answers.find((a) => a.alreadyRedeemed === false)?.grant;
};

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a grant per paid period on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: { config: SHORT_LEASE }, clearFaults: true }, (started) => {
      ({ g, ledger } = started);
    });

    for (const kind of ['SUBSCRIPTION', 'MONTHLY'] as const) {
      it(`${kind}: one grant per period; after a renewal by the clock a new one, exactly once under 20 concurrent calls`, async () => {
        const { p, userId, input } = await subscribe(g, kind);
        const first = await redeem(g, input);
        const again = await redeem(g, input);
        const firstPeriod = await lastPurchaseId(g, p.purchaseToken);
        expect(firstPeriod).toBe(p.purchaseId);
        expect(first).toMatchObject({
          __typename: 'RedeemPurchaseSuccess',
          alreadyRedeemed: false,
          grant: {
            userId,
            productId: p.productId,
            quantity: 1,
            status: 'SETTLED',
            outcome: kind === 'MONTHLY' ? 'ACKNOWLEDGED' : 'RECORDED',
            storeIds: { purchaseToken: p.purchaseToken, purchaseId: firstPeriod },
          },
        });
        expect(again).toMatchObject({ alreadyRedeemed: true, grant: { id: first.grant?.id } });

        renewByClock(g);
        await g.resetStats();
        // Half with keys of their own: calls that share no in-process flight race for the ledger's claim.
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            redeem(g, i % 2 === 0 ? input : { ...input, idempotencyKey: `renewal-${randomUUID()}` }),
          ),
        );
        for (const a of answers) expect(a.__typename).toBe('RedeemPurchaseSuccess');
        const renewed = oneGrantOf(answers);
        const secondPeriod = await lastPurchaseId(g, p.purchaseToken);
        expect(secondPeriod).not.toBe(firstPeriod);
        expect(renewed).toMatchObject({
          userId,
          status: 'SETTLED',
          // The monthly product was acknowledged in its first period: nothing to change for the next.
          outcome: kind === 'MONTHLY' ? 'ACKNOWLEDGED_BEFORE' : 'RECORDED',
          storeIds: { purchaseToken: p.purchaseToken, purchaseId: secondPeriod },
        });
        expect(renewed?.id).not.toBe(first.grant?.id);
        // Identical calls in one process share one read; no change is sent for the new period.
        expect(await g.count(kind === 'MONTHLY' ? 'onestore.acknowledgePurchase' : 'onestore.consumePurchase')).toBe(0);
        expect(await grantRows(ledger, `${p.purchaseToken}:${firstPeriod}`)).toBe(1);
        expect(await grantRows(ledger, `${p.purchaseToken}:${secondPeriod}`)).toBe(1);
        expect(await grantRows(ledger, p.purchaseToken)).toBe(0);

        // The first period's grant is not answered any more, nor made again.
        expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: true, grant: { id: renewed?.id } });
      });
    }

    it('an idempotency key names one request: reused after a renewal it answers its own (earlier) grant', async () => {
      const { input } = await subscribe(g, 'SUBSCRIPTION');
      const idempotencyKey = `order-${randomUUID()}`;
      const first = await redeem(g, { ...input, idempotencyKey });
      renewByClock(g);
      expect(await redeem(g, { ...input, idempotencyKey })).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: first.grant?.id },
      });
      const fresh = await redeem(g, { ...input, idempotencyKey: `order-${randomUUID()}` });
      expect(fresh).toMatchObject({ alreadyRedeemed: false });
      expect(fresh.grant?.id).not.toBe(first.grant?.id);
    });

    it('another player redeeming the same period is a GrantConflictError', async () => {
      const { input } = await subscribe(g, 'SUBSCRIPTION');
      const first = await redeem(g, input);
      expect(await redeem(g, { ...input, userId: user() })).toMatchObject({
        __typename: 'GrantConflictError',
        grantId: first.grant?.id,
      });
    });

    it("MONTHLY whose last period was refunded (lastPurchaseState 1) is not redeemable, and says why", async () => {
      const { p, input } = await subscribe(g, 'MONTHLY');
      await act(g, p.purchaseToken, 'void');
      const answer = await redeem(g, input);
      expect(answer).toMatchObject({ __typename: 'InvalidPurchaseStateError' });
      expect(answer).toHaveProperty(
        'message',
        "The monthly product's last period was cancelled or refunded (lastPurchaseState 1).",
      );
      expect(await grantRows(ledger, `${p.purchaseToken}:${p.purchaseId}`)).toBe(0);
    });

    it("MONTHLY: an acknowledge that gets no answer leaves the period's grant pending; the sweeper acknowledges and settles it", async () => {
      const { p, input } = await subscribe(g, 'MONTHLY');
      await dropNext(g, 'onestore.acknowledgePurchase');
      await g.resetStats();
      const first = await redeem(g, input);
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      await sleep(1_100);
      const swept = await (await g.gateway.redemption()).sweeper.sweep();
      expect(swept).toMatchObject({ settled: 1, dropped: 0, left: 0 });
      expect(await g.count('onestore.acknowledgePurchase')).toBe(2);
      const answer = await redeem(g, input);
      expect(answer).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: first.grantId, status: 'SETTLED', outcome: 'ACKNOWLEDGED', storeIds: { purchaseId: p.purchaseId } },
      });
    });

    it("SUBSCRIPTION: a process that died between the claim of a renewed period and its settle: recovered to that period's grant", async () => {
      const { p, userId, input } = await subscribe(g, 'SUBSCRIPTION');
      await redeem(g, input);
      renewByClock(g);
      const period = await lastPurchaseId(g, p.purchaseToken);
      // What the dead process left: the period's claim, pending, its lease run out.
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: { store: 'ONESTORE', productId: p.productId, purchaseToken: p.purchaseToken, kind: 'SUBSCRIPTION' },
      };
      const facts = { productId: p.productId, quantity: 1, storeIds: { purchaseId: period } };
      const orphan = await ledger.grants.claim(
        newGrant(request, facts, 'NONE', g.onestore.a, `${p.purchaseToken}:${period}`),
        'dead-process',
        1,
      );
      if (!orphan.claimed) throw new Error('expected the claim');
      expect(orphan.grant.fingerprint).toBe(fingerprintOf(request));
      await sleep(20);
      const swept = await (await g.gateway.redemption()).sweeper.sweep();
      expect(swept).toMatchObject({ settled: 1, dropped: 0, left: 0 });
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: orphan.grant.id, status: 'SETTLED', outcome: 'RECORDED', storeIds: { purchaseId: period } },
      });
      expect(await grantRows(ledger, `${p.purchaseToken}:${period}`)).toBe(1);
    });
  });
}
