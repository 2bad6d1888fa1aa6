import { describe, expect, it } from 'vitest';
import { APP, nhnItem, nhnPayment, purchase, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { subscribe } from '../helpers/sse.js';

/**
 * Every query and mutation against every kind of caller: no key and a wrong key are HTTP 401, a key
 * for another app and a key without the scope are ForbiddenError, and none of those four reaches a
 * store. Only the right key succeeds. A new root field must be added here (the last test checks).
 * Subscriptions (the live stream, over server-sent events) the same: their refusals are request
 * errors with `extensions.code` before anything streams.
 */

// grantEntitlement needs an entitlement in the app's catalogue.
const g = useGateway({
  appEntitlements: { vip: { products: [{ store: 'ONESTORE', productId: 'vip_pass' }], grants: { days: 7 } } },
});

interface Case {
  /** `support`: the support actions, which only `keys.support` may call (read and write keys are refused). */
  scope: 'read' | 'write' | 'support';
  /** The operation and its variables, on fresh store data; `app` is the app to use. */
  make(app: string): Promise<{ query: string; variables: object }>;
  success: string;
}

const field = (name: string, args: string) => `${name}(${args}) { __typename ... on Error { code } }`;
const op = (kind: 'query' | 'mutation', decl: string, body: string) => `${kind}(${decl}) { ${body} }`;
const target = (input: string, name: string) =>
  op('mutation', `$input: ${input}!`, field(name, 'input: $input'));

const subscriptionInput = async (app: string) => {
  const s = await purchase(g, { type: 'subscription', productId: 'pro', acknowledged: true });
  return { app, productId: s.productId, purchaseToken: s.purchaseToken, kind: 'SUBSCRIPTION' };
};

/** A redeemed purchase of app A, made with the read-write key (setup, before the counters reset). */
const redeemedGrant = async (): Promise<string> => {
  const p = await purchase(g);
  const answer = await g.gql(
    target('RedeemPurchaseInput', 'redeemPurchase').replace(
      '__typename',
      '__typename ... on RedeemPurchaseSuccess { grant { id } }',
    ),
    {
      input: {
        app: APP,
        userId: 'matrix-user',
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      },
    },
  );
  const id = (answer.data.redeemPurchase as { grant?: { id: string } }).grant?.id;
  if (!id) throw new Error(`no grant: ${JSON.stringify(answer.body)}`);
  return id;
};

const CASES: Record<string, Case> = {
  purchase: {
    scope: 'read',
    success: 'Purchase',
    make: async (app) => {
      const p = await purchase(g);
      return {
        query: op(
          'query',
          '$a: String!, $p: String!, $t: String!',
          field('purchase', 'app: $a, productId: $p, purchaseToken: $t'),
        ),
        variables: { a: app, p: p.productId, t: p.purchaseToken },
      };
    },
  },
  subscription: {
    scope: 'read',
    success: 'Subscription',
    make: async (app) => {
      const s = await subscriptionInput(app);
      return {
        query: op(
          'query',
          '$a: String!, $p: String!, $t: String!',
          field('subscription', 'app: $a, productId: $p, purchaseToken: $t'),
        ),
        variables: { a: app, p: s.productId, t: s.purchaseToken },
      };
    },
  },
  checkEntitlements: {
    scope: 'read',
    success: 'EntitlementCheckList',
    make: async (app) => {
      const p = await purchase(g);
      return {
        query: op(
          'query',
          '$a: String!, $c: [EntitlementCheckInput!]!',
          field('checkEntitlements', 'app: $a, checks: $c'),
        ),
        variables: {
          a: app,
          c: [{ store: 'ONESTORE', productId: p.productId, purchaseToken: p.purchaseToken }],
        },
      };
    },
  },
  item: {
    scope: 'read',
    success: 'Item',
    make: async (app) => ({
      query: op('query', '$a: String!, $s: String!', field('item', 'app: $a, itemSeq: $s')),
      variables: { a: app, s: await nhnItem(g, { marketItemId: `m${Date.now()}` }) },
    }),
  },
  items: {
    scope: 'read',
    success: 'ItemCatalog',
    make: async (app) => ({
      query: op('query', '$a: String!', field('items', 'app: $a')),
      variables: { a: app },
    }),
  },
  unconfirmedPurchases: {
    scope: 'read',
    success: 'PurchaseConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('unconfirmedPurchases', 'app: $a')),
      variables: { a: app },
    }),
  },
  voidedPurchases: {
    scope: 'read',
    success: 'VoidedPurchaseConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('voidedPurchases', 'app: $a')),
      variables: { a: app },
    }),
  },
  unconsumedPurchases: {
    scope: 'read',
    success: 'UnconsumedPurchases',
    make: async (app) => ({
      query: op('query', '$a: String!', field('unconsumedPurchases', 'app: $a, userKey: "user-1"')),
      variables: { a: app },
    }),
  },
  unconsumedGamebasePayments: {
    scope: 'read',
    success: 'UnconsumedGamebasePayments',
    make: async (app) => ({
      query: op(
        'query',
        '$a: String!',
        field('unconsumedGamebasePayments', 'app: $a, userId: "AS@MATRIXUSER"'),
      ),
      variables: { a: app },
    }),
  },
  gamebaseSubscriptions: {
    scope: 'read',
    success: 'GamebaseSubscriptions',
    make: async (app) => ({
      query: op(
        'query',
        '$a: String!',
        field('gamebaseSubscriptions', 'app: $a, userId: "AS@MATRIXUSER", packageName: "com.example.game"'),
      ),
      variables: { a: app },
    }),
  },
  gamebaseSubscriptionStatus: {
    scope: 'read',
    success: 'GamebaseSubscriptionStatus',
    make: async (app) => {
      const s = await g.control<{ periods: { paymentSeq: string; accessToken: string }[] }>(
        'POST',
        '/gamebase/subscriptions',
        {
          appId: g.gamebase.appId,
          userId: 'AS@MATRIXUSER',
          gamebaseProductId: 'vip',
          price: '1000',
          currency: 'KRW',
        },
      );
      const p = s.periods[0] as { paymentSeq: string; accessToken: string };
      return {
        query: op(
          'query',
          '$a: String!, $s: String!, $t: String!',
          field('gamebaseSubscriptionStatus', 'app: $a, paymentSeq: $s, purchaseToken: $t'),
        ),
        variables: { a: app, s: p.paymentSeq, t: p.accessToken },
      };
    },
  },
  acknowledgePurchase: {
    scope: 'write',
    success: 'AcknowledgePurchaseSuccess',
    make: async (app) => {
      const p = await purchase(g);
      return {
        query: target('AcknowledgePurchaseInput', 'acknowledgePurchase'),
        variables: { input: { app, productId: p.productId, purchaseToken: p.purchaseToken } },
      };
    },
  },
  consumePurchase: {
    scope: 'write',
    success: 'ConsumePurchaseSuccess',
    make: async (app) => {
      const item = await nhnItem(g, { marketItemId: `c${Date.now()}` });
      const pay = await nhnPayment(g, { itemSeq: item });
      const nhncloud = { itemSeq: item, paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken };
      return {
        query: target('ConsumePurchaseInput', 'consumePurchase'),
        variables: { input: { app, nhncloud } },
      };
    },
  },
  cancelSubscription: {
    scope: 'write',
    success: 'SubscriptionChange',
    make: async (app) => ({
      query: target('SubscriptionTargetInput', 'cancelSubscription'),
      variables: { input: await subscriptionInput(app) },
    }),
  },
  reactivateSubscription: {
    scope: 'write',
    success: 'SubscriptionChange',
    make: async (app) => {
      const input = await subscriptionInput(app);
      const cancelled = await g.gql(target('SubscriptionTargetInput', 'cancelSubscription'), {
        input: { ...input, app: APP },
      });
      expect(cancelled.data).toMatchObject({ cancelSubscription: { __typename: 'SubscriptionChange' } });
      return { query: target('SubscriptionTargetInput', 'reactivateSubscription'), variables: { input } };
    },
  },
  redeemPurchase: {
    scope: 'write',
    success: 'RedeemPurchaseSuccess',
    make: async (app) => {
      const p = await purchase(g);
      return {
        query: target('RedeemPurchaseInput', 'redeemPurchase'),
        variables: {
          input: { app, userId: 'u1', onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
        },
      };
    },
  },
  syncRevocations: {
    scope: 'write',
    success: 'RevocationSyncReport',
    make: async (app) => ({
      query: op('mutation', '$a: String!', field('syncRevocations', 'app: $a')),
      variables: { a: app },
    }),
  },
  grants: {
    scope: 'read',
    success: 'GrantConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('grants', 'app: $a, userId: "matrix-user"')),
      variables: { a: app },
    }),
  },
  player: {
    scope: 'read',
    success: 'Player',
    make: async (app) => ({
      query: op('query', '$a: String!', field('player', 'app: $a, userId: "matrix-user"')),
      variables: { a: app },
    }),
  },
  players: {
    scope: 'read',
    success: 'QueryPlayersSuccess',
    make: async (app) => ({
      query: op('query', '$a: String!', field('players', 'app: $a, userIds: ["matrix-user"]')),
      variables: { a: app },
    }),
  },
  revokedGrants: {
    scope: 'read',
    success: 'GrantConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('revokedGrants', 'app: $a, since: "2026-01-01T00:00:00Z"')),
      variables: { a: app },
    }),
  },
  gatewayEvents: {
    scope: 'read',
    success: 'GatewayEventConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('gatewayEvents', 'app: $a')),
      variables: { a: app },
    }),
  },
  webhookDeliveries: {
    scope: 'read',
    success: 'WebhookDeliveryConnection',
    make: async (app) => ({
      query: op('query', '$a: String!', field('webhookDeliveries', 'app: $a, status: DEAD')),
      variables: { a: app },
    }),
  },
  redeliverEvent: {
    scope: 'write',
    success: 'RedeliverEventSuccess',
    make: async (app) => {
      // An event of app A: the redemption's GRANT_CREATED (app A has no webhook endpoint: none queued).
      await redeemedGrant();
      const service = await g.gateway.redemption();
      const event = (await service.storage.events.after(APP, null, 1)).at(0);
      return {
        query: target('RedeliverEventInput', 'redeliverEvent'),
        variables: { input: { app, eventId: event?.id } },
      };
    },
  },
  grant: {
    scope: 'read',
    success: 'Grant',
    make: async (app) => ({
      query: op('query', '$a: String!, $id: ID!', field('grant', 'app: $a, id: $id')),
      variables: { a: app, id: await redeemedGrant() },
    }),
  },
  grantEntitlement: {
    scope: 'support',
    success: 'GrantEntitlementSuccess',
    make: async (app) => ({
      query: target('GrantEntitlementInput', 'grantEntitlement'),
      variables: { input: { app, userId: 'matrix-user', entitlement: 'vip', reason: 'matrix' } },
    }),
  },
  revokeGrant: {
    scope: 'support',
    success: 'RevokeGrantSuccess',
    make: async (app) => ({
      query: target('RevokeGrantInput', 'revokeGrant'),
      variables: { input: { app, id: await redeemedGrant(), reason: 'matrix' } },
    }),
  },
  deferSubscription: {
    scope: 'write',
    success: 'SubscriptionChange',
    make: async (app) => {
      const { kind: _kind, ...input } = await subscriptionInput(app);
      return {
        query: target('DeferSubscriptionInput', 'deferSubscription'),
        variables: { input: { ...input, deferPeriod: 15 } },
      };
    },
  },
};

