import { checkText } from './errors.js';
import type { GrantStoreName } from './grant.js';
import type { LedgerDb } from './types.js';

/** First key of the transaction lock under which grants get their store app (second: the store's hash). */
const STORE_APP_LOCK_CLASS = 0x737461; // "sta"

/**
 * Gives `app`'s `store` grants written without a store app (before the ledger kept it, migration 5)
 * the one the config names now. A row whose store purchase another row holds already (the same
 * purchase granted under two apps before) keeps none and is counted in `duplicates`. Serialized
 * across replicas, so two of them filling in two apps of one store app cannot collide.
 */
export async function assignStoreApp(
  db: LedgerDb,
  app: string,
  store: GrantStoreName,
  storeApp: string,
): Promise<{ assigned: number; duplicates: number }> {
  checkText('app', app);
  checkText('storeApp', storeApp);
  return db.transaction(async (q) => {
    if (db.kind === 'postgres')
      await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STORE_APP_LOCK_CLASS, store]);
    const assigned = await q.query<{ id: string }>(
      `UPDATE grants SET store_app = $3
       WHERE app = $1 AND store = $2 AND store_app IS NULL
         AND NOT EXISTS (SELECT 1 FROM grants o
                         WHERE o.store = $2 AND o.store_app = $3 AND o.purchase_key = grants.purchase_key)
       RETURNING id`,
      [app, store, storeApp],
    );
    const left = await q.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM grants WHERE app = $1 AND store = $2 AND store_app IS NULL',
      [app, store],
    );
    return { assigned: assigned.length, duplicates: Number(left[0]?.n ?? 0) };
  });
}
