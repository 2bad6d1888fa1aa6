import { afterAll, describe, expect, it } from 'vitest';
import type { EntitlementCatalogue } from '../../src/config/entitlements.js';
import { ENTITLEMENT_EVENT_TYPES } from '../../src/events/types.js';
import { type LedgerDb, migrate } from '../../src/ledger/index.js';
import { EntitlementEventWorker } from '../../src/players/index.js';
import { ledgerStorage } from '../../src/redemption/service.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { openLedgerBefore } from '../helpers/ledger-db.js';

/**
 * Ledger migration 13 on a ledger that already holds grants: every player granted to before it is a
 * baseline (their first computation writes no event); a player marked after it starts from nothing.
 */

const CATALOGUE: EntitlementCatalogue = {
  no_ads: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'no_ads' }], grants: 'forever' },
  vip: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'vip' }], grants: 'forever' },
};

async function insertGrant(
  db: LedgerDb,
  id: string,
  userId: string,
  app = 'game',
  productId = 'no_ads',
): Promise<void> {
  const pg = db.kind === 'postgres';
  await db.query(
    `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
       action, status, created_at, settled_at, outcome)
     VALUES ($1, $3, 'GAMEBASE', $1, $2, $4, 1, ${pg ? `'{}'::jsonb` : `'{}'`}, 'f', 'NONE', 'SETTLED',
       ${pg ? 'now()' : 'CAST(ledger_now() AS INTEGER)'}, ${pg ? 'now()' : 'CAST(ledger_now() AS INTEGER)'}, 'RECORDED')`,
    [id, userId, app, productId],
  );
}

