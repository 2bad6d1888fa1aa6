import pg from 'pg';
import { POSTGRES_DIALECT } from './dialect.js';
import { LedgerConnectError } from './errors.js';
import { LEDGER_LOCK_KEY, type LedgerDb, type ListenConnection, type Queryable } from './types.js';

export interface PostgresOptions {
  url: string;
  /** Already validated schema name. */
  schema: string;
  poolSize: number;
  connectTimeoutMs: number;
}

/** Where the URL points, for messages: host, port and database, never the user or password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

const INT8 = 20;
const NUMERIC = 1700;

// Parsers of this pool only (pg.types.setTypeParser would change every pg user in the process). The
// defaults already give timestamptz as Date and jsonb parsed; bigint and numeric are pinned to decimal
// strings so a future global override cannot turn them into floats here.
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => value;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

type PgTarget = pg.Pool | pg.PoolClient;

async function run<R>(target: PgTarget, sql: string, params?: readonly unknown[]): Promise<R[]> {
  // Without values pg uses the simple protocol, which allows several statements and answers with an
  // array of results; keep the last one's rows.
  const result: pg.QueryResult | pg.QueryResult[] =
    params === undefined ? await target.query(sql) : await target.query(sql, [...params]);
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as R[];
}

const queryable = (target: PgTarget): Queryable => ({
  query: <R>(sql: string, params?: readonly unknown[]) => run<R>(target, sql, params),
});

/** Opens a pool on the PostgreSQL ledger; every connection starts with the schema on its search_path, in UTC. */
export async function openPostgres(options: PostgresOptions): Promise<LedgerDb> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    // Covers the TCP connect and the start-up exchange: a server that accepts and never answers fails
    // the open after this long instead of hanging it.
    connectionTimeoutMillis: options.connectTimeoutMs,
    types: TYPES,
    // Startup parameters rather than a SET after connect: no connection can be used before they hold.
    options: `-c search_path=${options.schema} -c TimeZone=UTC`,
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, that would crash the
  // process. The pool discards the connection itself and the next query opens a new one.
  pool.on('error', () => undefined);
  // pg-pool listens for a client's errors only while the client is idle in the pool: a client
  // checked out for a transaction has no listener, and a backend terminated under it (a failover,
  // a restart, pg_terminate_backend: 57P01, then "Connection terminated unexpectedly") would be an
  // unhandled 'error' event that ends the process. This listener stays for the client's whole life.
  // Nothing else to do in it: pg has already failed the client's queries (so the transaction fails
  // and is read as an outage, LedgerUnavailable), marked it not queryable, and the pool discards a
  // client that is not queryable when it comes back, so the next checkout opens a new connection.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });

  const transaction = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(queryable(client));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection whose ROLLBACK fails is in an unknown state: destroy it instead of pooling it.
      await client.query('ROLLBACK').then(
        () => client.release(),
        (rollbackError: unknown) => client.release(rollbackError instanceof Error ? rollbackError : true),
      );
      throw error;
    }
  };

  try {
    // One round trip now, so a server that is away fails the open with a message that names it.
    await pool.query('SELECT 1').catch((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      const timedOut = error instanceof Error && /timeout/i.test(error.message);
      const reason = timedOut
        ? `no answer within ${options.connectTimeoutMs} ms (connect timeout)`
        : error instanceof Error
          ? error.message
          : String(error);
      throw new LedgerConnectError(
        `cannot connect to the PostgreSQL ledger at ${describeUrl(options.url)}: ${reason}`,
        typeof code === 'string' ? code : timedOut ? 'ETIMEDOUT' : undefined,
        { cause: error },
      );
    });
    if (options.schema !== 'public') {
      // Concurrent CREATE SCHEMA IF NOT EXISTS can still fail with a unique violation; the lock
      // makes replicas starting together take turns.
      await transaction(async (q) => {
        await q.query(`SELECT pg_advisory_xact_lock(${LEDGER_LOCK_KEY})`, []);
        await q.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`, []);
      });
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  let closed = false;
  return {
    kind: 'postgres',
    dialect: POSTGRES_DIALECT,
    ...queryable(pool),
    transaction,
    listen: (channel, onNotification, onLost) => listen(options, channel, onNotification, onLost),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Channel names are interpolated into LISTEN (it takes no parameters): identifiers only. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A connection of its own (not from the pool: a pooled one would be handed to queries and lose
 * its LISTEN on release) that listens on `channel`. TCP keep-alive finds a dead peer; pg reports a
 * fatal error (e.g. the server terminated the backend) as 'error' and the close as 'end': either
 * is reported once through `onLost`.
 */
async function listen(
  options: PostgresOptions,
  channel: string,
  onNotification: (payload: string) => void,
  onLost: (error: Error) => void,
): Promise<ListenConnection> {
  if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${JSON.stringify(channel)}`);
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    // TCP keep-alive probes after 10 s idle (the OS default waits about 2 h): a LISTEN connection
    // dropped silently by a proxy or a failover is then noticed in about a minute and reopened.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'entitlement-gateway events',
  });
  // Only an open connection is reported lost: a failure while opening rejects the promise instead.
  let state: 'opening' | 'open' | 'ended' = 'opening';
  const lost = (error: Error) => {
    if (state !== 'open') return;
    state = 'ended';
    onLost(error);
  };
  client.on('error', lost);
  client.on('end', () => lost(new Error('LISTEN connection ended')));
  client.on('notification', (message) => {
    if (message.channel === channel) onNotification(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    const rows = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backendPid = rows.rows[0]?.pid ?? 0;
    state = 'open';
    return {
      backendPid,
      close: async () => {
        state = 'ended';
        await client.end().catch(() => undefined);
      },
    };
  } catch (error) {
    state = 'ended';
    await client.end().catch(() => undefined);
    throw error;
  }
}
