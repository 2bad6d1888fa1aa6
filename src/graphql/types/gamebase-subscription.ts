import type { ObjectFieldBuilder } from '@pothos/core';
import { z } from 'zod';
import type { GamebaseApp } from '../../entitlements/app-stores.js';
import { gamebase } from '../../stores/index.js';
import { authorize, gamebaseOf } from '../authorize.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS, NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { loadableType, mapLimited } from '../request-loader.js';
import { text, validated } from '../validate.js';
import { MoneyType } from './common.js';
import { GamebaseStoreCodeEnum } from './gamebase-payment.js';
import { loadStatuses, type StatusKey } from './gamebase-subscription-status.js';

/**
 * Gamebase subscriptions as the server API v1.3 answers them (List Active Subscriptions, Get
 * Subscriptions Status: TOAST-DOCS/Gamebase api-guide.md, "Purchase(IAP)"). The store's records are
 * exposed as they are, every documented field on the type; docs/gamebase-subscriptions.md says what each field is and what the guide leaves unsaid.
 */

export const GamebaseReferenceStatusEnum = builder.enumType('GamebaseReferenceStatus', {
  description:
    'The guide\'s Store Reference Status (Google In-App only); a code it does not list reads NOT_APPOINTED, its "no corresponding condition".',
  values: gamebase.GAMEBASE_REFERENCE_STATUSES,
});

const GamebaseInactiveStatusEnum = builder.enumType('GamebaseInactiveGoogleStatus', {
  description:
    'Inactive Google subscription states List Active Subscriptions can add; the guide supports ON_HOLD only.',
  values: gamebase.GAMEBASE_INACTIVE_GOOGLE_STATUSES,
});

const GamebaseProductTypeEnum = builder.enumType('GamebaseProductType', {
  values: gamebase.GAMEBASE_PRODUCT_TYPES,
});

type Active = gamebase.ActiveSubscription;
type Status = gamebase.SubscriptionStatus;
type Shared = Active | Status;

type FieldBuilder<T> = ObjectFieldBuilder<typeof builder.$inferSchemaTypes, T>;

const time = (ms: number | null) => (ms === null ? null : new Date(ms));

/** The fields both calls answer, with the guide's descriptions. */
const sharedFields = (t: FieldBuilder<Shared>) => ({
  userId: t.exposeString('userId'),
  paymentSeq: t.exposeString('paymentSeq', { description: "Gamebase's payment number." }),
  purchaseToken: t.exposeString('accessToken', {
    description: "The payment's token (the API's accessToken, the SDK's purchaseToken).",
  }),
  paymentId: t.exposeString('paymentId', {
    nullable: true,
    description: "The store's payment id of the latest period: it changes at every renewal.",
  }),
  originalPaymentId: t.exposeString('originalPaymentId', {
    nullable: true,
    description: "The store's payment id of the first period (may be absent, depending on the store).",
  }),
  purchasedAt: t.field({
    type: 'DateTime',
    description: 'purchaseTime ("recent updated time"): when the latest period was paid, in UTC.',
    resolve: (s) => new Date(s.purchaseTimeMs),
  }),
  expiresAt: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'expiryTime, in UTC.',
    resolve: (s) => time(s.expiryTimeMs),
  }),
  renewedAt: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'renewTime ("when RENEWED/RECOVERED occurred"), in UTC; null when not given.',
    resolve: (s) => time(s.renewTimeMs),
  }),
  referenceStatus: t.field({
    type: GamebaseReferenceStatusEnum,
    nullable: true,
    description: 'referenceStatus; Gamebase gives it for Google Play only (null elsewhere).',
    resolve: (s) => s.referenceStatus,
  }),
  referenceStatusCode: t.exposeString('referenceStatusText', {
    nullable: true,
    description: 'referenceStatus as Gamebase wrote it (a code newer than the enum stays readable).',
  }),
});

export const GamebaseSubscriptionType = builder.objectRef<Active>('GamebaseSubscription').implement({
  description: 'A Gamebase subscription with access now (List Active Subscriptions), as its latest period.',
  fields: (t) => ({
    ...sharedFields(t as unknown as FieldBuilder<Shared>),
    storeCode: t.exposeString('marketId', {
      description: 'The store code (GG, AS, ONESTORE, ...), as text.',
    }),
    productSeq: t.exposeString('productSeq', { nullable: true }),
    productId: t.exposeString('productId', { nullable: true, description: "The store's product id." }),
    productType: t.field({ type: GamebaseProductTypeEnum, resolve: (s) => s.productType }),
    gamebaseProductId: t.exposeString('gamebaseProductId', { nullable: true }),
    linkedPaymentId: t.exposeString('linkedPaymentId', {
      nullable: true,
      description: "The original transaction's payment id after a cancel and repurchase (Google Play only).",
    }),
    price: t.field({
      type: MoneyType,
      resolve: (s) => ({ amount: s.price, amountMicros: null, currency: s.currency }),
    }),
    payload: t.exposeString('payload', { nullable: true }),
    isTestPurchase: t.exposeBoolean('isTestPurchase', { nullable: true }),
  }),
});

