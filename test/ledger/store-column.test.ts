import { afterAll, describe, expect, it } from 'vitest';
import {
  GrantStore,
  type LedgerDb,
  LedgerInputError,
  MIGRATIONS,
  migrate,
  type NewGrant,
} from '../../src/ledger/index.js';
import { STORE_IDS, type StoreId } from '../../src/vocabulary/stores.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { openLedgerBefore } from '../helpers/ledger-db.js';
import { claimBefore11, deferBefore11, revokeBefore11, settleBefore11 } from '../helpers/older-ledger.js';

/**
 * The ledger names no store in SQL (issue 25): migration 7 drops the `store IN (...)` CHECK of
 * `grants` (SQLite rebuilds the table, PostgreSQL drops the constraint), and the ledger checks the
 * name against the store definition before it writes one.
 */

const STORE_CHECK = 7;

const grant = (store: StoreId, purchaseKey: string, extra: Partial<NewGrant> = {}): NewGrant => ({
  app: 'game-v',
  store,
  purchaseKey,
  storeApp: `${store.toLowerCase()}-app`,
  userId: 'player-1',
  productId: 'gem_100',
  quantity: 2,
  storeIds: { purchaseToken: purchaseKey, orderId: `ORD-${purchaseKey}` },
  fingerprint: `fp-${purchaseKey}`,
  idempotencyKey: null,
  action: 'CONSUME',
  ...extra,
});

const allGrants = (db: LedgerDb) => db.query<Record<string, unknown>>('SELECT * FROM grants ORDER BY id', []);