/** Subscription root fields (root type EventStream), each with `$a` as its app. */
const SUBSCRIPTION_CASES: Record<string, string> = {
  gatewayEvents: 'subscription ($a: String!) { gatewayEvents(app: $a) { id } }',
};

const rootOf = (query: string) => /\{\s*(\w+)\(/.exec(query)?.[1] ?? '';

describe('authorization matrix', () => {
  it.each(Object.entries(CASES))('%s', async (name, c) => {
    const denied: [string, string | null, string, number | string][] = [
      ['no key', null, APP, 401],
      ['a wrong key', `${g.keys.rw}x`, APP, 401],
      ['a key for another app', g.keys.other, APP, 'FORBIDDEN'],
    ];
    // The read-only key lacks `write`; for a query, use it on an app it does not have instead. The
    // support actions refuse both the read-only and the read-write key.
    if (c.scope === 'support')
      denied.push(['a read key', g.keys.ro, APP, 'FORBIDDEN'], ['a write key', g.keys.rw, APP, 'FORBIDDEN']);
    else
      denied.push(
        c.scope === 'write'
          ? ['a key without the scope', g.keys.ro, APP, 'FORBIDDEN']
          : ['ro key, other app', g.keys.ro, 'other', 'FORBIDDEN'],
      );
    for (const [who, key, app, expected] of denied) {
      const { query, variables } = await c.make(app);
      await g.resetStats();
      const answer = await g.gql(query, variables, { key });
      if (typeof expected === 'number') {
        expect(answer.status, who).toBe(expected);
      } else {
        expect(answer.body.data?.[name], who).toEqual({ __typename: 'ForbiddenError', code: expected });
      }
      expect(await upstreamTotal(g), `${who}: no upstream call`).toBe(0);
    }
    const { query, variables } = await c.make(APP);
    expect(rootOf(query)).toBe(name);
    const key = c.scope === 'read' ? g.keys.ro : c.scope === 'support' ? g.keys.support : g.keys.rw;
    const ok = await g.gql(query, variables, { key });
    expect(ok.data[name]).toEqual({ __typename: c.success });
  });

  it.each(Object.entries(SUBSCRIPTION_CASES))('subscription %s', async (name, query) => {
    const denied: [string, string | null, string, number | string][] = [
      ['no key', null, APP, 401],
      ['a wrong key', `${g.keys.rw}x`, APP, 401],
      ['a key for another app', g.keys.other, APP, 'FORBIDDEN'],
      ['ro key, other app', g.keys.ro, 'other', 'FORBIDDEN'],
    ];
    for (const [who, key, app, expected] of denied) {
      await g.resetStats();
      const reader = await subscribe(`${g.url}/graphql`, query, { a: app }, { key });
      if (typeof expected === 'number') {
        expect(reader.response.status, who).toBe(expected);
      } else {
        const first = await reader.payload();
        expect(first === 'complete' ? first : first.errors?.[0]?.extensions?.code, who).toBe(expected);
        expect(await reader.payload(), who).toBe('complete');
      }
      reader.close();
      expect(g.gateway.eventStreams.size, `${who}: no stream`).toBe(0);
      expect(await upstreamTotal(g), `${who}: no upstream call`).toBe(0);
    }
    const ok = await subscribe(`${g.url}/graphql`, query, { a: APP }, { key: g.keys.ro });
    expect(ok.response.headers.get('content-type'), name).toContain('text/event-stream');
    for (let i = 0; i < 100 && g.gateway.eventStreams.size === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(g.gateway.eventStreams.size).toBe(1);
    ok.close();
  });

  it('covers every root field of the schema', async () => {
    const { schema } = await import('../../src/graphql/schema.js');
    const roots = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ];
    expect(Object.keys(CASES).sort()).toEqual(roots.sort());
    expect(Object.keys(SUBSCRIPTION_CASES).sort()).toEqual(
      Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).sort(),
    );
  });
});
