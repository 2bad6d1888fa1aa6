import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway } from '../../src/server/create-gateway.js';
import { startSandboxMode } from '../../src/server/sandbox-mode.js';
import { LIMIT_MESSAGE } from '../../src/server/security.js';
import { exampleOperations } from '../helpers/example-operations.js';
import { APP, type GatewayHarness, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { atLargestPage, PAGED_FIELDS, pagedFieldsOf, pagedQueries } from '../helpers/paged-queries.js';

/**
 * Operation limits and the production profile, against the default config (what a config file
 * without `limits` or `introspection` gets): every rejection happens before any store is called,
 * and no message names a limit or its value.
 */

let g: GatewayHarness;
let exposed: GatewayHarness;

beforeAll(async () => {
  [g, exposed] = await Promise.all([
    startGateway(),
    startGateway({ config: { limits: { exposeLimits: true, maxChecks: 2, maxDepth: 4 } } }),
  ]);
});
afterAll(async () => {
  await Promise.all([g.close(), exposed.close()]);
});

const messages = (body: { errors?: { message: string }[] }) => (body.errors ?? []).map((e) => e.message);

/** A selection five levels deep, about 214 cost units. */
const DEEP = `checkEntitlements(app: "${APP}", checks: []) { ... on EntitlementCheckList { checks { index purchase { ... on Purchase { purchaseId purchaseToken productId orderId price { amount currency } item { ... on Item { itemSeq name marketItemId } } entitlement { active } } } } } }`;

const REVOKED_PAGE = `revokedGrants(app: "${APP}", since: "2020-01-01T00:00:00Z", first: 100) { ... on GrantConnection { edges { node { id userId productId quantity revokedAt revocation { source purchaseId } } } pageInfo { hasNextPage endCursor } } ... on Error { code message } }`;

const OVER_LIMIT = {
  tokens: `{ ${'__typename '.repeat(2_100)} }`,
  // Fields that do not exist: the depth rule still rejects the nesting (no real selection is this deep).
  depth: `{ ${'a { '.repeat(10)}b${' }'.repeat(10)} }`,
  aliases: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: items(app: "${APP}") { __typename }`).join(' ')} }`,
  directives: `{ ${'__typename @skip(if: false) '.repeat(21)} }`,
  // Three full pages of schema/operations/revoked-grants.graphql's selection: 3 × 8712.5 > 25000.
  cost: `{ ${Array.from({ length: 3 }, (_, i) => `c${i}: ${REVOKED_PAGE}`).join(' ')} }`,
};

describe('operation limits', () => {
  it.each(Object.entries(OVER_LIMIT))(
    '%s: rejected before execution, no upstream call, no limit named',
    async (_, query) => {
      await g.resetStats();
      const answer = await g.gql(query);
      expect(answer.status).toBe(400);
      expect(answer.body.data ?? null).toBeNull();
      const text = messages(answer.body).join('\n');
      expect(text).toMatch(/Query validation error\./);
      expect(text).not.toMatch(/\d{2,}|limit|exceed|depth|alias|cost|token|directive/i);
      expect(await upstreamTotal(g)).toBe(0);
    },
  );

  it('with exposeLimits the message names the limit (sandbox mode does this)', async () => {
    expect(messages((await exposed.gql(OVER_LIMIT.aliases)).body).join()).toMatch(/aliases limit of 30/i);
    const deep = await exposed.gql(`{ ${DEEP} }`);
    expect(messages(deep.body).join()).toMatch(/depth limit of 4/i);
    expect(messages(deep.body)).not.toContain(LIMIT_MESSAGE);
  });

  it('every operation the project shows a user passes the default limits', async () => {
    // schema/operations/, the README's and GraphiQL's examples: a copied example must never be
    // refused by the default config. The cost counts a `first` given as a variable by its value.
    const refused: string[] = [];
    for (const operation of exampleOperations()) {
      const answer = await g.gql(operation.text, operation.variables ?? {});
      if (messages(answer.body).some((m) => m.includes('Query validation error')))
        refused.push(operation.name);
    }
    expect(refused).toEqual([]);
  });

  it('every paged field at its largest page, with the selections the project shows, passes the default limits', async () => {
    // Each query of schema/operations/, the README, GraphiQL and docs/*.md that pages, asked for
    // MAX_PAGE edges as a literal and as a variable; and the live stream's selection as a query.
    const stream = exampleOperations().find((op) => op.name === 'StreamGatewayEvents');
    const streamSelection = stream?.text.slice(
      stream.text.indexOf('{', stream.text.indexOf('gatewayEvents(')),
    );
    const pages = [
      ...pagedQueries(),
      {
        name: 'gatewayEvents with the live stream selection',
        text: `query StreamSelection($app: String!) { gatewayEvents(app: $app, first: 50) { ... on GatewayEventConnection { edges { node ${streamSelection?.slice(0, streamSelection.lastIndexOf('}'))} } pageInfo { hasNextPage endCursor } } ... on Error { code message } } }`,
        variables: { app: APP },
      },
    ];
    const covered = new Set(pages.flatMap((page) => pagedFieldsOf(page.text)));
    expect([...covered].sort()).toEqual(PAGED_FIELDS);
    const refused: string[] = [];
    for (const page of pages) {
      for (const asVariable of [false, true]) {
        const { text, variables } = atLargestPage(page.text, asVariable);
        const answer = await g.gql(text, { ...page.variables, ...variables });
        if (answer.body.errors !== undefined)
          refused.push(`${page.name} (${asVariable ? 'variable' : 'literal'}): ${messages(answer.body)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('a body above maxBodyBytes is HTTP 413 and never parsed', async () => {
    const response = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(100_001) } }),
    });
    expect(response.status).toBe(413);
  });

  it('a body without Content-Length (chunked) is HTTP 411 and never parsed', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${g.url}/graphql`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Written in two chunks without a length: Node sends Transfer-Encoding: chunked.
      req.write('{"query":');
      req.end('"{ __typename }"}');
    });
    expect(status).toBe(411);
  });

  it('limits.maxChecks lowers the batch cap: one entry more is InvalidInputError', async () => {
    const check = { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'TOKEN0000000001' };
    const answer = await exposed.gql(
      `query($checks: [EntitlementCheckInput!]!) { checkEntitlements(app: "${APP}", checks: $checks) { __typename ... on InvalidInputError { field } } }`,
      { checks: [check, check, check] },
    );
    expect(answer.data.checkEntitlements).toEqual({ __typename: 'InvalidInputError', field: 'checks' });
  });
});

describe('production profile', () => {
  it('introspection is off by default; __typename still works', async () => {
    const answer = await g.gql('{ __schema { queryType { name } } }');
    expect(answer.status).toBe(400);
    expect(messages(answer.body).join()).toMatch(/introspection has been disabled/);
    expect((await g.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('a misspelt field gets no suggestion', async () => {
    const answer = await g.gql(`{ purchas(app: "${APP}") { __typename } }`);
    expect(answer.status).toBe(400);
    expect(messages(answer.body).join()).not.toMatch(/Did you mean|"purchase"/);
  });

  it('CSRF: a GET without a preflight header is refused, with one it is served', async () => {
    const url = `${g.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const headers = { authorization: `Bearer ${g.keys.rw}`, accept: 'application/json' };
    expect((await fetch(url, { headers })).status).toBe(403);
    const ok = await fetch(url, { headers: { ...headers, 'x-graphql-yoga-csrf': '1' } });
    expect(ok.status).toBe(200);
  });

  it('CSRF: a form-encoded POST without the header is refused', async () => {
    const response = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${g.keys.rw}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('{ __typename }')}`,
    });
    expect(response.status).toBe(403);
  });

  it('sandbox mode keeps introspection on', async () => {
    const mode = await startSandboxMode({ port: 0 });
    const gateway = createGateway(mode.config, { now: () => mode.sandbox.clock.now() });
    try {
      const response = await gateway.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mode.apiKey}` },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await gateway.dispose();
      await mode.sandbox.close();
    }
  });

  it('config defaults: introspection false, limits as documented', () => {
    const config = resolveConfig(
      {
        apps: { a: { nhncloud: { appSeq: '1' } } },
        apiKeys: [{ name: 'k', sha256: sha256Hex('k'), apps: ['a'], scopes: ['read'] }],
      },
      {},
    );
    expect(config.introspection).toBe(false);
    expect(config.limits).toEqual({
      maxBodyBytes: 100_000,
      maxTokens: 2_000,
      maxDepth: 8,
      maxAliases: 30,
      maxDirectives: 20,
      maxCost: 25_000,
      maxChecks: 100,
      exposeLimits: false,
    });
  });
});
