import type { Grant } from '../../ledger/index.js';
import type { RedeemTarget } from '../../redemption/target.js';
import { listed, STORE_NAMES } from '../../vocabulary/stores.js';
import { authorize, oneStoreOf, requireStore } from '../authorize.js';
import { builder } from '../builder.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { REDEEM_ERRORS, toRedeemError } from '../errors/redemption-errors.js';
import { OneStoreProductKindEnum } from '../types/enums.js';
import { GrantType } from '../types/grant.js';
import { inputSchema, ONE_STORE_REF, optionalText, text, validated } from '../validate.js';
import { NhnCloudConsumeInput, NhnCloudConsumeSchema } from './consume-purchase.js';
import { marketInputField, payloadRefInputFields } from './input-fields.js';
import { inputMutation } from './input-mutation.js';

const OneStoreRedeemInput = builder.inputType('OneStoreRedeemInput', {
  fields: (t) => ({
    ...payloadRefInputFields(t),
    kind: t.field({ type: OneStoreProductKindEnum, required: false, description: 'Default CONSUMABLE.' }),
    market: marketInputField(t),
  }),
});

const GamebaseRedeemInput = builder.inputType('GamebaseRedeemInput', {
  fields: (t) => ({
    paymentSeq: t.string({ required: true }),
    purchaseToken: t.string({
      required: true,
      description: "The receipt's purchaseToken (the API's accessToken).",
    }),
    productId: t.string({
      required: false,
      description: "When given, must be the payment's gamebaseProductId.",
    }),
  }),
});

const RedeemPurchaseInput = builder.inputType('RedeemPurchaseInput', {
  description: `Give exactly one of ${listed(STORE_NAMES)}.`,
  fields: (t) => ({
    app: t.string({ required: true }),
    userId: t.string({
      required: true,
      description:
        "The player's id in your game (max 128, no spaces or control characters; printable ASCII for nhncloud and gamebase).",
    }),
    idempotencyKey: t.string({
      required: false,
      description:
        'Your key for this request (max 128 printable ASCII): a repeat returns the same grant; reuse with other parameters is an error.',
    }),
    onestore: t.field({ type: OneStoreRedeemInput, required: false }),
    nhncloud: t.field({ type: NhnCloudConsumeInput, required: false }),
    gamebase: t.field({ type: GamebaseRedeemInput, required: false }),
  }),
});

const OneStoreRedeemSchema = inputSchema<typeof OneStoreRedeemInput.$inferInput>()({
  developerPayload: optionalText('developerPayload'),
  ...ONE_STORE_REF,
});

const GamebaseRedeemSchema = inputSchema<typeof GamebaseRedeemInput.$inferInput>()({
  productId: optionalText('gamebaseProductId'),
  paymentSeq: text('sequence'),
  purchaseToken: text('gamebaseToken'),
});

/**
 * The player and the caller's key, checked once the app is authorized. The userId is the ledger's
 * (no spaces or control characters); NHN Cloud also reads it as the payment's userKey, and
 * Gamebase compares it with the payment's userId, so there it meets those rules, or it would be
 * refused by the client (or never match) only after the store was asked.
 */
const callerSchema = (userId: 'userId' | 'nhnUserId' | 'gamebaseUserId') =>
  inputSchema<typeof RedeemPurchaseInput.$inferInput>()({
    userId: text(userId),
    idempotencyKey: optionalText('idempotencyKey'),
  });
const CALLER_SCHEMAS = {
  ONESTORE: callerSchema('userId'),
  NHN_CLOUD: callerSchema('nhnUserId'),
  GAMEBASE: callerSchema('gamebaseUserId'),
} as const;

interface Redeemed {
  grant: Grant;
  alreadyRedeemed: boolean;
}

const RedeemPurchaseSuccess = builder.objectRef<Redeemed>('RedeemPurchaseSuccess').implement({
  description:
    'The grant. Deliver it if alreadyRedeemed is false, or if you have no record of this grant id.',
  fields: (t) => ({
    grant: t.field({ type: GrantType, resolve: (r) => r.grant }),
    alreadyRedeemed: t.exposeBoolean('alreadyRedeemed', {
      description:
        'True when an earlier or concurrent call created this grant; this call changed nothing at the store.',
    }),
  }),
});

type RedeemInput = typeof RedeemPurchaseInput.$inferInput;

function targetOf(input: RedeemInput): RedeemTarget {
  // Each store's input is the field of its wire name: one of the definition without one does not compile.
  const given = STORE_NAMES.filter((name) => Boolean(input[name])).length;
  if (given !== 1)
    throw new InvalidInputError(
      'input',
      `Give exactly one of ${listed(STORE_NAMES.map((name) => `input.${name}`))}.`,
    );
  if (input.onestore) {
    const { developerPayload, ...ref } = validated(OneStoreRedeemSchema, input.onestore, 'input.onestore');
    return {
      store: 'ONESTORE',
      ...ref,
      kind: input.onestore.kind ?? 'CONSUMABLE',
      ...(input.onestore.market && { market: input.onestore.market }),
      ...(developerPayload !== undefined && { developerPayload }),
    };
  }
  if (input.nhncloud) {
    return { store: 'NHN_CLOUD', ...validated(NhnCloudConsumeSchema, input.nhncloud, 'input.nhncloud') };
  }
  if (!input.gamebase) throw new InvalidInputError('input.gamebase', 'input.gamebase is required.');
  const { productId, ...payment } = validated(GamebaseRedeemSchema, input.gamebase, 'input.gamebase');
  return { store: 'GAMEBASE', ...payment, ...(productId !== undefined && { productId }) };
}

inputMutation('redeemPurchase', {
  type: RedeemPurchaseSuccess,
  description:
    'Verify a purchase, record one grant for the player in the ledger, then consume or acknowledge it upstream. Exactly once per purchase, across retries, duplicates and replicas (docs/redemption.md).',
  errors: REDEEM_ERRORS,
  input: RedeemPurchaseInput,
  resolve: async (input, ctx): Promise<Redeemed> => {
    const given = targetOf(input);
    const stores = authorize(ctx, input.app, 'input.app');
    // The grant keeps the market it was read in, so recovery and revocation read the same one.
    const target: RedeemTarget =
      given.store === 'ONESTORE'
        ? { ...given, market: oneStoreOf(stores, given.market, 'input.onestore.market').market }
        : given;
    // The app must be configured for the target's store; the same answer as the other mutations give.
    if (target.store !== 'ONESTORE') requireStore(stores, target.store);
    const { userId, idempotencyKey } = validated(CALLER_SCHEMAS[target.store], input, 'input');
    try {
      const service = await ctx.ledger.redemption();
      return await service.redeem(
        {
          app: input.app,
          userId,
          target,
          ...(idempotencyKey !== undefined && { idempotencyKey }),
        },
        ctx.scope,
      );
    } catch (error) {
      throw toRedeemError(error);
    }
  },
});
