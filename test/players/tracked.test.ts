import { describe, expect, it } from 'vitest';
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
 * Issue 27 on issue 26's table: a player's subscription entitlement follows the store as the gateway's
 * scheduler reads it (tracked_subscriptions), not only the periods the game redeemed: a renewal not yet
 * redeemed keeps the access, grace keeps it with a billing issue, a hold ends it.
 */

const CATALOGUE = {
  vip: { products: [{ store: 'ONESTORE', productId: 'premium' }], grants: 'whileSubscribed' },
};

const PLAYER = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    ... on Player {
      entitlements { id active expiresAt willRenew billingIssue source }
      subscriptions { state expiresAt willRenew billingIssue }
    }
  }
}`;

const iso = (ms: number) => new Date(ms).toISOString();
/**
 * The sandbox's start: a day boundary after the machine's clock, which the ledger stamps grants with
 * (a grant made "before" the sandbox's purchase would open its window after the period it pays).
 */
const T0 = Math.ceil(Date.now() / DAY) * DAY + DAY;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(
    `a player's subscription as the scheduler reads it, on ${backend.name}`,
    () => {
      let g: GatewayHarness;
      useLedgerGateway(backend, { gateway: { ...TRACKING, appEntitlements: CATALOGUE } }, (started) => {
        g = started.g;
      });
      const player = async (userId: string) =>
        (await g.gql(PLAYER, { app: 'game', userId })).data.player as {
          entitlements: Record<string, unknown>[];
          subscriptions: Record<string, unknown>[];
        };

      it('a renewal not redeemed keeps the access; grace keeps it with a billing issue; a hold ends it', async () => {
        await startAt(g, T0);
        const { token, userId } = await subscribed(g);
        await tick(g);
        expect(await player(userId)).toEqual({
          entitlements: [
            {
              id: 'vip',
              active: true,
              expiresAt: iso(T0 + PERIOD),
              willRenew: true,
              billingIssue: false,
              source: 'SUBSCRIPTION',
            },
          ],
          subscriptions: [
            { state: 'ACTIVE', expiresAt: iso(T0 + PERIOD), willRenew: true, billingIssue: false },
          ],
        });

        // Renewed by the store; the game has not redeemed the new period: the grant facts alone would say expired.
        at(g, T0 + PERIOD + MARGIN);
        await tick(g);
        expect((await player(userId)).entitlements[0]).toMatchObject({
          active: true,
          expiresAt: iso(T0 + 2 * PERIOD),
        });

        // The next payment fails: grace (7 days in the sandbox) gives access, with a billing issue.
        at(g, T0 + PERIOD + 10 * DAY);
        await act(g, token, 'grace');
        await tick(g);
        const grace = T0 + PERIOD + 17 * DAY;
        expect(await player(userId)).toEqual({
          entitlements: [
            {
              id: 'vip',
              active: true,
              expiresAt: iso(grace),
              willRenew: true,
              billingIssue: true,
              source: 'SUBSCRIPTION',
            },
          ],
          subscriptions: [{ state: 'ACTIVE', expiresAt: iso(grace), willRenew: true, billingIssue: true }],
        });

        // Grace over: on hold, the access ended when the grace did.
        at(g, grace + MARGIN);
        await tick(g);
        expect(await player(userId)).toEqual({
          entitlements: [
            {
              id: 'vip',
              active: false,
              expiresAt: iso(grace),
              willRenew: false,
              billingIssue: true,
              source: 'SUBSCRIPTION',
            },
          ],
          subscriptions: [{ state: 'EXPIRED', expiresAt: iso(grace), willRenew: false, billingIssue: true }],
        });
      });
    },
  );
}
