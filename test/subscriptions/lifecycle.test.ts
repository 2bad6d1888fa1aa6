import { beforeEach, describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import {
  act,
  at,
  DAY,
  lastPurchaseId,
  MARGIN,
  PERIOD,
  redeemed,
  startAt,
  subscribed,
  T0,
  TRACKING,
  tick,
  timeline,
  toldAbout,
} from './tracking.js';

/**
 * Issue 26, lifecycle events: a ONE store subscription (and a monthly product) redeemed, the sandbox
 * clock moved and the scheduler ticked by hand; each transition gives exactly its event, in order,
 * with occurredAt as the store tells it (offsets from T0 below) and observedAt the read.
 */

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`lifecycle events on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: TRACKING, clearFaults: true }, (started) => {
      ({ g, ledger } = started);
    });
    beforeEach(async () => {
      // Each test's subscriptions alone are due: the ones of the tests before are not read.
      await ledger.db.query('DELETE FROM tracked_subscriptions', []);
      await startAt(g, T0);
    });

    it('the first read is the baseline; a renewal is RENEWED at the period start, with its purchaseId', async () => {
      const { token } = await subscribed(g);
      expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1, written: 1, events: 0, failures: 0 });
      at(g, T0 + PERIOD + MARGIN);
      expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1, written: 1, events: 1 });
      expect(await toldAbout(ledger, token)).toEqual([
        {
          type: 'SUBSCRIPTION_RENEWED',
          occurred: PERIOD,
          observed: PERIOD + MARGIN,
          previousStatus: 'ACTIVE',
          status: 'ACTIVE',
          purchaseId: await lastPurchaseId(g, token),
        },
      ]);
      // Read again at once: nothing is due, nothing is told twice.
      expect(await tick(g)).toMatchObject({ claimed: 0, reads: 0 });
    });

    it('a monthly product renews too (getRecurringPurchaseDetails)', async () => {
      const { token } = await subscribed(g, 'MONTHLY');
      await tick(g);
      at(g, T0 + PERIOD + MARGIN);
      await tick(g);
      expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_RENEWED', PERIOD]]);
    });

    it('grace, then recovered: GRACE_STARTED at the failed payment, RECOVERED then RENEWED', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + 10 * DAY);
      await act(g, token, 'grace');
      await tick(g);
      at(g, T0 + 12 * DAY);
      await act(g, token, 'recover');
      await tick(g);
      expect(await timeline(ledger, token)).toEqual([
        ['SUBSCRIPTION_GRACE_STARTED', 10 * DAY],
        ['SUBSCRIPTION_RECOVERED', 12 * DAY],
        // Out of grace the billing date stays: the period counts from the failed payment's due time.
        ['SUBSCRIPTION_RENEWED', 10 * DAY],
      ]);
    });

    it('grace, hold, expiry: ON_HOLD when access ended, EXPIRED at the end of the hold', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + 10 * DAY);
      await act(g, token, 'grace');
      await tick(g);
      at(g, T0 + 17 * DAY + MARGIN);
      await tick(g);
      at(g, T0 + 47 * DAY + MARGIN);
      await tick(g);
      const told = await toldAbout(ledger, token);
      expect(told.map((t) => [t.type, t.occurred, t.previousStatus, t.status])).toEqual([
        ['SUBSCRIPTION_GRACE_STARTED', 10 * DAY, 'ACTIVE', 'IN_GRACE_PERIOD'],
        ['SUBSCRIPTION_ON_HOLD', 17 * DAY, 'IN_GRACE_PERIOD', 'ON_HOLD'],
        // The store's expiry stays the grace's end: access ended then (hold gives none).
        ['SUBSCRIPTION_EXPIRED', 17 * DAY, 'ON_HOLD', 'EXPIRED'],
      ]);
      expect(told.at(-1)?.observed).toBe(47 * DAY + MARGIN);
      // Over: never read again.
      at(g, T0 + 400 * DAY);
      expect(await tick(g)).toMatchObject({ claimed: 0 });
    });

    it('pause and resume: PAUSED at the pause start, RESUMED and RENEWED at its end', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + DAY);
      await act(g, token, 'pause', { days: 7 });
      await tick(g);
      at(g, T0 + PERIOD + MARGIN);
      await tick(g);
      at(g, T0 + PERIOD + 7 * DAY + MARGIN);
      await tick(g);
      expect(await timeline(ledger, token)).toEqual([
        ['SUBSCRIPTION_PAUSED', PERIOD],
        ['SUBSCRIPTION_RESUMED', PERIOD + 7 * DAY],
        ['SUBSCRIPTION_RENEWED', PERIOD + 7 * DAY],
      ]);
    });

    it('auto-renew off, then on again', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + DAY);
      await act(g, token, 'cancel');
      await tick(g);
      at(g, T0 + 2 * DAY);
      await act(g, token, 'restore');
      await tick(g);
      const told = await toldAbout(ledger, token);
      expect(told.map((t) => [t.type, t.occurred, t.previousStatus, t.status])).toEqual([
        ['SUBSCRIPTION_RENEWAL_CANCELLED', DAY, 'ACTIVE', 'CANCEL_RESERVED'],
        ['SUBSCRIPTION_RENEWAL_RESTORED', 2 * DAY, 'CANCEL_RESERVED', 'ACTIVE'],
      ]);
    });

    it('price change: PENDING with its consent deadline, then AGREED', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + DAY);
      await act(g, token, 'priceChange', { price: '1500' });
      await tick(g);
      at(g, T0 + 2 * DAY);
      await act(g, token, 'agreePriceChange');
      await tick(g);
      expect(await timeline(ledger, token)).toEqual([
        ['SUBSCRIPTION_PRICE_CHANGE_PENDING', DAY],
        ['SUBSCRIPTION_PRICE_CHANGE_AGREED', 2 * DAY],
      ]);
      const events = await ledger.events.after('game', null, 500, ['SUBSCRIPTION_PRICE_CHANGE_PENDING']);
      const pending = events.filter((e) => e.subject === token);
      const data = pending[0]?.data as {
        subscription: { priceChange: { agreementDueAt: Date; agreed: boolean } };
      };
      expect(data.subscription.priceChange).toMatchObject({
        agreed: false,
        agreementDueAt: new Date(T0 + DAY + 37 * DAY),
      });
    });

    it('plan change: the old subscription EXPIRED, the new one (redeemed) PLAN_CHANGED with its linked token', async () => {
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + DAY);
      const changed = await act(g, token, 'changePlan', { productId: 'premium_plus', mode: 'IMMEDIATE' });
      const newToken = String(changed.purchaseToken);
      await redeemed(g, newToken, 'premium_plus', 'SUBSCRIPTION');
      await tick(g);
      expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_EXPIRED', DAY]]);
      const told = await ledger.events.after('game', null, 500, ['SUBSCRIPTION_PLAN_CHANGED']);
      const planChanged = told.filter((e) => e.subject === newToken);
      expect(planChanged.map((e) => [e.occurredAt.getTime() - T0, e.data])).toMatchObject([
        [
          DAY,
          { productId: 'premium_plus', previousStatus: null, subscription: { linkedPurchaseToken: token } },
        ],
      ]);
    });
  });
}
