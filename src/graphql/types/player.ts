import { dataloaderGetter } from '@pothos/plugin-dataloader';
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { z } from 'zod';
import { encodeCursor } from '../../ledger/cursor.js';
import {
  type GrantPage,
  LedgerUnavailable,
  MAX_PLAYERS,
  type PlayerEventPage,
  type PlayerPageRequest,
  type SupportGrant,
} from '../../ledger/index.js';
import { type PlayerEntitlement, type PlayerSubscription, readPlayerFacts } from '../../players/index.js';
import { authorize } from '../authorize.js';
import { builder, READ_OR_SUPPORT } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { connection, pageSize, pagingArgs } from '../queries/paging.js';
import { loadableType } from '../request-loader.js';
import { text, validated } from '../validate.js';
import { EnvironmentEnum, StoreEnum } from './enums.js';
import {
  decodeEventCursor,
  encodeEventCursor,
  type GatewayEvent,
  GatewayEventConnection,
} from './gateway-event.js';
import { GrantConnection, LEDGER_READ_ERRORS, read } from './grant.js';
import { PlayerEntitlementType } from './player-entitlement.js';
import { PlayerRefreshType, type RefreshOutcome, refreshPlayer } from './player-refresh.js';
import { SupportGrantType } from './support-grant.js';

/**
 * A player of an app as the ledger knows them (docs/entitlements.md): entitlements computed through
 * the app's catalogue, subscriptions, grants and events, with no store call. Every read serves the
 * players of one tick together (`players(userIds:)`, or aliases), one statement per kind of read:
 * the player's facts (catalogue grants, subscriptions, support grants) through this type's loader,
 * grant pages and event pages through their own.
 */

interface PlayerKey {
  app: string;
  userId: string;
  /** The catalogue of the app, handed over by the resolver that authorized it. */
  catalogue: ReturnType<typeof authorize>['entitlements'];
}

interface PlayerRecord {
  app: string;
  userId: string;
  entitlements: PlayerEntitlement[];
  subscriptions: PlayerSubscription[];
  /** `refresh: true`'s reads before the player was computed; absent without it. */
  refreshed?: RefreshOutcome;
  /** Their support grants (revoked ones too), oldest first. */
  supportGrants: SupportGrant[];
}

/** Groups keys by app, keeping each key's index, so each app's players are read together. */
function byApp<K extends { app: string }>(keys: readonly K[]): Map<string, { key: K; index: number }[]> {
  const groups = new Map<string, { key: K; index: number }[]>();
  keys.forEach((key, index) => {
    groups.set(key.app, [...(groups.get(key.app) ?? []), { key, index }]);
  });
  return groups;
}

async function loadPlayers(
  keys: readonly PlayerKey[],
  ctx: GatewayContext,
): Promise<(PlayerRecord | Error)[]> {
  const results: (PlayerRecord | Error)[] = new Array(keys.length);
  for (const [app, group] of byApp(keys)) {
    try {
      const userIds = [...new Set(group.map((g) => g.key.userId))];
      const catalogue = group[0]?.key.catalogue ?? {};
      const facts = await read(ctx, (store) =>
        readPlayerFacts(store.players, app, userIds, catalogue, ctx.now()),
      );
      for (const { key, index } of group) {
        const own = facts.get(key.userId);
        results[index] = {
          app,
          userId: key.userId,
          entitlements: own?.entitlements ?? [],
          subscriptions: own?.subscriptions ?? [],
          supportGrants: own?.supportGrants ?? [],
        };
      }
    } catch (error) {
      for (const { index } of group)
        results[index] = error instanceof Error ? error : new Error(String(error));
    }
  }
  return results;
}

export const PlayerType = loadableType<PlayerKey, PlayerRecord>('Player', {
  load: loadPlayers,
  cacheKeyFn: (k) => JSON.stringify([k.app, k.userId]),
});

interface PageKey extends PlayerPageRequest {
  app: string;
}

const pageCacheKey = (k: PageKey) => JSON.stringify([k.app, k.userId, k.first, k.after ?? null]);