/** The expression of every CHECK in a CREATE TABLE statement, by balanced parentheses; sorted. */
function checksOf(sql: string): string[] {
  const found: string[] = [];
  for (const match of sql.matchAll(/CHECK \(/g)) {
    const start = match.index + match[0].length;
    let depth = 1;
    let end = start;
    while (depth > 0 && end < sql.length) {
      if (sql[end] === '(') depth++;
      else if (sql[end] === ')') depth--;
      end++;
    }
    found.push(sql.slice(start, end - 1));
  }
  return found.sort();
}

/** The grants table's indexes and constraints, as the database describes them. */
async function grantsSchema(db: LedgerDb): Promise<{ indexes: string[]; checks: string[] }> {
  if (db.kind === 'sqlite') {
    const indexes = await db.query<{ sql: string | null; name: string }>(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'grants' ORDER BY name",
      [],
    );
    const [table] = await db.query<{ sql: string }>(
      "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'grants'",
      [],
    );
    const checks = checksOf(table?.sql ?? '');
    // Autoindexes (UNIQUE) have no SQL; their names say which constraint they serve.
    return { indexes: indexes.map((i) => i.sql ?? i.name), checks };
  }
  const indexes = await db.query<{ def: string }>(
    "SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'grants' AND schemaname = current_schema() ORDER BY indexname",
    [],
  );
  const checks = await db.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'grants'::regclass AND contype = 'c' ORDER BY 1`,
    [],
  );
  return { indexes: indexes.map((i) => i.def), checks: checks.map((c) => c.def) };
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`the grants store column on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('migration 7 keeps every row, index and other check of a ledger at version 6, and drops the store list', async () => {
      const db = await openLedgerBefore(backend, STORE_CHECK);
      try {
        // One grant per store, in the states a row can be in: pending with a deferred attempt,
        // settled, revoked; an idempotency key, a store app, a ONE store purchaseId (index of version 4).
        // Written as the release of version 6 wrote them (today's GrantStore reads migration 11's column).
        const claims = [];
        for (const [i, id] of STORE_IDS.entries())
          claims.push(
            await claimBefore11(
              db,
              grant(id, `key-${i}`, {
                idempotencyKey: `idem-${i}`,
                storeIds: { purchaseToken: `key-${i}`, purchaseId: `PID-${i}` },
              }),
              'owner-1',
              60_000,
            ),
          );
        const [pending, settled, revoked] = claims;
        if (!pending || !settled || !revoked) throw new Error('expected three grants');
        await deferBefore11(db, pending.id, 30_000, 'NO_EVIDENCE');
        await settleBefore11(db, settled.id, 'CONSUMED', { paymentId: 'PAY-1' });
        await settleBefore11(db, revoked.id, 'CONSUMED');
        await revokeBefore11(db, revoked.id, { reason: 'REFUND' }, new Date());
        const rows = await allGrants(db);
        const before = await grantsSchema(db);
        expect(before.checks.join(' ')).toMatch(/ONESTORE/);

        // Migration 7 alone: later ones may add indexes of their own.
        expect(
          await migrate(
            db,
            MIGRATIONS.filter((m) => m.version <= STORE_CHECK),
          ),
        ).toEqual([STORE_CHECK]);

        expect(await allGrants(db)).toEqual(rows);
        const after = await grantsSchema(db);
        expect(after.indexes).toEqual(before.indexes);
        // Every check but the store list, as it was.
        expect(after.checks).toEqual(before.checks.filter((c) => !/ONESTORE/.test(c)));
        expect(after.checks).toHaveLength(before.checks.length - 1);
        expect(after.checks.join(' ')).not.toMatch(/ONESTORE|NHN_CLOUD|GAMEBASE/);
        if (db.kind === 'sqlite') {
          expect(await db.query('PRAGMA integrity_check', [])).toEqual([{ integrity_check: 'ok' }]);
        }

        // The database takes a store name the definition does not list (a later release's store).
        await db.query(
          `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids,
             fingerprint, action, status, settled_at, outcome)
           VALUES ('g-new', 'game-v', 'GOOGLE_PLAY', 'k', 'u', 'p', 1, ${db.dialect.json('$1')}, 'f', 'NONE',
             'SETTLED', ${db.dialect.nowMs}, 'NONE')`,
          [JSON.stringify({})],
        );
        // Migration 7 does not run again; the later ones run over its table.
        expect(await migrate(db)).toEqual(
          MIGRATIONS.filter((m) => m.version > STORE_CHECK).map((m) => m.version),
        );

        // The rows still serve: found by purchase, by store purchase, by ONE store purchaseId, and
        // the unique constraints still hold (a second claim of a purchase returns the first row).
        const store = new GrantStore(db);
        expect(await store.findByPurchase('game-v', 'GAMEBASE', 'key-2')).toMatchObject({
          id: revoked.id,
          revocation: { reason: 'REFUND' },
        });
        expect(await store.findByStorePurchase('NHN_CLOUD', 'nhn_cloud-app', 'key-1')).toMatchObject({
          id: settled.id,
          storeIds: { paymentId: 'PAY-1' },
        });
        expect((await store.findByOneStorePurchaseId('game-v', 'PID-0')).map((g) => g.id)).toEqual([
          pending.id,
        ]);
        const again = await store.claim(grant('ONESTORE', 'key-0'), 'owner-2', 60_000);
        expect(again).toMatchObject({ claimed: false, conflictOn: 'purchase', existing: { id: pending.id } });
        const another = await store.claim(
          grant('ONESTORE', 'key-9', { idempotencyKey: 'idem-1' }),
          'o',
          1_000,
        );
        expect(another).toMatchObject({ claimed: false, conflictOn: 'idempotencyKey' });
        // The other checks hold: a quantity of 0 is refused by the database.
        await expect(store.claim(grant('GAMEBASE', 'key-q', { quantity: 0 }), 'o', 1_000)).rejects.toThrow(
          /check constraint/i,
        );
      } finally {
        await db.close();
      }
    });

    it('the ledger refuses a store the definition does not list, before any query, and takes every listed one', async () => {
      const db = await backend.open();
      try {
        const store = new GrantStore(db);
        const error = await store
          .claim(grant('GOOGLE_PLAY' as StoreId, 'gp-1'), 'o', 1_000)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LedgerInputError);
        expect(error).toMatchObject({
          field: 'store',
          message: 'store must be one of ONESTORE, NHN_CLOUD and GAMEBASE',
        });
        expect(await db.query("SELECT id FROM grants WHERE purchase_key = 'gp-1'", [])).toEqual([]);
        for (const id of STORE_IDS) {
          expect(await store.claim(grant(id, `ok-${id}`), 'o', 1_000)).toMatchObject({
            claimed: true,
            grant: { store: id },
          });
        }
      } finally {
        await db.close();
      }
    });
  });
}
