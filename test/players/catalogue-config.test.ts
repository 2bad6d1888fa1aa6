import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';

/** docs/gateway.example.json, its `my-game` catalogue changed one way per test. */
const EXAMPLE = readFileSync(new URL('../../docs/gateway.example.json', import.meta.url), 'utf8');
const ENV = {
  ONESTORE_CLIENT_SECRET_MY_GAME: 'secret-for-my-game',
  ONESTORE_CLIENT_SECRET_MY_GAME_GLOBAL: 'secret-for-my-game-global',
  GAMEBASE_SECRET_KEY_MY_GAME: 'gamebase-secret-for-my-game',
};

type Raw = { apps: Record<string, Record<string, unknown>> } & Record<string, unknown>;

function problemsWith(change: (config: Raw) => void): readonly string[] {
  const config = JSON.parse(EXAMPLE) as Raw;
  change(config);
  try {
    resolveConfig(config, ENV);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

const catalogue = (entitlements: unknown) => (config: Raw) => {
  const app = config.apps['my-game'];
  if (app === undefined) throw new Error('the example has no my-game');
  app.entitlements = entitlements;
};

describe('the entitlement catalogue in the config (issue 27)', () => {
  it("the example's catalogue loads, each term and product as written; an app without one has {}", () => {
    const config = resolveConfig(JSON.parse(EXAMPLE), ENV);
    expect(config.apps.get('my-game')?.entitlements).toEqual({
      vip: {
        products: [
          { store: 'ONESTORE', productId: 'vip_monthly' },
          { store: 'GAMEBASE', gamebaseProductId: 'vip_monthly_gb' },
        ],
        grants: 'whileSubscribed',
      },
      season_pass: {
        products: [{ store: 'NHN_CLOUD', marketItemId: 'season_pass_30d' }],
        grants: { days: 30 },
      },
      no_ads: {
        products: [
          { store: 'ONESTORE', productId: 'no_ads' },
          { store: 'GAMEBASE', gamebaseProductId: 'no_ads' },
        ],
        grants: 'forever',
      },
    });
    expect(config.apps.get('my-game-global')?.entitlements).toEqual({});
  });

  it('`grants` defaults to forever; an NHN Cloud product may be named by itemSeq', () => {
    const config = JSON.parse(EXAMPLE) as Raw;
    catalogue({ gems: { products: [{ store: 'NHN_CLOUD', itemSeq: '1000123' }] } })(config);
    expect(resolveConfig(config, ENV).apps.get('my-game')?.entitlements).toEqual({
      gems: { products: [{ store: 'NHN_CLOUD', itemSeq: '1000123' }], grants: 'forever' },
    });
  });

  it('each mistake is named by its key', () => {
    expect(problemsWith(catalogue({ VIP: { products: [{ store: 'ONESTORE', productId: 'p' }] } }))).toEqual([
      'apps.my-game.entitlements.VIP: an entitlement id is 1-64 lowercase letters, digits, _ . and -',
    ]);
    expect(problemsWith(catalogue({ vip: { products: [] } }))).toEqual([
      'apps.my-game.entitlements.vip.products: Too small: expected array to have >=1 items',
    ]);
    expect(
      problemsWith(
        catalogue({ vip: { products: [{ store: 'ONESTORE', productId: 'p' }], grants: { days: 0 } } }),
      ),
    ).toEqual(['apps.my-game.entitlements.vip.grants.days: Too small: expected number to be >=1']);
    expect(
      problemsWith(
        catalogue({ vip: { products: [{ store: 'ONESTORE', productId: 'p' }], grants: 'monthly' } }),
      ),
    ).toEqual(['apps.my-game.entitlements.vip.grants: "forever", "whileSubscribed" or { "days": N }']);
    expect(problemsWith(catalogue({ vip: { products: [{ store: 'STEAM', productId: 'p' }] } }))).toEqual([
      "apps.my-game.entitlements.vip.products.0.store: Invalid discriminator value. Expected 'ONESTORE' | 'NHN_CLOUD' | 'GAMEBASE'",
    ]);
    expect(
      problemsWith(catalogue({ vip: { products: [{ store: 'ONESTORE', gamebaseProductId: 'p' }] } })),
    ).toEqual([
      'apps.my-game.entitlements.vip.products.0.productId: Invalid input: expected string, received undefined',
      'apps.my-game.entitlements.vip.products.0: Unrecognized key: "gamebaseProductId"',
    ]);
    expect(
      problemsWith(
        catalogue({ vip: { products: [{ store: 'NHN_CLOUD', marketItemId: 'm', itemSeq: '1' }] } }),
      ),
    ).toEqual([
      'apps.my-game.entitlements.vip.products.0: an NHN Cloud product names marketItemId or itemSeq (one of them)',
    ]);
    const twice = { store: 'GAMEBASE', gamebaseProductId: 'g' };
    expect(problemsWith(catalogue({ vip: { products: [twice, twice] } }))).toEqual([
      'apps.my-game.entitlements.vip.products: each product once in an entitlement',
    ]);
  });

  it("a product of a store the app has no section for is named with the app's missing section", () => {
    const app = (config: Raw) => config.apps['my-game-global'] as Record<string, unknown>;
    expect(
      problemsWith((config) => {
        app(config).entitlements = { vip: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'g' }] } };
      }),
    ).toEqual([
      'apps.my-game-global.entitlements.vip.products.0.store: app "my-game-global" has no Gamebase configuration (apps.my-game-global.gamebase)',
    ]);
  });

  it('a catalogue pasted at the top level is told it belongs under apps.<name>', () => {
    expect(problemsWith((config) => Object.assign(config, { entitlements: {} }))).toEqual([
      '(root): Unrecognized key: "entitlements" (entitlements belongs under apps.<name>)',
    ]);
  });
});
