import type { OneStoreApp } from '../../entitlements/app-stores.js';
import { fromUnconfirmed } from '../../entitlements/purchases.js';
import type { PurchaseRecord, VoidedPurchaseRecord } from '../../entitlements/records.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError, LOOKUP_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { PurchaseType } from '../types/purchase.js';
import { VoidedPurchaseType } from '../types/voided-purchase.js';
import { decodeCursor, encodeCursor, type ListCursor } from './list-cursor.js';
import { connection, MAX_PAGE, pageSize, pagingArgs, type RelayPage } from './paging.js';

interface ListArgs {
  app: string;
  first?: number | null;
  after?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** The window and position of this page: from the cursor when paging on, else from the arguments. */
function positionOf(args: ListArgs, one: OneStoreApp, ctx: GatewayContext): ListCursor {
  if (args.after) return decodeCursor('after', args.after);
  const now = ctx.now();
  const monthAgo = new Date(now);
  monthAgo.setUTCMonth(monthAgo.getUTCMonth() - 1);
  // The store's rules (document 002), checked here so the error names the argument.
  if (args.since && args.since < monthAgo)
    throw new InvalidInputError('since', 'since may be at most one month ago.');
  if (args.until && args.until > now) throw new InvalidInputError('until', 'until may not be in the future.');
  if (args.since && args.until && args.since > args.until)
    throw new InvalidInputError('since', 'since must not be after until.');
  return {
    key: null,
    skip: 0,
    start: args.since ? one.time.toStore(args.since) : null,
    end: args.until ? one.time.toStore(args.until) : null,
  };
}

type Fetch<T> = (
  one: OneStoreApp,
  query: { continuationKey?: string; startTime?: number; endTime?: number; maxResults: number },
) => Promise<{ items: T[]; continuationKey: string | null }>;

/** One store page turned into a Relay page; `first` larger than a store page returns fewer edges. */
async function listPage<T>(args: ListArgs, ctx: GatewayContext, fetch: Fetch<T>): Promise<RelayPage<T>> {
  const one = oneStoreOf(authorize(ctx, args.app));
  const first = pageSize(args.first);
  const at = positionOf(args, one, ctx);
  const page = await storeCall(() =>
    fetch(one, {
      ...(at.key !== null && { continuationKey: at.key }),
      ...(at.start !== null && { startTime: at.start }),
      ...(at.end !== null && { endTime: at.end }),
      maxResults: Math.min(MAX_PAGE, at.skip + first),
    }),
  );
  const taken = page.items.slice(at.skip, at.skip + first);
  const cursorAfter = (count: number) => encodeCursor({ ...at, skip: at.skip + count });
  const restOfPage = page.items.length > at.skip + taken.length;
  const endCursor =
    taken.length === 0
      ? null
      : !restOfPage && page.continuationKey !== null
        ? encodeCursor({ ...at, key: page.continuationKey, skip: 0 })
        : cursorAfter(taken.length);
  const edges = taken.map((node, i) => ({
    node,
    cursor: i === taken.length - 1 && endCursor ? endCursor : cursorAfter(i + 1),
  }));
  return connection(edges, {
    hasNextPage: restOfPage || page.continuationKey !== null,
    hasPreviousPage: at.key !== null || at.skip > 0,
    endCursor,
  });
}

const VoidedPurchaseConnection = builder.connectionObject({
  type: VoidedPurchaseType,
  name: 'VoidedPurchaseConnection',
});
const PurchaseConnection = builder.connectionObject({ type: PurchaseType, name: 'PurchaseConnection' });

builder.queryFields((t) => {
  const listArgs = {
    app: t.arg.string({ required: true }),
    ...pagingArgs('Edges'),
    since: t.arg({ type: 'DateTime', required: false, description: 'Window start (at most one month ago).' }),
    until: t.arg({ type: 'DateTime', required: false, description: 'Window end (not in the future).' }),
  };
  return {
    voidedPurchases: t.field({
      type: VoidedPurchaseConnection,
      description:
        'Purchases ONE store cancelled or refunded, by voided time (getVoidedPurchases). Revoke what they granted.',
      errors: { types: [...LOOKUP_ERRORS] },
      authScopes: { read: true },
      args: listArgs,
      resolve: (_root, args, ctx) =>
        listPage<VoidedPurchaseRecord>(args, ctx, async (one, query) => {
          const page = await one.client.getVoidedPurchases(query);
          return {
            continuationKey: page.continuationKey,
            items: page.voidedPurchaseList.map((v) => ({
              store: 'ONESTORE' as const,
              app: args.app,
              purchaseId: v.purchaseId,
              purchaseToken: v.purchaseToken,
              market: v.marketCode === 'MKT_ONE' || v.marketCode === 'MKT_GLB' ? v.marketCode : null,
              purchasedAt: one.time.toUtc(v.purchaseTime),
              voidedAt: one.time.toUtc(v.voidedTime),
              storeTimes: one.time.collect({ purchaseTime: v.purchaseTime, voidedTime: v.voidedTime }),
            })),
          };
        }),
    }),
    unconfirmedPurchases: t.field({
      type: PurchaseConnection,
      description:
        'ONE store purchases neither acknowledged nor consumed (getUnconfirmedPurchases): the store cancels them after 3 days.',
      errors: { types: [...LOOKUP_ERRORS] },
      authScopes: { read: true },
      args: listArgs,
      resolve: (_root, args, ctx) =>
        listPage<PurchaseRecord>(args, ctx, async (one, query) => {
          const page = await one.client.getUnconfirmedPurchases(query);
          const context = { app: args.app, market: one.market, time: one.time };
          return {
            continuationKey: page.continuationKey,
            items: page.unconfirmedPurchaseList.map((item) => fromUnconfirmed(item, context)),
          };
        }),
    }),
  };
});
