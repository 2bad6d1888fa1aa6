import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';

/** docs/gateway.example.json: the config file the Dockerfile expects at /config/gateway.json. */
const EXAMPLE = new URL('../../docs/gateway.example.json', import.meta.url).pathname;
const ENV = {
  ONESTORE_CLIENT_SECRET_MY_GAME: 'secret-for-my-game',
  ONESTORE_CLIENT_SECRET_MY_GAME_GLOBAL: 'secret-for-my-game-global',
  GAMEBASE_SECRET_KEY_MY_GAME: 'gamebase-secret-for-my-game',
};

describe('docs/gateway.example.json', () => {
  it('loads with loadConfigFile, secrets read from the environment', async () => {
    const config = await loadConfigFile(EXAMPLE, ENV);
    expect([...config.apps.keys()]).toEqual(['my-game', 'my-game-global']);
    expect(config.apps.get('my-game')).toMatchObject({
      onestore: {
        clientId: 'com.example.mygame',
        clientSecret: 'secret-for-my-game',
        environment: 'production',
        market: 'MKT_ONE',
        timeBasis: 'market',
      },
      nhncloud: { appSeq: '1000272' },
      gamebase: { appId: 'C3JmSctU', secretKey: 'gamebase-secret-for-my-game' },
    });
    expect(config.apps.get('my-game-global')).toMatchObject({
      onestore: { clientSecret: 'secret-for-my-game-global', environment: 'sandbox', market: 'MKT_GLB' },
    });
    expect(config.apps.get('my-game-global')?.nhncloud).toBeUndefined();
    expect(config).toMatchObject({
      catalogTtlSeconds: 60,
      upstreamConcurrency: 8,
      upstreamDeadlineMs: 10_000,
      ledger: { dataDir: './data/ledger', leaseSeconds: 30 },
    });
  });

  it('its API key hashes are the SHA-256 of the placeholder keys, so the example can be tried as is', async () => {
    const config = await loadConfigFile(EXAMPLE, ENV);
    expect(config.apiKeys.map(({ name, sha256, scopes }) => ({ name, sha256, scopes }))).toEqual([
      { name: 'game-server', sha256: sha256Hex('example-game-server-key'), scopes: ['read', 'write'] },
      { name: 'support-tool', sha256: sha256Hex('example-support-tool-key'), scopes: ['read'] },
    ]);
  });

  it('without the secret in the environment it fails naming the key and the variable', async () => {
    const error = await loadConfigFile(EXAMPLE, {
      ONESTORE_CLIENT_SECRET_MY_GAME: 'x',
      GAMEBASE_SECRET_KEY_MY_GAME: 'y',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'apps.my-game-global.onestore.clientSecret: environment variable ONESTORE_CLIENT_SECRET_MY_GAME_GLOBAL is not set',
    ]);
  });

  it('holds no secret: every clientSecret is an environment reference', async () => {
    const { readFile } = await import('node:fs/promises');
    const raw = JSON.parse(await readFile(EXAMPLE, 'utf8')) as {
      apps: Record<string, { onestore?: { clientSecret: unknown }; gamebase?: { secretKey: unknown } }>;
    };
    for (const app of Object.values(raw.apps)) {
      if (app.onestore)
        expect(app.onestore.clientSecret).toEqual({ env: expect.stringMatching(/^[A-Z_]+$/) });
      if (app.gamebase) expect(app.gamebase.secretKey).toEqual({ env: expect.stringMatching(/^[A-Z_]+$/) });
    }
  });
});
