import { z } from 'zod';
import { gamebase } from '../../stores/index.js';
import { authorize, gamebaseOf } from '../authorize.js';
import { builder } from '../builder.js';
import { LOOKUP_ERRORS, NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { text, validated } from '../validate.js';
import { MoneyType } from './common.js';

/**
 * A Gamebase payment as List Consumables answers it. The store's record is exposed as it is: no
 * domain record in entitlements/ exists for Gamebase payments, and this one needs no rule applied
 * (an unconsumed payment is one to deliver, then consume).
 */
type Payment = gamebase.ConsumablePayment;

/**
 * Store codes of the API guide's "Store Code" table: the six of the Android guide (document 004:
 * GG, ONESTORE, GALAXY, AMAZON, HUAWEI, MYCARD) and AS, the App Store of the iOS SDK.
 */
export const GamebaseStoreCodeEnum = builder.enumType('GamebaseStoreCode', {
  values: gamebase.GAMEBASE_STORE_CODES,
});

export const GamebasePaymentType = builder.objectRef<Payment>('GamebasePayment').implement({
  description: 'A Gamebase payment, paid and not consumed yet: deliver it, then redeem or consume it.',
  fields: (t) => ({
    paymentSeq: t.exposeString('paymentSeq', { description: "Gamebase's payment number." }),
    purchaseToken: t.exposeString('accessToken', {
      description:
        "The payment token (the SDK's purchaseToken, the API's accessToken): give it with paymentSeq to redeemPurchase.",
    }),
    storeCode: t.exposeString('marketId', {
      description:
        'The store the payment was made in (GG, ONESTORE, ...); text, so a new store still answers.',
    }),
    gamebaseProductId: t.exposeString('gamebaseProductId', { nullable: true }),
    productSeq: t.exposeString('productSeq', { nullable: true }),
    paymentId: t.exposeString('paymentId', {
      nullable: true,
      description: "The underlying store's payment id (e.g. GPA.1111-2222-3333-44444).",
    }),
    price: t.field({
      type: MoneyType,
      resolve: (p) => ({ amount: p.price, amountMicros: null, currency: p.currency }),
    }),
    purchasedAt: t.field({
      type: 'DateTime',
      description: 'purchaseTime in UTC (Gamebase writes it in ISO 8601 with its offset, e.g. +09:00).',
      resolve: (p) => new Date(p.purchaseTimeMs),
    }),
    payload: t.exposeString('payload', { nullable: true, description: 'What the game client gave the SDK.' }),
    isTestPurchase: t.exposeBoolean('isTestPurchase', { nullable: true }),
  }),
});

const UnconsumedGamebasePayments = builder
  .objectRef<{ payments: readonly (typeof GamebasePaymentType.$inferType)[] }>('UnconsumedGamebasePayments')
  .implement({
    description:
      "A user's Gamebase payments that are paid but not consumed, newest first (the retry flow's server side).",
    fields: (t) => ({ payments: t.expose('payments', { type: [GamebasePaymentType] }) }),
  });

const GamebaseUserArgs = z.object({ userId: text('gamebaseUserId') });

builder.queryFields((t) => ({
  unconsumedGamebasePayments: t.field({
    type: UnconsumedGamebasePayments,
    description:
      'Gamebase payments of one user not consumed yet (List Consumables, POST /tcgb-inapp/v1.3/apps/{appId}/consumable).',
    // A list has no "no such payment": an empty list is the answer. Gamebase's 1100 on it is bad input.
    errors: { types: LOOKUP_ERRORS.filter((error) => error !== NotFoundError) },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      userId: t.arg.string({
        required: true,
        description: 'The Gamebase user id, e.g. AS@123456ABCDEFGHIJ.',
      }),
      storeCodes: t.arg({
        type: [GamebaseStoreCodeEnum],
        required: false,
        description:
          'Stores to look in. Default: every store but AMAZON (Gamebase lists AMAZON only when named).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const gb = gamebaseOf(authorize(ctx, args.app));
      const { userId } = validated(GamebaseUserArgs, args);
      // An empty list would mean "every store" upstream, like none: send none rather than rely on it.
      const codes = args.storeCodes?.length ? [...new Set(args.storeCodes)] : undefined;
      const payments = await storeCall(() =>
        gb.client.listConsumables(
          { userId, ...(codes !== undefined && { marketIds: codes }) },
          { scope: ctx.scope },
        ),
      );
      return { payments };
    },
  }),
}));
