import type { OneStoreApp } from '../../entitlements/app-stores.js';
import type { PurchaseRecord, SubscriptionRecord } from '../../entitlements/records.js';
import type { onestore } from '../../stores/index.js';
import { authorize, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { purchaseKey, subscriptionKey } from '../loaders.js';
import { SubscriptionKindEnum } from '../types/enums.js';
import { PurchaseType } from '../types/purchase.js';
import { SubscriptionType } from '../types/subscription.js';
import { check, checkOptional } from '../validate.js';

/** What a ONE store mutation acts on, checked at the edge. */
export interface OneStoreTarget {
  app: string;
  one: OneStoreApp;
  productId: string;
  purchaseToken: string;
}

export function oneStoreTarget(
  ctx: GatewayContext,
  input: { app: string; productId: string; purchaseToken: string },
): OneStoreTarget {
  const one = oneStoreOf(authorize(ctx, input.app, 'write'));
  return {
    app: input.app,
    one,
    productId: check('input.productId', input.productId, 'productId'),
    purchaseToken: check('input.purchaseToken', input.purchaseToken, 'purchaseToken'),
  };
}

/** The store call's purchase reference, with the developerPayload checked at the edge when given. */
export function payloadRef(
  t: OneStoreTarget,
  field: string,
  developerPayload: string | null | undefined,
): onestore.PayloadRef {
  const payload = checkOptional(field, developerPayload, 'developerPayload');
  return {
    productId: t.productId,
    purchaseToken: t.purchaseToken,
    ...(payload !== undefined && { developerPayload: payload }),
  };
}

const SUBSCRIPTION_KINDS = ['', 'MONTHLY', 'SUBSCRIPTION'] as const;

/** A read after a mutation in the same request must see the change, not the loader's cached copy. */
export function forget(ctx: GatewayContext, t: OneStoreTarget): void {
  PurchaseType.getDataloader(ctx).clear(purchaseKey(t.app, t.productId, t.purchaseToken));
  const subscriptions = SubscriptionType.getDataloader(ctx);
  for (const kind of SUBSCRIPTION_KINDS)
    subscriptions.clear(subscriptionKey(t.app, t.productId, t.purchaseToken, kind || null));
}

/** Re-reads for success payloads: the change already happened, so a failed re-read is null, not an error. */
export async function reread<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch {
    return null;
  }
}

export const rereadPurchase = (ctx: GatewayContext, t: OneStoreTarget): Promise<PurchaseRecord | null> =>
  reread(() => PurchaseType.getDataloader(ctx).load(purchaseKey(t.app, t.productId, t.purchaseToken)));

export const rereadSubscription = (
  ctx: GatewayContext,
  t: OneStoreTarget,
  kind: string,
): Promise<SubscriptionRecord | null> =>
  reread(() =>
    SubscriptionType.getDataloader(ctx).load(subscriptionKey(t.app, t.productId, t.purchaseToken, kind)),
  );

export type SubscriptionKind = 'MONTHLY' | 'SUBSCRIPTION';

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
    productId: t.string({ required: true }),
    purchaseToken: t.string({ required: true }),
    kind: t.field({ type: SubscriptionKindEnum, required: false, description: 'Saves a call when known.' }),
  }),
});
