import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore, GrantStore, type LedgerDb, type NewGrant } from '../../src/ledger/index.js';
import { ledgerBackends } from '../helpers/ledger.js';

// Two pools on one PostgreSQL ledger stand for two gateway replicas; PGlite is one process by design.
const postgres = ledgerBackends().find((b) => b.name === 'postgres');

describe.skipIf(postgres === undefined || postgres.skip)('two replicas on one PostgreSQL ledger', () => {
  let a: LedgerDb;
  let b: LedgerDb;

  beforeAll(async () => {
    if (postgres === undefined) return;
    [a, b] = await Promise.all([postgres.open({ poolSize: 8 }), postgres.open({ poolSize: 8 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await postgres?.cleanup();
  });

  it('200 claims of one purchase split between them make exactly one grant', async () => {
    const stores = [new GrantStore(a), new GrantStore(b)];
    const purchaseKey = `race-${randomUUID()}`;
    const idempotencyKey = `key-${randomUUID()}`;
    const base: NewGrant = {
      app: 'game-r',
      store: 'ONESTORE',
      purchaseKey,
      userId: 'u',
      productId: 'p',
      quantity: 1,
      storeIds: {},
      fingerprint: 'fp',
      idempotencyKey: null,
      action: 'CONSUME',
    };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        // Every fourth request also carries one shared idempotency key.
        stores[i % 2]?.claim(
          { ...base, idempotencyKey: i % 4 === 0 ? idempotencyKey : null },
          `replica-${i % 2}`,
          60_000,
        ),
      ),
    );
    expect(results.filter((r) => r?.claimed === true)).toHaveLength(1);
    const rows = await a.query<{ n: string }>('SELECT count(*) AS n FROM grants WHERE purchase_key = $1', [
      purchaseKey,
    ]);
    expect(rows).toEqual([{ n: '1' }]);
  });

  it('one checkpoint lease between them', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new CheckpointStore(i % 2 === 0 ? a : b).acquire('game-r', 'voided', `replica-${i}`, 60_000),
      ),
    );
    expect(results.filter((c) => c !== null)).toHaveLength(1);
  });
});
