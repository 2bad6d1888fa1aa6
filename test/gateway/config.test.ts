import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { configProblems } from '../helpers/gateway-config.js';

/** Config errors name the key they are about. */

const valid = () => ({
  apps: {
    game: {
      onestore: { clientId: 'com.example.game', clientSecret: { env: 'GAME_SECRET' } },
      nhncloud: { appSeq: '1000272' },
    },
  },
  apiKeys: [{ name: 'backend', sha256: sha256Hex('k'), apps: ['game'], scopes: ['read', 'write'] }],
});

const problemsOf = (raw: unknown, env: Record<string, string | undefined> = { GAME_SECRET: 's' }) =>
  configProblems(raw, env);

describe('resolveConfig', () => {
  it('accepts a valid config and fills the defaults', () => {
    const config = resolveConfig(valid(), { GAME_SECRET: 's' });
    expect(config.apps.get('game')?.onestore).toMatchObject({
      clientId: 'com.example.game',
      clientSecret: 's',
      market: 'MKT_ONE',
      environment: 'sandbox',
      timeBasis: 'market',
    });
    expect(config).toMatchObject({
      catalogTtlSeconds: 60,
      upstreamConcurrency: 8,
      upstreamDeadlineMs: 10_000,
    });
  });

  it('a clientId of the wrong type names apps.game.onestore.clientId', () => {
    const raw = valid();
    (raw.apps.game.onestore as Record<string, unknown>).clientId = 12345;
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^apps\.game\.onestore\.clientId: /);
  });

  it('a missing secret environment variable names the key and the variable, never a value', () => {
    const problems = problemsOf(valid(), {});
    expect(problems).toEqual([
      'apps.game.onestore.clientSecret: environment variable GAME_SECRET is not set',
    ]);
  });

  it('an API key naming an unknown app names apiKeys.0.apps.1', () => {
    const raw = valid();
    raw.apiKeys[0]?.apps.push('ghost');
    const problems = problemsOf(raw);
    expect(problems).toEqual(['apiKeys.0.apps.1: no app named "ghost"']);
  });

  it('several problems are reported together, each with its key', () => {
    const raw = {
      apps: { game: { nhncloud: { appSeq: 'abc' } }, Bad: { nhncloud: { appSeq: '1' } } },
      apiKeys: [{ name: 'k', sha256: 'nothex', apps: ['game'], scopes: ['admin'] }],
      catalogTtlSeconds: -1,
    };
    const problems = problemsOf(raw);
    for (const key of [
      'apps.game.nhncloud.appSeq',
      'apps.Bad',
      'apiKeys.0.sha256',
      'apiKeys.0.scopes.0',
      'catalogTtlSeconds',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${key}: `)),
        `${key} in ${problems.join(' | ')}`,
      ).toBe(true);
    }
  });
});
