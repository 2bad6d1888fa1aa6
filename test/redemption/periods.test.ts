import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { fingerprintOf, newGrant, type RedeemRequest } from '../../src/redemption/target.js';
import { DEFAULT_PERIOD_MS } from '../../src/sandbox/onestore/model.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { onestore } from '../../src/stores/index.js';
import { APP, act, type GatewayHarness, purchase, record } from '../helpers/gateway.js';
import { type LedgerBackend, ledgerBackends, sleep } from '../helpers/ledger.js';
import { grantRows, ledgerFor, type RedeemAnswer, redeem, redeemThrough } from '../helpers/redeem.js';
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

/** Concurrent answers: one grant, one caller told to deliver; the others wait (a claim in progress) or get it. */
const oneGrantOf = (answers: RedeemAnswer[]) => {
  for (const a of answers)
    expect(['RedeemPurchaseSuccess', 'RedemptionInProgressError']).toContain(a.__typename);
  const ids = new Set(answers.map((a) => a.grant?.id ?? a.grantId));
  expect(ids.size).toBe(1);
  expect(answers.filter((a) => a.alreadyRedeemed === false)).toHaveLength(1);
  return answers.find((a) => a.alreadyRedeemed === false)?.grant;
};

/** The store refunds one period (`void {purchaseId}`: its own voided entry), aged past the sync's clock margin. */
async function voidPeriod(g: GatewayHarness, p: { purchaseToken: string }, purchaseId: string) {
  await act(g, p.purchaseToken, 'void', { purchaseId });
  g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
}

/**
 * The sandbox clock back to the wall clock: the renewals above moved it months on, and the syncs
 * below read windows from today's. Renewals below are the `renew` action, not the clock.
 */
function backToToday(g: GatewayHarness): void {
  g.h.sandbox.clock.reset();
}

/** Today, a subscription redeemed, renewed by the `renew` action and redeemed again: two periods' grants. */
async function twoPeriods(g: GatewayHarness, kind: Kind) {
  backToToday(g);
  const { p, input } = await subscribe(g, kind);
  const first = await redeem(g, input);
  await act(g, p.purchaseToken, 'renew');
  const current = await redeem(g, input);
  return { p, first, current };
}

async function sync(g: GatewayHarness) {
  const SYNC = `mutation { syncRevocations(app: "${APP}") { __typename ... on RevocationSyncReport { ran grantsRevoked pages voidedSeen completedUntil failed { code } } } }`;
  return (await g.gql(SYNC)).data.syncRevocations;
}

/** The revoked grants of a token's periods, read straight from the ledger. */
async function revokedIds(ledger: LedgerStorage, token: string): Promise<string[]> {
  const rows = await ledger.db.query<{ id: string }>(
    'SELECT id FROM grants WHERE purchase_key LIKE $1 AND revoked_at IS NOT NULL',
    [`${token}%`],
  );
  return rows.map((r) => r.id);
}

