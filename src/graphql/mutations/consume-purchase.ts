import type { NhnCloudApp } from '../../entitlements/app-stores.js';
import type { Money } from '../../entitlements/records.js';
import { changeData } from '../../events/data.js';
import type { IntentTarget } from '../../redemption/change-intents.js';
import { isStoreError } from '../../stores/index.js';
import { authorize, nhnCloudOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  AlreadyConsumedError,
  CHANGE_ERRORS,
  DeveloperPayloadMismatchError,
  InvalidInputError,
} from '../errors/error-classes.js';
import { onestoreConsumeRefusal, toGatewayError } from '../errors/store-error-map.js';
import { MoneyType } from '../types/common.js';
import { PurchaseType, UnconsumedPurchasesType } from '../types/purchase.js';
import { inputSchema, ONE_STORE_REF, optionalText, text, validated } from '../validate.js';
import { oneStoreIntent, openChange, recordPurchaseChange } from './change-events.js';
import { consumedEarlier } from './consumed-earlier.js';
import { marketInputField, payloadRefInputFields } from './input-fields.js';
import { inputMutation } from './input-mutation.js';
import { forgetPurchase, type OneStoreTarget, oneStoreTarget, payloadRef, rereadPurchase } from './shared.js';
import { consumedAfterAll } from './uncertain-consume.js';

/** NHN Cloud resultCode ALREADY_CONSUMED (document 000). */
const ALREADY_CONSUMED = 5018;

const OneStoreConsumeInput = builder.inputType('OneStoreConsumeInput', {
  fields: (t) => ({
    ...payloadRefInputFields(t),
    market: marketInputField(t),
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
      description:
        'NHN Cloud: the consumed payment price; null when the store answered "already consumed" to this retry of an earlier consume of yours whose answer proved nothing (that consume went through).',
    }),
  }),
});

inputMutation('consumePurchase', {
  type: ConsumePurchaseSuccess,
  description: 'Consume a ONE store managed purchase or an NHN Cloud payment. Never retried by the gateway.',
  errors: CHANGE_ERRORS,
  input: ConsumePurchaseInput,
  resolve: async (input, ctx): Promise<Consumed> => {
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
      await consumeOneStore(ctx, target, developerPayload);
      return { target, price: null };
    }
    const nhnInput = input.nhncloud;
    if (!nhnInput) throw new InvalidInputError('input.nhncloud', 'input.nhncloud is required.');
    const nhn = nhnCloudOf(authorize(ctx, input.app, 'input.app'));
    const request = validated(NhnCloudConsumeSchema, nhnInput, 'input.nhncloud');
    return { target: null, price: await consumeNhn(ctx, input.app, nhn, request) };
  },
});

/**
 * A ONE store consume. The purchase is read first, through the request's loader (a document that
 * read it already pays nothing): consumed already, no consume is sent (AlreadyConsumedError, or
 * success when an earlier consume of the caller's may be what consumed it: consumed-earlier.ts).
 * That read is also what lets an answer that proves nothing be settled by the read after it:
 * unconsumed before and consumed after means this consume (a replayed token of a purchase consumed
 * yesterday never reaches the consume, so a 429 to it cannot be read as "consumed by you").
 */
async function consumeOneStore(
  ctx: GatewayContext,
  target: OneStoreTarget,
  developerPayload: string | undefined,
): Promise<void> {
  const ref = payloadRef(target, developerPayload);
  const call = { scope: ctx.scope };
  const details = { store: 'ONESTORE' as const };
  const same = (t: IntentTarget) =>
    t.store === 'ONESTORE' && t.market === target.one.market && t.productId === target.productId;
  const consumedBefore = (storeCode?: string) =>
    consumedEarlier(
      ctx,
      target.app,
      target.purchaseToken,
      same,
      async () => changeData.purchase(target.one.market, target.productId, await rereadPurchase(ctx, target)),
      storeCode === undefined ? details : { ...details, storeCode },
    );
  const before = await PurchaseType.getDataloader(ctx).load(target);
  if (before.consumptionState === 'CONSUMED') {
    if (developerPayload !== undefined && before.developerPayload !== developerPayload)
      throw new DeveloperPayloadMismatchError(
        'developerPayload differs from the one given at purchase time.',
        details,
      );
    // Read consumed: no store code said it, so none is given.
    await consumedBefore();
    return;
  }
  const change = await oneStoreIntent(ctx, 'PURCHASE_CONSUMED', target);
  const consumedBy = await change.through(async (): Promise<'this' | 'earlier'> => {
    try {
      await change.call(() => target.one.client.consumePurchase(ref, call));
    } catch (error) {
      if (isStoreError(error) && error.kind === 'StoreApiError' && error.code === 'InvalidConsumeState') {
        // Nothing changed; what the store has now decides between "already consumed" and "cannot".
        const refusal = await onestoreConsumeRefusal(
          error,
          async () => (await target.one.client.getPurchaseDetails(ref, call)).consumptionState === 1,
        );
        if (!(refusal instanceof AlreadyConsumedError)) throw refusal;
        forgetPurchase(ctx, target);
        await consumedBefore(error.code);
        return 'earlier';
      }
      if (!isStoreError(error) || error.kind !== 'UncertainOutcomeError') throw toGatewayError(error);
      // An answer that proves nothing: consumed after all (the read says so; unconsumed before)
      // goes on as a success; otherwise the intent stays open for the sweeper's read.
      await consumedAfterAll(error, () => target.one.client.getPurchaseDetails(ref, call));
    }
    return 'this';
  });
  if (consumedBy === 'earlier') return;
  const observedAt = new Date();
  forgetPurchase(ctx, target);
  await recordPurchaseChange(ctx, change, target, observedAt);
}

/**
 * An NHN Cloud consume; its price, or null when the store answered 5018 and an earlier consume of
 * the caller's may be what consumed it (consumed-earlier.ts).
 */
async function consumeNhn(
  ctx: GatewayContext,
  app: string,
  nhn: NhnCloudApp,
  request: { paymentSeq: string; itemSeq: string; purchaseToken: string },
): Promise<Money | null> {
  const change = await openChange(ctx, app, 'PURCHASE_CONSUMED', request.paymentSeq, {
    store: 'NHN_CLOUD',
    ...request,
  });
  const same = (t: IntentTarget) =>
    t.store === 'NHN_CLOUD' && t.itemSeq === request.itemSeq && t.purchaseToken === request.purchaseToken;
  const result = await change.through(async () => {
    try {
      return await change.call(() => nhn.client.consume(request, { scope: ctx.scope }));
    } catch (error) {
      if (!isStoreError(error) || error.kind !== 'StoreApiError' || error.resultCode !== ALREADY_CONSUMED)
        throw toGatewayError(error);
      await consumedEarlier(
        ctx,
        app,
        request.paymentSeq,
        same,
        async () => changeData.nhnConsume(request.paymentSeq, request.itemSeq, null),
        { store: 'NHN_CLOUD', storeCode: String(ALREADY_CONSUMED) },
      );
      return null;
    }
  });
  const observedAt = new Date();
  UnconsumedPurchasesType.getDataloader(ctx).clearAll();
  if (result === null) return null;
  const price = { amount: result.price, amountMicros: null, currency: result.currency };
  await change.nhnConsumed(observedAt, request.paymentSeq, request.itemSeq, price);
  return price;
}
