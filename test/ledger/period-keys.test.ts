import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantStore, type LedgerDb, MIGRATIONS, migrate, type NewGrant } from '../../src/ledger/index.js';
import { PERIOD_REFUND } from '../../src/redemption/periods.js';
import { type LedgerStorage, ledgerStorage } from '../../src/redemption/service.js';
import { fingerprintOf, newGrant, type RedeemRequest } from '../../src/redemption/target.js';
import { APP, act, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { openLedgerBefore } from '../helpers/ledger-db.js';
import { claimBefore11, grantRowBefore11, recordBefore11, revokeBefore11 } from '../helpers/older-ledger.js';
import { grantRows, redeem } from '../helpers/redeem.js';

/**
 * Ledger migration 8 (issue 26): a ONE store subscription or monthly grant written before grants were
 * kept per period, under its token alone, gets the key of the period its store ids kept
 * (`${purchaseToken}:${purchaseId}`); one without a purchaseId keeps the token; every other row stays.
 */

const PERIOD_KEYS = 8;

const oneStoreGrant = (token: string, storeIds: Record<string, string>): NewGrant => ({
  app: 'game-p',
  store: 'ONESTORE',
  purchaseKey: token,
  storeApp: 'one-app',
  userId: 'player-1',
  productId: 'vip_pass',
  quantity: 1,
  storeIds: { purchaseToken: token, productId: 'vip_pass', ...storeIds },
  fingerprint: `fp-${token}`,
  idempotencyKey: null,
  action: 'NONE',
});

const keys = async (db: LedgerDb) =>
  Object.fromEntries(
    (await db.query<{ id: string; purchase_key: string }>('SELECT id, purchase_key FROM grants', [])).map(
      (r) => [r.id, r.purchase_key],
    ),
  );

/** Claimed by today's GrantStore, on a ledger at the current version. */
async function claimedNow(store: GrantStore, grant: NewGrant) {
  const claim = await store.claim(grant, 'owner-1', 60_000);
  if (!claim.claimed) throw new Error('expected a claim');
  return claim.grant;
}

/** Claimed as a release at version 7 claimed it (today's GrantStore writes migration 11's column). */
const claimed = (db: LedgerDb, grant: NewGrant) => claimBefore11(db, grant, 'owner-1', 60_000);

/**
 * Settled as a release at version 7 settled it: its event and row, without the tracking of its
 * subscription that settles write since migration 9 (whose table a version-7 ledger lacks).
 */
async function settledAsBefore(db: LedgerDb, id: string, outcome: string) {
  await db.query(
    `UPDATE grants SET status = 'SETTLED', outcome = $2, settled_at = ${db.dialect.now}, lease_expires_at = NULL
     WHERE id = $1 AND status = 'PENDING'`,
    [id, outcome],
  );
  const settled = await grantRowBefore11(db, id);
  await recordBefore11(db, {
    app: String(settled.app),
    type: 'GRANT_SETTLED',
    subject: id,
    data: { grant: settled },
  });
  return { id };
}

/** A grant as the gateway wrote it before this change: under the token, settled. */
async function preChangeGrant(
  db: LedgerDb,
  g: GatewayHarness,
  p: { productId: string; purchaseToken: string },
  userId: string,
  kind: 'SUBSCRIPTION' | 'MONTHLY',
  purchaseId: string | undefined,
) {
  const request: RedeemRequest = {
    app: APP,
    userId,
    target: { store: 'ONESTORE', productId: p.productId, purchaseToken: p.purchaseToken, kind },
  };
  const storeIds: Record<string, string> = purchaseId ? { purchaseId } : {};
  const facts = { productId: p.productId, quantity: 1, storeIds, environment: 'SANDBOX' as const };
  const grant = newGrant(request, facts, 'NONE', g.onestore.a);
  expect(grant.purchaseKey).toBe(p.purchaseToken);
  expect(grant.fingerprint).toBe(fingerprintOf(request));
  const written = await claimed(db, grant);
  return settledAsBefore(db, written.id, kind === 'MONTHLY' ? 'ACKNOWLEDGED' : 'RECORDED');
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ledger migration 8 (period keys) on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('re-keys ONE store subscription and monthly grants by their purchaseId, and nothing else', async () => {
      const db = await openLedgerBefore(backend, PERIOD_KEYS);
      try {
        const store = new GrantStore(db);
        const sub = await claimed(
          db,
          oneStoreGrant('SUBTOKEN1', { kind: 'SUBSCRIPTION', purchaseId: 'P-1' }),
        );
        await settledAsBefore(db, sub.id, 'RECORDED');
        const monthly = await claimed(db, oneStoreGrant('MONTOKEN1', { kind: 'MONTHLY', purchaseId: 'P-2' }));
        const revoked = await claimed(db, oneStoreGrant('MONTOKEN2', { kind: 'MONTHLY', purchaseId: 'P-3' }));
        await settledAsBefore(db, revoked.id, 'ACKNOWLEDGED');
        await revokeBefore11(db, revoked.id, { source: 'test' }, new Date());
        const noPeriod = await claimed(db, oneStoreGrant('SUBTOKEN2', { kind: 'SUBSCRIPTION' }));
        const managed = await claimed(
          db,
          oneStoreGrant('GEMTOKEN1', { kind: 'CONSUMABLE', purchaseId: 'P-4' }),
        );
        const noKind = await claimed(db, oneStoreGrant('OLDTOKEN1', { purchaseId: 'P-5' }));
        const before = await db.query<Record<string, unknown>>('SELECT * FROM grants ORDER BY id', []);

        expect(await migrate(db)).toEqual(
          MIGRATIONS.filter((m) => m.version >= PERIOD_KEYS).map((m) => m.version),
        );
        expect(await keys(db)).toEqual({
          [sub.id]: 'SUBTOKEN1:P-1',
          [monthly.id]: 'MONTOKEN1:P-2',
          [revoked.id]: 'MONTOKEN2:P-3',
          [noPeriod.id]: 'SUBTOKEN2',
          [managed.id]: 'GEMTOKEN1',
          [noKind.id]: 'OLDTOKEN1',
        });
        // Every other column as it was (a pending claim stays pending, a revocation stays); migration
        // 11's environment is added empty.
        const after = await db.query<Record<string, unknown>>('SELECT * FROM grants ORDER BY id', []);
        expect(after.map((r) => r.environment)).toEqual(before.map(() => null));
        expect(after.map(({ purchase_key: _k, environment: _e, ...rest }) => rest)).toEqual(
          before.map(({ purchase_key: _k, ...rest }) => rest),
        );
        expect(await store.findByStorePurchase('ONESTORE', 'one-app', 'MONTOKEN1:P-2')).toMatchObject({
          id: monthly.id,
          status: 'PENDING',
        });
        expect(await migrate(db)).toEqual([]);
        expect(await keys(db)).toMatchObject({ [sub.id]: 'SUBTOKEN1:P-1' });
      } finally {
        await db.close();
      }
    });
  });
}

