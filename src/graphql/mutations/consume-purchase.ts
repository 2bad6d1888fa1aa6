import type { Money } from '../../entitlements/records.js';
import { isStoreError } from '../../stores/index.js';
import { authorize, nhnCloudOf } from '../authorize.js';
import { builder } from '../builder.js';
import { CHANGE_ERRORS, InvalidInputError } from '../errors/error-classes.js';
import { onestoreConsumeRefusal, storeCall, toGatewayError } from '../errors/store-error-map.js';
import { MoneyType } from '../types/common.js';
import { MarketEnum } from '../types/enums.js';
import { MARKET_ARG, PurchaseType, unconsumedLoader } from '../types/purchase.js';
import { inputSchema, ONE_STORE_REF, optionalText, text, validated } from '../validate.js';
import {
  GatewayChange,
  oneStoreIntent,
  recordNhnConsume,
  recordPurchaseChange,
  throughIntent,
} from './change-events.js';
import { forgetPurchase, type OneStoreTarget, oneStoreTarget, payloadRef, rereadPurchase } from './shared.js';
import { consumedAfterAll } from './uncertain-consume.js';

const OneStoreConsumeInput = builder.inputType('OneStoreConsumeInput', {
  fields: (t) => ({
    productId: t.string({ required: true }),
    purchaseToken: t.string({ required: true }),
    developerPayload: t.string({
      required: false,
      description: 'When given, must match the purchase (max 200).',
    }),
    market: t.field({ type: MarketEnum, required: false, description: MARKET_ARG }),
  }),
});

/** An NHN Cloud payment to consume (also what `redeemPurchase` takes for NHN Cloud). */
export const NhnCloudConsumeInput = builder.inputType('NhnCloudConsumeInput', {
  fields: (t) => ({
    paymentSeq: t.string({ required: true }),
    itemSeq: t.string({ required: true }),
    purchaseToken: t.string({ required: true }),
  }),
});

/** The NHN Cloud payment triple, checked alike by consumePurchase and redeemPurchase. */
export const NhnCloudConsumeSchema = inputSchema<typeof NhnCloudConsumeInput.$inferInput>()({
  paymentSeq: text('sequence'),
  itemSeq: text('sequence'),
  purchaseToken: text('nhnPurchaseToken'),
});

type OneStoreConsume = typeof OneStoreConsumeInput.$inferInput;
const OneStoreConsumeSchema = inputSchema<OneStoreConsume>()({
  ...ONE_STORE_REF,
  developerPayload: optionalText('developerPayload'),
});

const ConsumePurchaseInput = builder.inputType('ConsumePurchaseInput', {
  description: 'Give exactly one of onestore and nhncloud.',
  fields: (t) => ({
    app: t.string({ required: true }),
    onestore: t.field({ type: OneStoreConsumeInput, required: false }),
    nhncloud: t.field({ type: NhnCloudConsumeInput, required: false }),
  }),
});

interface Consumed {
  target: OneStoreTarget | null;
  price: Money | null;
}

const ConsumePurchaseSuccess = builder.objectRef<Consumed>('ConsumePurchaseSuccess').implement({
  description: 'Consumed: deliver the item now if not done yet; the store will not list it again.',
  fields: (t) => ({
    purchase: t.field({
      type: PurchaseType,
      nullable: true,
      description: 'ONE store: the purchase read again. Null for NHN Cloud, which has no read-back call.',
      resolve: (c, _args, ctx) => (c.target ? rereadPurchase(ctx, c.target) : null),
    }),
    price: t.expose('price', {
      type: MoneyType,
      nullable: true,
      description: 'NHN Cloud: the consumed payment price.',
    }),
  }),
});

builder.mutationField('consumePurchase', (t) =>
  t.field({
    type: ConsumePurchaseSuccess,
    description:
      'Consume a ONE store managed purchase or an NHN Cloud payment. Never retried by the gateway.',
    errors: { types: [...CHANGE_ERRORS] },
    authScopes: { write: true },
    args: { input: t.arg({ type: ConsumePurchaseInput, required: true }) },
    resolve: async (_root, { input }, ctx): Promise<Consumed> => {
      if (Boolean(input.onestore) === Boolean(input.nhncloud)) {
        throw new InvalidInputError('input', 'Give exactly one of input.onestore and input.nhncloud.');
      }
      if (input.onestore) {
        const [target, { developerPayload }] = oneStoreTarget(
          ctx,
          input.app,
          OneStoreConsumeSchema,
          input.onestore,
          'input.onestore',
        );
        const ref = payloadRef(target, developerPayload);
        const call = { scope: ctx.scope };
        const change = await oneStoreIntent(ctx, 'PURCHASE_CONSUMED', target);
        await throughIntent(change, async () => {
          try {
            await change.call(() => target.one.client.consumePurchase(ref, call));
          } catch (error) {
            if (
              isStoreError(error) &&
              error.kind === 'StoreApiError' &&
              error.code === 'InvalidConsumeState'
            ) {
              // Nothing changed; what the store has now decides between "already consumed" and "cannot".
              throw await onestoreConsumeRefusal(
                error,
                async () => (await target.one.client.getPurchaseDetails(ref, call)).consumptionState === 1,
              );
            }
            if (!isStoreError(error) || error.kind !== 'UncertainOutcomeError') throw toGatewayError(error);
            // An answer that proves nothing: consumed after all (the read says so) goes on as a
            // success; otherwise the intent stays open for the sweeper's read.
            await consumedAfterAll(error, () => target.one.client.getPurchaseDetails(ref, call));
          }
        });
        const observedAt = new Date();
        forgetPurchase(ctx, target);
        await recordPurchaseChange(ctx, change, target, observedAt);
        return { target, price: null };
      }
      const nhnInput = input.nhncloud;
      if (!nhnInput) throw new InvalidInputError('input.nhncloud', 'input.nhncloud is required.');
      const nhn = nhnCloudOf(authorize(ctx, input.app, 'input.app'));
      const request = validated(NhnCloudConsumeSchema, nhnInput, 'input.nhncloud');
      const change = await GatewayChange.open(ctx, input.app, 'PURCHASE_CONSUMED', request.paymentSeq, {
        store: 'NHN_CLOUD',
        ...request,
      });
      const result = await throughIntent(change, () =>
        storeCall(() => change.call(() => nhn.client.consume(request, { scope: ctx.scope }))),
      );
      const observedAt = new Date();
      unconsumedLoader(ctx).clearAll();
      const price = { amount: result.price, amountMicros: null, currency: result.currency };
      await recordNhnConsume(change, request, price, observedAt);
      return { target: null, price };
    },
  }),
);
