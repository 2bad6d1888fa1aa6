import type { AppStores } from '../../entitlements/app-stores.js';
import type { PurchaseRecord, SubscriptionRecord } from '../../entitlements/records.js';
import { STORES, type StoreId } from '../../vocabulary/stores.js';
import { authorize, nhnCloudOf, oneStoreOf } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import {
  ForbiddenError,
  GatewayError,
  InvalidInputError,
  LOOKUP_ERRORS,
  NotFoundError,
  RateLimitedError,
  StoreAccessDeniedError,
  StoreProtocolError,
  StoreUnavailableError,
} from '../errors/error-classes.js';
import { inputSchema, ONE_STORE_REF, optionalText, text, validated } from '../validate.js';
import { EntitlementType } from './common.js';
import { MarketEnum, StoreEnum } from './enums.js';
import { MARKET_ARG, PurchaseType, UnconsumedPurchasesType } from './purchase.js';
import { SubscriptionType } from './subscription.js';

/** Most checks in one call (`limits.maxChecks` can only lower it); a game backend with more sends several. */
export const MAX_CHECKS = 100;

type Found = PurchaseRecord | SubscriptionRecord;
type LookupError = InstanceType<(typeof LOOKUP_ERRORS)[number]>;
type Outcome = Found | LookupError;

const isLookupError = (e: GatewayError): e is LookupError => LOOKUP_ERRORS.some((cls) => e instanceof cls);

const EntitlementKindEnum = builder.enumType('EntitlementKind', {
  values: {
    PURCHASE: { description: 'A ONE store managed product or an NHN Cloud payment (default).' },
    SUBSCRIPTION: { description: 'A ONE store subscription or monthly product.' },
  },
});

const EntitlementCheckInput = builder.inputType('EntitlementCheckInput', {
  description: 'ONE store: productId + purchaseToken. NHN Cloud: paymentSeq + purchaseToken + userKey.',
  fields: (t) => ({
    store: t.field({ type: StoreEnum, required: true }),
    kind: t.field({ type: EntitlementKindEnum, required: false, description: 'Default PURCHASE.' }),
    productId: t.string({ required: false }),
    purchaseToken: t.string({ required: true }),
    paymentSeq: t.string({ required: false }),
    userKey: t.string({ required: false }),
    userChannel: t.string({ required: false, description: 'NHN Cloud user channel; default "GF".' }),
    market: t.field({ type: MarketEnum, required: false, description: `ONE store only. ${MARKET_ARG}` }),
  }),
});

type Input = typeof EntitlementCheckInput.$inferInput;

/** What each store needs of an entry; errors name `checks.<index>.<field>`. */
const OneStoreCheckSchema = inputSchema<Input>()(ONE_STORE_REF);
const NhnCloudCheckSchema = inputSchema<Input>()({
  paymentSeq: text('sequence'),
  purchaseToken: text('nhnPurchaseToken'),
  userKey: text('userKey'),
  userChannel: optionalText('userChannel'),
});

interface CheckSource {
  index: number;
  kind: 'PURCHASE' | 'SUBSCRIPTION';
  store: StoreId;
  productId: string | null;
  paymentSeq: string | null;
  outcome: Promise<Outcome>;
}

const settle = (work: () => Promise<Found>): Promise<Outcome> =>
  work().catch((error: unknown) => {
    if (!(error instanceof GatewayError)) throw error;
    // A read answered with a state-change code would be off-protocol: say so rather than guess.
    return isLookupError(error)
      ? error
      : new StoreProtocolError('The store answered a lookup with an unexpected code.', {
          ...(error.store && { store: error.store }),
          ...(error.storeCode && { storeCode: error.storeCode }),
        });
  });

/**
 * Starts one check's load; every check starts in the same tick, so the types' loaders batch them. The
 * app was authorized by the field; whether it has the entry's store is the entry's own answer.
 */
function startCheck(stores: AppStores, input: Input, index: number, ctx: GatewayContext): Promise<Outcome> {
  return settle(async () => {
    const at = `checks.${index}`;
    const app = stores.name;
    if (input.store !== 'ONESTORE' && input.store !== 'NHN_CLOUD')
      throw new InvalidInputError(
        `${at}.store`,
        `checkEntitlements covers ONE store and NHN Cloud; verify ${STORES[input.store].label} payments with redeemPurchase.`,
      );
    if (input.store === 'ONESTORE') {
      const ref = validated(OneStoreCheckSchema, input, at);
      const one = oneStoreOf(stores, input.market, `${at}.market`);
      if (input.kind === 'SUBSCRIPTION')
        return SubscriptionType.getDataloader(ctx).load({ app, one, ...ref, kind: null });
      return PurchaseType.getDataloader(ctx).load({ app, one, ...ref });
    }
    const {
      paymentSeq,
      purchaseToken,
      userKey,
      userChannel = 'GF',
    } = validated(NhnCloudCheckSchema, input, at);
    const nhn = nhnCloudOf(stores);
    const { purchases } = await UnconsumedPurchasesType.getDataloader(ctx).load({
      app,
      nhn,
      userChannel,
      userKey,
    });
    const payment = purchases.find((p) => p.paymentSeq === paymentSeq && p.purchaseToken === purchaseToken);
    if (!payment) {
      throw new NotFoundError(
        'No unconsumed payment with this paymentSeq and token for this user (unknown, or consumed already).',
        {
          store: 'NHN_CLOUD',
        },
      );
    }
    return payment;
  });
}

