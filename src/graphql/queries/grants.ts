import { z } from 'zod';
import { type CursorList, encodeCursor } from '../../ledger/cursor.js';
import type { Grant } from '../../ledger/index.js';
import { LedgerInputError, LedgerUnavailable } from '../../ledger/index.js';
import { authorize } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../errors/error-classes.js';
import { toLedgerInputError } from '../errors/redemption-errors.js';
import { GrantStatusEnum, GrantType } from '../types/grant.js';
import { optionalText, validated } from '../validate.js';
import { connection, pageSize, pagingArgs } from './paging.js';

const LEDGER_READ_ERRORS = [InvalidInputError, ForbiddenError, RateLimitedError, LedgerUnavailable] as const;

type LedgerPage = { grants: Grant[]; hasNextPage: boolean; endCursor: string | null };

type GrantStore = Awaited<ReturnType<GatewayContext['redemption']>>['storage']['grants'];

/**
 * A ledger read, its failure by kind: input the ledger refuses (a NUL byte, broken UTF-16, a forged
 * cursor) is the caller's InvalidInputError, checked before any query; an unreachable or timed-out
 * database is LedgerUnavailable, registered as LedgerUnavailableError; anything else (a LedgerFault)
 * is no member of the union, so the caller sees a masked internal error with the request id and
 * the log has its cause (RedemptionService.read).
 */
async function read<T>(ctx: GatewayContext, call: (grants: GrantStore) => Promise<T>): Promise<T> {
  try {
    return await (await ctx.redemption()).read(call);
  } catch (error) {
    if (error instanceof LedgerInputError)
      throw error.field === 'after'
        ? new InvalidInputError('after', 'after is not a cursor of this list.')
        : toLedgerInputError(error, { id: 'id', userId: 'userId', app: 'app' });
    throw error;
  }
}

/** The ledger's keyset page as a Relay page; every edge gets the cursor of its own position. */
function relayPage(page: LedgerPage, list: CursorList, after: string | null | undefined) {
  const edges = page.grants.map((node) => ({
    node,
    cursor: encodeCursor(list, {
      at: (list === 'user' ? node.createdAt : node.revokedAt) ?? new Date(0),
      id: node.id,
    }),
  }));
  return connection(edges, {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: Boolean(after),
    endCursor: page.endCursor,
  });
}

const GrantsArgs = z.object({ userId: optionalText('userId') });

const GrantConnection = builder.connectionObject({ type: GrantType, name: 'GrantConnection' });

builder.queryFields((t) => {
  const pageArgs = {
    app: t.arg.string({ required: true }),
    ...pagingArgs('Grants'),
  };
  return {
    grants: t.field({
      type: GrantConnection,
      description:
        "Grants in the ledger, newest first: a player's (userId), those in one status, or both. `status: PENDING` without userId lists the app's grants still waiting for evidence of their store change (docs/redemption.md).",
      errors: { types: [...LEDGER_READ_ERRORS] },
      authScopes: { read: true },
      args: {
        ...pageArgs,
        userId: t.arg.string({ required: false, description: 'One player; give it, status, or both.' }),
        status: t.arg({ type: GrantStatusEnum, required: false, description: 'Only grants in this status.' }),
      },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        if (args.userId == null && args.status == null)
          throw new InvalidInputError('userId', 'Give userId, status, or both.');
        const { userId } = validated(GrantsArgs, args);
        const status = args.status ?? undefined;
        const first = pageSize(args.first);
        const page = await read(ctx, (grants) =>
          grants.listGrants(
            args.app,
            { ...(userId !== undefined && { userId }), ...(status !== undefined && { status }) },
            { first, ...(args.after && { after: args.after }) },
          ),
        );
        return relayPage(page, 'user', args.after);
      },
    }),
    revokedGrants: t.field({
      type: GrantConnection,
      description:
        'Grants whose purchase the store voided (refund, cancellation) since a time, oldest first: claw the items back. Filled by the revocation sync.',
      errors: { types: [...LEDGER_READ_ERRORS] },
      authScopes: { read: true },
      args: {
        ...pageArgs,
        since: t.arg({ type: 'DateTime', required: true, description: 'Revoked at or after.' }),
      },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        const first = pageSize(args.first);
        const page = await read(ctx, (grants) =>
          grants.listRevoked(args.app, args.since, {
            first,
            ...(args.after && { after: args.after }),
          }),
        );
        return relayPage(page, 'revoked', args.after);
      },
    }),
    grant: t.field({
      type: GrantType,
      description: 'One grant by id.',
      errors: { types: [...LEDGER_READ_ERRORS, NotFoundError] },
      authScopes: { read: true },
      args: { app: t.arg.string({ required: true }), id: t.arg.id({ required: true }) },
      resolve: async (_root, args, ctx) => {
        authorize(ctx, args.app);
        const id = String(args.id);
        const grant = await read(ctx, (grants) => grants.findById(id));
        // Another app's grant is as unknown as a missing one.
        if (!grant || grant.app !== args.app)
          throw new NotFoundError('The ledger has no such grant for this app.');
        return grant;
      },
    }),
  };
});
