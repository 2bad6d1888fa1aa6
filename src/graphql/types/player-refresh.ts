import { dataloaderGetter } from '@pothos/plugin-dataloader';
import type { PlayerRefresh } from '../../subscriptions/index.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';

/**
 * `player(refresh: true)` / `players(refresh: true)`: the players' tracked subscriptions are read from
 * their stores before the player is computed. Every refresh of one request's tick goes to the scheduler
 * together (one claim per app), and a player asked twice in a request is read once; a subscription
 * another reader (a scheduler tick, another replica's refresh) holds is not read twice (`busy`).
 */
export interface RefreshOutcome {
  read: number;
  failed: number;
  busy: number;
  events: number;
}

const outcomeOf = (r: PlayerRefresh | undefined): RefreshOutcome => ({
  // A read another writer won is fresh all the same: the row holds a read of this moment.
  read: (r?.figures.written ?? 0) + (r?.figures.lost ?? 0),
  failed: (r?.figures.failures ?? 0) + (r?.figures.ledgerErrors ?? 0),
  busy: r?.busy ?? 0,
  events: r?.figures.events ?? 0,
});

interface RefreshKey {
  app: string;
  userId: string;
}

const refreshes = dataloaderGetter<RefreshKey, RefreshOutcome, string>(
  { cacheKeyFn: (k) => JSON.stringify([k.app, k.userId]) },
  async (keys, context) => {
    const ctx = context as GatewayContext;
    const apps = [...new Set(keys.map((k) => k.app))];
    const byApp = new Map<string, ReadonlyMap<string, PlayerRefresh> | Error>();
    await Promise.all(
      apps.map(async (app) => {
        const userIds = [...new Set(keys.filter((k) => k.app === app).map((k) => k.userId))];
        byApp.set(
          app,
          await ctx.subscriptions
            .refresh(app, userIds)
            .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
        );
      }),
    );
    return keys.map((k) => {
      const found = byApp.get(k.app);
      return found instanceof Error ? found : outcomeOf(found?.get(k.userId));
    });
  },
  undefined,
  false,
);

/** Reads the player's tracked subscriptions now (batched with the request's other refreshes). */
export const refreshPlayer = (ctx: GatewayContext, app: string, userId: string): Promise<RefreshOutcome> =>
  refreshes(ctx).load({ app, userId });

export const PlayerRefreshType = builder.objectRef<RefreshOutcome>('PlayerRefresh').implement({
  description:
    'What `refresh: true` did before the player was computed: its tracked subscriptions read from their stores now (docs/entitlements.md, "Refresh").',
  fields: (t) => ({
    read: t.exposeInt('read', {
      description: 'Subscriptions read now: the player below reflects these reads.',
    }),
    failed: t.exposeInt('failed', {
      description:
        "Reads that failed (the store did not answer, or answered an error): those subscriptions keep the last good read's state, which proves nothing about now.",
    }),
    busy: t.exposeInt('busy', {
      description:
        'Subscriptions another reader was reading at that moment (the scheduler, a replica): not read twice; their state is the last written.',
    }),
    events: t.exposeInt('events', { description: 'Lifecycle events the reads wrote (docs/events.md).' }),
  }),
});
