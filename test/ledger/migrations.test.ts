import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GrantStore,
  LedgerConfigError,
  type LedgerDb,
  MIGRATIONS,
  migrate,
  type NewGrant,
  openLedgerDb,
  SQLITE_FILE,
} from '../../src/ledger/index.js';
import { ledgerBackends, newTestSchemaName } from '../helpers/ledger.js';

const grant = (purchaseKey: string): NewGrant => ({
  app: 'game-m',
  store: 'GAMEBASE',
  purchaseKey,
  userId: 'u',
  productId: 'p',
  quantity: 2,
  storeIds: { paymentSeq: purchaseKey },
  fingerprint: 'fp',
  idempotencyKey: null,
  action: 'NONE',
});

const appliedVersions = async (db: LedgerDb): Promise<number[]> =>
  (await db.query<{ version: number }>('SELECT version FROM ledger_migrations ORDER BY version', [])).map(
    (r) => r.version,
  );

const latest = MIGRATIONS.map((m) => m.version);

describe('ledger migrations', () => {
  it('are numbered in ascending order without repeats', () => {
    expect(latest).toEqual([...new Set(latest)].sort((a, b) => a - b));
  });

  it('refuses unusable options before connecting', async () => {
    await expect(openLedgerDb({ schema: 'Robert"; DROP' })).rejects.toBeInstanceOf(LedgerConfigError);
    await expect(openLedgerDb({ url: 'mysql://x' })).rejects.toBeInstanceOf(LedgerConfigError);
    await expect(openLedgerDb({ url: 'postgres://x', poolSize: 0 })).rejects.toBeInstanceOf(
      LedgerConfigError,
    );
  });

  describe('on a SQLite data directory', () => {
    let dir = '';
    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('keep the data across close and reopen, and apply nothing twice', async () => {
      dir = await mkdtemp(join(tmpdir(), 'ledger-'));
      const first = await openLedgerDb({ dataDir: dir });
      expect(first.kind).toBe('sqlite');
      expect((await stat(join(dir, SQLITE_FILE))).isFile()).toBe(true);
      expect(await appliedVersions(first)).toEqual(latest);
      const claim = await new GrantStore(first).claim(grant('seq-1'), 'o', 60_000);
      if (!claim.claimed) throw new Error('expected a claim');
      await new GrantStore(first).settle(claim.grant.id, 'NONE');
      await first.close();
      await first.close(); // closing twice is harmless

      const second = await openLedgerDb({ dataDir: dir });
      try {
        expect(await appliedVersions(second)).toEqual(latest);
        expect(await migrate(second)).toEqual([]);
        const found = await new GrantStore(second).findByPurchase('game-m', 'GAMEBASE', 'seq-1');
        expect(found).toMatchObject({ id: claim.grant.id, status: 'SETTLED', quantity: 2 });
      } finally {
        await second.close();
      }
    });
  });

  it('refuses a data directory of the old PGlite format, naming what to do, and changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ledger-old-'));
    try {
      await writeFile(join(dir, 'PG_VERSION'), '17\n');
      const error = await openLedgerDb({ dataDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerConfigError);
      expect((error as Error).message).toMatch(/PGlite format of earlier releases/);
      expect((error as Error).message).toMatch(/Upgrading from PGlite/);
      expect((await readdir(dir)).sort()).toEqual(['PG_VERSION']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('the lock on a SQLite data directory', () => {
    it('refuses a directory another live process holds, takes over one left by a dead process', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ledger-lock-'));
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      try {
        await writeFile(join(dir, 'gateway-ledger.lock'), String(other.pid));
        await expect(openLedgerDb({ dataDir: dir })).rejects.toThrow(/in use by process/);
        other.kill('SIGKILL');
        await once(other, 'exit');
        const db = await openLedgerDb({ dataDir: dir });
        // The same process may not open it twice either.
        await expect(openLedgerDb({ dataDir: dir })).rejects.toThrow(/already open in this process/);
        await db.close();
        const again = await openLedgerDb({ dataDir: dir });
        await again.close();
      } finally {
        other.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });

  for (const backend of ledgerBackends()) {
    describe.skipIf(backend.skip)(`on ${backend.name}`, () => {
      afterAll(() => backend.cleanup());

      it('open twice: the second open applies nothing; a failed migration leaves no trace', async () => {
        const db = await backend.open();
        try {
          expect(await appliedVersions(db)).toEqual(latest);
          expect(await migrate(db)).toEqual([]);
          const broken = {
            version: 9_999,
            name: 'broken',
            sql: {
              postgres: 'CREATE TABLE half_done (x int); SELECT 1/0;',
              sqlite: "CREATE TABLE half_done (x int); INSERT INTO grants (id) VALUES ('x');",
            },
          };
          await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow(
            backend.name === 'postgres' ? /division by zero/ : /NOT NULL constraint failed/,
          );
          expect(await appliedVersions(db)).toEqual(latest);
          const tables =
            backend.name === 'postgres'
              ? "SELECT to_regclass('half_done') AS t WHERE to_regclass('half_done') IS NOT NULL"
              : "SELECT name AS t FROM sqlite_master WHERE name = 'half_done'";
          expect(await db.query(tables, [])).toEqual([]);
          const again = await backend.open();
          expect(await appliedVersions(again)).toEqual(latest);
          await again.close();
        } finally {
          await db.close();
        }
      });

      it('hands back values the stores can read; a transaction that throws leaves nothing', async () => {
        const db = await backend.open();
        try {
          if (backend.name === 'postgres') {
            const [row] = await db.query<Record<string, unknown>>(
              'SELECT 9007199254740993::bigint AS big, 0.1::numeric AS num, now() AS at, \'{"a":"b"}\'::jsonb AS j',
              [],
            );
            expect(row).toMatchObject({ big: '9007199254740993', num: '0.1', j: { a: 'b' } });
            expect(row?.at).toBeInstanceOf(Date);
          } else {
            // Instants as integer epoch milliseconds, a Date parameter bound as the same, JSON as text.
            const at = new Date('2026-01-02T03:04:05.678Z');
            const [row] = await db.query<Record<string, unknown>>(
              `SELECT $1 AS at, json($2) AS j, typeof(${db.dialect.now}) AS now_type`,
              [at, JSON.stringify({ a: 'b' })],
            );
            expect(row).toEqual({ at: at.getTime(), j: '{"a":"b"}', now_type: 'integer' });
          }
          // A transaction that throws is rolled back.
          const key = `rolled-back-${randomUUID()}`;
          await expect(
            db.transaction(async (q) => {
              await q.query("INSERT INTO sync_checkpoints (app, source) VALUES ($1, 'x')", [key]);
              throw new Error('boom');
            }),
          ).rejects.toThrow('boom');
          expect(await db.query('SELECT app FROM sync_checkpoints WHERE app = $1', [key])).toEqual([]);
        } finally {
          await db.close();
        }
      });

      it.skipIf(backend.name !== 'postgres')(
        'two replicas opening one schema at once both succeed',
        async () => {
          // A schema of its own, so both opens really create it and migrate from nothing.
          const schema = newTestSchemaName();
          const options = { ...backend.options, schema, poolSize: 2 };
          const opened = await Promise.allSettled([
            openLedgerDb(options),
            openLedgerDb(options),
            openLedgerDb(options),
          ]);
          const dbs = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
          try {
            expect(opened.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
            const [first] = dbs;
            if (first === undefined) throw new Error('unreachable');
            expect(await appliedVersions(first)).toEqual(latest);
          } finally {
            const [first] = dbs;
            await first?.query(`DROP SCHEMA ${schema} CASCADE`, []);
            await Promise.all(dbs.map((db) => db.close()));
          }
        },
      );
    });
  }
});
