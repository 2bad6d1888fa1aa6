import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { subscribe } from '../helpers/sse.js';

/**
 * What an error may contain (docs/SECURITY.md): our words, the names the document uses, paths,
 * types, codes; never a value the request carried. A variable is where a client puts a purchase
 * token: a value of the wrong type must come back as "which variable, where in it, what type was
 * expected, what kind of JSON came", in every profile, with graphql-jit or without, over POST, GET
 * and SSE, and nothing of it may reach a log line.
 */

const SECRET = 'SECRETTOKEN5';
const lines: string[] = [];
const logger = createLogger({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
const printed: string[] = [];

let production: GatewayHarness;
let withoutJit: GatewayHarness;
let sandboxLike: GatewayHarness;

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void printed.push(args.map(String).join(' ')),
    );
  [production, withoutJit, sandboxLike] = await Promise.all([
    startGateway({ gatewayOptions: { logger } }),
    startGateway({ gatewayOptions: { logger, jit: false } }),
    // Sandbox mode's profile: introspection and suggestions on, limits named.
    startGateway({
      config: { introspection: true, limits: { exposeLimits: true } },
      gatewayOptions: { logger },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([production.close(), withoutJit.close(), sandboxLike.close()]);
  vi.restoreAllMocks();
});
/** What the requests below carry and no log line may: the token, and the numbers sent as values. */
const MARKERS = ['SECRET', '51234567', '51.5', '5123456789'];
afterEach(() => {
  const carrying = (all: string[]) => all.filter((line) => MARKERS.some((marker) => line.includes(marker)));
  expect(carrying(lines)).toEqual([]);
  expect(carrying(printed)).toEqual([]);
});

const LOOKUP = `query Lookup($t: String!) { purchase(app: "${APP}", productId: "gem_100", purchaseToken: $t) { __typename } }`;
const LOOKUP_MARKET = `query Lookup($m: Market) { purchase(app: "${APP}", productId: "gem_100", purchaseToken: "TOKEN1", market: $m) { __typename } }`;
const REVOKED_FIRST = `query Revoked($f: Int) { revokedGrants(app: "${APP}", since: "2020-01-01T00:00:00Z", first: $f) { __typename } }`;
const REVOKED_SINCE = `query Revoked($s: DateTime!) { revokedGrants(app: "${APP}", since: $s) { __typename } }`;
const ACKNOWLEDGE = `mutation Ack($i: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $i) { __typename } }`;
const CHECKS = `query Checks($c: [EntitlementCheckInput!]!) { checkEntitlements(app: "${APP}", checks: $c) { __typename } }`;

/** A variable of the wrong type, and the exact errors it must get: names, paths and types only. */
const VARIABLE_CASES: {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  messages: string[];
}[] = [
  {
    name: 'a list for a String',
    query: LOOKUP,
    variables: { t: [SECRET] },
    messages: ['Variable "$t" got an invalid value: expected type "String!", found a list.'],
  },
  {
    name: 'a number for a String',
    query: LOOKUP,
    variables: { t: 51_234_567 },
    messages: ['Variable "$t" got an invalid value: expected type "String!", found a number.'],
  },
  {
    name: 'an object for a String',
    query: LOOKUP,
    variables: { t: { token: SECRET } },
    messages: ['Variable "$t" got an invalid value: expected type "String!", found an object.'],
  },
  {
    name: 'a string that is no enum value',
    query: LOOKUP_MARKET,
    variables: { m: SECRET },
    messages: [
      'Variable "$m" got an invalid value: expected type "Market", found a string it does not accept.',
    ],
  },
  {
    name: 'a string for an Int',
    query: REVOKED_FIRST,
    variables: { f: SECRET },
    messages: ['Variable "$f" got an invalid value: expected type "Int", found a string.'],
  },
  {
    name: 'a fraction for an Int',
    query: REVOKED_FIRST,
    variables: { f: 51.5 },
    messages: ['Variable "$f" got an invalid value: expected type "Int", found a number it does not accept.'],
  },
  {
    name: 'a string that is no DateTime (a custom scalar)',
    query: REVOKED_SINCE,
    variables: { s: SECRET },
    messages: [
      'Variable "$s" got an invalid value: expected type "DateTime!", found a string it does not accept.',
    ],
  },
  {
    name: 'an input object with a wrong field, an unknown field and a missing one',
    query: ACKNOWLEDGE,
    variables: { i: { app: APP, purchaseToken: [SECRET], [SECRET]: 1 } },
    messages: [
      'Variable "$i" got an invalid value: field "productId" of required type "String!" was not provided.',
      'Variable "$i" got an invalid value at "i.purchaseToken": expected type "String!", found a list.',
      'Variable "$i" got an invalid value: found a field that type "AcknowledgePurchaseInput" does not define.',
    ],
  },
  {
    name: 'a list of input objects with a bad entry',
    query: CHECKS,
    variables: {
      c: [
        { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'TOKEN1' },
        { store: SECRET, purchaseToken: 51_234_567 },
      ],
    },
    messages: [
      'Variable "$c" got an invalid value at "c[1].store": expected type "Store!", found a string it does not accept.',
      'Variable "$c" got an invalid value at "c[1].purchaseToken": expected type "String!", found a number.',
    ],
  },
  {
    name: 'null for a non-null variable',
    query: LOOKUP,
    variables: { t: null },
    messages: ['Variable "$t" of non-null type "String!" must not be null.'],
  },
];

const errorMessages = (body: { errors?: { message: string }[] }) => (body.errors ?? []).map((e) => e.message);

describe('variables of the wrong type', () => {
  it.each(VARIABLE_CASES)('$name: the variable, its path and the type, never the value', async (c) => {
    for (const g of [production, withoutJit, sandboxLike]) {
      const answer = await g.gql(c.query, c.variables);
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain('51234567');
      expect(text).not.toContain('51.5');
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect([...errorMessages(answer.body)].sort()).toEqual([...c.messages].sort());
      for (const error of answer.body.errors ?? [])
        expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    }
  });

  it('with NODE_ENV=development the answer is the same', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      const answer = await production.gql(LOOKUP, { t: [SECRET] });
      expect(errorMessages(answer.body)).toEqual(VARIABLE_CASES[0]?.messages);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('a GET gets the same answer', async () => {
    const params = new URLSearchParams({ query: LOOKUP, variables: JSON.stringify({ t: [SECRET] }) });
    const response = await production.gateway.fetch(`http://gateway/graphql?${params}`, {
      headers: { authorization: `Bearer ${production.keys.rw}`, 'x-graphql-yoga-csrf': '1' },
    });
    const text = await response.text();
    expect(text).not.toContain('SECRET');
    expect(errorMessages(JSON.parse(text))).toEqual(VARIABLE_CASES[0]?.messages);
  });

  it('the live stream (SSE) refuses its variables the same way, before anything streams', async () => {
    const stream =
      'subscription Watch($app: String!, $types: [GatewayEventType!]) { gatewayEvents(app: $app, types: $types) { id } }';
    const reader = await subscribe(
      `${production.url}/graphql`,
      stream,
      { app: APP, types: [SECRET] },
      { key: production.keys.rw },
    );
    const payload = await reader.payload();
    reader.close();
    expect(JSON.stringify(payload)).not.toContain('SECRET');
    expect(payload).toEqual({
      errors: [
        {
          message:
            'Variable "$types" got an invalid value at "types[0]": expected type "GatewayEventType!", found a string it does not accept.',
          locations: [{ line: 1, column: 35 }],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(production.gateway.eventStreams.size).toBe(0);
  });
});

describe('literals in the document', () => {
  it.each([
    [
      'a list for a String',
      `{ purchase(app: "${APP}", productId: "gem_100", purchaseToken: ["${SECRET}"]) { __typename } }`,
    ],
    [
      'a string that is no enum value',
      `{ purchase(app: "${APP}", productId: "p", purchaseToken: "TOKEN1", market: ${SECRET}) { __typename } }`,
    ],
    [
      'a string for an enum',
      `{ purchase(app: "${APP}", productId: "p", purchaseToken: "TOKEN1", market: "${SECRET}") { __typename } }`,
    ],
    ['a string that is no DateTime', `{ revokedGrants(app: "${APP}", since: "${SECRET}") { __typename } }`],
    [
      'a string for an Int',
      `{ revokedGrants(app: "${APP}", since: "2020-01-01T00:00:00Z", first: "${SECRET}") { __typename } }`,
    ],
  ])('%s: the error names the expected type, never the literal', async (_, query) => {
    for (const g of [production, sandboxLike]) {
      const answer = await g.gql(query);
      expect(JSON.stringify(answer.body)).not.toContain('SECRET');
      expect(answer.body.errors?.[0]?.message).toMatch(
        /^Expected value of type "[A-Za-z]+!?", found an? [a-z ]+\.$/,
      );
    }
  });
});

describe('typed errors of the resolvers', () => {
  it('ForbiddenError does not repeat the app the caller named', async () => {
    const answer = await production.gql(
      `query($app: String!) { purchase(app: $app, productId: "gem_100", purchaseToken: "TOKEN1") { __typename ... on Error { message } } }`,
      // Well-formed (a malformed name is InvalidInputError, also unquoted): the key's list decides.
      { app: SECRET.toLowerCase() },
    );
    expect(answer.data.purchase).toEqual({
      __typename: 'ForbiddenError',
      message: 'This API key may not use this app.',
    });
  });

  it('an argument rule names the field and the rule, not the value', async () => {
    const answer = await production.gql(
      `query($t: String!) { purchase(app: "${APP}", productId: "gem_100", purchaseToken: $t) { __typename ... on InvalidInputError { field message } } }`,
      { t: `${SECRET} with spaces` },
    );
    expect(answer.data.purchase).toEqual({
      __typename: 'InvalidInputError',
      field: 'purchaseToken',
      message: 'purchaseToken must be 1-20 characters: ASCII letters and digits.',
    });
  });

  it('an item that is not found is not quoted', async () => {
    const answer = await production.gql(
      `query($s: String!) { item(app: "${APP}", itemSeq: $s) { __typename ... on Error { message } } }`,
      { s: '5123456789' },
    );
    expect(JSON.stringify(answer.body)).not.toContain('5123456789');
    expect(answer.data.item).toMatchObject({ __typename: 'NotFoundError' });
  });
});