/** The revocation events of one grant, in order. */
async function periodEvents(g: GatewayHarness, grantId: string | undefined) {
  const EVENTS = `query { gatewayEvents(app: "${APP}", types: [GRANT_REVOKED, SUBSCRIPTION_PERIOD_REFUNDED], first: 100) {
    ... on GatewayEventConnection { edges { node { type purchaseId store market productId subscriptionKind grant { id } } } } } }`;
  const connection = (await g.gql(EVENTS)).data.gatewayEvents as {
    edges: { node: Record<string, unknown> & { type: string; grant: { id: string } | null } }[];
  };
  return connection.edges
    .map((e) => e.node)
    .filter((n) => n.grant?.id === grantId)
    .map((n) =>
      n.type === 'GRANT_REVOKED' ? { type: n.type, purchaseId: n.purchaseId, grant: n.grant } : n,
    );
}

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
        expect(
          await g.count(kind === 'MONTHLY' ? 'onestore.acknowledgePurchase' : 'onestore.consumePurchase'),
        ).toBe(0);
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

    it('another player holding the token is a GrantConflictError, in the same period and in the next', async () => {
      const { p, input } = await subscribe(g, 'SUBSCRIPTION');
      const first = await redeem(g, input);
      const other = { ...input, userId: user() };
      expect(await redeem(g, other)).toMatchObject({
        __typename: 'GrantConflictError',
        grantId: first.grant?.id,
      });
      await act(g, p.purchaseToken, 'renew');
      const next = await redeem(g, other);
      expect(next).toMatchObject({ __typename: 'GrantConflictError', grantId: first.grant?.id });
      expect(next).toHaveProperty(
        'message',
        'An earlier period of this subscription was redeemed with different parameters (user, product or token): each period is granted to the same player.',
      );
      // The player it was granted to gets the new period; the other player still does not.
      const renewed = await redeem(g, input);
      expect(renewed).toMatchObject({ alreadyRedeemed: false });
      expect(await redeem(g, other)).toMatchObject({
        __typename: 'GrantConflictError',
        grantId: renewed.grant?.id,
      });
    });

    it('MONTHLY whose last period was refunded (lastPurchaseState 1) is not redeemable, and says why', async () => {
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
        grant: {
          id: first.grantId,
          status: 'SETTLED',
          outcome: 'ACKNOWLEDGED',
          storeIds: { purchaseId: p.purchaseId },
        },
      });
    });

    it("a voided entry naming one period revokes that period's grant only: GRANT_REVOKED, then SUBSCRIPTION_PERIOD_REFUNDED", async () => {
      const { p, first, current } = await twoPeriods(g, 'SUBSCRIPTION');
      const period = await lastPurchaseId(g, p.purchaseToken);
      expect(current).toMatchObject({ alreadyRedeemed: false, grant: { storeIds: { purchaseId: period } } });
      // The store refunds the current period: its voided entry names the token and that period's purchaseId.
      await voidPeriod(g, p, period);
      expect(await sync(g)).toMatchObject({ ran: true, grantsRevoked: 1 });
      expect(await revokedIds(ledger, p.purchaseToken)).toEqual([current.grant?.id]);
      expect(await periodEvents(g, current.grant?.id)).toEqual([
        { type: 'GRANT_REVOKED', purchaseId: null, grant: { id: current.grant?.id } },
        {
          type: 'SUBSCRIPTION_PERIOD_REFUNDED',
          purchaseId: period,
          store: 'ONESTORE',
          market: 'MKT_ONE',
          productId: p.productId,
          subscriptionKind: 'SUBSCRIPTION',
          grant: { id: current.grant?.id },
        },
      ]);
      // A past period's refund (the first payment) revokes the first grant, and nothing else.
      await voidPeriod(g, p, p.purchaseId);
      expect(await sync(g)).toMatchObject({ ran: true, grantsRevoked: 1 });
      expect((await revokedIds(ledger, p.purchaseToken)).sort()).toEqual(
        [first.grant?.id, current.grant?.id].sort(),
      );
      // Seen again (the windows overlap), revoked once.
      expect(await sync(g)).toMatchObject({ grantsRevoked: 0 });
      expect(await periodEvents(g, first.grant?.id)).toHaveLength(2);
    });

    it('MONTHLY renewed, then voided: the entry names a purchaseId, and only the grant of that period is revoked', async () => {
      const { p, first, current } = await twoPeriods(g, 'MONTHLY');
      expect(current.grant?.id).not.toBe(first.grant?.id);
      await act(g, p.purchaseToken, 'void');
      const entry = g.h.sandbox.core.onestore.voided.find((v) => v.purchaseToken === p.purchaseToken);
      g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
      expect(await sync(g)).toMatchObject({ ran: true, grantsRevoked: 1 });
      const named = [first, current].find((a) => a.grant?.storeIds.purchaseId === entry?.purchaseId);
      expect(named).toBeDefined();
      expect(await revokedIds(ledger, p.purchaseToken)).toEqual([named?.grant?.id]);
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
        target: {
          store: 'ONESTORE',
          productId: p.productId,
          purchaseToken: p.purchaseToken,
          kind: 'SUBSCRIPTION',
        },
      };
      const facts = {
        productId: p.productId,
        quantity: 1,
        storeIds: { purchaseId: period },
        environment: 'SANDBOX' as const,
      };
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
        grant: {
          id: orphan.grant.id,
          status: 'SETTLED',
          outcome: 'RECORDED',
          storeIds: { purchaseId: period },
        },
      });
      expect(await grantRows(ledger, `${p.purchaseToken}:${period}`)).toBe(1);
    });
  });
}

const [, shared] = ledgerBackends();
describe.skipIf(!shared || shared.skip)(
  'a grant per paid period on two replicas sharing a PostgreSQL ledger',
  () => {
    let g: GatewayHarness;
    let second: { gateway: Gateway; ledger: LedgerStorage } | undefined;
    useLedgerGateway(shared as LedgerBackend, {}, async (started) => {
      g = started.g;
      const ledger = await ledgerFor(shared as LedgerBackend);
      second = { ledger, gateway: createGateway(g.config, { ledger, now: () => g.now() }) };
    });
    afterAll(async () => {
      await second?.gateway.dispose();
      await second?.ledger.db.close();
    });

    for (const kind of ['SUBSCRIPTION', 'MONTHLY'] as const)
      it(`${kind}: after a renewal, 20 calls spread over both replicas make one grant of the new period`, async () => {
        const { p, input } = await subscribe(g, kind);
        const first = await redeem(g, input);
        expect(first).toMatchObject({ alreadyRedeemed: false });
        renewByClock(g);
        const replicas = [g.gateway, second?.gateway].filter((x): x is Gateway => x !== undefined);
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => redeemThrough(replicas[i % 2] as Gateway, g.keys.rw, input)),
        );
        const renewed = oneGrantOf(answers);
        const period = await lastPurchaseId(g, p.purchaseToken);
        const again = await redeemThrough(replicas[1] as Gateway, g.keys.rw, input);
        expect(again).toMatchObject({ alreadyRedeemed: true, grant: { storeIds: { purchaseId: period } } });
        expect(renewed?.id).toBe(again.grant?.id);
        const rows = await (second as { ledger: LedgerStorage }).ledger.db.query<{ purchase_key: string }>(
          'SELECT purchase_key FROM grants WHERE purchase_key LIKE $1 ORDER BY created_at',
          [`${p.purchaseToken}%`],
        );
        expect(rows.map((r) => r.purchase_key)).toEqual([
          `${p.purchaseToken}:${p.purchaseId}`,
          `${p.purchaseToken}:${period}`,
        ]);
      });
  },
);
