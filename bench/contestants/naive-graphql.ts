/**
 * Contestant 2, naive GraphQL: what a first integration looks like. graphql-yoga with a plain SDL
 * schema whose resolvers call the store with `fetch`; no DataLoader (every check and every item is
 * its own upstream call), the token in a global variable, the API key compared as a string.
 *
 *   PORT=4100 UPSTREAM=http://127.0.0.1:4099 node dist/bench-build/bench/contestants/naive-graphql.js
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { DEMO } from '../lib/scenarios.js';

const port = Number(process.env.PORT ?? 4100);
const upstream = process.env.UPSTREAM ?? 'http://127.0.0.1:4099';
const base = `${upstream}/v7/apps/${DEMO.clientId}/purchases/inapp/products`;

let token: string | undefined;

/**
 * NAIVE_UNDICI=1 (contestant `yoga-undici`): the same server, but every upstream call goes over an
 * undici Pool instead of `fetch`. It is the least a graphql-yoga server pays per request here, a
 * ceiling for any Yoga-based gateway (BENCHMARKS.md).
 */
const pool = process.env.NAIVE_UNDICI === '1' ? new Pool(upstream, { connections: 128 }) : undefined;
type Answer = { status: number; ok: boolean; json(): Promise<unknown> };
async function call(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  if (!pool) return fetch(url, init);
  const response = await pool.request({ path: url.slice(upstream.length), ...init });
  const { statusCode: status } = response;
  return { status, ok: status >= 200 && status < 300, json: () => response.body.json() };
}

async function getToken(): Promise<string> {
  if (token) return token;
  const response = await call(`${upstream}/v7/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${DEMO.clientId}&client_secret=${DEMO.clientSecret}`,
  });
  token = ((await response.json()) as { access_token: string }).access_token;
  return token;
}

interface StorePurchase {
  productId: string;
  purchaseState: number;
  consumptionState: number;
  acknowledgeState: number;
  quantity: number;
  developerPayload: string | null;
  purchaseTime: number;
}

async function store(method: string, url: string, body?: string): Promise<unknown> {
  const response = await call(url, {
    method,
    headers: { authorization: `Bearer ${await getToken()}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body }),
  });
  if (response.status === 401) token = undefined;
  if (!response.ok) throw new Error(`store answered ${response.status}`);
  return response.json();
}

async function getPurchase(productId: string, purchaseToken: string): Promise<StorePurchase> {
  const details = (await store('GET', `${base}/${productId}/${purchaseToken}`)) as StorePurchase;
  return { ...details, productId };
}

const typeDefs = /* GraphQL */ `
  type Query {
    purchase(productId: String!, purchaseToken: String!): Purchase
    checkEntitlements(checks: [CheckInput!]!): [EntitlementCheck!]!
  }
  type Mutation {
    consumePurchase(productId: String!, purchaseToken: String!): Purchase
  }
  input CheckInput {
    productId: String!
    purchaseToken: String!
  }
  type EntitlementCheck {
    index: Int!
    active: Boolean!
    purchase: Purchase
  }
  type Purchase {
    purchaseState: String
    consumptionState: String
    acknowledgementState: String
    quantity: Int
    developerPayload: String
    purchasedAt: String
    entitlement: Entitlement!
    item: Item
  }
  type Entitlement {
    active: Boolean!
    reason: String
  }
  type Item {
    name: String!
    marketItemId: String!
  }
`;

const active = (p: StorePurchase) => p.purchaseState === 0 && p.consumptionState === 0;

const resolvers = {
  Query: {
    purchase: (_: unknown, args: { productId: string; purchaseToken: string }) =>
      getPurchase(args.productId, args.purchaseToken),
    checkEntitlements: (_: unknown, args: { checks: { productId: string; purchaseToken: string }[] }) =>
      args.checks.map(async (c, index) => {
        const purchase = await getPurchase(c.productId, c.purchaseToken);
        return { index, active: active(purchase), purchase };
      }),
  },
  Mutation: {
    consumePurchase: async (_: unknown, args: { productId: string; purchaseToken: string }) => {
      await store('POST', `${base}/${args.productId}/${args.purchaseToken}/consume`, '{}');
      return getPurchase(args.productId, args.purchaseToken);
    },
  },
  Purchase: {
    purchaseState: (p: StorePurchase) => (p.purchaseState === 0 ? 'PURCHASED' : 'CANCELLED'),
    consumptionState: (p: StorePurchase) => (p.consumptionState === 0 ? 'NOT_CONSUMED' : 'CONSUMED'),
    acknowledgementState: (p: StorePurchase) =>
      p.acknowledgeState === 0 ? 'NOT_ACKNOWLEDGED' : 'ACKNOWLEDGED',
    purchasedAt: (p: StorePurchase) => new Date(p.purchaseTime).toISOString(),
    entitlement: (p: StorePurchase) => ({ active: active(p), reason: active(p) ? 'PURCHASED' : 'INACTIVE' }),
    item: async (p: StorePurchase) => {
      const response = await call(`${upstream}/standard/item/list/${DEMO.appSeq}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      const list = (await response.json()) as {
        result: { itemList: { itemName: string; marketItemId: string }[] };
      };
      const item = list.result.itemList.find((i) => i.marketItemId === p.productId);
      return item && { name: item.itemName, marketItemId: item.marketItemId };
    },
  },
};

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers }),
  graphiql: false,
  landingPage: false,
  plugins: [
    {
      onRequest({ request, endResponse }) {
        if (request.headers.get('authorization') !== `Bearer ${DEMO.apiKey}`) {
          endResponse(new Response('unauthorized', { status: 401 }));
        }
      },
    },
  ],
});

const server = createServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`naive-graphql listening on ${port}`));
process.once('SIGTERM', () => process.exit(0));
