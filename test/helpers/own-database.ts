import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A PostgreSQL database of the test's own, on the server of TEST_DATABASE_URL: destructive tests
 * (terminated backends, a process killed mid-transaction) touch only it, never the shared `test`
 * database other test files and other people use at the same time.
 */
export interface OwnDatabase {
  name: string;
  /** TEST_DATABASE_URL with this database in its path. */
  url: string;
  /** Terminates every backend of this database (never another's); resolves to how many. */
  terminateBackends(): Promise<number>;
  /** Runs one statement in this database on a short-lived connection. */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A terminated session of this helper must fail its call, not the test process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createOwnDatabase(prefix: string): Promise<OwnDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  if (serverUrl === '') throw new Error('TEST_DATABASE_URL is not set');
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`not an identifier prefix: ${prefix}`);
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // Issued from the server URL's database, so this helper's own session is not among them.
    terminateBackends: () =>
      withClient(serverUrl, async (c) => {
        const result = await c.query<{ ok: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        return result.rows.filter((r) => r.ok).length;
      }),
    query: (sql, params) => withClient(url.toString(), async (c) => (await c.query(sql, params)).rows),
    drop: () =>
      withClient(serverUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
