import { builder } from '../builder.js';
import { CHANGE_ERRORS, InvalidInputError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import {
  forget,
  oneStoreTarget,
  onSubscriptionKind,
  SubscriptionChange,
  subscriptionInputFields,
} from './shared.js';

/**
 * cancelSubscription and reactivateSubscription map to the subscription endpoints (구독형) or the
 * monthly ones (월정액 cancelRecurringPurchase / reactivateRecurringPurchase); deferSubscription
 * exists for subscriptions only.
 */
builder.mutationFields((t) => ({
  cancelSubscription: t.field({
    type: SubscriptionChange,
    description:
      'Stop renewal. Usable until it expires; a paused, grace or on-hold subscription is cancelled at once.',
    errors: { types: [...CHANGE_ERRORS] },
    args: { input: t.arg({ type: subscriptionInputFields, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const target = oneStoreTarget(ctx, input);
      const ref = { productId: target.productId, purchaseToken: target.purchaseToken };
      const kind = await onSubscriptionKind(input.kind, {
        SUBSCRIPTION: () => target.one.client.cancelSubscription(ref),
        MONTHLY: () => target.one.client.cancelRecurringPurchase(ref),
      });
      forget(ctx, target);
      return { target, kind };
    },
  }),
  reactivateSubscription: t.field({
    type: SubscriptionChange,
    description: 'Undo a reserved cancellation. An immediate cancellation cannot be undone.',
    errors: { types: [...CHANGE_ERRORS] },
    args: { input: t.arg({ type: subscriptionInputFields, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const target = oneStoreTarget(ctx, input);
      const ref = { productId: target.productId, purchaseToken: target.purchaseToken };
      const kind = await onSubscriptionKind(input.kind, {
        SUBSCRIPTION: () => target.one.client.reactivateSubscription(ref),
        MONTHLY: () => target.one.client.reactivateRecurringPurchase(ref),
      });
      forget(ctx, target);
      return { target, kind };
    },
  }),
}));

const DeferSubscriptionInput = builder.inputType('DeferSubscriptionInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    productId: t.string({ required: true }),
    purchaseToken: t.string({ required: true }),
    deferPeriod: t.int({
      required: true,
      description:
        'How far to push the next payment: days (1-365) in production; minutes in the ONE store sandbox.',
    }),
  }),
});

builder.mutationField('deferSubscription', (t) =>
  t.field({
    type: SubscriptionChange,
    description:
      'Push the next payment date of a subscription (구독형) back. Monthly products cannot be deferred.',
    errors: { types: [...CHANGE_ERRORS] },
    args: { input: t.arg({ type: DeferSubscriptionInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const target = oneStoreTarget(ctx, input);
      if (!Number.isInteger(input.deferPeriod) || input.deferPeriod < 1 || input.deferPeriod > 365) {
        throw new InvalidInputError('input.deferPeriod', 'deferPeriod must be 1-365.');
      }
      const ref = {
        productId: target.productId,
        purchaseToken: target.purchaseToken,
        deferPeriod: input.deferPeriod,
      };
      await storeCall(() => target.one.client.deferSubscription(ref));
      forget(ctx, target);
      return { target, kind: 'SUBSCRIPTION' as const };
    },
  }),
);