/**
 * Lookup errors that say nothing about the purchase: the store refused the gateway's own
 * credentials, could not answer, answered off-protocol, or the call was never made (rate limit).
 * An entry answered with one is `active: null`, never false (a game must not reject a genuine
 * purchase because of them).
 */
const saysNothingOfThePurchase = (e: GatewayError) =>
  e instanceof StoreAccessDeniedError ||
  e instanceof StoreUnavailableError ||
  e instanceof StoreProtocolError ||
  e instanceof RateLimitedError;

/**
 * The found record, or the error thrown so the errors plugin makes it a union member (graphql-js
 * would treat a returned Error as a field error).
 */
async function found(c: CheckSource, kind: 'PURCHASE' | 'SUBSCRIPTION'): Promise<Found | null> {
  if (c.kind !== kind) return null;
  const outcome = await c.outcome;
  if (outcome instanceof GatewayError) throw outcome;
  return outcome;
}

const EntitlementCheck = builder.objectRef<CheckSource>('EntitlementCheck').implement({
  description:
    'One entry of a batch check, in the order given: `purchase` or `subscription` holds its result.',
  fields: (t) => ({
    index: t.exposeInt('index'),
    store: t.field({ type: StoreEnum, resolve: (c) => c.store }),
    kind: t.field({ type: EntitlementKindEnum, resolve: (c) => c.kind }),
    productId: t.exposeString('productId', { nullable: true }),
    paymentSeq: t.exposeString('paymentSeq', { nullable: true }),
    active: t.boolean({
      nullable: true,
      description:
        "True when the record was found and its entitlement is active; false when it was found inactive, or the store has no such purchase (NotFoundError), or the entry is invalid. Null when the lookup failed without an answer about the purchase (the store refused the gateway's credentials, was unavailable or answered off-protocol; a rate limit): the error is in purchase or subscription. Never read null as inactive.",
      resolve: async (c) => {
        const outcome = await c.outcome;
        if (!(outcome instanceof GatewayError)) return outcome.entitlement.active;
        return saysNothingOfThePurchase(outcome) ? null : false;
      },
    }),
    entitlement: t.field({
      type: EntitlementType,
      nullable: true,
      description: 'Null when the lookup failed; the error is in purchase or subscription.',
      resolve: async (c) => {
        const outcome = await c.outcome;
        return outcome instanceof GatewayError ? null : outcome.entitlement;
      },
    }),
    purchase: t.field({
      type: PurchaseType,
      nullable: true,
      description: 'The result of a PURCHASE check; null for a SUBSCRIPTION check.',
      errors: { types: [...LOOKUP_ERRORS] },
      resolve: async (c) => (await found(c, 'PURCHASE')) as PurchaseRecord | null,
    }),
    subscription: t.field({
      type: SubscriptionType,
      nullable: true,
      description: 'The result of a SUBSCRIPTION check; null for a PURCHASE check.',
      errors: { types: [...LOOKUP_ERRORS] },
      resolve: async (c) => (await found(c, 'SUBSCRIPTION')) as SubscriptionRecord | null,
    }),
  }),
});

const EntitlementCheckList = builder.objectRef<{ checks: CheckSource[] }>('EntitlementCheckList').implement({
  fields: (t) => ({ checks: t.expose('checks', { type: [EntitlementCheck] }) }),
});

builder.queryField('checkEntitlements', (t) =>
  t.field({
    type: EntitlementCheckList,
    description: `Checks up to ${MAX_CHECKS} purchases and subscriptions in one round trip; identical entries reach the store once. Each entry has its own answer: a store refusing the gateway's credentials (or unavailable) answers that entry's purchase or subscription with StoreAccessDeniedError (or StoreUnavailableError) and active null, never false; entries of other stores and markets are answered as usual. StoreAccessDeniedError stays in this union for documents that select it; it is no longer answered for the whole check.`,
    errors: { types: [ForbiddenError, InvalidInputError, RateLimitedError, StoreAccessDeniedError] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      checks: t.arg({ type: [EntitlementCheckInput], required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const stores = authorize(ctx, args.app);
      const max = Math.min(ctx.maxChecks, MAX_CHECKS);
      if (args.checks.length > max) throw new InvalidInputError('checks', `At most ${max} checks per call.`);
      const checks = args.checks.map((input, index) => ({
        index,
        kind:
          input.store === 'ONESTORE' && input.kind === 'SUBSCRIPTION'
            ? ('SUBSCRIPTION' as const)
            : ('PURCHASE' as const),
        store: input.store,
        productId: input.productId ?? null,
        paymentSeq: input.paymentSeq ?? null,
        outcome: startCheck(stores, input, index, ctx),
      }));
      return { checks };
    },
  }),
);
