import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor, type RedeemAnswer, redeemThrough } from '../helpers/redeem.js';
import { type SandboxHarness, startHarness } from '../helpers/sandbox.js';
import { newGamebaseApp, newGamebasePayment } from '../helpers/stores.js';

/**
 * Issue 24, point 5: one store purchase, one grant, whatever the gateway apps are called. Two
 * gateway apps configured with the same store app (ONE store clientId, NHN appSeq, Gamebase appId:
 * e.g. the two markets of one ONE store app configured as two gateway apps, or an app renamed while
 * its grants stay in the ledger) must not grant one purchase twice.
 */

const KEY = `key-${randomUUID()}`;

interface Stores {
  clientId: string;
  clientSecret: string;
  appSeq: string;
  gamebase: { appId: string; secretKey: string };
}

/** A gateway whose apps `names` all use the same three store apps. */
function gatewayOf(h: SandboxHarness, s: Stores, names: string[], ledger: LedgerStorage): Gateway {
  const app = {
    onestore: { clientId: s.clientId, clientSecret: { env: 'ONE_SECRET' }, baseUrl: h.url },
    nhncloud: { appSeq: s.appSeq, baseUrl: h.url },
    gamebase: { appId: s.gamebase.appId, secretKey: { env: 'GB_SECRET' }, baseUrl: h.url },
  };
  const config = resolveConfig(
    {
      apps: Object.fromEntries(names.map((name) => [name, app])),
      apiKeys: [{ name: 'all', sha256: sha256Hex(KEY), apps: names, scopes: ['read', 'write'] }],
      breaker: { enabled: false },
      rateLimits: { enabled: false },
      ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 },
    },
    { ONE_SECRET: s.clientSecret, GB_SECRET: s.gamebase.secretKey },
  );
  return createGateway(config, { ledger, now: () => h.sandbox.clock.now() });
}

const redeemIn = (gateway: Gateway, input: object): Promise<RedeemAnswer> =>
  redeemThrough(gateway, KEY, input);

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`one purchase, one grant across gateway apps on ${backend.name}`, () => {
    let h: SandboxHarness;
    let s: Stores;
    let ledger: LedgerStorage;
    let twoApps: Gateway;
    beforeAll(async () => {
      h = await startHarness({});
      s = {
        clientId: `com.example.same${randomUUID().slice(0, 8)}`,
        clientSecret: `secret-${randomUUID()}`,
        appSeq: String((await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {})).appSeq),
        gamebase: await newGamebaseApp(h),
      };
      await h.control('POST', '/onestore/apps', { clientId: s.clientId, clientSecret: s.clientSecret });
      ledger = await ledgerFor(backend);
      twoApps = gatewayOf(h, s, ['game-kr', 'game-glb'], ledger);
    });
    afterAll(async () => {
      await twoApps?.dispose();
      await ledger?.db.close();
      await backend.cleanup();
      await h?.close();
    });

    const grantRows = async (purchaseKey: string) =>
      ledger.db.query<{ app: string; status: string }>(
        'SELECT app, status FROM grants WHERE purchase_key = $1 ORDER BY app',
        [purchaseKey],
      );

    it('a ONE store NON_CONSUMABLE purchase redeemed in both apps: one SETTLED grant, the second app is refused with no store call', async () => {
      const p = await h.control<{ purchaseToken: string }>('POST', '/onestore/purchases', {
        type: 'inapp',
        productId: 'no_ads',
        clientId: s.clientId,
      });
      const onestore = { productId: 'no_ads', purchaseToken: p.purchaseToken, kind: 'NON_CONSUMABLE' };
      const first = await redeemIn(twoApps, { app: 'game-kr', userId: 'player-1', onestore });
      expect(first).toMatchObject({ __typename: 'RedeemPurchaseSuccess', alreadyRedeemed: false });
      await h.control('DELETE', '/stats');
      const second = await redeemIn(twoApps, { app: 'game-glb', userId: 'player-1', onestore });
      expect(second).toMatchObject({ __typename: 'GrantConflictError', code: 'GRANT_CONFLICT' });
      expect((second as { message?: string }).message).toContain('another gateway app');
      expect(await grantRows(p.purchaseToken)).toEqual([{ app: 'game-kr', status: 'SETTLED' }]);
      expect((await h.stats()).total).toBe(0);
    });

    it('a Gamebase AUTO_RENEWABLE payment (recorded, not consumed) redeemed in both apps: one grant', async () => {
      const pay = await newGamebasePayment(h, s.gamebase, { productType: 'AUTO_RENEWABLE' });
      const gamebase = { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken };
      expect(await redeemIn(twoApps, { app: 'game-kr', userId: pay.userId, gamebase })).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        grant: { outcome: 'RECORDED' },
      });
      expect(await redeemIn(twoApps, { app: 'game-glb', userId: pay.userId, gamebase })).toMatchObject({
        __typename: 'GrantConflictError',
      });
      // A lone AUTO_RENEWABLE payment (no subscription the status call knows): keyed by the period it paid, its own paymentId.
      expect(await grantRows(`GG:${pay.paymentId}`)).toEqual([{ app: 'game-kr', status: 'SETTLED' }]);
    });

    /** Redeems `input` through a gateway of its app alone over the same ledger, disposed after. */
    const redeemInOwnGateway = async (input: { app: string } & Record<string, unknown>) => {
      const gateway = gatewayOf(h, s, [input.app], ledger);
      try {
        return await redeemIn(gateway, input);
      } finally {
        await gateway.dispose();
      }
    };

    const nonConsumable = async () => {
      const p = await h.control<{ purchaseToken: string }>('POST', '/onestore/purchases', {
        type: 'inapp',
        productId: 'no_ads',
        clientId: s.clientId,
      });
      return { productId: 'no_ads', purchaseToken: p.purchaseToken, kind: 'NON_CONSUMABLE' };
    };

    it('an app renamed in the config while its grants stay in the ledger: the purchase is not granted again under the new name', async () => {
      const onestore = await nonConsumable();
      expect(await redeemInOwnGateway({ app: 'game-old', userId: 'player-2', onestore })).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
      });
      expect(await redeemInOwnGateway({ app: 'game-new', userId: 'player-2', onestore })).toMatchObject({
        __typename: 'GrantConflictError',
      });
      expect(await grantRows(onestore.purchaseToken)).toEqual([{ app: 'game-old', status: 'SETTLED' }]);
    });

    it('a grant written before the store identity is given it from the config at start, and then counts', async () => {
      const onestore = await nonConsumable();
      expect(await redeemIn(twoApps, { app: 'game-kr', userId: 'player-3', onestore })).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
      });
      // As a row written by a release before the store identity (migration 5) was kept.
      await ledger.db.query('UPDATE grants SET store_app = NULL WHERE purchase_key = $1', [
        onestore.purchaseToken,
      ]);
      const restarted = gatewayOf(h, s, ['game-kr', 'game-glb'], ledger);
      try {
        await restarted.redemption();
        const rows = await ledger.db.query<{ store_app: string | null }>(
          'SELECT store_app FROM grants WHERE purchase_key = $1',
          [onestore.purchaseToken],
        );
        expect(rows).toEqual([{ store_app: s.clientId }]);
        expect(await redeemIn(restarted, { app: 'game-glb', userId: 'player-3', onestore })).toMatchObject({
          __typename: 'GrantConflictError',
        });
      } finally {
        await restarted.dispose();
      }
      expect(await grantRows(onestore.purchaseToken)).toEqual([{ app: 'game-kr', status: 'SETTLED' }]);
    });
  });
}
