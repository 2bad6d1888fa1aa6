import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERIOD_MS } from '../../src/sandbox/onestore/model.js';
import { onestore } from '../../src/stores/index.js';
import { APP, act, type GatewayHarness, nhnItem, nhnPayment, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { type RedeemAnswer, redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * Issue 27, done when: a player who bought on all three stores (a ONE store subscription, an NHN
 * Cloud consumable, a Gamebase one-time item mapped to `no_ads`) shows exactly the expected
 * entitlements, expiries and sources, over sandbox time through renewal, refund and expiry.
 */

const DAY_MS = 86_400_000;

const CATALOGUE = {
  vip: { products: [{ store: 'ONESTORE', productId: 'vip_pass' }], grants: 'whileSubscribed' },
  season_pass: { products: [{ store: 'NHN_CLOUD', marketItemId: 'season_pass_30d' }], grants: { days: 30 } },
  no_ads: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'no_ads' }], grants: 'forever' },
  // Never bought: not listed.
  starter: { products: [{ store: 'ONESTORE', productId: 'starter_pack' }] },
};

const PLAYER = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    __typename
    ... on Player {
      userId
      entitlements { id active since expiresAt willRenew periodType billingIssue store productId source grantId }
      subscriptions { store productId state since expiresAt willRenew billingIssue latestGrantId }
      grants(first: 10) {
        ... on GrantConnection { edges { node { id productId revokedAt } } pageInfo { hasNextPage } }
      }
      events(first: 20) {
        ... on GatewayEventConnection { edges { node { type grant { id } } } pageInfo { hasNextPage } }
      }
    }
  }
}`;

interface Grant {
  id: string;
  createdAt: string;
  storeIds: Record<string, string | null>;
}

const grantOf = (answer: RedeemAnswer): Grant => {
  expect(answer.__typename).toBe('RedeemPurchaseSuccess');
  return answer.grant as unknown as Grant;
};

const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

/** The sandbox's stored expiry of a ONE store subscription (a true epoch; the wire shifts MKT_ONE's). */
const expiryOf = async (g: GatewayHarness, token: string) =>
  new Date(Number((await record(g, token)).expiryTime)).toISOString();

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a player of three stores on ${backend.name}`, () => {
    let g: GatewayHarness;
    useLedgerGateway(
      backend,
      { gateway: { appEntitlements: CATALOGUE, config: { ledger: { revocationSyncIntervalSeconds: 0 } } } },
      (started) => {
        g = started.g;
      },
    );

    const player = async (userId: string) => {
      const data = (await g.gql(PLAYER, { app: APP, userId })).data.player as Record<string, unknown>;
      expect(data.__typename).toBe('Player');
      return data as {
        entitlements: Record<string, unknown>[];
        subscriptions: Record<string, unknown>[];
        grants: { edges: { node: { id: string; productId: string; revokedAt: string | null } }[] };
        events: { edges: { node: { type: string; grant: { id: string } | null } }[] };
      };
    };

    it('shows what they own, through renewal, refund and expiry', async () => {
      g.h.sandbox.clock.reset();
      const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;

      // A ONE store subscription, an NHN Cloud consumable and a Gamebase one-time item.
      const sub = await purchase(g, { productId: 'vip_pass', type: 'subscription' });
      const one = grantOf(
        await redeem(g, {
          app: APP,
          userId,
          onestore: { productId: 'vip_pass', purchaseToken: sub.purchaseToken, kind: 'SUBSCRIPTION' },
        }),
      );
      const itemSeq = await nhnItem(g, { marketItemId: 'season_pass_30d' });
      const pay = await nhnPayment(g, { itemSeq, userKey: userId });
      const nhn = grantOf(
        await redeem(g, {
          app: APP,
          userId,
          nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
        }),
      );
      const gbPay = await newGamebasePayment(g.h, g.gamebase, { userId, gamebaseProductId: 'no_ads' });
      const gb = grantOf(
        await redeem(g, {
          app: APP,
          userId,
          gamebase: { paymentSeq: gbPay.paymentSeq, purchaseToken: gbPay.purchaseToken, productId: 'no_ads' },
        }),
      );
      const firstExpiry = await expiryOf(g, sub.purchaseToken);
      expect(one.storeIds.expiryTime).toBe(firstExpiry);

      const noAds = {
        id: 'no_ads',
        active: true,
        since: gb.createdAt,
        expiresAt: null,
        willRenew: false,
        periodType: 'FOREVER',
        billingIssue: false,
        store: 'GAMEBASE',
        productId: 'no_ads',
        source: 'GRANT',
        grantId: gb.id,
      };
      const season = {
        id: 'season_pass',
        active: true,
        since: nhn.createdAt,
        expiresAt: plusDays(nhn.createdAt, 30),
        willRenew: false,
        periodType: 'DAYS',
        billingIssue: false,
        store: 'NHN_CLOUD',
        productId: 'season_pass_30d',
        source: 'GRANT',
        grantId: nhn.id,
      };
      const vip = {
        id: 'vip',
        active: true,
        since: one.createdAt,
        expiresAt: firstExpiry,
        willRenew: null,
        periodType: 'SUBSCRIPTION',
        billingIssue: null,
        store: 'ONESTORE',
        productId: 'vip_pass',
        source: 'SUBSCRIPTION',
        grantId: one.id,
      };
      const bought = await player(userId);
      expect(bought.entitlements).toEqual([noAds, season, vip]);
      expect(bought.subscriptions).toEqual([
        {
          store: 'ONESTORE',
          productId: 'vip_pass',
          state: 'ACTIVE',
          since: one.createdAt,
          expiresAt: firstExpiry,
          willRenew: null,
          billingIssue: null,
          latestGrantId: one.id,
        },
      ]);
      expect(bought.grants.edges.map((e) => e.node.id)).toEqual([gb.id, nhn.id, one.id]);
      // Each grant: GRANT_CREATED then GRANT_SETTLED; newest first. (The ENTITLEMENT_* events among
      // them come as the worker runs: entitlement-events.test.ts.)
      const grantEvents = bought.events.edges.filter((e) => e.node.type.startsWith('GRANT_'));
      expect(grantEvents.map((e) => [e.node.type, e.node.grant?.id])).toEqual([
        ['GRANT_SETTLED', gb.id],
        ['GRANT_CREATED', gb.id],
        ['GRANT_SETTLED', nhn.id],
        ['GRANT_CREATED', nhn.id],
        ['GRANT_SETTLED', one.id],
        ['GRANT_CREATED', one.id],
      ]);

      // The store renews (sandbox time past the period). Until the renewal is redeemed, the ledger's
      // facts end at the first period: vip lapsed, and the 30 days of the season pass are over too.
      g.h.sandbox.clock.advance(DEFAULT_PERIOD_MS + 60_000);
      const lapsed = await player(userId);
      expect(lapsed.entitlements).toEqual([
        noAds,
        { ...season, active: false },
        { ...vip, active: false, willRenew: false },
      ]);
      expect(lapsed.subscriptions).toEqual([
        expect.objectContaining({ state: 'EXPIRED', expiresAt: firstExpiry }),
      ]);

      // The renewal redeemed: a second period's grant; vip runs on from the first period's start.
      const renewed = grantOf(
        await redeem(g, {
          app: APP,
          userId,
          onestore: { productId: 'vip_pass', purchaseToken: sub.purchaseToken, kind: 'SUBSCRIPTION' },
        }),
      );
      const rec = await record(g, sub.purchaseToken);
      const secondExpiry = await expiryOf(g, sub.purchaseToken);
      expect(renewed.id).not.toBe(one.id);
      expect(renewed.storeIds.expiryTime).toBe(secondExpiry);
      const vipRenewed = { ...vip, expiresAt: secondExpiry, grantId: renewed.id };
      expect((await player(userId)).entitlements).toEqual([noAds, { ...season, active: false }, vipRenewed]);

      // The store refunds the second period: its grant is revoked, vip ends at the revocation.
      await act(g, sub.purchaseToken, 'void', { purchaseId: String(rec.lastPurchaseId) });
      g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
      const SYNC = `mutation { syncRevocations(app: "${APP}") { __typename ... on RevocationSyncReport { grantsRevoked } } }`;
      expect((await g.gql(SYNC)).data.syncRevocations).toEqual({
        __typename: 'RevocationSyncReport',
        grantsRevoked: 1,
      });
      const refunded = await player(userId);
      const revokedAt = refunded.grants.edges.find((e) => e.node.id === renewed.id)?.node.revokedAt;
      expect(typeof revokedAt).toBe('string');
      expect(refunded.entitlements).toEqual([
        noAds,
        { ...season, active: false },
        { ...vipRenewed, active: false, willRenew: false, expiresAt: revokedAt },
      ]);
      expect(refunded.subscriptions).toEqual([
        expect.objectContaining({ state: 'EXPIRED', expiresAt: revokedAt, latestGrantId: renewed.id }),
      ]);

      // A year on: only the one-time item remains.
      g.h.sandbox.clock.advance(365 * DAY_MS);
      expect((await player(userId)).entitlements.map((e) => [e.id, e.active])).toEqual([
        ['no_ads', true],
        ['season_pass', false],
        ['vip', false],
      ]);
    });

    it('a player with no grants has no entitlements; another app or a bad userId is refused', async () => {
      const nobody = await player('nobody-at-all');
      expect(nobody).toMatchObject({ entitlements: [], subscriptions: [], grants: { edges: [] } });
      const refused = await g.gql(PLAYER, { app: 'other', userId: 'x' });
      expect(refused.data.player).toMatchObject({ __typename: 'ForbiddenError' });
      const bad = await g.gql(
        `query { player(app: "${APP}", userId: "a b") { __typename ... on InvalidInputError { field } } }`,
      );
      expect(bad.data.player).toEqual({ __typename: 'InvalidInputError', field: 'userId' });
    });
  });
}
