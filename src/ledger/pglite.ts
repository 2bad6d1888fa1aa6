import { PGlite, type Transaction, types } from '@electric-sql/pglite';
import type { LedgerDb, Queryable } from './db.js';
import { lockDataDir } from './dir-lock.js';

export interface PgliteOptions {
  /** Data directory; undefined keeps the database in memory. */
  dataDir: string | undefined;
  /** Already validated schema name. */
  schema: string;
}

// Same value shapes as the pg adapter: PGlite would turn int8 into a JS number (losing precision above
// 2^53), so bigint and numeric stay decimal strings; timestamptz already comes back as Date, jsonb parsed.
const keepText = (value: string): string => value;
const PARSERS = { [types.INT8]: keepText, [types.NUMERIC]: keepText };

type PgliteLike = Pick<PGlite, 'query' | 'exec'> | Transaction;

async function run<R>(target: PgliteLike, sql: string, params?: readonly unknown[]): Promise<R[]> {
  if (params === undefined) {
    // exec uses the simple protocol, which allows several statements (query would refuse them).
    const results = await target.exec(sql);
    return (results.at(-1)?.rows ?? []) as R[];
  }
  const result = await target.query<R>(sql, [...params]);
  return result.rows;
}

/** Opens the embedded ledger. One process, one connection: every query and transaction runs in turn. */
export async function openPglite(options: PgliteOptions): Promise<LedgerDb> {
  const unlock = options.dataDir === undefined ? async () => undefined : await lockDataDir(options.dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir: options.dataDir, parsers: PARSERS });
  } catch (error) {
    await unlock();
    throw error;
  }
  try {
    if (options.schema !== 'public') {
      // One connection, so a session-level search_path holds for everything that follows.
      await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema};`);
    }
    await pg.exec(`SET TIME ZONE 'UTC';`);
  } catch (error) {
    await pg.close().catch(() => undefined);
    await unlock();
    throw error;
  }
  const queryable = (target: PgliteLike): Queryable => ({
    query: <R>(sql: string, params?: readonly unknown[]) => run<R>(target, sql, params),
  });
  return {
    kind: 'pglite',
    ...queryable(pg),
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    close: async () => {
      if (!pg.closed) await pg.close();
      await unlock();
    },
  };
}
