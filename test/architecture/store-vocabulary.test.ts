import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';
import { toGatewayError } from '../../src/graphql/errors/store-error-map.js';
import { StoreNotConfigured } from '../../src/redemption/errors.js';
import { gamebase, readStoreCode, StoreApiError } from '../../src/stores/index.js';
import { NHNCLOUD_RESULT_CODES } from '../../src/stores/nhncloud/codes.js';
import { ONESTORE_ERROR_CODES } from '../../src/stores/onestore/codes.js';
import { STORE_IDS, STORE_NAMES, STORES, storeIdOf } from '../../src/vocabulary/stores.js';
import { APP } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * Issue 25: the store identities are defined once (src/vocabulary/stores.ts) and the rest is derived
 * from them. These pin what the derivations produce, so they say what the old hand-written lists said.
 */

describe('the one store definition', () => {
  it('names each store by API name, wire name and label', () => {
    expect(STORE_IDS).toEqual(['ONESTORE', 'NHN_CLOUD', 'GAMEBASE']);
    expect(STORE_NAMES).toEqual(['onestore', 'nhncloud', 'gamebase']);
    expect(STORE_NAMES.map(storeIdOf)).toEqual(STORE_IDS);
    expect(STORE_IDS.map((id) => STORES[id].label)).toEqual(['ONE store', 'NHN Cloud', 'Gamebase']);
  });

  it('is the GraphQL Store enum, values and descriptions', () => {
    const sdl = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    const block = /enum Store \{([^}]*)\}/.exec(sdl)?.[1] ?? '';
    const values = [...block.matchAll(/"""?([^"]+)"""?\s+(\w+)/g)].map((m) => [m[2], m[1]?.trim()]);
    expect(Object.fromEntries(values)).toEqual({
      GAMEBASE: 'NHN Gamebase Server API v1.3 (purchase)',
      NHN_CLOUD: 'NHN Cloud IAP',
      ONESTORE: 'ONE store IAP Server API v7',
    });
  });

  it('names the store an app lacks in StoreNotConfigured', () => {
    expect(STORE_IDS.map((id) => new StoreNotConfigured('game', id).message)).toEqual([
      'App "game" has no ONE store configuration.',
      'App "game" has no NHN Cloud configuration.',
      'App "game" has no Gamebase configuration.',
    ]);
  });

  it('makes the config ask for one store section at least, and read each section’s secrets', () => {
    const apiKeys = (apps: object) => [
      { name: 'k', sha256: 'a'.repeat(64), apps: Object.keys(apps), scopes: ['read'] },
    ];
    const problems = (apps: object) => {
      try {
        resolveConfig({ apps, apiKeys: apiKeys(apps) }, {});
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
    };
    expect(problems({ none: {} })).toEqual([
      'apps.none: an app needs at least one of onestore, nhncloud and gamebase',
    ]);
    expect(
      problems({
        both: {
          onestore: { clientId: 'c', clientSecret: { env: 'ONE_SECRET' } },
          gamebase: { appId: 'g', secretKey: { env: 'GB_SECRET' } },
        },
      }),
    ).toEqual([
      'apps.both.onestore.clientSecret: environment variable ONE_SECRET is not set',
      'apps.both.gamebase.secretKey: environment variable GB_SECRET is not set',
    ]);
    const config = resolveConfig(
      {
        apps: {
          all: {
            onestore: { clientId: 'c', clientSecret: { env: 'ONE_SECRET' } },
            nhncloud: { appSeq: '1' },
            gamebase: { appId: 'g', secretKey: { env: 'GB_SECRET' } },
          },
        },
        apiKeys: apiKeys({ all: {} }),
      },
      { ONE_SECRET: 'one-secret', GB_SECRET: 'gb-secret' },
    );
    expect(config.apps.get('all')).toMatchObject({
      name: 'all',
      onestore: { clientId: 'c', clientSecret: 'one-secret', market: 'MKT_ONE' },
      nhncloud: { appSeq: '1' },
      gamebase: { appId: 'g', secretKey: 'gb-secret' },
    });
  });
});

