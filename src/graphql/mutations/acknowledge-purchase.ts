import { builder } from '../builder.js';
import { CHANGE_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import {
  forget,
  type OneStoreTarget,
  oneStoreTarget,
  payloadRef,
  rereadPurchase,
  rereadSubscription,
} from './shared.js';

const AcknowledgePurchaseInput = builder.inputType('AcknowledgePurchaseInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    productId: t.string({ required: true }),
    purchaseToken: t.string({ required: true }),
    developerPayload: t.string({
      required: false,
      description: 'When given, must match the purchase (max 200).',
    }),
  }),
});

const AcknowledgePurchaseSuccess = builder.objectRef<OneStoreTarget>('AcknowledgePurchaseSuccess').implement({
  description: 'Acknowledged: ONE store will not cancel it after 3 days.',
  fields: (t) => ({
    purchase: t.field({
      type: PurchaseType,
      nullable: true,
      description: 'A managed product, read again; null for a monthly product (see subscription).',
      resolve: (target, _args, ctx) => rereadPurchase(ctx, target),
    }),
    subscription: t.field({
      type: SubscriptionType,
      nullable: true,
      description: 'A monthly product, read again; null for a managed product.',
      resolve: (target, _args, ctx) => rereadSubscription(ctx, target, 'MONTHLY'),
    }),
  }),
});

builder.mutationField('acknowledgePurchase', (t) =>
  t.field({
    type: AcknowledgePurchaseSuccess,
    description:
      'ONE store acknowledgePurchase: a managed or monthly purchase. Acknowledging twice succeeds.',
    errors: { types: [...CHANGE_ERRORS] },
    authScopes: { write: true },
    args: { input: t.arg({ type: AcknowledgePurchaseInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const target = oneStoreTarget(ctx, input);
      const ref = payloadRef(target, 'input.developerPayload', input.developerPayload);
      await storeCall(() => target.one.client.acknowledgePurchase(ref));
      forget(ctx, target);
      return target;
    },
  }),
);
