import type { Dialect } from './dialect.js';
import { checkText } from './errors.js';
import type { Queryable } from './types.js';

/**
 * "Recompute at once" on any clock: the worker compares `due_at` with the gateway's clock (the
 * sandbox's in tests), which need not be the database's, so a mark is the epoch, as a tracked
 * subscription's CHECK_AT_ONCE is, rather than the write's time.
 */
export const RECOMPUTE_AT_ONCE = new Date(0);

/**
 * Marks a player's entitlements for recomputation (table `player_entitlements`, migration 13) in the
 * transaction `q` of the fact that changed them. A player new to the table starts with an empty state
 * (`{}`): every entitlement the first computation finds active is an ENTITLEMENT_GRANTED.
 */
export async function markPlayer(q: Queryable, d: Dialect, app: string, userId: string): Promise<void> {
  checkText('userId', userId);
  await q.query(
    `INSERT INTO player_entitlements (app, user_id, state, due_at, version)
     VALUES ($1, $2, ${d.json('$3')}, ${d.time('$4')}, 0)
     ON CONFLICT (app, user_id) DO UPDATE SET due_at = ${d.time('$4')}`,
    [app, userId, '{}', RECOMPUTE_AT_ONCE],
  );
}
