import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendingTo } from '../helpers/events-webhooks.js';
import { APP, type GatewayHarness, nhnItem, nhnPayment } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gatewayOnLedger } from '../helpers/ledger-gateway.js';
import { type RedeemAnswer, redeem } from '../helpers/redeem.js';
import { newGamebasePayment } from '../helpers/stores.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';
import { at, MARGIN, PERIOD, startAt, subscribed, T0, TRACKING, tick } from '../subscriptions/tracking.js';

/**
 * Issue 27: each grant and event carries its environment (SANDBOX or PRODUCTION), decided from the
 * store's evidence; a webhook endpoint subscribed to PRODUCTION only gets no delivery of a SANDBOX
 * event, and `redeliverEvent` refuses to send it one; `player` shows it. The harness's app A is
 * configured with ONE store's default environment (sandbox), NHN Cloud's and Gamebase's (production).
 */

const SECRET = `whsec-${randomUUID()}`;
const FAST = {
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  pollIntervalMs: 100,
  timeoutMs: 1_000,
  leaseSeconds: 2,
};
const CATALOGUE = {
  gems: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'gem_100' }], grants: 'forever' },
  premium: { products: [{ store: 'ONESTORE', productId: 'premium' }], grants: 'whileSubscribed' },
};

const GRANT_EVENTS = `query ($app: String!, $id: ID!, $userId: String!) {
  grant(app: $app, id: $id) { ... on Grant { environment } }
  player(app: $app, userId: $userId) {
    ... on Player {
      events(first: 20) {
        ... on GatewayEventConnection { edges { node { id type environment grant { id environment } } } }
      }
    }
  }
}`;

const DELIVERIES = `query ($app: String!, $after: String) {
  webhookDeliveries(app: $app, first: 100, after: $after) {
    ... on WebhookDeliveryConnection {
      edges { node { endpoint event { id type environment subject: grant { id } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const REDELIVER = `mutation ($input: RedeliverEventInput!) {
  redeliverEvent(input: $input) {
    __typename
    ... on RedeliverEventSuccess { deliveries { endpoint } }
    ... on InvalidInputError { field message }
  }
}`;

const PLAYER = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    ... on Player {
      entitlements { id grantId environment }
      subscriptions { productId latestGrantId environment }
    }
  }
}`;

