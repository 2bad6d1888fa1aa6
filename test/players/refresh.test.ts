import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, upstreamCounts } from '../helpers/gateway.js';
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
 * Issue 27, `refresh: true`: the player's tracked subscriptions are read from the store before the player
 * is computed, once per subscription however often the request names the player, and a read that fails
 * says so (the state stays the last good read's: a failure proves nothing).
 */

const CATALOGUE = {
  vip: { products: [{ store: 'ONESTORE', productId: 'premium' }], grants: 'whileSubscribed' },
};
const DETAIL = 'onestore.getSubscriptionDetail';
const T0 = Math.ceil(Date.now() / DAY) * DAY + DAY;
const iso = (ms: number) => new Date(ms).toISOString();

const PLAYER = `query ($app: String!, $userId: String!, $refresh: Boolean) {
  player(app: $app, userId: $userId, refresh: $refresh) {
    ... on Player {
      refresh { read failed busy events }
      entitlements { id active expiresAt billingIssue }
    }
  }
}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`player(refresh: true) on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(backend, { gateway: { ...TRACKING, appEntitlements: CATALOGUE } }, (started) => {
      g = started.g;
      ledger = started.ledger;
    });
    const player = async (userId: string, refresh?: boolean) =>
      (await g.gql(PLAYER, { app: APP, userId, ...(refresh !== undefined && { refresh }) })).data.player;
    const detailReads = async () => (await upstreamCounts(g))[DETAIL] ?? 0;

    it('reads the store first: grace shows at once, with its lifecycle event; without refresh, no store call', async () => {
      await startAt(g, T0);
      const { token, userId } = await subscribed(g);
      await tick(g);
      at(g, T0 + 10 * DAY);
      await act(g, token, 'grace');
      const before = await detailReads();
      // The ledger alone: the scheduler has not read since; no store call.
      expect(await player(userId)).toEqual({
        refresh: null,
        entitlements: [{ id: 'vip', active: true, expiresAt: iso(T0 + PERIOD), billingIssue: false }],
      });
      expect(await detailReads()).toBe(before);
      // The sandbox's grace runs 7 days from the failed payment: the paid time ends then, unless it recovers.
      expect(await player(userId, true)).toEqual({
        refresh: { read: 1, failed: 0, busy: 0, events: 1 },
        entitlements: [{ id: 'vip', active: true, expiresAt: iso(T0 + 17 * DAY), billingIssue: true }],
      });
      expect(await detailReads()).toBe(before + 1);
      // The read was written: the next plain query shows it too.
      expect(await player(userId)).toMatchObject({ entitlements: [{ billingIssue: true }] });
    });

    it('a player named three times in a request (two aliases and a batch) is read once', async () => {
      await startAt(g, T0);
      const a = await subscribed(g);
      const b = await subscribed(g);
      await tick(g);
      const before = await detailReads();
      const answer = await g.gql(
        `query ($app: String!, $a: String!, $b: String!) {
          one: player(app: $app, userId: $a, refresh: true) { ... on Player { refresh { read busy } } }
          two: player(app: $app, userId: $a, refresh: true) { ... on Player { refresh { read busy } } }
          players(app: $app, userIds: [$a, $b], refresh: true) {
            ... on QueryPlayersSuccess { data { userId refresh { read } } }
          }
        }`,
        { app: APP, a: a.userId, b: b.userId },
      );
      expect(answer.body.errors).toBeUndefined();
      expect(answer.data).toEqual({
        one: { refresh: { read: 1, busy: 0 } },
        two: { refresh: { read: 1, busy: 0 } },
        players: {
          data: [
            { userId: a.userId, refresh: { read: 1 } },
            { userId: b.userId, refresh: { read: 1 } },
          ],
        },
      });
      expect(await detailReads()).toBe(before + 2);
    });

    it('a read that fails is counted as failed, writes no event, and the state stays the last good read', async () => {
      await startAt(g, T0);
      const { token, userId } = await subscribed(g);
      await tick(g);
      at(g, T0 + PERIOD - DAY);
      await act(g, token, 'grace');
      await g.control('POST', '/faults', { endpoint: DETAIL, status: 500, count: 20 });
      try {
        expect(await player(userId, true)).toEqual({
          refresh: { read: 0, failed: 1, busy: 0, events: 0 },
          entitlements: [{ id: 'vip', active: true, expiresAt: iso(T0 + PERIOD), billingIssue: false }],
        });
      } finally {
        await g.control('DELETE', '/faults');
      }
      at(g, T0 + PERIOD - DAY + MARGIN);
      expect(await player(userId, true)).toMatchObject({
        refresh: { read: 1, failed: 0, events: 1 },
        entitlements: [{ billingIssue: true }],
      });
    });

    it('a subscription another reader holds (a tick, a replica) is not read twice: busy', async () => {
      await startAt(g, T0);
      const { userId } = await subscribed(g);
      // Another replica's scheduler claimed the row (due at once after the redemption) and reads it now.
      expect(await ledger.tracked.claimDue(new Date(T0), 10, 'replica-b', 60_000)).toHaveLength(1);
      const before = await detailReads();
      expect(await player(userId, true)).toMatchObject({
        refresh: { read: 0, failed: 0, busy: 1, events: 0 },
      });
      expect(await detailReads()).toBe(before);
    });

    it('a player with no tracked subscription reads nothing', async () => {
      const before = await detailReads();
      expect(await player('nobody', true)).toEqual({
        refresh: { read: 0, failed: 0, busy: 0, events: 0 },
        entitlements: [],
      });
      expect(await detailReads()).toBe(before);
    });
  });
}
