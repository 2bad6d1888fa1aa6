import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeCursor,
  GrantStore,
  InvalidCursorError,
  type LedgerDb,
  LedgerInputError,
  ledgerErrorKind,
} from '../../src/ledger/index.js';
import { ledgerBackends } from '../helpers/ledger.js';

/** The ledger with every query counted, to prove that invalid input is refused before any query. */
function counted(db: LedgerDb): { db: LedgerDb; queries: () => number } {
  let n = 0;
  return {
    db: {
      ...db,
      query: (sql, params) => {
        n++;
        return db.query(sql, params);
      },
    },
    queries: () => n,
  };
}

/** What the database itself throws for `call`. */
async function thrown(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const NUL_ID = 'grant\u0000id';
const LONE_SURROGATE = 'grant-\ud800';

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ledger errors by kind on ${backend.name}`, () => {
    let db: LedgerDb;
    beforeAll(async () => {
      db = await backend.open();
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await backend.cleanup();
    }, 60_000);

    it('the database refuses a NUL byte: that is what the ledger must never send', async () => {
      const error = await thrown(() => db.query('SELECT $1::text AS v', [NUL_ID]));
      expect(ledgerErrorKind(error)).toBe('internal');
    });

    it('a NUL byte or a lone surrogate in a grant id, user id or key is LedgerInputError before any query', async () => {
      const { db: spy, queries } = counted(db);
      const grants = new GrantStore(spy);
      for (const bad of [NUL_ID, LONE_SURROGATE]) {
        for (const call of [
          () => grants.findById(bad),
          () => grants.findByIdempotencyKey('game', bad),
          () => grants.findByPurchase('game', 'ONESTORE', bad),
          () => grants.listByUser('game', bad, { first: 10 }),
          () => grants.listGrants('game', { userId: bad, status: 'PENDING' }, { first: 10 }),
        ]) {
          const error = await thrown(call);
          expect(error).toBeInstanceOf(LedgerInputError);
          expect(ledgerErrorKind(error)).toBe('input');
        }
      }
      expect(queries()).toBe(0);
    });

    it('a cursor holding a NUL byte or a forged position is InvalidCursorError (input) before any query', async () => {
      const { db: spy, queries } = counted(db);
      const grants = new GrantStore(spy);
      const forged = [
        encodeCursor('user', { at: new Date(0), id: NUL_ID }),
        encodeCursor('user', { at: new Date(0), id: LONE_SURROGATE }),
        Buffer.from('{"l":"user","t":"2026-01-01T00:00:00.000Z","i":"a\\u0000b"}').toString('base64url'),
        Buffer.from('{"l":"user","t":"2026-13-01T00:00:00.000Z","i":"x"}').toString('base64url'),
        Buffer.from('\u0000').toString('base64url'),
      ];
      for (const after of forged) {
        const error = await thrown(() => grants.listByUser('game', 'user-1', { first: 10, after }));
        expect(error).toBeInstanceOf(InvalidCursorError);
        expect(error).toMatchObject({ field: 'after' });
        expect(ledgerErrorKind(error)).toBe('input');
      }
      expect(queries()).toBe(0);
    });

    it('an error of the SQL itself (a missing relation) is internal, not an outage', async () => {
      const error = await thrown(() => db.query('SELECT * FROM no_such_table', []));
      expect(ledgerErrorKind(error)).toBe('internal');
    });

    it.skipIf(backend.name !== 'postgres')('a statement timeout is an outage', async () => {
      const error = await thrown(() =>
        db.transaction(async (q) => {
          await q.query("SET LOCAL statement_timeout = '20ms'", []);
          await q.query('SELECT pg_sleep(2)', []);
        }),
      );
      expect(ledgerErrorKind(error)).toBe('unavailable');
    });

    it.skipIf(backend.name !== 'postgres')('a refused connection is an outage', async () => {
      const { openLedgerDb } = await import('../../src/ledger/index.js');
      const error = await thrown(() => openLedgerDb({ url: 'postgres://postgres@127.0.0.1:1/none' }));
      expect(ledgerErrorKind(error)).toBe('unavailable');
    });

    it('a closed ledger is an outage', async () => {
      const other = await backend.open();
      await other.close();
      const error = await thrown(() => other.query('SELECT 1', []));
      expect(ledgerErrorKind(error)).toBe('unavailable');
    });
  });
}
