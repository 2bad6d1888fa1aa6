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
  /** Longest wait for the answer to one query once `startQueryTimeout` was called, ms. */
  queryTimeoutMs: number;
}

/**
 * The PostgreSQL ledger, and the switch that starts bounding each query by `queryTimeoutMs`: called
 * once the migrations ran, which may take minutes on a large table (a CREATE INDEX) and must not time out.
 */
export type PostgresLedgerDb = LedgerDb & { startQueryTimeout(): void };

/**
 * Seconds the server keeps a session open in a transaction with no statement coming: a gateway that
 * vanished mid-transaction (its packets dropped, so the server sees no close) would otherwise hold
 * its row and advisory locks (an app's event order) until the server's TCP gives up, for hours.
 * Every transaction of the ledger runs its statements back to back, in milliseconds.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

/** pg's message when a query got no answer within its `query_timeout` (pg ≥ 8.13, per query). */
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';
const timedOut = (error: unknown) => error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE;

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

/** pg's query config with its per-query `query_timeout` (pg 8.13's changelog; not in @types/pg yet). */
type TimedQuery = pg.QueryConfig & { query_timeout?: number };

async function run<R>(
  target: PgTarget,
  sql: string,
  params: readonly unknown[] | undefined,
  timeoutMs: number | undefined,
): Promise<R[]> {
  // Without values pg uses the simple protocol, which allows several statements and answers with an
  // array of results; keep the last one's rows.
  const config: TimedQuery = {
    text: sql,
    ...(params !== undefined && { values: [...params] }),
    ...(timeoutMs !== undefined && { query_timeout: timeoutMs }),
  };
  const result: pg.QueryResult | pg.QueryResult[] = await target.query(config);
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as R[];
}

/** Opens a pool on the PostgreSQL ledger; every connection starts with the schema on its search_path, in UTC. */
export async function openPostgres(options: PostgresOptions): Promise<PostgresLedgerDb> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    // Covers the TCP connect and the start-up exchange: a server that accepts and never answers fails
    // the open after this long instead of hanging it.
    connectionTimeoutMillis: options.connectTimeoutMs,
    // TCP keep-alive probes after 10 s idle (the OS default waits about 2 h): an idle pooled connection
    // that a failover or a proxy dropped without a reset is found dead and discarded, not handed out.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: TYPES,
    // Startup parameters rather than a SET after connect: no connection can be used before they hold.
    options: `-c search_path=${options.schema} -c TimeZone=UTC -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  // Keep-alive does not help a connection waiting for an answer (its unacknowledged query is
  // retransmitted until the kernel gives up, about 15 min): each query waits at most this long, then
  // fails as an outage (LedgerUnavailableError) and its connection is destroyed, not pooled again.
  let timeoutMs: number | undefined;
  const queryable = (target: PgTarget): Queryable => ({
    query: <R>(sql: string, params?: readonly unknown[]) => run<R>(target, sql, params, timeoutMs),
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

  /**
   * A transaction's queries run one after the other on its connection, whatever its code awaits
   * together (`Promise.all` over independent reads, as the player's facts do): pg queues overlapping
   * queries on one client itself, a use it deprecates and pg 9 refuses.
   */
  const serialQueryable = (client: pg.PoolClient): Queryable => {
    let last: Promise<unknown> = Promise.resolve();
    return {
      query: <R>(sql: string, params?: readonly unknown[]) => {
        const next = last.then(() => run<R>(client, sql, params, timeoutMs));
        last = next.catch(() => undefined);
        return next;
      },
    };
  };

  const transaction = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const q = serialQueryable(client);
    try {
      await q.query('BEGIN');
      const result = await fn(q);
      // A COMMIT with no answer in time leaves its outcome unknown, as a connection terminated
      // under it does: LedgerUnavailableError, and a redemption settles it by reading again.
      await q.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A query that got no answer is still waiting on its connection: a ROLLBACK would queue behind it
      // for another timeout. Destroyed instead; the server rolls back when the session ends (or, if it
      // never hears of the close, after IDLE_IN_TRANSACTION_MS).
      if (timedOut(error)) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      // A connection whose ROLLBACK fails is in an unknown state: destroy it instead of pooling it.
      await q.query('ROLLBACK').then(
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
    startQueryTimeout: () => {
      timeoutMs = options.queryTimeoutMs;
    },
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