export const GamebaseSubscriptionStatusType = loadableType<StatusKey, Status>('GamebaseSubscriptionStatus', {
  load: loadStatuses,
  cacheKeyFn: (k) => JSON.stringify([k.app, k.paymentSeq, k.purchaseToken]),
});

builder.objectType(GamebaseSubscriptionStatusType, {
  description:
    "A Gamebase subscription's state now, whatever it is (Get Subscriptions Status): expired and revoked ones too.",
  fields: (t) => sharedFields(t as unknown as FieldBuilder<Shared>),
});

/** A status as a lifecycle event keeps it (GatewayEvent.gamebaseSubscription): no loader, the event holds it. */
export const GamebaseSubscriptionReadType = builder.objectRef<Status>('GamebaseSubscriptionRead').implement({
  description:
    'A Get Subscriptions Status answer as the subscription scheduler read it (lifecycle events of a tracked Gamebase subscription).',
  fields: (t) => sharedFields(t as unknown as FieldBuilder<Shared>),
});

interface ListKey {
  readonly app: string;
  readonly gb: GamebaseApp;
  readonly userId: string;
  readonly packageName: string;
  readonly marketIds: readonly gamebase.GamebaseStoreCode[] | undefined;
  readonly inactive: readonly gamebase.GamebaseInactiveGoogleStatus[] | undefined;
}

/** One user's active list per (app, user, package, stores, hold): one upstream call each per request. */
export const GamebaseSubscriptionsType = loadableType<ListKey, { subscriptions: Active[] }>(
  'GamebaseSubscriptions',
  {
    load: (keys, ctx) =>
      mapLimited(keys, ctx.upstreamConcurrency, async (k) => {
        const subscriptions = await storeCall(() =>
          k.gb.client.activeSubscriptions(
            {
              userId: k.userId,
              packageName: k.packageName,
              ...(k.marketIds !== undefined && { marketIds: k.marketIds }),
              ...(k.inactive !== undefined && { includeInactiveGoogleStatuses: k.inactive }),
            },
            { scope: ctx.scope },
          ),
        );
        return { subscriptions };
      }),
    cacheKeyFn: (k) =>
      JSON.stringify([k.app, k.userId, k.packageName, k.marketIds ?? null, k.inactive ?? null]),
  },
);

builder.objectType(GamebaseSubscriptionsType, {
  description: "A user's Gamebase subscriptions with access now, newest period first.",
  fields: (t) => ({ subscriptions: t.expose('subscriptions', { type: [GamebaseSubscriptionType] }) }),
});

const ListArgs = z.object({ userId: text('gamebaseUserId'), packageName: text('gamebasePackageName') });
const StatusArgs = z.object({ paymentSeq: text('sequence'), purchaseToken: text('gamebaseToken') });

builder.queryFields((t) => ({
  gamebaseSubscriptions: t.field({
    type: GamebaseSubscriptionsType,
    description:
      'Gamebase subscriptions of one user with access now (List Active Subscriptions, POST /tcgb-inapp/v1.3/apps/{appId}/active-subscriptions).',
    // A list has no "no such subscription": an empty list is the answer.
    errors: { types: LOOKUP_ERRORS.filter((error) => error !== NotFoundError) },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      userId: t.arg.string({ required: true, description: 'The Gamebase user id, e.g. QXG774PMRZMWR3BR.' }),
      packageName: t.arg.string({
        required: true,
        description: 'The store app id registered in the Gamebase console (required by Gamebase).',
      }),
      storeCodes: t.arg({
        type: [GamebaseStoreCodeEnum],
        required: false,
        description: 'Stores to look in. Default: every store.',
      }),
      includeInactiveStatuses: t.arg({
        type: [GamebaseInactiveStatusEnum],
        required: false,
        description:
          "Inactive Google states to list as well (the API's includeInactiveGoogleStatuses); default none.",
      }),
    },
    resolve: (_root, args, ctx) => {
      const gb = gamebaseOf(authorize(ctx, args.app));
      const { userId, packageName } = validated(ListArgs, args);
      // An empty list means every store upstream, like none: send none rather than rely on it.
      const codes = args.storeCodes?.length ? [...new Set(args.storeCodes)].sort() : undefined;
      return GamebaseSubscriptionsType.getDataloader(ctx).load({
        app: args.app,
        gb,
        userId,
        packageName,
        marketIds: codes,
        inactive: args.includeInactiveStatuses?.length
          ? [...new Set(args.includeInactiveStatuses)].sort()
          : undefined,
      });
    },
  }),
  gamebaseSubscriptionStatus: t.field({
    type: GamebaseSubscriptionStatusType,
    description:
      "A Gamebase subscription's state now, by one of its payments (Get Subscriptions Status; up to 10 per upstream call, batched per request).",
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      paymentSeq: t.arg.string({ required: true }),
      purchaseToken: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) => {
      const gb = gamebaseOf(authorize(ctx, args.app));
      const ref = validated(StatusArgs, args);
      return GamebaseSubscriptionStatusType.getDataloader(ctx).load({ app: args.app, gb, ...ref });
    },
  }),
}));