/** The facts' GRANT_* event, which marks the player (as the ledger's own writes do). */
async function told(
  storage: ReturnType<typeof ledgerStorage>,
  type: 'GRANT_SETTLED' | 'GRANT_REVOKED',
  id: string,
) {
  const grant = await storage.grants.findById(id);
  await storage.events.write((_q, record) =>
    record({ app: 'game', type, subject: id, data: { grant }, player: grant?.userId ?? '' }),
  );
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`migration 13 on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('backfills the players already granted to as baselines: no event for what they had', async () => {
      const db = await openLedgerBefore(backend, 13);
      try {
        await insertGrant(db, 'old-grant', 'old-player');
        expect(await migrate(db)).toEqual([13]);
        const storage = ledgerStorage(db);
        expect(await storage.entitlements.get('game', 'old-player')).toEqual({
          app: 'game',
          userId: 'old-player',
          state: null,
          dueAt: new Date(0),
          baselineAt: expect.any(Date),
          version: 0,
        });
        const worker = new EntitlementEventWorker({
          store: storage.entitlements,
          events: storage.events,
          catalogueOf: () => CATALOGUE,
          now: Date.now,
          pollIntervalMs: 0,
          batchSize: 10,
        });
        expect(await worker.runDue()).toEqual({ claimed: 1, computed: 1, events: 0, failures: 0 });
        expect(await storage.entitlements.get('game', 'old-player')).toMatchObject({
          state: { no_ads: { active: true, expiresAt: null } },
          dueAt: null,
          version: 1,
        });
        // A player whose first fact comes after the migration: marked with an empty state, GRANTED.
        await insertGrant(db, 'new-grant', 'new-player');
        const settled = await storage.grants.findById('new-grant');
        await storage.events.write((_q, record) =>
          record({
            app: 'game',
            type: 'GRANT_SETTLED',
            subject: 'new-grant',
            data: { grant: settled },
            player: 'new-player',
          }),
        );
        expect(await worker.runDue()).toEqual({ claimed: 1, computed: 1, events: 1, failures: 0 });
        const events = await storage.events.after('game', null, 10, ENTITLEMENT_EVENT_TYPES);
        expect(events.map((e) => [e.type, e.subject])).toEqual([
          ['ENTITLEMENT_GRANTED', 'player:new-player'],
        ]);
      } finally {
        await db.close();
      }
    });

    it("one player's failed computation holds back no other: it waits retryMs, then the next run does it", async () => {
      const db = await openLedgerBefore(backend, 14);
      try {
        const storage = ledgerStorage(db);
        let broken = true;
        let clock = Date.now();
        const logged: string[] = [];
        const worker = new EntitlementEventWorker({
          store: storage.entitlements,
          events: storage.events,
          catalogueOf: (app) => {
            if (app === 'broken' && broken) throw new RangeError('catalogue unreadable');
            return CATALOGUE;
          },
          now: () => clock,
          pollIntervalMs: 0,
          batchSize: 1,
          retryMs: 60_000,
          log: { warn: (obj, msg) => void logged.push(`${String(obj.app)} ${String(obj.err)}: ${msg}`) },
        });
        for (const app of ['broken', 'game']) {
          await insertGrant(db, `${app}-grant`, 'someone', app);
          const grant = await storage.grants.findById(`${app}-grant`);
          await storage.events.write((_q, record) =>
            record({
              app,
              type: 'GRANT_SETTLED',
              subject: `${app}-grant`,
              data: { grant },
              player: 'someone',
            }),
          );
        }
        clock = Date.now() + 1_000; // after the grants (the ledger's clock stamped them)
        // Batches of one: whichever comes first, the other is computed all the same.
        expect(await worker.runDue()).toEqual({ claimed: 2, computed: 1, events: 1, failures: 1 });
        expect(logged).toEqual([
          'broken RangeError: entitlement events: a player not computed; tried again later',
        ]);
        expect(await storage.entitlements.get('broken', 'someone')).toMatchObject({
          dueAt: new Date(clock + 60_000),
          version: 0,
        });
        broken = false;
        expect(await worker.runDue()).toEqual({ claimed: 0, computed: 0, events: 0, failures: 0 });
        clock += 60_000;
        expect(await worker.runDue()).toEqual({ claimed: 1, computed: 1, events: 1, failures: 0 });
      } finally {
        await db.close();
      }
    });
  });
}

// A schema of its own: the migration runs again from 12 there.
for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`migration 13's baseline on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('a fact landing between the migration and the first computation is told: the baseline is the set at the migration', async () => {
      const db = await openLedgerBefore(backend, 13);
      try {
        await insertGrant(db, 'had-grant', 'had-player');
        expect(await migrate(db)).toEqual([13]);
        const storage = ledgerStorage(db);
        const baselineAt = (await storage.entitlements.get('game', 'had-player'))?.baselineAt;
        expect(baselineAt).toBeInstanceOf(Date);
        // Later than the migration on the ledger's clock (SQLite stamps milliseconds).
        await new Promise((resolve) => setTimeout(resolve, 20));
        // Before the worker ran: no_ads refunded, vip bought.
        const revoked = db.kind === 'postgres' ? 'now()' : 'CAST(ledger_now() AS INTEGER)';
        await db.query(
          `UPDATE grants SET revoked_at = ${revoked}, revocation = ${db.kind === 'postgres' ? `'{"source":"test"}'::jsonb` : `'{"source":"test"}'`} WHERE id = 'had-grant'`,
          [],
        );
        await told(storage, 'GRANT_REVOKED', 'had-grant');
        await insertGrant(db, 'vip-grant', 'had-player', 'game', 'vip');
        await told(storage, 'GRANT_SETTLED', 'vip-grant');
        const worker = new EntitlementEventWorker({
          store: storage.entitlements,
          events: storage.events,
          catalogueOf: () => CATALOGUE,
          now: Date.now,
          pollIntervalMs: 0,
          batchSize: 10,
        });
        expect(await worker.runDue()).toEqual({ claimed: 1, computed: 1, events: 2, failures: 0 });
        const events = await storage.events.after('game', null, 10, ENTITLEMENT_EVENT_TYPES);
        expect(
          events.map((e) => [
            e.type,
            (e.data as { entitlement?: { id: string; active: boolean } }).entitlement,
          ]),
        ).toEqual([
          ['ENTITLEMENT_REVOKED', expect.objectContaining({ id: 'no_ads', active: false })],
          ['ENTITLEMENT_GRANTED', expect.objectContaining({ id: 'vip', active: true })],
        ]);
      } finally {
        await db.close();
      }
    });
  });
}