/** Loads each app's pages of one tick in one statement; `pages` is the ledger read. */
function pageLoader<V>(
  pages: (ctx: GatewayContext, app: string, requests: PlayerPageRequest[]) => Promise<V[]>,
) {
  return dataloaderGetter<PageKey, V, string>(
    { cacheKeyFn: pageCacheKey },
    async (keys, context) => {
      const ctx = context as GatewayContext;
      const results: (V | Error)[] = new Array(keys.length);
      for (const [app, group] of byApp(keys)) {
        try {
          const requests = group.map(({ key }) => ({
            userId: key.userId,
            first: key.first,
            ...(key.after !== undefined && { after: key.after }),
          }));
          const loaded = await pages(ctx, app, requests);
          group.forEach(({ index }, i) => {
            results[index] = loaded[i] as V;
          });
        } catch (error) {
          for (const { index } of group)
            results[index] = error instanceof Error ? error : new Error(String(error));
        }
      }
      return results;
    },
    undefined,
    false,
  );
}

const grantPages = pageLoader<GrantPage>((ctx, app, requests) =>
  read(ctx, (grants) => grants.players.grantPages(app, requests)),
);
const eventPages = pageLoader<PlayerEventPage>((ctx, app, requests) =>
  read(ctx, (grants) => grants.players.eventPages(app, requests)),
);

export const SubscriptionStateEnum = builder.enumType('PlayerSubscriptionState', {
  values: {
    ACTIVE: { description: 'Paid time is left now.' },
    EXPIRED: {
      description: 'No paid access now: its paid time ended, or the store says hold, pause or expiry.',
    },
    UNKNOWN: {
      description:
        'No fact in the ledger tells when it ends (a grant written before periods kept their end).',
    },
  },
});

const PlayerSubscriptionType = builder.objectRef<PlayerSubscription>('PlayerSubscription').implement({
  description:
    "A subscription of the player: its period grants' facts, corrected by the scheduler's last read of it.",
  fields: (t) => ({
    store: t.field({ type: StoreEnum, resolve: (s) => s.store }),
    productId: t.exposeString('productId'),
    state: t.field({ type: SubscriptionStateEnum, resolve: (s) => s.state }),
    since: t.expose('since', { type: 'DateTime', description: "The first paid period's grant." }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description:
        "When its paid access ends: the store's expiry at the last read, else the latest period grant's (a refunded period: at its refund).",
    }),
    willRenew: t.exposeBoolean('willRenew', {
      nullable: true,
      description: 'Null: not read by the scheduler yet.',
    }),
    billingIssue: t.exposeBoolean('billingIssue', {
      nullable: true,
      description: 'In grace or on hold at the last read; null: not read by the scheduler yet.',
    }),
    latestGrantId: t.exposeID('latestGrantId', { description: "The latest paid period's grant." }),
    environment: t.field({
      type: EnvironmentEnum,
      description: "The latest paid period's grant's environment: SANDBOX for a test subscription.",
      resolve: (s) => s.environment,
    }),
  }),
});

const PAGE_ERRORS = [InvalidInputError, LedgerUnavailable] as const;

builder.objectType(PlayerType, {
  description:
    'What a player owns and did, from the ledger (docs/entitlements.md). No store is called, unless `refresh: true`.',
  fields: (t) => ({
    app: t.exposeString('app'),
    userId: t.exposeString('userId'),
    refresh: t.field({
      type: PlayerRefreshType,
      nullable: true,
      description: 'What `refresh: true` read first; null without it.',
      resolve: (p) => p.refreshed ?? null,
    }),
    entitlements: t.field({
      type: [PlayerEntitlementType],
      description: "The catalogue's entitlements the player has or had, by id.",
      resolve: (p) => p.entitlements,
    }),
    subscriptions: t.field({ type: [PlayerSubscriptionType], resolve: (p) => p.subscriptions }),
    supportGrants: t.field({
      type: [SupportGrantType],
      description:
        'The entitlements support keys gave the player (grantEntitlement), revoked ones too, oldest first.',
      resolve: (p) => p.supportGrants,
    }),
    grants: t.field({
      type: GrantConnection,
      description: "The player's grants, newest first (the cursor of `grants(userId:)`).",
      errors: { types: [...PAGE_ERRORS] },
      args: pagingArgs('Grants'),
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const key = { app: p.app, userId: p.userId, first, ...(args.after != null && { after: args.after }) };
        const page = await grantPages(ctx).load(key);
        const edges = page.grants.map((node) => ({
          node,
          cursor: encodeCursor('user', { at: node.createdAt, id: node.id }),
        }));
        return connection(edges, {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(args.after),
          endCursor: page.endCursor,
        });
      },
    }),
    events: t.field({
      type: GatewayEventConnection,
      description: "The events of the player's grants and support grants, newest first.",
      errors: { types: [...PAGE_ERRORS] },
      args: pagingArgs('Events'),
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const before = args.after == null ? null : decodeEventCursor(args.after);
        if (args.after != null && before === null)
          throw new InvalidInputError('after', 'after is not a cursor of this list.');
        const key = { app: p.app, userId: p.userId, first, ...(before !== null && { after: before }) };
        const page = await eventPages(ctx).load(key);
        const edges = page.events.map((node) => ({
          node: node as GatewayEvent,
          cursor: encodeEventCursor(node.seq),
        }));
        return connection(edges, {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: before !== null,
          endCursor: edges.at(-1)?.cursor ?? args.after ?? null,
        });
      },
    }),
  }),
});

