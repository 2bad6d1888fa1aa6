import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../src/ledger/index.js';
import { ledgerBackends } from '../helpers/ledger.js';

/**
 * A transaction's reads awaited together (`Promise.all`, as the player's facts read their grants,
 * subscriptions and support grants in the entitlement events worker's transaction) run one after the
 * other on the transaction's connection: pg would queue them itself, a use it deprecates ("Calling
 * client.query() when the client is already executing a query") and pg 9 refuses. Each answer is its
 * own query's, and a failed one fails alone.
 */
for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`reads awaited together in one transaction, ${backend.name}`, () => {
    let db: LedgerDb | undefined;
    afterAll(async () => {
      await db?.close();
    });

    it('answer each its own rows, with no query sent while another is in flight on the connection', async () => {
      db = await backend.open();
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.message);
      process.on('warning', onWarning);
      try {
        const sleepy =
          db.kind === 'postgres'
            ? 'SELECT $1::int AS n FROM pg_sleep(0.05)'
            : 'SELECT CAST($1 AS INTEGER) AS n';
        const answers = await db.transaction((q) =>
          Promise.all([1, 2, 3].map((n) => q.query<{ n: number }>(sleepy, [n]))),
        );
        expect(answers.map((rows) => rows.map((r) => Number(r.n)))).toEqual([[1], [2], [3]]);
        const failed = await db
          .transaction((q) =>
            Promise.allSettled([
              q.query('SELECT no_such_column FROM ledger_migrations', []),
              q.query(sleepy, [4]),
            ]),
          )
          .catch((error: unknown) => error);
        // PostgreSQL aborts the transaction at the first error: the second read fails too (25P02).
        expect(Array.isArray(failed) ? failed.map((r) => r.status) : failed).toEqual(
          db.kind === 'postgres' ? ['rejected', 'rejected'] : ['rejected', 'fulfilled'],
        );
        // Warnings are emitted on a later tick.
        await new Promise((resolve) => setImmediate(resolve));
        expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });
}
