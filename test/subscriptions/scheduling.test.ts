import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreRegistry } from '../../src/entitlements/app-stores.js';
import { subscriptionReadRetry } from '../../src/events/index.js';
import { MIGRATIONS, migrate, type NewGrant } from '../../src/ledger/index.js';
import { type LedgerStorage, ledgerStorage } from '../../src/redemption/service.js';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import type { ManagedPurchase } from '../../src/sandbox/onestore/model.js';
import { SubscriptionScheduler, storeReader } from '../../src/subscriptions/index.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { openLedgerBefore } from '../helpers/ledger-db.js';
import { claimBefore11 } from '../helpers/older-ledger.js';
import { postNotice } from '../helpers/pns.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import {
  act,
  at,
  DAY,
  lastPurchaseId,
  MARGIN,
  PERIOD,
  startAt,
  subscribed,
  T0,
  TRACKING,
  tick,
  timeline,
} from './tracking.js';

/**
 * Issue 26, the scheduler's guarantees: a failed read proves nothing (no event, a retry later), the
 * reads cost the rows due and no more, a change through the gateway pulls a read, replicas on one
 * PostgreSQL ledger write one event per transition, and migration 9 tracks the grants made before it.
 */

const DETAIL = 'onestore.getSubscriptionDetail';

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`the subscription scheduler on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    const gateway = { ...TRACKING, licensePublicKey: DEMO_PNS_PUBLIC_KEY };
    useLedgerGateway(backend, { gateway, clearFaults: true }, (started) => {
      ({ g, ledger } = started);
    });
    beforeEach(async () => {
      await ledger.db.query('DELETE FROM tracked_subscriptions', []);
      await startAt(g, T0);
    });

    it('reading 16 at once warns of no listener leak (each read in flight listens on the stop signal)', async () => {
      const tokens = [];
      for (let i = 0; i < 24; i++) tokens.push((await subscribed(g)).token);
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.name);
      process.on('warning', onWarning);
      try {
        const stores = new StoreRegistry(g.config, { now: () => g.now() });
        const wide = new SubscriptionScheduler(ledger.tracked, storeReader(stores), {
          now: () => g.now(),
          leaseMs: 30_000,
          batchSize: 100,
          concurrency: 16,
          callsPerSecond: 1_000,
          intervalMs: 0,
          marginMs: MARGIN,
          billingIssueIntervalMs: 4 * 3_600_000,
          maxIntervalMs: DAY,
          retry: subscriptionReadRetry(),
        });
        expect(await wide.runDue()).toMatchObject({ claimed: 24, reads: 24, failures: 0 });
        await stores.close();
        // Warnings are emitted on the next tick.
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings).not.toContain('MaxListenersExceededWarning');
      } finally {
        process.off('warning', onWarning);
      }
    });

    for (const status of [500, 429]) {
      it(`a ${status} from the store writes no event, only a backoff; the retry tells the renewal once`, async () => {
        const { token } = await subscribed(g);
        await tick(g);
        at(g, T0 + PERIOD + MARGIN);
        await g.control('POST', '/faults', { endpoint: DETAIL, status, count: 20 });
        expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1, failures: 1, written: 0, events: 0 });
        const failed = await ledger.tracked.get(APP, 'ONESTORE', token);
        expect(failed).toMatchObject({ status: 'ACTIVE', failures: 1, leaseOwner: null });
        expect(failed?.lastError).not.toBeNull();
        // The backoff of a first failure is under a minute (60 s, full jitter; at least 1 s).
        const retryAt = failed?.nextCheckAt?.getTime() ?? 0;
        expect(retryAt - (T0 + PERIOD + MARGIN)).toBeGreaterThanOrEqual(1_000);
        expect(retryAt - (T0 + PERIOD + MARGIN)).toBeLessThanOrEqual(60_000);
        expect(await timeline(ledger, token)).toEqual([]);
        await g.control('DELETE', '/faults');
        at(g, T0 + PERIOD + MARGIN + 60_000);
        expect(await tick(g)).toMatchObject({ claimed: 1, failures: 0, written: 1, events: 1 });
        expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_RENEWED', PERIOD]]);
        expect(await ledger.tracked.get(APP, 'ONESTORE', token)).toMatchObject({
          failures: 0,
          lastError: null,
        });
      });
    }

    it('reads cost the rows due: a subscription not due is not read', async () => {
      await subscribed(g);
      await tick(g);
      at(g, T0 + 12 * 3_600_000);
      const { token: second } = await subscribed(g);
      await g.resetStats();
      // The first is due at T0 + 1 day; the second, just redeemed, now.
      expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1 });
      expect(await g.count(DETAIL)).toBe(1);
      expect(await ledger.tracked.get(APP, 'ONESTORE', second)).toMatchObject({
        status: 'ACTIVE',
        version: 2,
      });
      at(g, T0 + DAY);
      expect(await tick(g)).toMatchObject({ claimed: 1, reads: 1 });
      expect(await g.count(DETAIL)).toBe(2);
      expect(await ledger.tracked.dueCount(new Date(T0 + DAY))).toBe(0);
    });

    it('a cancel through the gateway pulls the read forward: RENEWAL_CANCELLED at once', async () => {
      const { token, productId } = await subscribed(g);
      await tick(g);
      at(g, T0 + 3_600_000);
      expect(await tick(g)).toMatchObject({ claimed: 0 });
      const CANCEL = `mutation ($input: SubscriptionTargetInput!) { cancelSubscription(input: $input) { __typename } }`;
      const answer = await g.gql(CANCEL, {
        input: { app: APP, productId, purchaseToken: token, kind: 'SUBSCRIPTION' },
      });
      expect(answer.data.cancelSubscription).toEqual({ __typename: 'SubscriptionChange' });
      expect(await tick(g)).toMatchObject({ claimed: 1, events: 1 });
      expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_RENEWAL_CANCELLED', 3_600_000]]);
    });

    it('a payment notification about a tracked grant pulls its read: the refund read as EXPIRED, the period refunded once', async () => {
      const { token, productId } = await subscribed(g, 'MONTHLY');
      const period = await lastPurchaseId(g, token);
      await tick(g);
      at(g, T0 + 3_600_000);
      await act(g, token, 'void', { purchaseId: period });
      expect(await tick(g)).toMatchObject({ claimed: 0 });
      const notice = g.h.sandbox.core.pns.message(
        {
          clientId: g.onestore.a,
          productId,
          purchaseId: period,
          purchaseTime: T0,
          market: 'MKT_GLB',
          price: '4900',
          currency: 'KRW',
        } as unknown as ManagedPurchase,
        'CANCELED',
      );
      expect(await postNotice(g, APP, notice)).toMatchObject({ status: 200, body: { outcome: 'revoked' } });
      expect(await tick(g)).toMatchObject({ claimed: 1, events: 1 });
      expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_EXPIRED', 3_600_000]]);
      const refunds = await ledger.events.after(APP, null, 500, ['SUBSCRIPTION_PERIOD_REFUNDED']);
      expect(refunds.filter((e) => (e.data as { purchaseId?: string }).purchaseId === period)).toHaveLength(
        1,
      );
    });

    it.skipIf(backend.name !== 'postgres')(
      'two schedulers on one ledger: each row read by one; a read whose lease ran out loses its write',
      async () => {
        const { token } = await subscribed(g);
        await tick(g);
        at(g, T0 + PERIOD + MARGIN);
        const replica = ledgerStorage(await backend.open({ poolSize: 2 }));
        const stores = new StoreRegistry(g.config, { now: () => g.now() });
        const scheduler = (owner: string, storage: LedgerStorage) =>
          new SubscriptionScheduler(storage.tracked, storeReader(stores), {
            now: () => g.now(),
            owner,
            leaseMs: 30_000,
            batchSize: 10,
            concurrency: 2,
            callsPerSecond: 100,
            intervalMs: 0,
            marginMs: MARGIN,
            billingIssueIntervalMs: 4 * 3_600_000,
            maxIntervalMs: DAY,
            retry: subscriptionReadRetry(),
          });
        try {
          const [a, b] = await Promise.all([scheduler('a', ledger).tick(), scheduler('b', replica).tick()]);
          expect(a.claimed + b.claimed).toBe(1);
          expect(a.events + b.events).toBe(1);
          expect(await timeline(ledger, token)).toEqual([['SUBSCRIPTION_RENEWED', PERIOD]]);

          // Both replicas hold the same row at the same version (the first one's lease ran out while
          // it read): the same change observed twice is written once.
          await ledger.db.query('UPDATE tracked_subscriptions SET next_check_at = $1', [new Date(T0)]);
          const [row] = await ledger.tracked.claimDue(new Date(g.now()), 10, 'a', 1);
          await ledger.db.query(
            "UPDATE tracked_subscriptions SET lease_expires_at = now() - interval '1 second'",
          );
          const [again] = await replica.tracked.claimDue(new Date(g.now()), 10, 'b', 30_000);
          if (!row || !again) throw new Error('expected both claims');
          expect(again.version).toBe(row.version);
          const observed = {
            status: 'EXPIRED',
            expiresAt: new Date(T0),
            observation: { subscription: null },
            nextCheckAt: null,
            readAt: new Date(g.now()),
          };
          const event = { app: APP, type: 'SUBSCRIPTION_EXPIRED' as const, subject: token, data: {} };
          const results = await Promise.all([
            ledger.tracked.observe(row, 'a', observed, [event]),
            replica.tracked.observe(again, 'b', observed, [event]),
          ]);
          expect(results).toEqual([false, true]);
          expect((await timeline(ledger, token)).map(([type]) => type)).toEqual([
            'SUBSCRIPTION_RENEWED',
            'SUBSCRIPTION_EXPIRED',
          ]);
        } finally {
          await stores.close();
          await replica.db.close();
        }
      },
    );
  });
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ledger migration 9 on ${backend.name}`, () => {
    it('tracks every ONE store SUBSCRIPTION / MONTHLY token granted before it, once, due at once', async () => {
      const db = await openLedgerBefore(backend, 8);
      try {
        const grant = (token: string, kind: string, n: number): NewGrant => ({
          app: 'game-m',
          store: 'ONESTORE',
          purchaseKey: `${token}:P${n}`,
          storeApp: 'one-app',
          userId: `player-${n}`,
          productId: 'vip_pass',
          quantity: 1,
          storeIds: {
            purchaseToken: token,
            productId: 'vip_pass',
            kind,
            market: 'MKT_GLB',
            purchaseId: `P${n}`,
          },
          fingerprint: `fp-${randomUUID()}`,
          idempotencyKey: null,
          action: 'NONE',
        });
        for (const [token, kind, n] of [
          ['SUB1', 'SUBSCRIPTION', 1],
          ['SUB1', 'SUBSCRIPTION', 2],
          ['MON1', 'MONTHLY', 3],
          ['GEM1', 'CONSUMABLE', 4],
        ] as const)
          await claimBefore11(db, grant(token, kind, n), 'owner', 60_000);
        // The latest grant of a token gives its user: created one second apart.
        for (const n of [1, 2, 3, 4])
          await db.query('UPDATE grants SET created_at = $1 WHERE user_id = $2', [
            new Date(T0 + n * 1_000),
            `player-${n}`,
          ]);
        await migrate(db, MIGRATIONS);
        const rows = await db.query<{
          purchase_token: string;
          kind: string;
          user_id: string;
          market: string;
        }>(
          'SELECT purchase_token, kind, user_id, market FROM tracked_subscriptions ORDER BY purchase_token',
          [],
        );
        expect(rows).toEqual([
          { purchase_token: 'MON1', kind: 'MONTHLY', user_id: 'player-3', market: 'MKT_GLB' },
          { purchase_token: 'SUB1', kind: 'SUBSCRIPTION', user_id: 'player-2', market: 'MKT_GLB' },
        ]);
        const storage = ledgerStorage(db);
        expect(await storage.tracked.dueCount(new Date(0))).toBe(2);
      } finally {
        await db.close();
        await backend.cleanup();
      }
    });
  });
}