// Each describe on a schema of its own: the one above migrates its ledger fully, the last one starts at 7.
for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a period's refund in the outbox on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('a period refunded while its grant is pending is told when it settles: SETTLED, REVOKED, PERIOD_REFUNDED', async () => {
      const db = await backend.open();
      try {
        const store = new GrantStore(db);
        const grant = await claimedNow(
          store,
          oneStoreGrant('PENDTOKEN1:P-9', {
            purchaseToken: 'PENDTOKEN1',
            kind: 'MONTHLY',
            purchaseId: 'P-9',
          }),
        );
        const revocation = { source: 'test', market: 'MKT_GLB', purchaseId: 'P-9', ...PERIOD_REFUND };
        expect(
          await store.revoke('game-p', 'ONESTORE', 'PENDTOKEN1:P-9', revocation, new Date()),
        ).toMatchObject({
          id: grant.id,
          status: 'PENDING',
        });
        await store.settle(grant.id, 'ACKNOWLEDGED');
        const events = await store.events.after('game-p', null, 10);
        expect(events.map((e) => [e.type, e.subject])).toEqual([
          ['GRANT_CREATED', grant.id],
          ['GRANT_SETTLED', grant.id],
          ['GRANT_REVOKED', grant.id],
          ['SUBSCRIPTION_PERIOD_REFUNDED', grant.id],
        ]);
        expect(events[3]?.data).toMatchObject({
          store: 'ONESTORE',
          market: 'MKT_GLB',
          productId: 'vip_pass',
          kind: 'MONTHLY',
          purchaseId: 'P-9',
          grant: { id: grant.id, status: 'SETTLED', revocation },
        });
        // A revocation without the mark (a managed product's) is GRANT_REVOKED alone.
        const gem = await claimedNow(
          store,
          oneStoreGrant('GEMTOKEN9', { kind: 'CONSUMABLE', purchaseId: 'P-10' }),
        );
        await store.settle(gem.id, 'CONSUMED');
        await store.revoke('game-p', 'ONESTORE', 'GEMTOKEN9', { source: 'test' }, new Date());
        const last = await store.events.after('game-p', events[3]?.seq ?? null, 10);
        expect(last.map((e) => e.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED', 'GRANT_REVOKED']);
      } finally {
        await db.close();
      }
    });
  });
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`grants made before periods keep working on ${backend.name}`, () => {
    let db: LedgerDb;
    let ledger: LedgerStorage;
    let g: GatewayHarness;
    beforeAll(async () => {
      // The gateway runs on a ledger at version 7; the test writes the old rows, then migrates it.
      db = await openLedgerBefore(backend, PERIOD_KEYS);
      ledger = ledgerStorage(db);
      g = await startGateway({
        config: { ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 } },
        gatewayOptions: { ledger },
      });
    });
    afterAll(async () => {
      await g?.close();
      await db?.close();
      await backend.cleanup();
    });

    it('a redemption in the same period answers the old grant; after a renewal a new one; one without purchaseId keeps answering', async () => {
      const userId = `player-${randomUUID().slice(0, 8)}`;
      const sub = await purchase(g, { productId: 'vip_pass', type: 'subscription' });
      const monthly = await purchase(g, { productId: 'monthly_pass', type: 'auto' });
      const bare = await purchase(g, { productId: 'vip_pass', type: 'subscription' });
      const oldSub = await preChangeGrant(db, g, sub, userId, 'SUBSCRIPTION', sub.purchaseId);
      const oldMonthly = await preChangeGrant(db, g, monthly, userId, 'MONTHLY', monthly.purchaseId);
      const oldBare = await preChangeGrant(db, g, bare, userId, 'SUBSCRIPTION', undefined);
      // 8, and 9 (tracked subscriptions) after it.
      expect(await migrate(db)).toEqual(
        MIGRATIONS.filter((m) => m.version >= PERIOD_KEYS).map((m) => m.version),
      );

      const input = (p: typeof sub, kind: 'SUBSCRIPTION' | 'MONTHLY') => ({
        app: APP,
        userId,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken, kind },
      });
      expect(await redeem(g, input(sub, 'SUBSCRIPTION'))).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: oldSub.id },
      });
      expect(await redeem(g, input(monthly, 'MONTHLY'))).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: oldMonthly.id },
      });
      expect(await redeem(g, input(bare, 'SUBSCRIPTION'))).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: oldBare.id },
      });

      for (const p of [sub, bare]) await act(g, p.purchaseToken, 'renew');
      const renewed = await redeem(g, input(sub, 'SUBSCRIPTION'));
      expect(renewed).toMatchObject({
        alreadyRedeemed: false,
        grant: { status: 'SETTLED', outcome: 'RECORDED' },
      });
      expect(renewed.grant?.storeIds.purchaseId).not.toBe(sub.purchaseId);
      // Its period unknown, the old grant is taken as the current one's, as before: no guess at a second.
      expect(await redeem(g, input(bare, 'SUBSCRIPTION'))).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: oldBare.id },
      });
      expect(await grantRows(ledger, bare.purchaseToken)).toBe(1);
    });
  });
}