describe('each store’s one code table', () => {
  it('gives every code a category', () => {
    for (const entry of Object.values(ONESTORE_ERROR_CODES)) expect(entry.category).toBeTypeOf('string');
    for (const entry of Object.values(NHNCLOUD_RESULT_CODES)) expect(entry.category).toBeTypeOf('string');
    for (const entry of Object.values(gamebase.GAMEBASE_RESULT_CODES))
      expect(entry.category).toBeTypeOf('string');
  });

  it('reads every Gamebase code (as the client reports it) as exactly one error type, per endpoint', () => {
    const typeOf = (resultCode: number | undefined, endpoint: string, code?: string) => {
      const described = resultCode === undefined ? undefined : gamebase.describeResultCode(resultCode);
      const error = new StoreApiError({
        store: 'gamebase',
        endpoint,
        code: code ?? described?.code ?? '',
        message: 'test',
        retryable: described?.internal ?? false,
        ...(resultCode !== undefined && { resultCode }),
      });
      const mapped = toGatewayError(error);
      return `${mapped.code}: ${mapped.message}`;
    };
    const read = 'gamebase.paymentTransaction';
    const got = Object.fromEntries(
      Object.keys(gamebase.GAMEBASE_RESULT_CODES).map((c) => [c, typeOf(Number(c), read).split(':')[0]]),
    );
    const denied = ['-4010001', '-4010002', '-4010003', '-4010004', '-4010202'];
    const input = ['-4000001', '-4000002', '-4000008'];
    expect(got).toEqual({
      ...Object.fromEntries(
        Object.keys(gamebase.GAMEBASE_RESULT_CODES).map((c) => [c, 'STORE_PROTOCOL_ERROR']),
      ),
      ...Object.fromEntries(denied.map((c) => [c, 'STORE_ACCESS_DENIED'])),
      ...Object.fromEntries(input.map((c) => [c, 'INVALID_INPUT'])),
      '1100': 'NOT_FOUND',
      '5018': 'ALREADY_CONSUMED',
      '9999': 'STORE_UNAVAILABLE',
    });
    expect(typeOf(1100, read)).toBe(
      'NOT_FOUND: Gamebase takes no payment for this paymentSeq and token (1100 INVALID_PARAMETERS).',
    );
    expect(typeOf(1100, 'gamebase.consumableList')).toBe(
      'INVALID_INPUT: The store rejected the request parameters.',
    );
    expect(typeOf(5018, 'gamebase.consume')).toBe(
      'ALREADY_CONSUMED: The payment was consumed already; do not deliver again.',
    );
    expect(typeOf(-5000003, read)).toMatch(/^STORE_UNAVAILABLE: /);
    expect(typeOf(12345, read)).toBe(
      'STORE_PROTOCOL_ERROR: The store answered gamebase.paymentTransaction outside its documented protocol.',
    );
    expect(typeOf(undefined, read, 'PAYMENT_SEQ_MISMATCH')).toBe(
      'NOT_FOUND: The token belongs to another paymentSeq.',
    );
  });

  it('reads ONE store’s token endpoint as access denied, whatever the code', () => {
    for (const code of ['NoSuchData', 'BadRequest', 'SomethingNew']) {
      const error = new StoreApiError({
        store: 'onestore',
        endpoint: 'onestore.token',
        code,
        message: 'test',
        retryable: false,
      });
      expect(readStoreCode(error).category).toBe('ACCESS_DENIED');
      expect(toGatewayError(error)).toMatchObject({ code: 'STORE_ACCESS_DENIED', store: 'ONESTORE' });
    }
  });
});

describe('the messages that list the stores, through the gateway', () => {
  const g = useGateway();
  const INVALID = '__typename ... on InvalidInputError { field message }';

  it('redeemPurchase asks for exactly one store input, naming them', async () => {
    const answer = await g.gql(
      `mutation($input: RedeemPurchaseInput!) { redeemPurchase(input: $input) { ${INVALID} } }`,
      {
        input: {
          app: APP,
          userId: 'player-1',
          onestore: { productId: 'gem', purchaseToken: 'T1' },
          gamebase: { paymentSeq: '1', purchaseToken: 'abc' },
        },
      },
    );
    expect(answer.data.redeemPurchase).toEqual({
      __typename: 'InvalidInputError',
      field: 'input',
      message: 'Give exactly one of input.onestore, input.nhncloud and input.gamebase.',
    });
  });

  it('checkEntitlements sends a Gamebase entry to redeemPurchase', async () => {
    const answer = await g.gql(
      `{ checkEntitlements(app: "${APP}", checks: [{ store: GAMEBASE, purchaseToken: "abc" }]) {
        ... on EntitlementCheckList { checks { purchase { ${INVALID} } } } } }`,
    );
    expect(answer.data).toEqual({
      checkEntitlements: {
        checks: [
          {
            purchase: {
              __typename: 'InvalidInputError',
              field: 'checks.0.store',
              message:
                'checkEntitlements covers ONE store and NHN Cloud; verify Gamebase payments with redeemPurchase.',
            },
          },
        ],
      },
    });
  });
});

describe('no second list of the stores in src/', () => {
  // Frozen history: migrations already run keep their text (migration 5 dropped their CHECKs); the
  // generated client is derived from the schema; the sandbox is an independent imitation of the stores.
  const FROZEN = new Set(['ledger/migrations.ts', 'ledger/migration-store-names.ts']);
  const skipped = (path: string) =>
    FROZEN.has(path) || path.startsWith('sandbox/') || path.startsWith('client/generated/');
  const id = `['"\`](?:ONESTORE|NHN_CLOUD|GAMEBASE)['"\`]`;
  // An array literal or a SQL IN list holding three store ids (the frozen migrations have one).
  const list = new RegExp(`[[(]\\s*${id}\\s*,\\s*${id}\\s*,\\s*${id}`);

  it('holds the three store ids in an array or IN list nowhere outside the definition', () => {
    const root = new URL('../../src/', import.meta.url);
    const found = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts') && !skipped(path))
      .filter((path) => list.test(readFileSync(new URL(path, root), 'utf8')));
    expect(found).toEqual([]);
    expect(list.test(readFileSync(new URL('ledger/migrations.ts', root), 'utf8'))).toBe(true);
    // The one definition is an object keyed by the ids (src/vocabulary/stores.ts).
    expect(readFileSync(new URL('vocabulary/stores.ts', root), 'utf8')).toMatch(
      /ONESTORE: \{[^}]*\},\s*NHN_CLOUD: \{[^}]*\},\s*GAMEBASE: \{/,
    );
  });
});
