import type { LedgerDb } from '../../src/ledger/index.js';

/**
 * Counts the statements sent to a ledger through its `query` (every store of the ledger reads and
 * writes through it; a transaction's own statements go through its connection and are not counted).
 * `during` runs `fn` and answers the statements it sent, in order.
 */
export function countStatements(db: LedgerDb) {
  const sent: string[] = [];
  const query = db.query.bind(db);
  Object.assign(db, {
    query: <R>(sql: string, params?: readonly unknown[]) => {
      sent.push(sql);
      return query<R>(sql, params);
    },
  });
  return {
    async during(fn: () => Promise<unknown>): Promise<string[]> {
      const start = sent.length;
      await fn();
      return sent.slice(start);
    },
  };
}
