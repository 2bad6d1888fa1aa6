import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';
import { checkStore, checkText } from './errors.js';
import type { LedgerDb } from './types.js';

/** What {@link assignEnvironments} filled in, and the events it could not (read as PRODUCTION). */
export interface EnvironmentsAssigned {
  grants: number;
  tracked: number;
  events: number;
  eventsLeft: number;
}

/**
 * Gives `app`'s rows written before migration 11 the environment the config names now for their store
 * (`byStore`): grants and tracked subscriptions by their store; events by the grant or tracked
 * subscription they are about (their subject), and the rest (changes made through the gateway, whose
 * subject is a purchase) the app's one environment when all its stores share it. An event no rule
 * reaches keeps NULL (read as PRODUCTION) and is counted in `eventsLeft`. One transaction; each
 * statement reads only the rows still unset (the partial indexes of migration 11).
 */
export async function assignEnvironments(
  db: LedgerDb,
  app: string,
  byStore: Readonly<Partial<Record<StoreId, Environment>>>,
): Promise<EnvironmentsAssigned> {
  checkText('app', app);
  return db.transaction(async (q) => {
    let grants = 0;
    let tracked = 0;
    for (const [store, environment] of Object.entries(byStore)) {
      checkStore(store);
      const args = [app, store, environment];
      grants += (
        await q.query<{ id: string }>(
          'UPDATE grants SET environment = $3 WHERE app = $1 AND store = $2 AND environment IS NULL RETURNING id',
          args,
        )
      ).length;
      tracked += (
        await q.query<{ app: string }>(
          `UPDATE tracked_subscriptions SET environment = $3
           WHERE app = $1 AND store = $2 AND environment IS NULL RETURNING app`,
          args,
        )
      ).length;
    }
    const fromGrants = await q.query<{ seq: unknown }>(
      `UPDATE events SET environment = (SELECT g.environment FROM grants g WHERE g.id = events.subject)
       WHERE app = $1 AND environment IS NULL
         AND EXISTS (SELECT 1 FROM grants g WHERE g.id = events.subject AND g.environment IS NOT NULL)
       RETURNING seq`,
      [app],
    );
    const fromTracked = await q.query<{ seq: unknown }>(
      `UPDATE events SET environment = (SELECT t.environment FROM tracked_subscriptions t
           WHERE t.app = events.app AND t.purchase_token = events.subject AND t.environment IS NOT NULL LIMIT 1)
       WHERE app = $1 AND environment IS NULL
         AND EXISTS (SELECT 1 FROM tracked_subscriptions t
           WHERE t.app = events.app AND t.purchase_token = events.subject AND t.environment IS NOT NULL)
       RETURNING seq`,
      [app],
    );
    let events = fromGrants.length + fromTracked.length;
    const shared = new Set(Object.values(byStore));
    const [only] = shared;
    if (shared.size === 1 && only !== undefined)
      events += (
        await q.query<{ seq: unknown }>(
          'UPDATE events SET environment = $2 WHERE app = $1 AND environment IS NULL RETURNING seq',
          [app, only],
        )
      ).length;
    const left = await q.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM events WHERE app = $1 AND environment IS NULL',
      [app],
    );
    return { grants, tracked, events, eventsLeft: Number(left[0]?.n ?? 0) };
  });
}
