import { z } from 'zod';
import type { onestore } from '../../stores/index.js';
import { builder } from '../builder.js';
import { CHANGE_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { SubscriptionType } from '../types/subscription.js';
import { inputSchema, ONE_STORE_REF } from '../validate.js';
import { oneStoreIntent, recordSubscriptionChange } from './change-events.js';
import { marketInputField, purchaseRefInputFields } from './input-fields.js';
import { inputMutation } from './input-mutation.js';
import {
  forgetPurchase,
  oneStoreTarget,
  onSubscriptionKind,
  SubscriptionChange,
  SubscriptionTargetSchema,
  subscriptionInputFields,
} from './shared.js';

type Call = (
  client: onestore.OneStoreClient,
  ref: onestore.PurchaseRef,
  call: onestore.CallOptions,
) => Promise<unknown>;

/**
 * A change that exists for subscriptions (구독형) and for monthly products (월정액) alike, under
 * different endpoints; the caller's `kind` picks one, or the subscription one is tried first.
 */
function defineBothKinds(
  name: string,
  event: 'SUBSCRIPTION_CANCELLED' | 'SUBSCRIPTION_REACTIVATED',
  description: string,
  subscription: Call,
  monthly: Call,
): void {
  inputMutation(name, {
    type: SubscriptionChange,
    description,
    errors: CHANGE_ERRORS,
    input: subscriptionInputFields,
    resolve: async (input, ctx) => {
      const [target] = oneStoreTarget(ctx, input.app, SubscriptionTargetSchema, input, 'input');
      const ref = { productId: target.productId, purchaseToken: target.purchaseToken };
      const change = await oneStoreIntent(ctx, event, target, { kind: input.kind ?? null });
      const kind = await change.through(() =>
        onSubscriptionKind(input.kind, {
          SUBSCRIPTION: () => change.call(() => subscription(target.one.client, ref, { scope: ctx.scope })),
          MONTHLY: () => change.call(() => monthly(target.one.client, ref, { scope: ctx.scope })),
        }),
      );
      const observedAt = new Date();
      forgetPurchase(ctx, target);
      await recordSubscriptionChange(ctx, change, target, kind, observedAt);
      return { target, kind };
    },
  });
}

defineBothKinds(
  'cancelSubscription',
  'SUBSCRIPTION_CANCELLED',
  'Stop renewal. Usable until it expires; a paused, grace or on-hold subscription is cancelled at once.',
  (client, ref, call) => client.cancelSubscription(ref, call),
  (client, ref, call) => client.cancelRecurringPurchase(ref, call),
);

defineBothKinds(
  'reactivateSubscription',
  'SUBSCRIPTION_REACTIVATED',
  'Undo a reserved cancellation. An immediate cancellation cannot be undone.',
  (client, ref, call) => client.reactivateSubscription(ref, call),
  (client, ref, call) => client.reactivateRecurringPurchase(ref, call),
);

const DeferSubscriptionInput = builder.inputType('DeferSubscriptionInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    ...purchaseRefInputFields(t),
    deferPeriod: t.int({
      required: true,
      description:
        'How far to push the next payment: days (1-365) in production; minutes in the ONE store sandbox.',
    }),
    market: marketInputField(t),
  }),
});

const DEFER_PERIOD = 'deferPeriod must be 1-365.';
const DeferSubscriptionSchema = inputSchema<typeof DeferSubscriptionInput.$inferInput>()({
  ...ONE_STORE_REF,
  deferPeriod: z.int(DEFER_PERIOD).min(1, DEFER_PERIOD).max(365, DEFER_PERIOD),
});

inputMutation('deferSubscription', {
  type: SubscriptionChange,
  description:
    'Push the next payment date of a subscription (구독형) back. Monthly products cannot be deferred.',
  errors: CHANGE_ERRORS,
  input: DeferSubscriptionInput,
  resolve: async (input, ctx) => {
    const [target, { deferPeriod }] = oneStoreTarget(ctx, input.app, DeferSubscriptionSchema, input, 'input');
    const ref = { productId: target.productId, purchaseToken: target.purchaseToken, deferPeriod };
    // The expiry before: after a crash, a read proves the deferral only by an expiry past it.
    // A failed read is the answer, before anything is changed.
    const before = await SubscriptionType.getDataloader(ctx).load({ ...target, kind: 'SUBSCRIPTION' });
    const change = await oneStoreIntent(ctx, 'SUBSCRIPTION_DEFERRED', target, {
      kind: 'SUBSCRIPTION',
      expiresBefore: before.expiresAt.toISOString(),
    });
    await change.through(() =>
      storeCall(() => change.call(() => target.one.client.deferSubscription(ref, { scope: ctx.scope }))),
    );
    const observedAt = new Date();
    forgetPurchase(ctx, target);
    await recordSubscriptionChange(ctx, change, target, 'SUBSCRIPTION', observedAt);
    return { target, kind: 'SUBSCRIPTION' as const };
  },
});
