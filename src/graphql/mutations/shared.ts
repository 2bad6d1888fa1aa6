import type { z } from 'zod';
import type {
  Market,
  PurchaseRecord,
  SubscriptionKind,
  SubscriptionRecord,
} from '../../entitlements/records.js';
import type { onestore } from '../../stores/index.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { SubscriptionKindEnum } from '../types/enums.js';
import { type PurchaseKey, PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import { inputSchema, ONE_STORE_REF, validated } from '../validate.js';
import { marketInputField, purchaseRefInputFields } from './input-fields.js';

/** What a ONE store mutation acts on: the authorized app's ONE store and the checked reference. */
export type OneStoreTarget = PurchaseKey;

/**
 * A ONE store mutation's target: the app (every mutation's `input.app`) authorized for it (once,
 * here), then `input` checked against `schema` under the path `at`. Returns the target and the checked input, whose other
 * fields (developerPayload, deferPeriod) the mutation uses.
 */
export function oneStoreTarget<S extends z.ZodType<{ productId: string; purchaseToken: string }>>(
  ctx: GatewayContext,
  app: string,
  schema: S,
  input: { readonly market?: Market | null | undefined },
  at: string,
): [OneStoreTarget, z.output<S>] {
  const one = oneStoreOf(authorize(ctx, app, 'input.app'), input.market, `${at}.market`);
  const checked = validated(schema, input, at);
  return [{ app, one, productId: checked.productId, purchaseToken: checked.purchaseToken }, checked];
}

/** The store call's purchase reference, with the developerPayload when given. */
export function payloadRef(t: OneStoreTarget, developerPayload: string | undefined): onestore.PayloadRef {
  return {
    productId: t.productId,
    purchaseToken: t.purchaseToken,
    ...(developerPayload !== undefined && { developerPayload }),
  };
}

/** Re-reads for success payloads: the change already happened, so a failed re-read is null, not an error. */
export async function reread<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch {
    return null;
  }
}

/** Every kind a subscription key can carry besides null; fails to compile when SubscriptionKind grows. */
const KINDS = { MONTHLY: 'MONTHLY', SUBSCRIPTION: 'SUBSCRIPTION' } as const satisfies {
  [K in SubscriptionKind]: K;
};

/**
 * Drops every cached read of one ONE store purchase (as a purchase, and as a subscription under
 * each kind), so a read after a change in the same request asks the store again.
 */
export function forgetPurchase(ctx: GatewayContext, key: PurchaseKey): void {
  PurchaseType.getDataloader(ctx).clear(key);
  const subscriptions = SubscriptionType.getDataloader(ctx);
  for (const kind of [null, ...Object.values(KINDS)]) subscriptions.clear({ ...key, kind });
}

export const rereadPurchase = (ctx: GatewayContext, t: OneStoreTarget): Promise<PurchaseRecord | null> =>
  reread(() => PurchaseType.getDataloader(ctx).load(t));

export const rereadSubscription = (
  ctx: GatewayContext,
  t: OneStoreTarget,
  kind: SubscriptionKind,
): Promise<SubscriptionRecord | null> =>
  reread(() => SubscriptionType.getDataloader(ctx).load({ ...t, kind }));

/**
 * Runs the subscription form of a change, or the monthly one. Without a kind it tries the
 * subscription endpoint first and the monthly one only when the store answered NoSuchData:
 * that answer means nothing was changed, so asking the other endpoint is safe.
 */
export async function onSubscriptionKind(
  kind: SubscriptionKind | null | undefined,
  run: { SUBSCRIPTION: () => Promise<unknown>; MONTHLY: () => Promise<unknown> },
): Promise<SubscriptionKind> {
  if (kind) {
    await storeCall(run[kind]);
    return kind;
  }
  try {
    await storeCall(run.SUBSCRIPTION);
    return 'SUBSCRIPTION';
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  await storeCall(run.MONTHLY);
  return 'MONTHLY';
}

/** Payload of the three subscription mutations: which kind it was, and the subscription re-read. */
export const SubscriptionChange = builder
  .objectRef<{ target: OneStoreTarget; kind: SubscriptionKind }>('SubscriptionChange')
  .implement({
    description: 'The change was accepted by the store.',
    fields: (t) => ({
      kind: t.field({ type: SubscriptionKindEnum, resolve: (c) => c.kind }),
      subscription: t.field({
        type: SubscriptionType,
        nullable: true,
        description: 'Read again after the change; null if that read failed (the change itself succeeded).',
        resolve: (c, _args, ctx) => rereadSubscription(ctx, c.target, c.kind),
      }),
    }),
  });

export const subscriptionInputFields = builder.inputType('SubscriptionTargetInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    ...purchaseRefInputFields(t),
    kind: t.field({ type: SubscriptionKindEnum, required: false, description: 'Saves a call when known.' }),
    market: marketInputField(t),
  }),
});

export const SubscriptionTargetSchema =
  inputSchema<typeof subscriptionInputFields.$inferInput>()(ONE_STORE_REF);
