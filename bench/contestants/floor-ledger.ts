/**
 * The floor's claim table for scenario (f): the least a redemption needs, a unique row per
 * purchase claimed in SQL before the store change and marked settled after it, on the gateway's
 * two backends with the gateway's durability (SQLite: WAL, synchronous FULL; PostgreSQL: the
 * `bench_floor` schema, reset at start). No leases, no sweeper, no idempotency keys.
 *
 *   FLOOR_LEDGER=sqlite (default; BENCH_TMP holds the file) | postgres (BENCH_DATABASE_URL)
 */
import { join } from 'node:path';

export interface ClaimTable {
  /** True when this call claimed the purchase (a unique insert won). */
  claim(purchaseToken: string, userId: string): Promise<boolean>;
  settle(purchaseToken: string): Promise<void>;
}

const TABLE = `CREATE TABLE IF NOT EXISTS claims (
  purchase_token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  settled_at TEXT
)`;

export async function openClaimTable(): Promise<ClaimTable> {
  if (process.env.FLOOR_LEDGER === 'postgres') {
    const { default: pg } = await import('pg');
    const url = process.env.BENCH_DATABASE_URL;
    if (!url) throw new Error('FLOOR_LEDGER=postgres needs BENCH_DATABASE_URL');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('DROP SCHEMA IF EXISTS bench_floor CASCADE');
    await admin.query('CREATE SCHEMA bench_floor');
    await admin.end();
    // The gateway's ledger pool size (ledger.poolSize default 10).
    const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c search_path=bench_floor' });
    await pool.query(TABLE);
    return {
      async claim(token, userId) {
        const r = await pool.query(
          `INSERT INTO claims VALUES ($1, $2, 'PENDING', now()::text, NULL) ON CONFLICT DO NOTHING`,
          [token, userId],
        );
        return r.rowCount === 1;
      },
      async settle(token) {
        await pool.query(
          `UPDATE claims SET status = 'SETTLED', settled_at = now()::text WHERE purchase_token = $1`,
          [token],
        );
      },
    };
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(join(process.env.BENCH_TMP ?? '.', `floor-claims-${process.pid}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(TABLE);
  const insert = db.prepare(
    `INSERT INTO claims VALUES (?, ?, 'PENDING', datetime('now'), NULL) ON CONFLICT DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE claims SET status = 'SETTLED', settled_at = datetime('now') WHERE purchase_token = ?`,
  );
  return {
    claim: async (token, userId) => insert.run(token, userId).changes === 1,
    settle: async (token) => {
      update.run(token);
    },
  };
}
