import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_ROOT } from '../../src/graphql/builder.js';
import { schema } from '../../src/graphql/schema.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { APP, OTHER_APP, purchase, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { subscribe } from '../helpers/sse.js';

/**
 * Scopes are declared on the fields through Pothos scope-auth: every Query field needs `read`,
 * every Mutation field `write`, but for the support desk's fields (issue 27): `player`, `players`,
 * `gatewayEvents` and `webhookDeliveries` take `read` or `support`, `redeliverEvent` `write` or
 * `support`, and the support actions `support` alone. A key without the scope gets a ForbiddenError
 * union member before the resolver (hence before any store call) runs.
 */

const WRITE_ONLY = `wo-${sha256Hex(String(Math.random())).slice(0, 16)}`;
const SUPPORT_ONLY = `so-${sha256Hex(String(Math.random())).slice(0, 16)}`;

const g = useGateway({
  config: {
    apiKeys: [
      { name: 'wo', sha256: sha256Hex(WRITE_ONLY), apps: [APP], scopes: ['write'] },
      { name: 'so', sha256: sha256Hex(SUPPORT_ONLY), apps: [APP], scopes: ['support'] },
    ],
  },
});

const READ_OR_SUPPORT = { $any: { read: true, support: true } };
/** The root fields whose scope is not their root type's plain one. */
const SUPPORT_FIELDS: Record<string, unknown> = {
  player: READ_OR_SUPPORT,
  players: READ_OR_SUPPORT,
  gatewayEvents: READ_OR_SUPPORT,
  webhookDeliveries: READ_OR_SUPPORT,
  redeliverEvent: { $any: { write: true, support: true } },
  grantEntitlement: { support: true },
  revokeGrant: { support: true },
};

/** The `authScopes` a root field declared, as Pothos keeps them in the field's extensions. */
function declaredScopes(type: 'Query' | 'Mutation' | 'Subscription'): Record<string, unknown> {
  const root =
    type === 'Query'
      ? schema.getQueryType()
      : type === 'Mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(root?.getFields() ?? {})) {
    const options = field.extensions.pothosOptions as { authScopes?: unknown } | undefined;
    out[name] = options?.authScopes;
  }
  return out;
}

/** Arguments for each query; literal values, the scope check comes before any of them is read. */
const QUERY_ARGS: Record<string, string> = {
  purchase: 'productId: "gem_100", purchaseToken: "t"',
  subscription: 'productId: "pro", purchaseToken: "t"',
  checkEntitlements: 'checks: [{ store: ONESTORE, productId: "gem_100", purchaseToken: "t" }]',
  item: 'itemSeq: "1"',
  items: '',
  unconfirmedPurchases: '',
  voidedPurchases: '',
  unconsumedPurchases: 'userKey: "user-1"',
  unconsumedGamebasePayments: 'userId: "u1"',
  gamebaseSubscriptions: 'userId: "u1", packageName: "com.example.game"',
  gamebaseSubscriptionStatus: 'paymentSeq: "1", purchaseToken: "t"',
  grants: 'userId: "u1"',
  revokedGrants: 'since: "2026-01-01T00:00:00Z"',
  grant: 'id: "g1"',
  gatewayEvents: '',
  webhookDeliveries: 'status: DEAD',
  player: 'userId: "u1"',
  players: 'userIds: ["u1"]',
};

/** Arguments for each subscription (the root type is EventStream, not the domain type Subscription). */
const SUBSCRIPTION_ARGS: Record<string, string> = {
  gatewayEvents: '',
};

