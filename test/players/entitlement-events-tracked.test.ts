import { describe, expect, it } from 'vitest';
import { ENTITLEMENT_EVENT_TYPES } from '../../src/events/types.js';
import type { PlayerEntitlement } from '../../src/players/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import {
  act,
  at,
  DAY,
  MARGIN,
  PERIOD,
  startAt,
  subscribed,
  TRACKING,
  tick,
} from '../subscriptions/tracking.js';

/**
 * Issue 27: a tracked subscription's changes, as the scheduler reads them, are entitlement events too
 * (its lifecycle events mark the subscriber): the first period GRANTED, a renewal the game has not
 * redeemed EXTENDED, grace (an end earlier than the renewed period's) REVOKED while still active, the
 * hold at the grace's end EXPIRED.
 */

const CATALOGUE = {
  vip: { products: [{ store: 'ONESTORE', productId: 'premium' }], grants: 'whileSubscribed' },
};

const iso = (ms: number) => new Date(ms).toISOString();
/** A day boundary after the machine's clock (tracked.test.ts: grants are stamped by the ledger's clock). */
const T0 = Math.ceil(Date.now() / DAY) * DAY + DAY;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`entitlement events of a tracked subscription on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(
      backend,
      {
        gateway: {
          ...TRACKING,
          appEntitlements: CATALOGUE,
          config: { ...TRACKING.config, entitlementEvents: { pollIntervalSeconds: 0 } },
        },
      },
      (started) => {
        g = started.g;
        ledger = started.ledger;
      },
    );

    /** The scheduler's due reads, then the entitlement worker until nothing is due. */
    const settle = async () => {
      await tick(g);
      const worker = await g.gateway.entitlementEventWorker();
      await worker.runDue();
      await worker.runDue();
    };
    const eventsOf = async (userId: string) =>
      (await ledger.events.after('game', null, 1_000, ENTITLEMENT_EVENT_TYPES))
        .filter((e) => e.subject === `player:${userId}`)
        .map((e) => {
          const entitlement = e.data.entitlement as PlayerEntitlement;
          return [e.type, entitlement.active, entitlement.expiresAt?.toISOString()];
        });

    it('GRANTED, EXTENDED by a renewal read, REVOKED (shortened) by grace, EXPIRED at the hold', async () => {
      await startAt(g, T0);
      const { token, userId } = await subscribed(g);
      await settle();
      expect(await eventsOf(userId)).toEqual([['ENTITLEMENT_GRANTED', true, iso(T0 + PERIOD)]]);

      at(g, T0 + PERIOD + MARGIN);
      await settle();
      at(g, T0 + PERIOD + 10 * DAY);
      await act(g, token, 'grace');
      await settle();
      const grace = T0 + PERIOD + 17 * DAY;
      at(g, grace + MARGIN);
      await settle();
      expect(await eventsOf(userId)).toEqual([
        ['ENTITLEMENT_GRANTED', true, iso(T0 + PERIOD)],
        ['ENTITLEMENT_EXTENDED', true, iso(T0 + 2 * PERIOD)],
        ['ENTITLEMENT_REVOKED', true, iso(grace)],
        ['ENTITLEMENT_EXPIRED', false, iso(grace)],
      ]);
      // Nothing more changes: the worker run again writes nothing.
      await settle();
      expect(await eventsOf(userId)).toHaveLength(4);
    });
  });
}
