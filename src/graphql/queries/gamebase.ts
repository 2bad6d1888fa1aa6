import { z } from 'zod';
import { authorize, gamebaseOf } from '../authorize.js';
import { builder } from '../builder.js';
import {
  ForbiddenError,
  InvalidInputError,
  RateLimitedError,
  StoreAccessDeniedError,
  StoreProtocolError,
  StoreUnavailableError,
} from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { GamebasePaymentType, GamebaseStoreCodeEnum } from '../types/gamebase-payment.js';
import { text, validated } from '../validate.js';

const UnconsumedGamebasePayments = builder
  .objectRef<{ payments: readonly (typeof GamebasePaymentType.$inferType)[] }>('UnconsumedGamebasePayments')
  .implement({
    description:
      "A user's Gamebase payments that are paid but not consumed, newest first (the retry flow's server side).",
    fields: (t) => ({ payments: t.expose('payments', { type: [GamebasePaymentType] }) }),
  });

const GamebaseUserArgs = z.object({ userId: text('gamebaseUserId') });

builder.queryFields((t) => ({
  unconsumedGamebasePayments: t.field({
    type: UnconsumedGamebasePayments,
    description:
      'Gamebase payments of one user not consumed yet (List Consumables, POST /tcgb-inapp/v1.3/apps/{appId}/consumable).',
    // A list has no "no such payment": an empty list is the answer. Gamebase's 1100 on it is bad input.
    errors: {
      types: [
        InvalidInputError,
        ForbiddenError,
        StoreUnavailableError,
        StoreAccessDeniedError,
        StoreProtocolError,
        RateLimitedError,
      ],
    },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      userId: t.arg.string({
        required: true,
        description: 'The Gamebase user id, e.g. AS@123456ABCDEFGHIJ.',
      }),
      storeCodes: t.arg({
        type: [GamebaseStoreCodeEnum],
        required: false,
        description:
          'Stores to look in. Default: every store but AMAZON (Gamebase lists AMAZON only when named).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const gb = gamebaseOf(authorize(ctx, args.app));
      const { userId } = validated(GamebaseUserArgs, args);
      // An empty list would mean "every store" upstream, like none: send none rather than rely on it.
      const codes = args.storeCodes?.length ? [...new Set(args.storeCodes)] : undefined;
      const payments = await storeCall(() =>
        gb.client.listConsumables({ userId, ...(codes !== undefined && { marketIds: codes }) }),
      );
      return { payments };
    },
  }),
}));
