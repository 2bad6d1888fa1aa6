import { describe, expect, it } from 'vitest';
import { LIMIT_MESSAGE } from '../../src/server/security.js';
import { APP, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { subscribe } from '../helpers/sse.js';

/**
 * The cost limit counts the page an operation will fetch, whoever chose its size: `first` as a
 * literal, as a variable's value, as a variable's default, or the default page size (50) when left
 * out. A variable buys nothing a literal would not, over POST and GET, in a document of several
 * operations (the one run counts) and for the live stream. Figures are Armor's (object 2, scalar 1,
 * ×1.5 per level, × first), exact: `exposeLimits` names the cost found.
 */

const MAX_COST = 5_000;
const g = useGateway({
  config: {
    limits: { exposeLimits: true, maxCost: MAX_COST },
    rateLimits: { enabled: true, perKey: { points: 4, durationSeconds: 3600 } },
  },
});

/** `revokedGrants` with the selection of schema/operations/revoked-grants.graphql; 87.125 per grant. */
const revokedField = (first: string) =>
  `revokedGrants(app: $app, since: $since${first}) { __typename ... on GrantConnection { edges { node { id userId productId quantity revokedAt revocation { source purchaseId } } } pageInfo { hasNextPage endCursor } } ... on Error { code message } }`;
const declared = (first: string) =>
  `$app: String!, $since: DateTime!${first.includes('$f') ? ', $f: Int' : ''}`;
const revoked = (first: string, variables = declared(first)) =>
  `query Revoked(${variables}) { ${revokedField(first)} }`;
/** The same field twice (aliases): twice the cost. */
const twice = (first: string, variables = declared(first)) =>
  `query Revoked(${variables}) { a: ${revokedField(first)} b: ${revokedField(first)} }`;
const VARS = { app: APP, since: '2020-01-01T00:00:00.000Z' };
const refusedAt = (cost: number) => `Query Cost limit of ${MAX_COST} exceeded, found ${cost}.`;

const messages = (body: { errors?: { message: string }[] }) => (body.errors ?? []).map((e) => e.message);

describe('the cost of a page is counted with the variables', () => {
  it('first: $f with $f = 100 is refused exactly as first: 100 is (8712.5)', async () => {
    const literal = await g.gql(revoked(', first: 100'), VARS);
    expect(literal.status).toBe(400);
    expect(messages(literal.body)).toEqual([refusedAt(8712.5)]);
    await g.resetStats();
    const variable = await g.gql(revoked(', first: $f'), { ...VARS, f: 100 });
    expect(variable.status).toBe(400);
    expect(variable.body).toEqual({
      errors: [{ message: refusedAt(8712.5), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    expect(await upstreamTotal(g)).toBe(0);
    // Within the limit the same document is served.
    expect((await g.gql(revoked(', first: $f'), { ...VARS, f: 20 })).data.revokedGrants).toMatchObject({
      __typename: 'GrantConnection',
    });
  });

  it("a variable left out counts its default; without one, and with first left out, the page's default size (50)", async () => {
    const defaulted = await g.gql(
      revoked(', first: $f', '$app: String!, $since: DateTime!, $f: Int = 100'),
      VARS,
    );
    expect(messages(defaulted.body)).toEqual([refusedAt(8712.5)]);
    // 50 × 87.125 = 4356.25: served; the same selection twice (aliases) is refused, whichever way
    // the 50 came about.
    for (const [first, variables] of [
      [', first: 50', undefined],
      ['', undefined],
      [', first: $f', undefined],
      [', first: $f', '$app: String!, $since: DateTime!, $f: Int = null'],
    ] as const) {
      const answer = await g.gql(twice(first, variables), VARS);
      expect(messages(answer.body), `${first} ${variables}`).toEqual([refusedAt(8712.5)]);
    }
    expect(messages((await g.gql(revoked(''), VARS)).body)).toEqual([]);
  });

  it('a GET counts its variables the same way', async () => {
    const params = new URLSearchParams({
      query: revoked(', first: $f'),
      variables: JSON.stringify({ ...VARS, f: 100 }),
    });
    const response = await fetch(`${g.url}/graphql?${params}`, {
      headers: {
        authorization: `Bearer ${g.keys.rw}`,
        'x-graphql-yoga-csrf': '1',
        accept: 'application/json',
      },
    });
    expect(messages((await response.json()) as { errors?: { message: string }[] })).toEqual([
      refusedAt(8712.5),
    ]);
  });

  it('in a document of several operations, the operation run is counted with its variables', async () => {
    const document = `${revoked(', first: $f')}\nquery Small($app: String!) { grants(app: $app, userId: "u", first: 1) { __typename } }`;
    const big = await g.gql(document, { ...VARS, f: 100 }, { operationName: 'Revoked' });
    expect(messages(big.body)).toEqual([refusedAt(8712.5)]);
    const small = await g.gql(document, { app: APP }, { operationName: 'Small' });
    expect(small.data).toEqual({ grants: { __typename: 'GrantConnection' } });
  });

  it('an operation refused for its cost spends no rate-limit point', async () => {
    // The budget is 4 root fields an hour: five refusals, then a served request.
    for (let i = 0; i < 5; i += 1) {
      const answer = await g.gql(revoked(', first: $f'), { ...VARS, f: 100 }, { key: g.keys.ro });
      expect(messages(answer.body)).toEqual([refusedAt(8712.5)]);
    }
    const served = await g.gql(revoked(', first: $f'), { ...VARS, f: 1 }, { key: g.keys.ro });
    expect(served.data.revokedGrants).toMatchObject({ __typename: 'GrantConnection' });
  });
});

describe('the live stream', () => {
  it('a subscription over the cost limit is refused over SSE, before any stream opens', async () => {
    const low = await startGateway({ config: { limits: { maxCost: 100 } } });
    try {
      // 141.5 per event.
      const wide = `subscription Wide($app: String!) { gatewayEvents(app: $app) { id type occurredAt grant { id userId productId quantity status outcome revokedAt createdAt settledAt price { amount currency } storeIds { purchaseToken purchaseId paymentSeq itemSeq } } purchase { purchaseId purchaseToken productId purchaseState consumptionState acknowledgementState price { amount currency } entitlement { active reason expiresAt } } subscription { purchaseToken kind status autoRenewing expiresAt price { amount currency } entitlement { active reason expiresAt } } } }`;
      const reader = await subscribe(`${low.url}/graphql`, wide, { app: APP }, { key: low.keys.rw });
      const first = await reader.payload();
      reader.close();
      expect(first).toEqual({
        errors: [{ message: LIMIT_MESSAGE, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
      expect(low.gateway.eventStreams.size).toBe(0);
    } finally {
      await low.close();
    }
  });
});