interface Delivery {
  endpoint: string;
  event: { id: string; type: string; environment: string; subject: { id: string } | null };
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`environments on ${backend.name}`, () => {
    let receiver: Receiver;
    let g: GatewayHarness;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });
    gatewayOnLedger(
      backend,
      () => {
        const hooks = sendingTo(receiver, SECRET, { name: 'everything' }, FAST);
        const [everything] = hooks.appWebhooks ?? [];
        return {
          ...hooks,
          // Two endpoints on one receiver: `revenue` takes PRODUCTION only, `everything` both.
          appWebhooks: [everything ?? {}, { ...everything, name: 'revenue', environments: ['PRODUCTION'] }],
          appEntitlements: CATALOGUE,
          market: TRACKING.market,
          config: { ...TRACKING.config, ...hooks.config },
        };
      },
      (started) => {
        g = started.g;
      },
    );

    const grantOf = (answer: RedeemAnswer) => {
      expect(answer.__typename).toBe('RedeemPurchaseSuccess');
      return answer.grant?.id ?? '';
    };

    const gamebaseGrant = async (
      userId: string,
      isTestPurchase: boolean,
      purchaseType?: string,
    ): Promise<string> => {
      const pay = await newGamebasePayment(g.h, g.gamebase, {
        userId,
        isTestPurchase,
        ...(purchaseType && { purchaseType }),
      });
      return grantOf(
        await redeem(g, {
          app: APP,
          userId,
          gamebase: { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken, productId: 'gem_100' },
        }),
      );
    };

    /** The grant's environment, and its events (oldest first) with theirs and their grant snapshot's. */
    const grantEvents = async (userId: string, id: string) => {
      const data = (await g.gql(GRANT_EVENTS, { app: APP, id, userId })).data as {
        grant: { environment: string };
        player: {
          events: {
            edges: {
              node: {
                id: string;
                type: string;
                environment: string;
                grant: { id: string; environment: string };
              };
            }[];
          };
        };
      };
      const events = data.player.events.edges
        .map((e) => e.node)
        .filter((e) => e.grant?.id === id)
        .map(({ id: eventId, type, environment, grant }) => ({
          id: eventId,
          type,
          environment,
          grantEnvironment: grant.environment,
        }));
      return { environment: data.grant.environment, events };
    };

    /** Every delivery row of the app, in the ledger's order (event, then endpoint). */
    const deliveries = async (): Promise<Delivery[]> => {
      const out: Delivery[] = [];
      let after: string | null = null;
      for (;;) {
        const page = (await g.gql(DELIVERIES, { app: APP, after })).data.webhookDeliveries as {
          edges: { node: Delivery }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
        out.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage) return out;
        after = page.pageInfo.endCursor;
      }
    };
    const rowsOf = async (grantId: string) =>
      (await deliveries())
        .filter((d) => d.event.subject?.id === grantId)
        .map((d) => [d.endpoint, d.event.type, d.event.environment]);

    it('a Gamebase test purchase is a SANDBOX grant with SANDBOX events, delivered to `everything` only', async () => {
      const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
      const id = await gamebaseGrant(userId, true);
      const { environment, events } = await grantEvents(userId, id);
      expect(environment).toBe('SANDBOX');
      expect(events.map(({ id: _id, ...e }) => e)).toEqual([
        { type: 'GRANT_SETTLED', environment: 'SANDBOX', grantEnvironment: 'SANDBOX' },
        { type: 'GRANT_CREATED', environment: 'SANDBOX', grantEnvironment: 'SANDBOX' },
      ]);
      expect(await rowsOf(id)).toEqual([
        ['everything', 'GRANT_CREATED', 'SANDBOX'],
        ['everything', 'GRANT_SETTLED', 'SANDBOX'],
      ]);
      // The webhook body carries it too (the stream's selection of GatewayEvent).
      await receiver.until((got) => got.filter((r) => r.body.grant?.id === id).length === 2, 10_000);
      const bodies = receiver.received.filter((r) => r.body.grant?.id === id).map((r) => r.body);
      expect(
        bodies.map((b) => [b.type, b.environment, (b.grant as { environment?: string }).environment]),
      ).toEqual([
        ['GRANT_CREATED', 'SANDBOX', 'SANDBOX'],
        ['GRANT_SETTLED', 'SANDBOX', 'SANDBOX'],
      ]);
    });

    it('a Gamebase payment not marked as a test is PRODUCTION (the config), delivered to both endpoints', async () => {
      const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
      const id = await gamebaseGrant(userId, false);
      expect((await grantEvents(userId, id)).environment).toBe('PRODUCTION');
      expect(await rowsOf(id)).toEqual([
        ['everything', 'GRANT_CREATED', 'PRODUCTION'],
        ['revenue', 'GRANT_CREATED', 'PRODUCTION'],
        ['everything', 'GRANT_SETTLED', 'PRODUCTION'],
        ['revenue', 'GRANT_SETTLED', 'PRODUCTION'],
      ]);
    });

    it('a Gamebase payment whose receipt says purchaseType "Test" is SANDBOX too, isTestPurchase false', async () => {
      const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
      const id = await gamebaseGrant(userId, false, 'Test');
      expect((await grantEvents(userId, id)).environment).toBe('SANDBOX');
      expect(await rowsOf(id)).toEqual([
        ['everything', 'GRANT_CREATED', 'SANDBOX'],
        ['everything', 'GRANT_SETTLED', 'SANDBOX'],
      ]);
      // A promotion is paid for real: the config's environment.
      const promo = await gamebaseGrant(userId, false, 'Promo');
      expect((await grantEvents(userId, promo)).environment).toBe('PRODUCTION');
    });

    it("an NHN Cloud payment takes the app's configured environment (production by default)", async () => {
      const userId = `nhn-${randomUUID().slice(0, 8)}`;
      const itemSeq = await nhnItem(g, { marketItemId: `env_${randomUUID().slice(0, 6)}` });
      const pay = await nhnPayment(g, { itemSeq, userKey: userId });
      const id = grantOf(
        await redeem(g, {
          app: APP,
          userId,
          nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
        }),
      );
      const { environment, events } = await grantEvents(userId, id);
      expect(environment).toBe('PRODUCTION');
      expect(events.map((e) => e.environment)).toEqual(['PRODUCTION', 'PRODUCTION']);
    });

    it('redeliverEvent refuses a PRODUCTION-only endpoint a SANDBOX event, and sends it to the others', async () => {
      const userId = `GG@${randomUUID().slice(0, 12).toUpperCase()}`;
      const id = await gamebaseGrant(userId, true);
      const created = (await grantEvents(userId, id)).events.find((e) => e.type === 'GRANT_CREATED');
      const eventId = created?.id;
      const refused = (await g.gql(REDELIVER, { input: { app: APP, eventId, endpoint: 'revenue' } })).data
        .redeliverEvent;
      expect(refused).toEqual({
        __typename: 'InvalidInputError',
        field: 'input.endpoint',
        message: `Webhook endpoint "revenue" of app "${APP}" does not take SANDBOX events (its config's environments).`,
      });
      const all = (await g.gql(REDELIVER, { input: { app: APP, eventId } })).data.redeliverEvent;
      expect(all).toEqual({ __typename: 'RedeliverEventSuccess', deliveries: [{ endpoint: 'everything' }] });
      expect(await rowsOf(id)).toEqual([
        ['everything', 'GRANT_CREATED', 'SANDBOX'],
        ['everything', 'GRANT_SETTLED', 'SANDBOX'],
      ]);
    });

    it('a ONE store subscription of a sandbox-configured app: SANDBOX grant, lifecycle events and player', async () => {
      await startAt(g, T0);
      const { token, userId } = await subscribed(g);
      await tick(g);
      at(g, T0 + PERIOD + MARGIN);
      await tick(g);
      const renewed = (await deliveries()).filter((d) => d.event.type === 'SUBSCRIPTION_RENEWED');
      // The tracked row's environment (its grant's): no delivery to the PRODUCTION-only endpoint.
      expect(renewed.map((d) => [d.endpoint, d.event.environment])).toEqual([['everything', 'SANDBOX']]);
      const gbId = await gamebaseGrant(userId, false);
      const player = (await g.gql(PLAYER, { app: APP, userId })).data.player as {
        entitlements: { id: string; grantId: string; environment: string }[];
        subscriptions: { productId: string; latestGrantId: string; environment: string }[];
      };
      expect(player.entitlements).toEqual([
        { id: 'gems', grantId: gbId, environment: 'PRODUCTION' },
        { id: 'premium', grantId: player.subscriptions[0]?.latestGrantId, environment: 'SANDBOX' },
      ]);
      expect(player.subscriptions).toMatchObject([{ productId: 'premium', environment: 'SANDBOX' }]);
      expect(token).toBeTruthy();
    });
  });
}
