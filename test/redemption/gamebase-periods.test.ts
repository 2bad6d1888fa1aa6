import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { fingerprintOf, newGrant, type RedeemRequest } from '../../src/redemption/target.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { type LedgerBackend, ledgerBackends, sleep } from '../helpers/ledger.js';
import { grantRows, ledgerFor, type RedeemAnswer, redeem, redeemThrough } from '../helpers/redeem.js';
import { SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 26, a grant per paid period, Gamebase part: an AUTO_RENEWABLE payment is granted once per
 * paid period, keyed `${storeCode}:${paymentId}` by the period Get Subscriptions Status names (the
 * SDK guide: paymentId changes at every renewal). Any of the subscription's payment pairs redeems the
 * current period; a renewal by the sandbox clock makes the next period's grant, exactly once.
 */

const DAY = 86_400_000;
const PERIOD = 30 * DAY;
const PRODUCT = 'vip_monthly';

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
}
interface View {
  id: string;
  originalPaymentId: string;
  expiryTime: number;
  periods: Period[];
}

/** The UTC second Gamebase's times carry (the API answers whole seconds, +09:00). */
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

/** A subscription bought at the sandbox's now (a whole second), its first period paid. */
async function subscribe(g: GatewayHarness) {
  const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
  const s = await g.control<View>('POST', '/gamebase/subscriptions', {
    appId: g.gamebase.appId,
    userId,
    gamebaseProductId: PRODUCT,
    price: '9900',
    currency: 'KRW',
    purchaseTime: Math.floor(g.now() / 1000) * 1000,
  });
  const view = () => g.control<View>('GET', `/gamebase/subscriptions/${s.id}`);
  const act = (action: string, body: Record<string, unknown> = {}) =>
    g.control<View>('POST', `/gamebase/subscriptions/${s.id}/${action}`, body);
  /** The redeemPurchase input of one period's payment pair. */
  const inputOf = (p: Period, extra: Record<string, unknown> = {}) => ({
    app: APP,
    userId,
    gamebase: { paymentSeq: p.paymentSeq, purchaseToken: p.accessToken, productId: PRODUCT },
    ...extra,
  });
  const first = s.periods[0] as Period;
  return { s, userId, first, input: inputOf(first), inputOf, view, act };
}

/** Past the paid period: the store renews (a new payment, a new paymentId). */
const renewByClock = (g: GatewayHarness) => g.h.sandbox.clock.advance(PERIOD + 60_000);

const periodKey = (p: Period) => `GG:${p.paymentId}`;

