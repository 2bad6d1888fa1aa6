import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LedgerDb, ledgerErrorKind, openLedgerDb } from '../../src/ledger/index.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { startGateway } from '../helpers/gateway.js';
import { redeemNew } from '../helpers/ledger-outage.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';
import { type SilentProxy, startSilentProxy } from '../helpers/silent-proxy.js';

/**
 * A PostgreSQL server that stops answering without a reset (a failover that drops packets): a pooled
 * connection waiting for an answer used to wait until the kernel gave up (about 15 minutes), and the
 * request with it. Each query now waits at most `queryTimeoutMs`, fails as an outage
 * (LedgerUnavailableError), and the pool opens new connections once the server answers again. The
 * server here is a database of this test's own behind a proxy that goes silent; nothing in the shared
 * `test` database is touched.
 */
const skip = (process.env.TEST_DATABASE_URL ?? '') === '';
const QUERY_TIMEOUT_MS = 500;
/** Far longer than the query timeout, far shorter than the kernel's: a call still pending then hangs. */
const HANGS_AFTER_MS = 8_000;

/** The call's outcome, or 'still pending' once HANGS_AFTER_MS passed. */
async function settled<T>(call: Promise<T>): Promise<PromiseSettledResult<T> | 'still pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'still pending'>((resolve) => {
    timer = setTimeout(() => resolve('still pending'), HANGS_AFTER_MS);
  });
  const outcome = await Promise.race([
    call.then(
      (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
    ),
    pending,
  ]);
  clearTimeout(timer);
  return outcome;
}

const kindOf = (outcome: PromiseSettledResult<unknown> | 'still pending') =>
  outcome === 'still pending'
    ? outcome
    : outcome.status === 'fulfilled'
      ? 'answered'
      : ledgerErrorKind(outcome.reason);

describe.skipIf(skip)('a PostgreSQL server that stops answering', () => {
  let own: OwnDatabase;
  let proxy: SilentProxy;
  let url = '';

  beforeAll(async () => {
    own = await createOwnDatabase('ledger_silent');
    const target = new URL(own.url);
    proxy = await startSilentProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.host = `${proxy.host}:${proxy.port}`;
    url = target.toString();
  }, 30_000);
  afterAll(async () => {
    await proxy?.close();
    await own?.drop();
  });

  it('a query and a transaction answer unavailable within the query timeout; the pool recovers', async () => {
    const db: LedgerDb = await openLedgerDb({ url, poolSize: 2, queryTimeoutMs: QUERY_TIMEOUT_MS });
    try {
      // Two connections open in the pool, so both calls below wait on an answer, not on a connect.
      await Promise.all([db.query('SELECT pg_sleep(0.05)'), db.query('SELECT pg_sleep(0.05)')]);
      proxy.silence();
      const outcomes = await Promise.all([
        settled(db.query('SELECT 1')),
        settled(db.transaction((q) => q.query("SELECT 'in a transaction'"))),
      ]);
      expect(outcomes.map(kindOf)).toEqual(['unavailable', 'unavailable']);
      proxy.speak();
      expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
      expect(await db.transaction((q) => q.query<{ n: number }>('SELECT 2 AS n'))).toEqual([{ n: 2 }]);
      // A session left in a transaction by a gateway that vanished is ended by the server.
      expect(await db.query('SHOW idle_in_transaction_session_timeout')).toEqual([
        { idle_in_transaction_session_timeout: '1min' },
      ]);
    } finally {
      proxy.speak();
      // Bounded: a pool whose calls hang never ends.
      await settled(db.close());
    }
  }, 30_000);

  it('redeemPurchase answers LedgerUnavailableError, consumes nothing, and redeems once the server answers', async () => {
    const ledger = await openLedgerStorage({ url, poolSize: 2, queryTimeoutMs: QUERY_TIMEOUT_MS });
    const g = await startGateway({
      gatewayOptions: { ledger },
      config: { ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 } },
    });
    const redeem = () => redeemNew(g);
    try {
      await g.gateway.redemption();
      expect((await redeem()).__typename).toBe('RedeemPurchaseSuccess');
      proxy.silence();
      await g.resetStats();
      const outcome = await settled(redeem());
      expect(
        outcome === 'still pending' ? outcome : outcome.status === 'fulfilled' && outcome.value,
      ).toMatchObject({
        __typename: 'LedgerUnavailableError',
      });
      expect(await g.count('onestore.consumePurchase')).toBe(0);
      proxy.speak();
      expect((await redeem()).__typename).toBe('RedeemPurchaseSuccess');
    } finally {
      proxy.speak();
      await settled(g.close());
      await settled(ledger.db.close());
    }
  }, 60_000);
});
