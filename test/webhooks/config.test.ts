import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';
import { retryDelayMs } from '../../src/events/index.js';
import { webhookRouting } from '../../src/events/routing.js';
import { schema } from '../../src/graphql/schema.js';
import { EVENT_TYPES } from '../../src/ledger/index.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { webhookDocument } from '../../src/server/webhooks/payload.js';

const SECRET = 'a-signing-secret-of-32-characters';

const config = (webhooks: unknown[], section: Record<string, unknown> = {}) => ({
  apps: {
    game: { nhncloud: { appSeq: '1000272' }, webhooks },
    other: { nhncloud: { appSeq: '1000273' } },
  },
  apiKeys: [{ name: 'backend', sha256: sha256Hex('k'), apps: ['game'], scopes: ['read'] }],
  webhooks: section,
});

function problemsOf(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('webhooks config', () => {
  it('has the documented defaults and reads each secret from the environment', () => {
    const resolved = resolveConfig(
      config([
        { name: 'main', url: 'https://hooks.example.com/in', secret: { env: 'HOOK' } },
        {
          name: 'refunds',
          url: 'https://r.example.com/',
          secret: { env: 'HOOK' },
          signature: 'gateway-v1',
          events: ['GRANT_REVOKED'],
        },
      ]),
      { HOOK: SECRET },
    );
    expect(resolved.webhooks).toMatchObject({
      retryForSeconds: 86_400,
      initialBackoffMs: 5_000,
      maxBackoffMs: 3_600_000,
      timeoutMs: 10_000,
      leaseSeconds: 60,
      pollIntervalMs: 5_000,
      concurrency: 8,
    });
    expect(resolved.webhooks.endpoints).toEqual([
      {
        app: 'game',
        name: 'main',
        url: 'https://hooks.example.com/in',
        secret: SECRET,
        signature: 'standard',
        events: EVENT_TYPES,
        environments: ['SANDBOX', 'PRODUCTION'],
      },
      {
        app: 'game',
        name: 'refunds',
        url: 'https://r.example.com/',
        secret: SECRET,
        signature: 'gateway-v1',
        events: ['GRANT_REVOKED'],
        environments: ['SANDBOX', 'PRODUCTION'],
      },
    ]);
    const routing = webhookRouting(resolved.webhooks);
    expect(routing.endpointsFor('game', 'GRANT_REVOKED', 'PRODUCTION')).toEqual(['main', 'refunds']);
    expect(routing.endpointsFor('game', 'GRANT_SETTLED', 'PRODUCTION')).toEqual(['main']);
    expect(routing.endpointsFor('other', 'GRANT_SETTLED', 'PRODUCTION')).toEqual([]);
    expect(routing.endpointsOf('game')).toEqual(['main', 'refunds']);
  });

  it('routes an endpoint the environments it lists only (issue 27)', () => {
    const resolved = resolveConfig(
      config([
        { name: 'main', url: 'https://hooks.example.com/in', secret: { env: 'HOOK' } },
        {
          name: 'revenue',
          url: 'https://r.example.com/',
          secret: { env: 'HOOK' },
          environments: ['PRODUCTION'],
        },
        { name: 'qa', url: 'https://q.example.com/', secret: { env: 'HOOK' }, environments: ['SANDBOX'] },
      ]),
      { HOOK: SECRET },
    );
    expect(resolved.webhooks.endpoints.map((e) => [e.name, e.environments])).toEqual([
      ['main', ['SANDBOX', 'PRODUCTION']],
      ['revenue', ['PRODUCTION']],
      ['qa', ['SANDBOX']],
    ]);
    const routing = webhookRouting(resolved.webhooks);
    expect(routing.endpointsFor('game', 'GRANT_SETTLED', 'PRODUCTION')).toEqual(['main', 'revenue']);
    expect(routing.endpointsFor('game', 'GRANT_SETTLED', 'SANDBOX')).toEqual(['main', 'qa']);
    expect(routing.takesEnvironment('game', 'revenue', 'SANDBOX')).toBe(false);
    expect(routing.takesEnvironment('game', 'revenue', 'PRODUCTION')).toBe(true);
    expect(routing.takesEnvironment('game', 'nobody', 'PRODUCTION')).toBe(false);
    const hook = (environments: unknown) => ({
      name: 'main',
      url: 'https://h.example.com/',
      secret: { env: 'HOOK' },
      environments,
    });
    expect(problemsOf(config([hook(['TEST'])]), { HOOK: SECRET })[0]).toMatch(
      /^apps\.game\.webhooks\.0\.environments\.0: /,
    );
    expect(problemsOf(config([hook([])]), { HOOK: SECRET })[0]).toMatch(
      /^apps\.game\.webhooks\.0\.environments: /,
    );
    expect(problemsOf(config([hook(['SANDBOX', 'SANDBOX'])]), { HOOK: SECRET })).toEqual([
      'apps.game.webhooks.0.environments: each environment once',
    ]);
    const nhn = {
      ...config([]),
      apps: { game: { nhncloud: { appSeq: '1000272', environment: 'staging' } } },
    };
    expect(problemsOf(nhn)[0]).toMatch(/^apps\.game\.nhncloud\.environment: /);
  });

  it('names the key of every problem, never a secret', () => {
    const hook = (extra: object) => ({
      name: 'main',
      url: 'https://h.example.com/',
      secret: { env: 'HOOK' },
      ...extra,
    });
    expect(problemsOf(config([hook({})]))).toEqual([
      'apps.game.webhooks.0.secret: environment variable HOOK is not set',
    ]);
    const short = problemsOf(config([hook({})]), { HOOK: 'short-secret' });
    expect(short).toEqual([
      'apps.game.webhooks.0.secret: environment variable HOOK is shorter than 16 characters',
    ]);
    expect(short.join()).not.toContain('short-secret');
    expect(problemsOf(config([hook({}), hook({})]), { HOOK: SECRET })).toEqual([
      'apps.game.webhooks: endpoint names must be unique',
    ]);
    expect(problemsOf(config([hook({ url: 'ftp://h.example.com/' })]), { HOOK: SECRET })[0]).toMatch(
      /^apps\.game\.webhooks\.0\.url: /,
    );
    expect(problemsOf(config([hook({ events: ['GRANT_EATEN'] })]), { HOOK: SECRET })[0]).toMatch(
      /^apps\.game\.webhooks\.0\.events\.0: /,
    );
    expect(problemsOf(config([hook({ name: 'Main Hook' })]), { HOOK: SECRET })[0]).toMatch(
      /^apps\.game\.webhooks\.0\.name: /,
    );
    expect(problemsOf(config([], { leaseSeconds: 5, timeoutMs: 5_000 }))).toEqual([
      'webhooks.leaseSeconds: must exceed webhooks.timeoutMs (5000 ms): a delivery may not be taken over while its attempt can still land',
    ]);
    expect(problemsOf(config([], { initialBackoffMs: 1_000, maxBackoffMs: 500 }))).toEqual([
      'webhooks.maxBackoffMs: must be at least webhooks.initialBackoffMs (1000)',
    ]);
  });
});

describe('retry delay', () => {
  const settings = { initialBackoffMs: 5_000, maxBackoffMs: 3_600_000 };
  it('is drawn below a bound that doubles per attempt up to the cap (full jitter)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, settings, () => 0.999_999_9))).toEqual([
      4_999, 9_999, 19_999, 39_999,
    ]);
    expect(retryDelayMs(30, settings, () => 0.5)).toBe(1_800_000);
    expect(retryDelayMs(10_000, settings, () => 0.999_999_9)).toBe(3_599_999);
    expect(retryDelayMs(3, settings, () => 0)).toBe(0);
  });
});

describe('webhook body document', () => {
  it('selects every field of GatewayEvent and its objects, leaving out the store lookups (unions)', () => {
    const document = webhookDocument(schema);
    const type = schema.getType('GatewayEvent');
    if (!isObjectType(type)) throw new Error('no GatewayEvent type');
    for (const field of Object.keys(type.getFields())) expect(document).toMatch(new RegExp(`\\b${field}\\b`));
    expect(document).toContain('grant { ');
    expect(document).toContain('purchase { ');
    expect(document).toContain('entitlement { active expiresAt reason }');
    expect(document).not.toMatch(/\bitem\b/);
  });
});