describe('scope-auth', () => {
  it('every root field declares its scope', () => {
    const queries = declaredScopes('Query');
    const mutations = declaredScopes('Mutation');
    const subscriptions = declaredScopes('Subscription');
    expect(schema.getSubscriptionType()?.name).toBe(SUBSCRIPTION_ROOT);
    expect(Object.keys(queries).length).toBeGreaterThan(0);
    expect(Object.keys(mutations).length).toBeGreaterThan(0);
    expect(Object.keys(subscriptions).length).toBeGreaterThan(0);
    for (const [name, scopes] of Object.entries(queries))
      expect(scopes, name).toEqual(SUPPORT_FIELDS[name] ?? { read: true });
    for (const [name, scopes] of Object.entries(mutations))
      expect(scopes, name).toEqual(SUPPORT_FIELDS[name] ?? { write: true });
    for (const [name, scopes] of Object.entries(subscriptions)) expect(scopes, name).toEqual({ read: true });
    // Every query and subscription is exercised by the tests below.
    expect(Object.keys(QUERY_ARGS).sort()).toEqual(Object.keys(queries).sort());
    expect(Object.keys(SUBSCRIPTION_ARGS).sort()).toEqual(Object.keys(subscriptions).sort());
  });

  it.each(Object.entries(SUBSCRIPTION_ARGS))(
    'a write-only key cannot subscribe to %s: refused before anything streams',
    async (name, args) => {
      for (const app of [APP, OTHER_APP]) {
        const reader = await subscribe(
          `${g.url}/graphql`,
          `subscription { ${name}(app: "${app}"${args ? `, ${args}` : ''}) { __typename } }`,
          {},
          { key: WRITE_ONLY },
        );
        const first = await reader.payload();
        // A refusal before the stream: errors only, no data (GraphQL over SSE), then complete.
        expect(first, app).toEqual({
          errors: [
            {
              message: 'This API key lacks the "read" scope.',
              locations: [{ line: 1, column: 16 }],
              path: [name],
              extensions: { code: 'FORBIDDEN', type: 'ForbiddenError' },
            },
          ],
        });
        expect(await reader.payload(), app).toBe('complete');
        expect(g.gateway.eventStreams.size, app).toBe(0);
      }
    },
  );

  it.each(Object.entries(QUERY_ARGS))('a write-only key cannot run %s', async (name, args) => {
    // On its own app and on an app it lacks: both answer the missing scope, so the scope check
    // ran before the resolver's app check.
    for (const app of [APP, OTHER_APP]) {
      await g.resetStats();
      const answer = await g.gql(
        `query { ${name}(app: "${app}"${args ? `, ${args}` : ''}) { __typename ... on Error { code message } } }`,
        {},
        { key: WRITE_ONLY },
      );
      expect(answer.data[name], app).toEqual({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
        message: 'This API key lacks the "read" scope.',
      });
      expect(await upstreamTotal(g), `${app}: no upstream call`).toBe(0);
    }
  });

  it.each(Object.entries(QUERY_ARGS).filter(([name]) => SUPPORT_FIELDS[name] === undefined))(
    'a support-only key cannot run %s',
    async (name, args) => {
      await g.resetStats();
      const answer = await g.gql(
        `query { ${name}(app: "${APP}"${args ? `, ${args}` : ''}) { __typename ... on Error { code message } } }`,
        {},
        { key: SUPPORT_ONLY },
      );
      expect(answer.data[name]).toEqual({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
        message: 'This API key lacks the "read" scope.',
      });
      expect(await upstreamTotal(g), 'no upstream call').toBe(0);
    },
  );

  it('a support-only key runs no store mutation, and no subscription', async () => {
    const p = await purchase(g);
    const answer = await g.gql(
      'mutation($input: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $input) { __typename ... on Error { message } } }',
      { input: { app: APP, productId: p.productId, purchaseToken: p.purchaseToken } },
      { key: SUPPORT_ONLY },
    );
    expect(answer.data.acknowledgePurchase).toEqual({
      __typename: 'ForbiddenError',
      message: 'This API key lacks the "write" scope.',
    });
    const reader = await subscribe(
      `${g.url}/graphql`,
      `subscription { gatewayEvents(app: "${APP}") { id } }`,
      {},
      { key: SUPPORT_ONLY },
    );
    const first = await reader.payload();
    expect(first === 'complete' ? first : first.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    reader.close();
  });

  it('a write-only key can still run mutations', async () => {
    const p = await purchase(g);
    const answer = await g.gql(
      'mutation($input: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $input) { __typename } }',
      { input: { app: APP, productId: p.productId, purchaseToken: p.purchaseToken } },
      { key: WRITE_ONLY },
    );
    expect(answer.data.acknowledgePurchase).toEqual({ __typename: 'AcknowledgePurchaseSuccess' });
  });
});
