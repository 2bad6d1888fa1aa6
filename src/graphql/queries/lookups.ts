import { z } from 'zod';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
import { purchaseLoader, subscriptionLoader } from '../loaders.js';
import { SubscriptionKindEnum } from '../types/enums.js';
import { PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import { ONE_STORE_REF, validated } from '../validate.js';

/** Both lookups take the reference as top-level arguments: errors name `productId`, `purchaseToken`. */
const LookupArgs = z.object(ONE_STORE_REF);

builder.queryFields((t) => ({
  purchase: t.field({
    type: PurchaseType,
    description: 'A ONE store managed-product purchase by productId and purchaseToken (getPurchaseDetails).',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      productId: t.arg.string({ required: true }),
      purchaseToken: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) => {
      const one = oneStoreOf(authorize(ctx, args.app));
      return purchaseLoader(ctx).load({ app: args.app, one, ...validated(LookupArgs, args) });
    },
  }),
  subscription: t.field({
    type: SubscriptionType,
    description:
      'A ONE store subscription or monthly product; give `kind` to save a call when you know which.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      productId: t.arg.string({ required: true }),
      purchaseToken: t.arg.string({ required: true }),
      kind: t.arg({ type: SubscriptionKindEnum, required: false }),
    },
    resolve: (_root, args, ctx) => {
      const one = oneStoreOf(authorize(ctx, args.app));
      const ref = validated(LookupArgs, args);
      return subscriptionLoader(ctx).load({ app: args.app, one, ...ref, kind: args.kind ?? null });
    },
  }),
}));