/**
 * Whether the operation selects the player's facts (entitlements, subscriptions, support grants)
 * under this field: a request for a page of grants or events alone then costs that page's statement
 * and no other.
 */
function selectsFacts(info: GraphQLResolveInfo): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // `players` answers its list in the success type's `data`.
        if (name === 'data') return walk(selection.selectionSet);
        return name === 'entitlements' || name === 'subscriptions' || name === 'supportGrants';
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return walk(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      return walk(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

/**
 * The player as the root fields answer it: loaded with its facts when they are selected, after the
 * reads of `refresh: true` (so the facts are computed from them).
 */
async function playerOf(
  ctx: GatewayContext,
  key: PlayerKey,
  facts: boolean,
  refresh: boolean,
): Promise<PlayerRecord> {
  const refreshed = refresh ? await refreshPlayer(ctx, key.app, key.userId) : undefined;
  const record = facts
    ? await PlayerType.getDataloader(ctx).load(key)
    : { app: key.app, userId: key.userId, entitlements: [], subscriptions: [], supportGrants: [] };
  return refreshed === undefined ? record : { ...record, refreshed };
}

const REFRESH_DESCRIPTION =
  "Read the player's tracked subscriptions from their stores first (store calls, the scheduler's budget), then compute. Default false: the ledger only.";

const PlayerArgs = z.object({ userId: text('userId') });
const PlayersArgs = z.object({ userIds: z.array(text('userId')) });

builder.queryFields((t) => ({
  player: t.field({
    type: PlayerType,
    description:
      "A player's entitlements, subscriptions, grants and events, from the ledger (docs/entitlements.md).",
    errors: { types: [...LEDGER_READ_ERRORS] },
    authScopes: READ_OR_SUPPORT,
    args: {
      app: t.arg.string({ required: true }),
      userId: t.arg.string({ required: true }),
      refresh: t.arg.boolean({ defaultValue: false, description: REFRESH_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      const stores = authorize(ctx, args.app);
      const { userId } = validated(PlayerArgs, { userId: args.userId });
      const key = { app: args.app, userId, catalogue: stores.entitlements };
      return playerOf(ctx, key, selectsFacts(info), args.refresh === true);
    },
  }),
  players: t.field({
    type: [PlayerType],
    description: `Many players at once (1-${MAX_PLAYERS}), in the order asked, read together: one ledger statement per kind of read.`,
    errors: { types: [...LEDGER_READ_ERRORS] },
    authScopes: READ_OR_SUPPORT,
    args: {
      app: t.arg.string({ required: true }),
      userIds: t.arg.stringList({ required: true }),
      refresh: t.arg.boolean({ defaultValue: false, description: REFRESH_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      const stores = authorize(ctx, args.app);
      if (args.userIds.length < 1 || args.userIds.length > MAX_PLAYERS)
        throw new InvalidInputError('userIds', `userIds must hold 1-${MAX_PLAYERS} players.`);
      validated(PlayersArgs, { userIds: args.userIds });
      const facts = selectsFacts(info);
      return Promise.all(
        args.userIds.map((userId) =>
          playerOf(
            ctx,
            { app: args.app, userId, catalogue: stores.entitlements },
            facts,
            args.refresh === true,
          ),
        ),
      );
    },
  }),
}));
