import type { OneStoreApp } from '../../entitlements/app-stores.js';
import type { Market } from '../../entitlements/records.js';
import { type KeyedPage, keysWalked, onestore, type PageWalk, type WalkStart } from '../../stores/index.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { MarketEnum } from '../types/enums.js';
import { listCursorContents, listWindow } from '../validate.js';
import { decodeCursor, encodeCursor, type ListCursor } from './list-cursor.js';
import { connection, pageSize, pagingArgs, type RelayPage } from './paging.js';

export interface ListArgs {
  app: string;
  market?: Market | null;
  first?: number | null;
  after?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** The window and position of this page: from the cursor when paging on, else from the arguments. */
function positionOf(args: ListArgs, one: OneStoreApp, ctx: GatewayContext): ListCursor {
  const now = ctx.now();
  // The store's rules (document 002), checked here so the error names the argument.
  const { since, until } = listWindow(args, now, Boolean(args.after));
  if (args.after) {
    const cursor = decodeCursor('after', args.after);
    const [start, end] = [one.time.toUtcOrNull(cursor.start), one.time.toUtcOrNull(cursor.end)];
    listCursorContents({ start, end }, now);
    return cursor;
  }
  return {
    key: null,
    skip: 0,
    start: since ? one.time.toStore(since) : null,
    end: until ? one.time.toStore(until) : null,
    walked: '',
  };
}

/** The list's guarded walk from a window and a start (the client's `voidedPurchaseWalk` ...). */
export interface ListWalk<T, P extends KeyedPage> {
  open(
    one: OneStoreApp,
    query: { startTime?: number; endTime?: number; maxResults: number },
    start: WalkStart,
  ): PageWalk<P>;
  items(page: P, one: OneStoreApp): T[];
}

/**
 * One store page turned into a Relay page; `first` larger than a store page returns fewer edges.
 * The store page is read through the client's guarded walk, resumed from the cursor: a key the walk
 * was given before is StoreProtocolError (CONTINUATION_LOOP), so is a key the client would not send
 * back (CONTINUATION_KEY_REFUSED: no cursor carries it), and a walk past its page budget is refused
 * before any store call. Every request asks for a whole store page and serves `first` of it from
 * the cursor's `skip`: the budget counts store pages of the store's size, however small `first` is.
 */
export async function listPage<T, P extends KeyedPage>(
  args: ListArgs,
  ctx: GatewayContext,
  list: ListWalk<T, P>,
): Promise<RelayPage<T>> {
  const one = oneStoreOf(authorize(ctx, args.app), args.market);
  const first = pageSize(args.first);
  const at = positionOf(args, one, ctx);
  const walk = list.open(
    one,
    {
      ...(at.start !== null && { startTime: at.start }),
      ...(at.end !== null && { endTime: at.end }),
      maxResults: onestore.MAX_RESULTS,
    },
    {
      ...(at.key !== null && { continuationKey: at.key }),
      walked: at.walked,
      pagesRead: keysWalked(at.walked),
    },
  );
  const page = await storeCall(() => walk.next());
  if (page === undefined) {
    throw new InvalidInputError(
      'after',
      `This walk has read ${walk.pagesRead} store pages, its budget (listPageBudget): list a narrower since/until.`,
    );
  }
  const items = list.items(page, one);
  const taken = items.slice(at.skip, at.skip + first);
  const cursorAfter = (count: number) => encodeCursor({ ...at, skip: at.skip + count });
  const restOfPage = items.length > at.skip + taken.length;
  const next = walk.continuationKey ?? null;
  // A store page with no entries but a key (the list goes on) still hands out the next page's cursor:
  // with endCursor null, a client following hasNextPage would start the walk again from the top.
  const endCursor =
    !restOfPage && next !== null
      ? encodeCursor({ ...at, key: next, skip: 0, walked: walk.walked })
      : taken.length === 0
        ? null
        : cursorAfter(taken.length);
  const edges = taken.map((node, i) => ({
    node,
    cursor: i === taken.length - 1 && endCursor ? endCursor : cursorAfter(i + 1),
  }));
  return connection(edges, {
    hasNextPage: restOfPage || next !== null,
    hasPreviousPage: at.key !== null || at.skip > 0,
    endCursor,
  });
}

/** The arguments of every ONE store list: the app, a page, and the store's time window. */
export const listArgs = builder.args((t) => ({
  app: t.string({ required: true }),
  market: t.field({
    type: MarketEnum,
    required: false,
    description: "The market to list; default the app's first configured market.",
  }),
  ...pagingArgs('Edges'),
  since: t.field({
    type: 'DateTime',
    required: false,
    description:
      'Window start (not in the future, at most one month ago; up to 5 minutes beyond either is taken as that edge).',
  }),
  until: t.field({
    type: 'DateTime',
    required: false,
    description:
      'Window end (not in the future, at most one month ago; up to 5 minutes beyond either is taken as that edge).',
  }),
}));
