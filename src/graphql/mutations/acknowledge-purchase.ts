import { builder } from '../builder.js';
import { CHANGE_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import { inputSchema, ONE_STORE_REF, optionalText } from '../validate.js';
import { oneStoreIntent, recordPurchaseChange } from './change-events.js';
import { marketInputField, payloadRefInputFields } from './input-fields.js';
import { inputMutation } from './input-mutation.js';
import {
  forgetPurchase,
  type OneStoreTarget,
  oneStoreTarget,
  payloadRef,
  rereadPurchase,
  rereadSubscription,
} from './shared.js';

const AcknowledgePurchaseInput = builder.inputType('AcknowledgePurchaseInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    ...payloadRefInputFields(t),
    market: marketInputField(t),
  }),
});

const AcknowledgePurchaseSchema = inputSchema<typeof AcknowledgePurchaseInput.$inferInput>()({
  ...ONE_STORE_REF,
  developerPayload: optionalText('developerPayload'),
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

inputMutation('acknowledgePurchase', {
  type: AcknowledgePurchaseSuccess,
  description: 'ONE store acknowledgePurchase: a managed or monthly purchase. Acknowledging twice succeeds.',
  errors: CHANGE_ERRORS,
  input: AcknowledgePurchaseInput,
  resolve: async (input, ctx) => {
    const [target, { developerPayload }] = oneStoreTarget(
      ctx,
      input.app,
      AcknowledgePurchaseSchema,
      input,
      'input',
    );
    const ref = payloadRef(target, developerPayload);
    const change = await oneStoreIntent(ctx, 'PURCHASE_ACKNOWLEDGED', target);
    await change.through(() =>
      storeCall(() => change.call(() => target.one.client.acknowledgePurchase(ref, { scope: ctx.scope }))),
    );
    const observedAt = new Date();
    forgetPurchase(ctx, target);
    await recordPurchaseChange(ctx, change, target, observedAt);
    return target;
  },
});
