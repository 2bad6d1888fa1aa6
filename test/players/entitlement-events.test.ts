import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntitlementCatalogue } from '../../src/config/entitlements.js';
import { EntitlementEventWorker } from '../../src/players/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { onestore } from '../../src/stores/index.js';
import { APP, act, type GatewayHarness, nhnItem, nhnPayment, purchase } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor, redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 27, entitlement events: one per change of a player's computed set, in order per player,
 * none when nothing changed; through the outbox (player.events, gatewayEvents), on both ledgers.
 */

const DAY_MS = 86_400_000;

const CATALOGUE: EntitlementCatalogue = {
  season_pass: { products: [{ store: 'NHN_CLOUD', marketItemId: 'season_pass_30d' }], grants: { days: 30 } },
  no_ads: { products: [{ store: 'ONESTORE', productId: 'no_ads' }], grants: 'forever' },
};

const EVENTS = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    ... on Player {
      entitlements { id active since expiresAt grantId }
      events(first: 50) {
        ... on GatewayEventConnection {
          edges { node { type occurredAt userId
            entitlement { id active since expiresAt periodType source grantId }
            previousEntitlement { active expiresAt } } }
        }
      }
    }
  }
}`;

interface EntitlementEventNode {
  type: string;
  occurredAt: string;
  userId: string | null;
  entitlement: { id: string; active: boolean; expiresAt: string | null; grantId: string } | null;
  previousEntitlement: { active: boolean; expiresAt: string | null } | null;
}

const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`entitlement events on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(
      backend,
      {
        gateway: {
          appEntitlements: CATALOGUE,
          // No poll: the tests drive the worker (commits still wake it).
          config: {
            ledger: { revocationSyncIntervalSeconds: 0 },
            entitlementEvents: { pollIntervalSeconds: 0 },
          },
        },
      },
      (started) => {
        g = started.g;
        ledger = started.ledger;
      },
    );

    /**
     * Runs the worker until nothing is due (a run in flight is joined first, so one more after it);
     * the second run's figures.
     */
    const settle = async () => {
      const worker = await g.gateway.entitlementEventWorker();
      await worker.runDue();
      return worker.runDue();
    };

    /** The player's ENTITLEMENT_* events, oldest first. */
    const eventsOf = async (userId: string): Promise<EntitlementEventNode[]> => {
      const answer = await g.gql(EVENTS, { app: APP, userId });
      const player = answer.data.player as { events: { edges: { node: EntitlementEventNode }[] } };
      return player.events.edges
        .map((e) => e.node)
        .filter((e) => e.type.startsWith('ENTITLEMENT_'))
        .reverse();
    };

    const newPlayer = () => `p-${randomUUID().slice(0, 12)}`;

    const items = new Map<string, Promise<string>>();
    const buyPass = async (userId: string, marketItemId = 'season_pass_30d') => {
      let item = items.get(marketItemId);
      if (item === undefined) {
        item = nhnItem(g, { marketItemId });
        items.set(marketItemId, item);
      }
      const itemSeq = await item;
      const pay = await nhnPayment(g, { itemSeq, userKey: userId });
      const answer = await redeem(g, {
        app: APP,
        userId,
        nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
      });
      expect(answer.__typename).toBe('RedeemPurchaseSuccess');
      return answer.grant as unknown as { id: string; createdAt: string };
    };

    it('a catalogue product redeemed: exactly one ENTITLEMENT_GRANTED; a product outside it: none', async () => {
      g.h.sandbox.clock.reset();
      const userId = newPlayer();
      const pass = await buyPass(userId);
      await settle();
      const events = await eventsOf(userId);
      expect(events).toEqual([
        {
          type: 'ENTITLEMENT_GRANTED',
          occurredAt: expect.any(String),
          userId,
          entitlement: {
            id: 'season_pass',
            active: true,
            since: pass.createdAt,
            expiresAt: plusDays(pass.createdAt, 30),
            periodType: 'DAYS',
            source: 'GRANT',
            grantId: pass.id,
          },
          previousEntitlement: null,
        },
      ]);
      // Nothing changed since: the worker run again writes nothing, the row waits for the expiry.
      expect(await settle()).toMatchObject({ events: 0 });
      const row = await ledger.entitlements.get(APP, userId);
      expect(row?.dueAt?.toISOString()).toBe(plusDays(pass.createdAt, 30));
      expect(row?.state).toEqual({
        season_pass: { active: true, expiresAt: new Date(plusDays(pass.createdAt, 30)) },
      });

      const other = newPlayer();
      await buyPass(other, 'gems_100');
      await settle();
      expect(await eventsOf(other)).toEqual([]);
      // Marked and computed once: an empty set, nothing due.
      expect(await ledger.entitlements.get(APP, other)).toMatchObject({ state: {}, dueAt: null, version: 1 });
    });

    it('a 30-day pass bought twice: GRANTED then EXTENDED; its expiry by the clock: EXPIRED once', async () => {
      g.h.sandbox.clock.reset();
      const userId = newPlayer();
      const first = await buyPass(userId);
      await settle();
      const second = await buyPass(userId);
      await settle();
      const end = plusDays(first.createdAt, 60);
      let events = await eventsOf(userId);
      expect(events.map((e) => [e.type, e.entitlement?.expiresAt, e.previousEntitlement])).toEqual([
        ['ENTITLEMENT_GRANTED', plusDays(first.createdAt, 30), null],
        ['ENTITLEMENT_EXTENDED', end, { active: true, expiresAt: plusDays(first.createdAt, 30) }],
      ]);
      expect(events[1]?.entitlement?.grantId).toBe(second.id);

      // 59 days on: still active, nothing due yet.
      g.h.sandbox.clock.advance(59 * DAY_MS);
      await settle();
      expect(await eventsOf(userId)).toHaveLength(2);
      // Past the end: one EXPIRED, at the end; again: none.
      g.h.sandbox.clock.advance(2 * DAY_MS);
      await settle();
      events = await eventsOf(userId);
      expect(events.map((e) => e.type)).toEqual([
        'ENTITLEMENT_GRANTED',
        'ENTITLEMENT_EXTENDED',
        'ENTITLEMENT_EXPIRED',
      ]);
      expect(events[2]).toMatchObject({
        occurredAt: end,
        entitlement: { active: false, expiresAt: end },
        previousEntitlement: { active: true, expiresAt: end },
      });
      await settle();
      expect(await eventsOf(userId)).toHaveLength(3);
      expect(await ledger.entitlements.get(APP, userId)).toMatchObject({ dueAt: null });
    });

    it('a revocation (ONE store refund, synced): ENTITLEMENT_REVOKED at the revocation', async () => {
      g.h.sandbox.clock.reset();
      const userId = newPlayer();
      const p = await purchase(g, { productId: 'no_ads' });
      const answer = await redeem(g, {
        app: APP,
        userId,
        onestore: { productId: 'no_ads', purchaseToken: p.purchaseToken },
      });
      expect(answer.__typename).toBe('RedeemPurchaseSuccess');
      await settle();
      await act(g, p.purchaseToken, 'void');
      g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
      const sync = await g.gql(
        `mutation { syncRevocations(app: "${APP}") { __typename ... on RevocationSyncReport { grantsRevoked } } }`,
      );
      expect(sync.data.syncRevocations).toEqual({ __typename: 'RevocationSyncReport', grantsRevoked: 1 });
      await settle();
      const events = await eventsOf(userId);
      expect(events.map((e) => [e.type, e.entitlement?.active, e.entitlement?.expiresAt === null])).toEqual([
        ['ENTITLEMENT_GRANTED', true, true],
        ['ENTITLEMENT_REVOKED', false, false],
      ]);
      const revoked = events[1];
      expect(revoked?.previousEntitlement).toEqual({ active: true, expiresAt: null });
      expect(revoked?.occurredAt).toBe(revoked?.entitlement?.expiresAt);
      // The same events through gatewayEvents, subject the player.
      const listed = await g.gql(
        `query { gatewayEvents(app: "${APP}", types: [ENTITLEMENT_REVOKED], first: 100) {
          ... on GatewayEventConnection { edges { node { userId entitlement { id } } } } } }`,
      );
      const nodes = (listed.data.gatewayEvents as { edges: { node: { userId: string } }[] }).edges;
      expect(nodes.filter((e) => e.node.userId === userId)).toEqual([
        { node: { userId, entitlement: { id: 'no_ads' } } },
      ]);
    });

    it('a support grant of no_ads for 7 days: GRANTED until then; revoked by support: REVOKED at once', async () => {
      g.h.sandbox.clock.reset();
      const userId = newPlayer();
      const until = new Date(g.now() + 7 * DAY_MS).toISOString();
      const granted = await g.gql(
        `mutation ($input: GrantEntitlementInput!) { grantEntitlement(input: $input) {
          __typename ... on GrantEntitlementSuccess { supportGrant { id since } } } }`,
        { input: { app: APP, userId, entitlement: 'no_ads', until, reason: 'Make-good for ticket 1' } },
        { key: g.keys.support },
      );
      const given = (granted.data.grantEntitlement as { supportGrant: { id: string; since: string } })
        .supportGrant;
      await settle();
      const revoked = await g.gql(
        `mutation ($input: RevokeGrantInput!) { revokeGrant(input: $input) { __typename } }`,
        { input: { app: APP, id: given.id, reason: 'Granted to the wrong player' } },
        { key: g.keys.support },
      );
      expect(revoked.data.revokeGrant).toEqual({ __typename: 'RevokeGrantSuccess' });
      await settle();
      const events = await eventsOf(userId);
      expect(events.map((e) => [e.type, e.userId, e.entitlement])).toEqual([
        [
          'ENTITLEMENT_GRANTED',
          userId,
          {
            id: 'no_ads',
            active: true,
            since: given.since,
            expiresAt: until,
            periodType: 'DAYS',
            source: 'SUPPORT',
            grantId: given.id,
          },
        ],
        [
          'ENTITLEMENT_REVOKED',
          userId,
          expect.objectContaining({ id: 'no_ads', active: false, source: 'SUPPORT', grantId: given.id }),
        ],
      ]);
      expect(events[1]?.previousEntitlement).toEqual({ active: true, expiresAt: until });
    });

    it.skipIf(backend.name !== 'postgres')(
      'two workers (two replicas on one PostgreSQL) write exactly one event per change',
      async () => {
        g.h.sandbox.clock.reset();
        const gateway = await g.gateway.entitlementEventWorker();
        await gateway.stop(); // only the two below run, side by side
        const other: LedgerStorage = await ledgerFor(backend);
        try {
          const worker = (storage: LedgerStorage) =>
            new EntitlementEventWorker({
              store: storage.entitlements,
              events: storage.events,
              catalogueOf: () => CATALOGUE,
              now: () => g.now(),
              pollIntervalMs: 0,
              batchSize: 2,
            });
          const [a, b] = [worker(ledger), worker(other)];
          const players = Array.from({ length: 6 }, newPlayer);
          for (const userId of players) await buyPass(userId);
          const types = async () =>
            Promise.all(players.map(async (u) => (await eventsOf(u)).map((e) => e.type)));
          const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
          // Each player computed by one of them (the other found it no longer due).
          expect(ra.events + rb.events).toBe(6);
          expect(ra.computed + rb.computed).toBe(6);
          expect(await types()).toEqual(players.map(() => ['ENTITLEMENT_GRANTED']));
          for (const userId of players) await buyPass(userId);
          await Promise.all([a.runDue(), b.runDue()]);
          expect(await types()).toEqual(players.map(() => ['ENTITLEMENT_GRANTED', 'ENTITLEMENT_EXTENDED']));
          g.h.sandbox.clock.advance(61 * DAY_MS);
          await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
          await Promise.all([a.runDue(), b.runDue()]);
          expect(await types()).toEqual(
            players.map(() => ['ENTITLEMENT_GRANTED', 'ENTITLEMENT_EXTENDED', 'ENTITLEMENT_EXPIRED']),
          );
        } finally {
          await other.db.close();
          gateway.start();
        }
      },
    );
  });
}