/** Concurrent answers: one grant, one caller told to deliver; the others wait (a claim in progress) or get it. */
const oneGrantOf = (answers: RedeemAnswer[]) => {
  for (const a of answers)
    expect(['RedeemPurchaseSuccess', 'RedemptionInProgressError']).toContain(a.__typename);
  expect(new Set(answers.map((a) => a.grant?.id ?? a.grantId)).size).toBe(1);
  expect(answers.filter((a) => a.alreadyRedeemed === false)).toHaveLength(1);
  return answers.find((a) => a.alreadyRedeemed === false)?.grant;
};

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`Gamebase AUTO_RENEWABLE: a grant per paid period on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: { config: SHORT_LEASE }, clearFaults: true }, (started) => {
      ({ g, ledger } = started);
    });

    it('one grant per period with its paymentId and expiry; after a renewal by the clock a new one, exactly once under 20 concurrent calls on both pairs', async () => {
      const { s, userId, first, input, inputOf, view } = await subscribe(g);
      await g.resetStats();
      const granted = await redeem(g, input);
      const again = await redeem(g, input);
      expect(granted).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: false,
        grant: {
          store: 'GAMEBASE',
          userId,
          productId: PRODUCT,
          quantity: 1,
          status: 'SETTLED',
          outcome: 'RECORDED',
          price: { amount: '9900', currency: 'KRW' },
          storeIds: {
            paymentSeq: first.paymentSeq,
            paymentId: s.originalPaymentId,
            originalPaymentId: s.originalPaymentId,
            storeCode: 'GG',
            expiryTime: iso(s.expiryTime),
          },
        },
      });
      expect(again).toMatchObject({ alreadyRedeemed: true, grant: { id: granted.grant?.id } });
      // Two reads per call (the payment, then its subscription's period); Consume refuses AUTO_RENEWABLE.
      expect(await g.count('gamebase.paymentTransaction')).toBe(2);
      expect(await g.count('gamebase.subscriptionsStatus')).toBe(2);
      expect(await g.count('gamebase.consume')).toBe(0);

      renewByClock(g);
      // The renewal: the sandbox pays period 2 at the first period's expiry.
      const renewedView = await view();
      const second = renewedView.periods[1] as Period;
      expect(second.paymentId).toBe(`${s.originalPaymentId}..0`);
      expect(renewedView.expiryTime).toBe(s.expiryTime + PERIOD);
      // A quarter each: the first pair, the renewal's own pair, each with and without a key of its own.
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const pair = i % 2 === 0 ? first : second;
          const key = i % 4 < 2 ? {} : { idempotencyKey: `renewal-${randomUUID()}` };
          return redeem(g, inputOf(pair, key));
        }),
      );
      const renewed = oneGrantOf(answers);
      expect(renewed).toMatchObject({
        userId,
        status: 'SETTLED',
        outcome: 'RECORDED',
        storeIds: {
          paymentId: second.paymentId,
          originalPaymentId: s.originalPaymentId,
          expiryTime: iso(s.expiryTime + PERIOD),
        },
      });
      expect(renewed?.id).not.toBe(granted.grant?.id);
      expect(await grantRows(ledger, periodKey(first))).toBe(1);
      expect(await grantRows(ledger, periodKey(second))).toBe(1);
      expect(await grantRows(ledger, first.paymentSeq)).toBe(0);

      // Within the period, either pair answers the period's grant; the first period's is not answered any more.
      for (const pair of [first, second])
        expect(await redeem(g, inputOf(pair))).toMatchObject({
          alreadyRedeemed: true,
          grant: { id: renewed?.id },
        });
      expect(await g.count('gamebase.consume')).toBe(0);
    });

    it('a renewal redeemed with its own pair first, then with the first pair: one grant of the period', async () => {
      const { input, inputOf, view } = await subscribe(g);
      const granted = await redeem(g, input);
      renewByClock(g);
      const second = (await view()).periods[1] as Period;
      const byOwnPair = await redeem(g, inputOf(second));
      expect(byOwnPair).toMatchObject({
        alreadyRedeemed: false,
        grant: { storeIds: { paymentId: second.paymentId } },
      });
      expect(byOwnPair.grant?.id).not.toBe(granted.grant?.id);
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: byOwnPair.grant?.id },
      });
    });

    it('another user is refused (the payment names its buyer), in the first period and in the next', async () => {
      const { first, input, inputOf, view } = await subscribe(g);
      const granted = await redeem(g, input);
      expect(granted).toMatchObject({ alreadyRedeemed: false });
      const stranger = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
      const refused = { __typename: 'PurchaseMismatchError', field: 'input.userId' };
      expect(await redeem(g, inputOf(first, { userId: stranger }))).toMatchObject(refused);
      renewByClock(g);
      const second = (await view()).periods[1] as Period;
      expect(await redeem(g, inputOf(first, { userId: stranger }))).toMatchObject(refused);
      expect(await redeem(g, inputOf(second, { userId: stranger }))).toMatchObject(refused);
      expect(await grantRows(ledger, periodKey(second))).toBe(0);
      // The buyer gets the new period.
      expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: false });
      expect(await grantRows(ledger, periodKey(second))).toBe(1);
    });

    it('in grace no new grant (no period was paid); recovered, the new period; on hold, refused', async () => {
      const { input, act } = await subscribe(g);
      const granted = await redeem(g, input);
      g.h.sandbox.clock.advance(PERIOD - DAY);
      await act('grace'); // the renewal fails: grace for 3 days
      g.h.sandbox.clock.advance(DAY + 60_000);
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: granted.grant?.id },
      });
      await act('renew'); // recovered: a new period paid now
      const recovered = await redeem(g, input);
      expect(recovered).toMatchObject({ alreadyRedeemed: false });
      expect(recovered.grant?.id).not.toBe(granted.grant?.id);
      await act('hold');
      expect(await redeem(g, input)).toMatchObject({
        __typename: 'InvalidPurchaseStateError',
        message:
          'The subscription gives no access now (expired, on hold or paused): no paid period to grant.',
      });
    });

    it('the current period refunded (REVOKED): refused, no grant made; a grant of that period is revoked, the earlier one kept', async () => {
      const refused = {
        __typename: 'InvalidPurchaseStateError',
        message:
          'Gamebase reports the subscription revoked (its current period refunded): no paid period to grant.',
      };
      // Never redeemed in its refunded period: refused, nothing granted.
      const unredeemed = await subscribe(g);
      renewByClock(g);
      const never = (await unredeemed.view()).periods[1] as Period;
      await unredeemed.act('void', { paymentSeq: never.paymentSeq });
      // The first period's pair still reads (its payment was not refunded); the status says REVOKED.
      expect(await redeem(g, unredeemed.input)).toMatchObject(refused);
      expect(await grantRows(ledger, periodKey(never))).toBe(0);

      // Redeemed in both periods, then the current one refunded: that period's grant is revoked, once.
      const { first, input, act, view } = await subscribe(g);
      const granted = await redeem(g, input);
      renewByClock(g);
      const renewed = await redeem(g, input);
      const second = (await view()).periods[1] as Period;
      await act('void', { paymentSeq: second.paymentSeq });
      expect(await redeem(g, input)).toMatchObject(refused);
      expect(await redeem(g, input)).toMatchObject(refused);
      const rows = await ledger.db.query<{ id: string; purchase_key: string; revocation: unknown }>(
        'SELECT id, purchase_key, revocation FROM grants WHERE purchase_key IN ($1, $2) ORDER BY created_at, id',
        [periodKey(first), periodKey(second)],
      );
      const revocation = (r: { revocation: unknown }) =>
        typeof r.revocation === 'string' ? JSON.parse(r.revocation) : r.revocation;
      expect(rows.map((r) => [r.id, revocation(r)])).toEqual([
        [granted.grant?.id, null],
        [
          renewed.grant?.id,
          {
            source: 'gamebase.subscriptions-status',
            paymentId: second.paymentId,
            referenceStatus: 'REVOKED',
          },
        ],
      ]);
      const events = await ledger.db.query<{ type: string }>(
        'SELECT type FROM events WHERE subject = $1 ORDER BY seq',
        [renewed.grant?.id],
      );
      expect(events.map((e) => e.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED', 'GRANT_REVOKED']);
    });

    it('a grant written before periods (keyed by the paymentSeq) answers in its own period only', async () => {
      const { s, userId, first, input } = await subscribe(g);
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'GAMEBASE',
          paymentSeq: first.paymentSeq,
          purchaseToken: first.accessToken,
          productId: PRODUCT,
        },
      };
      // As the earlier version recorded it: the paymentSeq as key, the paymentId it read then.
      const facts = {
        productId: PRODUCT,
        quantity: 1,
        storeIds: { storeCode: 'GG', paymentId: s.originalPaymentId },
        environment: 'SANDBOX' as const,
      };
      const old = await ledger.grants.claim(
        newGrant(request, facts, 'NONE', g.gamebase.appId, first.paymentSeq),
        'earlier-version',
        60_000,
      );
      if (!old.claimed) throw new Error('expected the claim');
      await ledger.grants.settle(old.grant.id, 'RECORDED');
      expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: true, grant: { id: old.grant.id } });
      expect(await grantRows(ledger, periodKey(first))).toBe(0);
      renewByClock(g);
      const renewed = await redeem(g, input);
      expect(renewed).toMatchObject({
        alreadyRedeemed: false,
        grant: { storeIds: { paymentId: `${s.originalPaymentId}..0` } },
      });
      expect(await grantRows(ledger, first.paymentSeq)).toBe(1);
    });

    it("a renewal's grant written before periods under its own pair's paymentSeq answers the first pair too", async () => {
      const { userId, input, inputOf, view } = await subscribe(g);
      await redeem(g, input);
      renewByClock(g);
      const second = (await view()).periods[1] as Period;
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'GAMEBASE',
          paymentSeq: second.paymentSeq,
          purchaseToken: second.accessToken,
          productId: PRODUCT,
        },
      };
      const facts = {
        productId: PRODUCT,
        quantity: 1,
        storeIds: { storeCode: 'GG', paymentId: second.paymentId },
        environment: 'SANDBOX' as const,
      };
      const old = await ledger.grants.claim(
        newGrant(request, facts, 'NONE', g.gamebase.appId, second.paymentSeq),
        'earlier-version',
        60_000,
      );
      if (!old.claimed) throw new Error('expected the claim');
      await ledger.grants.settle(old.grant.id, 'RECORDED');
      // The first pair names the same period: the old grant, not a second one.
      expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: true, grant: { id: old.grant.id } });
      expect(await redeem(g, inputOf(second))).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: old.grant.id },
      });
      expect(await grantRows(ledger, periodKey(second))).toBe(0);
    });

    it("a process that died between the claim of a renewed period and its settle: recovered to that period's grant", async () => {
      const { userId, first, input, view } = await subscribe(g);
      await redeem(g, input);
      renewByClock(g);
      const second = (await view()).periods[1] as Period;
      // What the dead process left: the period's claim, pending, its lease run out.
      const request: RedeemRequest = {
        app: APP,
        userId,
        target: {
          store: 'GAMEBASE',
          paymentSeq: first.paymentSeq,
          purchaseToken: first.accessToken,
          productId: PRODUCT,
        },
      };
      const facts = {
        productId: PRODUCT,
        quantity: 1,
        storeIds: { storeCode: 'GG', paymentId: second.paymentId },
        environment: 'SANDBOX' as const,
      };
      const orphan = await ledger.grants.claim(
        newGrant(request, facts, 'NONE', g.gamebase.appId, periodKey(second)),
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
          storeIds: { paymentId: second.paymentId },
        },
      });
      expect(await grantRows(ledger, periodKey(second))).toBe(1);
    });
  });
}

const [, shared] = ledgerBackends();
describe.skipIf(!shared || shared.skip)(
  'Gamebase AUTO_RENEWABLE periods on two replicas sharing a PostgreSQL ledger',
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

    it('after a renewal, 20 calls spread over both replicas and both pairs make one grant of the new period', async () => {
      const { input, inputOf, view } = await subscribe(g);
      expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: false });
      renewByClock(g);
      const renewal = (await view()).periods[1] as Period;
      const replicas = [g.gateway, second?.gateway].filter((x): x is Gateway => x !== undefined);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          redeemThrough(replicas[i % 2] as Gateway, g.keys.rw, i % 4 < 2 ? input : inputOf(renewal)),
        ),
      );
      const renewed = oneGrantOf(answers);
      expect(renewed).toMatchObject({ storeIds: { paymentId: renewal.paymentId } });
      const rows = await (second as { ledger: LedgerStorage }).ledger.db.query<{ id: string }>(
        'SELECT id FROM grants WHERE purchase_key = $1',
        [periodKey(renewal)],
      );
      expect(rows.map((r) => r.id)).toEqual([renewed?.id]);
    });
  },
);
