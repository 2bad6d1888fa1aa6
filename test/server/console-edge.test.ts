import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/load.js';
import { printSortedSchema } from '../../src/graphql/schema.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { loadConsoleShell } from '../../src/server/console/assets.js';
import { CONSOLE_OPERATIONS } from '../../src/server/console/operations.js';
import { CONSOLE_CSP } from '../../src/server/console/plugin.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { createLogger } from '../../src/server/logger.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { DEMO_APP, type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';

/**
 * The support console's server side (issue 27), in process through yoga.fetch: off unless
 * configured, its page static and strict, its GraphQL path only for a key with the `support` scope
 * and only for the console's own operations.
 */

const KEYS = { support: 'console-support-key', reader: 'console-read-key' };
const DEMO_USER = 'AS@DEMOUSER0001';

let mode: SandboxMode;
let on: Gateway;
let off: Gateway;
let persisted: Gateway;
let logged: Gateway;
const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const metrics = new GatewayMetrics({ processMetrics: false });

function configOf(overrides: Partial<GatewayConfig>): GatewayConfig {
  return {
    ...mode.config,
    apiKeys: [
      {
        name: 'support',
        sha256: sha256Hex(KEYS.support),
        apps: [DEMO_APP],
        scopes: ['support'],
      },
      { name: 'reader', sha256: sha256Hex(KEYS.reader), apps: [DEMO_APP], scopes: ['read'] },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  mode = await startSandboxMode();
  const now = () => mode.sandbox.clock.now();
  on = createGateway(configOf({}), { now, metrics });
  off = createGateway(configOf({ console: { enabled: false } }), { now });
  persisted = createGateway(configOf({ persistedOperations: true }), { now });
  logged = createGateway(configOf({}), { now, logger: log });
});

afterAll(async () => {
  await Promise.all([on.dispose(), off.dispose(), persisted.dispose(), logged.dispose()]);
  await mode.sandbox.close();
});

const url = (path: string) => `http://gateway.test${path}`;

function post(gateway: Gateway, path: string, body: unknown, headers: Record<string, string> = {}) {
  return gateway.fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.support}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const player = { operationName: 'ConsolePlayer', variables: { app: DEMO_APP, userId: DEMO_USER } };

async function expectRefusal(answer: Response, status: number, code: string, message?: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/json');
  expect(answer.headers.get('cache-control')).toBe('no-store');
  const body = (await answer.json()) as {
    data?: unknown;
    errors: { message: string; extensions: unknown }[];
  };
  expect(body.data).toBeUndefined();
  expect(body.errors).toEqual([
    {
      message: message ?? expect.any(String),
      extensions: { code, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    },
  ]);
}

describe('console off (the default)', () => {
  it('answers 404 on every console path, like any unknown path', async () => {
    const unknown = await (await off.fetch(url('/nope'))).json();
    for (const path of ['/console', '/console/assets/console-0123456789abcdef.js']) {
      const answer = await off.fetch(url(path));
      await expectRefusal(
        answer.clone(),
        404,
        'NOT_FOUND',
        (unknown as { errors: { message: string }[] }).errors[0]?.message,
      );
    }
    await expectRefusal(await post(off, '/console/graphql', player), 404, 'NOT_FOUND');
  });

  it('is off when the config file says nothing', async () => {
    const { configFileSchema } = await import('../../src/config/schema.js');
    const parsed = configFileSchema.parse({
      apps: { game: { nhncloud: { appSeq: '1000272' } } },
      apiKeys: [{ name: 'k', sha256: sha256Hex('k'), apps: ['game'], scopes: ['read'] }],
    });
    expect(parsed.console).toEqual({ enabled: false });
  });
});

describe('the page', () => {
  it('is a static shell with a strict CSP, no-cache, and its hashed script and style', async () => {
    const answer = await on.fetch(url('/console'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(answer.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONSOLE_CSP).toBe(answer.headers.get('content-security-policy'));
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    const html = await answer.text();
    const refs = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual([
      expect.stringMatching(/^\/console\/assets\/console-[0-9a-f]{16}\.css$/),
      expect.stringMatching(/^\/console\/assets\/console-[0-9a-f]{16}\.js$/),
    ]);
    // No inline script or style: `script-src 'self'` would refuse it.
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/);
    for (const ref of refs) {
      const asset = await on.fetch(url(ref as string), { headers: { 'accept-encoding': 'br' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('br');
      expect(asset.headers.get('content-type')).toBe(
        ref?.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
    }
  });

  it('names no other host anywhere: it works offline', () => {
    const { html, assets } = loadConsoleShell();
    for (const text of [html, ...[...assets.values()].map((a) => a.text)])
      expect(text.match(/\b(?:https?:)?\/\/[a-z0-9.-]+/gi) ?? []).toEqual([]);
  });

  it('answers 404 for an asset it does not have, and 405 to a method other than GET', async () => {
    await expectRefusal(await on.fetch(url('/console/assets/console-0000000000000000.js')), 404, 'NOT_FOUND');
    await expectRefusal(await post(on, '/console', {}), 405, 'METHOD_NOT_ALLOWED', 'The console takes GET.');
  });
});

describe('/console/graphql', () => {
  it('refuses a request without a key, or with an unknown one (401)', async () => {
    const none = await on.fetch(url('/console/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(player),
    });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    await expectRefusal(none, 401, 'UNAUTHENTICATED');
    await expectRefusal(
      await post(on, '/console/graphql', player, { authorization: 'Bearer nope' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses a key without the support scope (403) before running anything, and counts it', async () => {
    const before = (
      await metrics.registry.getSingleMetric('gateway_http_refusals_total')?.get()
    )?.values.find((v) => v.labels.reason === 'missing_scope')?.value;
    await expectRefusal(
      await post(on, '/console/graphql', player, { authorization: `Bearer ${KEYS.reader}` }),
      403,
      'FORBIDDEN',
      'This API key lacks the "support" scope.',
    );
    const after = (await metrics.registry.getSingleMetric('gateway_http_refusals_total')?.get())?.values.find(
      (v) => v.labels.reason === 'missing_scope',
    )?.value;
    expect([before, after]).toEqual([0, 1]);
  });

  it('takes POST only', async () => {
    const answer = await on.fetch(url('/console/graphql'), {
      headers: { authorization: `Bearer ${KEYS.support}` },
    });
    expect(answer.headers.get('allow')).toBe('POST');
    await expectRefusal(answer, 405, 'METHOD_NOT_ALLOWED', '/console/graphql takes POST.');
  });

  it('runs only the console’s own operations', async () => {
    const text = CONSOLE_OPERATIONS.get('ConsolePlayer') as string;
    const refused: [unknown, string][] = [
      [
        { operationName: 'Nope', variables: {} },
        'Only the console’s own operations run here: operationName names none.',
      ],
      [
        { query: `{ grants(app: "${DEMO_APP}", userId: "${DEMO_USER}") { __typename } }` },
        'Only the console’s own operations run here: operationName names none.',
      ],
      [
        { ...player, query: text.replace('entitlements {', 'entitlements { grantId') },
        'Only the console’s own operations run here: the text is not the named operation’s.',
      ],
      [
        { ...player, extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } },
        'Only the console’s own operations run here: the hash is not the named operation’s.',
      ],
      [{ ...player, extra: 1 }, 'Only operationName, query, variables and extensions are taken.'],
      [{ ...player, variables: [] }, 'variables must be a JSON object.'],
      [[player], 'The body is not a JSON object.'],
    ];
    for (const [body, message] of refused)
      await expectRefusal(await post(on, '/console/graphql', body), 400, 'OPERATION_NOT_ALLOWED', message);
    await expectRefusal(await post(on, '/console/graphql', '{'), 400, 'BAD_REQUEST', 'The body is not JSON.');
  });

  it('takes JSON only, within the body limit', async () => {
    await expectRefusal(
      await post(on, '/console/graphql', JSON.stringify(player), { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const big = {
      ...player,
      variables: { ...player.variables, pad: 'x'.repeat(mode.config.limits.maxBodyBytes) },
    };
    await expectRefusal(await post(on, '/console/graphql', big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('runs a console operation by name, by its exact text, or by its hash, through /graphql', async () => {
    const text = CONSOLE_OPERATIONS.get('ConsolePlayer') as string;
    const hash = sha256Hex(text);
    for (const body of [
      player,
      { ...player, query: text },
      { ...player, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
    ]) {
      const answer = await post(on, '/console/graphql', body);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(await answer.json()).toEqual({
        data: {
          player: {
            __typename: 'Player',
            app: DEMO_APP,
            userId: DEMO_USER,
            entitlements: [],
            subscriptions: [],
            supportGrants: [],
            grants: {
              __typename: 'GrantConnection',
              edges: [],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
            events: {
              __typename: 'GatewayEventConnection',
              edges: [],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        },
      });
    }
  });

  it('runs the console’s operations in persisted operations mode too, and nothing else there', async () => {
    const answer = await post(persisted, '/console/graphql', {
      operationName: 'ConsoleDeliveries',
      variables: { app: DEMO_APP },
    });
    expect(await answer.json()).toEqual({
      data: {
        dead: { __typename: 'WebhookDeliveryConnection', edges: [] },
        pending: { __typename: 'WebhookDeliveryConnection', edges: [] },
      },
    });
    const arbitrary = await post(persisted, '/graphql', {
      query: `{ player(app: "${DEMO_APP}", userId: "u") { __typename } }`,
    });
    expect(
      ((await arbitrary.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('PERSISTED_QUERY_ONLY');
  });
});

it('every console operation is valid against the schema, within the default limits', () => {
  const schema = buildSchema(printSortedSchema());
  expect([...CONSOLE_OPERATIONS.keys()]).toEqual([
    'ConsolePlayer',
    'ConsoleGrants',
    'ConsoleEvents',
    'ConsoleDeliveries',
    'ConsoleRedeliver',
    'ConsoleGrant',
    'ConsoleRevoke',
  ]);
  for (const [name, text] of CONSOLE_OPERATIONS) {
    const document = parse(text);
    expect(
      validate(schema, document).map((e) => e.message),
      name,
    ).toEqual([]);
  }
  // The page names each operation the server holds, and no other.
  const script = readFileSync(new URL('../../src/server/console/assets/console.js', import.meta.url), 'utf8');
  const named = new Set([...script.matchAll(/run\('(Console[A-Za-z]+)'/g)].map((m) => m[1]));
  expect([...CONSOLE_OPERATIONS.keys()].filter((n) => !named.has(n))).toEqual([]);
});

it('writes no access line for the page, one for a console call and one for the operation it ran', async () => {
  raw.length = 0;
  const page = await logged.fetch(url('/console'));
  const script = /src="([^"]+\.js)"/.exec(await page.text())?.[1] as string;
  await (await logged.fetch(url(script))).text();
  expect(raw).toEqual([]);
  const answer = await post(logged, '/console/graphql', player);
  expect(answer.status).toBe(200);
  const lines = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  // The operation's line (its app, its name) ends first; then the console call's, which ran none itself.
  expect(lines.map((l) => [l.msg, l.status, l.operationName, l.apps, l.keyName])).toEqual([
    ['graphql request', 200, 'ConsolePlayer', [DEMO_APP], 'support'],
    ['graphql request', 200, null, [], 'support'],
  ]);
  // One request id for both, as the answer's x-request-id says.
  expect([lines[0]?.requestId, lines[1]?.requestId]).toEqual([
    answer.headers.get('x-request-id'),
    answer.headers.get('x-request-id'),
  ]);
});
