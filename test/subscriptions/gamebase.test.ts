import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { at, DAY, MARGIN, PERIOD, startAt, T0, TRACKING, tick, toldAbout } from './tracking.js';

/**
 * Issue 26, Gamebase AUTO_RENEWABLE tracking: Get Subscriptions Status read for the tracked rows (up to
 * 10 of one user per call); RENEWED when the period's paymentId changes, EXPIRED at the expiry, grace,
 * hold and recovery from Google's referenceStatus. The period grants are written straight to the
 * ledger as a period's redemption writes them (their store ids keep the subscription's
 * originalPaymentId: what the tracking keys on).
 */

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
}
interface View {
  id: string;
  originalPaymentId: string;
  periods: Period[];
}

const STATUS = 'gamebase.subscriptionsStatus';
const last = (v: View): Period => v.periods[v.periods.length - 1] as Period;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`Gamebase subscription tracking on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: TRACKING, clearFaults: true }, (started) => {
      ({ g, ledger } = started);
    });
    beforeEach(async () => {
      await ledger.db.query('DELETE FROM tracked_subscriptions', []);
      await startAt(g, T0);
    });

    /** A Google subscription bought now, and its first period's grant settled: tracked from then. */
    async function subscribed(userId = `GG@${randomUUID().slice(0, 8)}`) {
      const v = await g.control<View>('POST', '/gamebase/subscriptions', {
        appId: g.gamebase.appId,
        userId,
        gamebaseProductId: 'vip_monthly',
        productId: 'vip',
        price: '1000',
        currency: 'KRW',
        storeCode: 'GG',
        purchaseTime: g.now(),
      });
      const p = last(v);
      const claim = await ledger.grants.claim(
        {
          app: APP,
          store: 'GAMEBASE',
          purchaseKey: `GG:${p.paymentId}`,
          storeApp: g.gamebase.appId,
          userId,
          productId: 'vip_monthly',
          quantity: 1,
          storeIds: {
            paymentSeq: p.paymentSeq,
            purchaseToken: p.accessToken,
            storeCode: 'GG',
            paymentId: p.paymentId,
            originalPaymentId: v.originalPaymentId,
          },
          fingerprint: `fp-${randomUUID()}`,
          idempotencyKey: null,
          action: 'NONE',
        },
        'test',
        60_000,
      );
      if (!claim.claimed) throw new Error('expected a claim');
      await ledger.grants.settle(claim.grant.id, 'RECORDED');
      return { v, key: `GG:${v.originalPaymentId}` };
    }
    const act = (v: View, action: string, body: Record<string, unknown> = {}) =>
      g.control<View>('POST', `/gamebase/subscriptions/${v.id}/${action}`, body);
    const view = (v: View) => g.control<View>('GET', `/gamebase/subscriptions/${v.id}`);

    it('renewal, grace, hold, recovery, expiry: each told once, in order', async () => {
      const { v, key } = await subscribed();
      expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1, written: 1, events: 0 });
      at(g, T0 + PERIOD + MARGIN);
      await tick(g);
      const renewed = last(await view(v)).paymentId;
      at(g, T0 + 40 * DAY);
      await act(v, 'grace', { days: 3 });
      await tick(g);
      at(g, T0 + 43 * DAY + MARGIN);
      await tick(g);
      at(g, T0 + 45 * DAY);
      await act(v, 'renew');
      await tick(g);
      const recovered = last(await view(v)).paymentId;
      at(g, T0 + 50 * DAY);
      await act(v, 'expire');
      await tick(g);
      const told = await toldAbout(ledger, key);
      expect(told.map((t) => [t.type, t.occurred, t.previousStatus, t.purchaseId ?? null])).toEqual([
        ['SUBSCRIPTION_RENEWED', PERIOD, 'ACTIVE', renewed],
        ['SUBSCRIPTION_GRACE_STARTED', 40 * DAY, 'ACTIVE', null],
        ['SUBSCRIPTION_ON_HOLD', 43 * DAY + MARGIN, 'IN_GRACE_PERIOD', null],
        ['SUBSCRIPTION_RECOVERED', 45 * DAY, 'ON_HOLD', null],
        ['SUBSCRIPTION_RENEWED', 45 * DAY, 'ON_HOLD', recovered],
        ['SUBSCRIPTION_EXPIRED', 50 * DAY, 'ACTIVE', null],
      ]);
      // The data carries the status read; the row asks with the pair the answers name (the sandbox
      // answers for the pair asked: the first period's, which keeps answering for the subscription).
      const [event] = await ledger.events.after(APP, null, 1, ['SUBSCRIPTION_RENEWED']);
      expect(event?.data).toMatchObject({ store: 'GAMEBASE', gamebaseSubscription: { paymentId: renewed } });
      const row = await ledger.tracked.get(APP, 'GAMEBASE', key);
      expect(row).toMatchObject({
        status: 'EXPIRED',
        nextCheckAt: null,
        kind: 'AUTO_RENEWABLE',
        market: 'GG',
      });
      const first = v.periods[0];
      expect(row?.storeIds).toEqual({ paymentSeq: first?.paymentSeq, purchaseToken: first?.accessToken });
    });

    it("one status call per user's batch of up to 10; a call that fails writes no event", async () => {
      const user = `GG@${randomUUID().slice(0, 8)}`;
      await subscribed(user);
      await subscribed(user);
      await subscribed(user);
      await subscribed();
      await g.resetStats();
      expect(await tick(g)).toMatchObject({ claimed: 4, reads: 2, written: 4, failures: 0 });
      expect(await g.count(STATUS)).toBe(2);
      at(g, T0 + PERIOD + MARGIN);
      await g.control('POST', '/faults', { endpoint: STATUS, status: 500, count: 20 });
      expect(await tick(g)).toMatchObject({ claimed: 4, failures: 4, written: 0, events: 0 });
      await g.control('DELETE', '/faults');
      at(g, T0 + PERIOD + MARGIN + 60_000);
      expect(await tick(g)).toMatchObject({ claimed: 4, reads: 2, written: 4, events: 4 });
    });
  });
}
