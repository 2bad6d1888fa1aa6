import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS } from '../errors/error-classes.js';
import { purchaseKey, subscriptionKey } from '../loaders.js';
import { SubscriptionKindEnum } from '../types/enums.js';
import { PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import { check } from '../validate.js';

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
      oneStoreOf(authorize(ctx, args.app, 'read'));
      return purchaseKey(
        args.app,
        check('productId', args.productId, 'productId'),
        check('purchaseToken', args.purchaseToken, 'purchaseToken'),
      );
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
      oneStoreOf(authorize(ctx, args.app, 'read'));
      const productId = check('productId', args.productId, 'productId');
      return subscriptionKey(
        args.app,
        productId,
        check('purchaseToken', args.purchaseToken, 'purchaseToken'),
        args.kind ?? null,
      );
    },
  }),
}));
