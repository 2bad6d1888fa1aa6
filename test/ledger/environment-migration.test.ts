import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore, type LedgerDb, MIGRATIONS, migrate } from '../../src/ledger/index.js';
import { encodeSnapshot } from '../../src/ledger/snapshot.js';
import { ledgerStorage } from '../../src/redemption/service.js';
import { APP, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { openLedgerBefore } from '../helpers/ledger-db.js';

/**
 * Ledger migration 11 (issue 27): grants, events and tracked subscriptions get an environment column,
 * empty on older rows, which the gateway's start fills from the config: grants and tracked rows by
 * their store, events by the grant or tracked subscription they are about, the rest by the app's one
 * environment when its stores share it. What no rule reaches reads as PRODUCTION.
 */

const ENVIRONMENTS = 11;

/** A settled grant as a version-10 ledger held it (no environment column). */
async function oldGrant(db: LedgerDb, app: string, store: string, key: string): Promise<string> {
  const id = randomUUID();
  const d = db.dialect;
  await db.query(
    `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
       action, status, lease_owner, settled_at, outcome, store_app)
     VALUES ($1, $2, $3, $4, 'player-1', 'gem_100', 1, ${d.json('$5')}, $6, 'CONSUME', 'SETTLED', 'old', ${d.now},
       'CONSUMED', $7)`,
    [id, app, store, key, JSON.stringify({ paymentSeq: key }), `fp-${key}`, `${store}-app`],
  );
  return id;
}

/** An event as a version-10 ledger wrote it: snapshot version 3, whose grant has no environment. */
async function oldEvent(db: LedgerDb, app: string, type: string, subject: string, data: object) {
  await db.query(
    `INSERT INTO events (id, app, type, subject, data, data_version) VALUES ($1, $2, $3, $4, ${db.dialect.json('$5')}, 3)`,
    [randomUUID(), app, type, subject, encodeSnapshot(data)],
  );
}

const environments = async (db: LedgerDb, table: string, key: string) =>
  Object.fromEntries(
    (
      await db.query<{ k: string; environment: string | null }>(
        `SELECT ${key} AS k, environment FROM ${table} ORDER BY ${key}`,
        [],
      )
    ).map((r) => [r.k, r.environment]),
  );

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ledger migration 11 on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('adds empty environments; the start fills them from the config; the rest reads as PRODUCTION', async () => {
      const db = await openLedgerBefore(backend, ENVIRONMENTS);
      try {
        // App A of the harness: ONE store sandbox (the default), NHN Cloud and Gamebase production.
        const one = await oldGrant(db, APP, 'ONESTORE', 'ONETOKEN1');
        const gb = await oldGrant(db, APP, 'GAMEBASE', '2026000000000001');
        // An app no longer configured: nothing to fill it from.
        const gone = await oldGrant(db, 'retired', 'GAMEBASE', '2026000000000002');
        // A second app whose stores all say SANDBOX, filled below through the ledger itself.
        const solo = await oldGrant(db, 'solo', 'NHN_CLOUD', '2026000000000003');
        await db.query(
          `INSERT INTO tracked_subscriptions (app, store, purchase_token, kind, product_id, user_id)
           VALUES ($1, 'ONESTORE', 'SUBTOKEN1', 'SUBSCRIPTION', 'premium', 'player-1')`,
          [APP],
        );
        await oldEvent(db, APP, 'GRANT_SETTLED', one, { grant: { id: one } });
        await oldEvent(db, APP, 'GRANT_SETTLED', gb, { grant: { id: gb } });
        await oldEvent(db, APP, 'SUBSCRIPTION_RENEWED', 'SUBTOKEN1', { store: 'ONESTORE' });
        // A change made through the gateway: its subject is a purchase, and app A's stores differ.
        await oldEvent(db, APP, 'PURCHASE_CONSUMED', 'CHANGETOKEN', { store: 'ONESTORE' });
        await oldEvent(db, 'solo', 'PURCHASE_CONSUMED', '2026000000000009', { store: 'NHN_CLOUD' });

        expect(await migrate(db)).toEqual(
          MIGRATIONS.filter((m) => m.version >= ENVIRONMENTS).map((m) => m.version),
        );
        expect(Object.values(await environments(db, 'grants', 'id'))).toEqual([null, null, null, null]);

        // The gateway's start (RedemptionService.start) fills in app A's rows from its config.
        const g = await startGateway({ gatewayOptions: { ledger: ledgerStorage(db) } });
        try {
          await g.gateway.redemption();
        } finally {
          await g.close();
        }
        expect(await environments(db, 'grants', 'id')).toEqual({
          [one]: 'SANDBOX',
          [gb]: 'PRODUCTION',
          [gone]: null,
          [solo]: null,
        });
        expect(await environments(db, 'tracked_subscriptions', 'purchase_token')).toEqual({
          SUBTOKEN1: 'SANDBOX',
        });
        expect(await environments(db, 'events', 'subject')).toEqual({
          [one]: 'SANDBOX',
          [gb]: 'PRODUCTION',
          SUBTOKEN1: 'SANDBOX',
          CHANGETOKEN: null,
          '2026000000000009': null,
        });

        // Read back: an unset row is PRODUCTION; an old snapshot's grant takes its event's environment.
        const events = await new EventStore(db).after(APP, null, 10);
        expect(
          events.map((e) => [
            e.type,
            e.environment,
            (e.data.grant as { environment?: string } | undefined)?.environment,
          ]),
        ).toEqual([
          ['GRANT_SETTLED', 'SANDBOX', 'SANDBOX'],
          ['GRANT_SETTLED', 'PRODUCTION', 'PRODUCTION'],
          ['SUBSCRIPTION_RENEWED', 'SANDBOX', undefined],
          ['PURCHASE_CONSUMED', 'PRODUCTION', undefined],
        ]);

        // An app whose stores share one environment: its change events get it too; once, then none left.
        const storage = ledgerStorage(db);
        expect(await storage.grants.assignEnvironments('solo', { NHN_CLOUD: 'SANDBOX' })).toEqual({
          grants: 1,
          tracked: 0,
          events: 1,
          eventsLeft: 0,
        });
        expect(await storage.grants.assignEnvironments('solo', { NHN_CLOUD: 'SANDBOX' })).toEqual({
          grants: 0,
          tracked: 0,
          events: 0,
          eventsLeft: 0,
        });
        expect(await storage.grants.findById(solo)).toMatchObject({ environment: 'SANDBOX' });
        expect(await storage.grants.findById(gone)).toMatchObject({ environment: 'PRODUCTION' });
        // A store name the ledger does not know is refused before any write.
        await expect(storage.grants.assignEnvironments('solo', { NOPE: 'SANDBOX' } as never)).rejects.toThrow(
          /store must be one of/,
        );
      } finally {
        await db.close();
      }
    });
  });
}
