import fc from 'fast-check';
import { APP } from './gateway.js';
import {
  type ArgumentLeaf,
  forged,
  future,
  invalidText,
  monthsAgo,
  outOfRange,
  type TextRule,
  textExamples,
} from './invalid-inputs.js';

/**
 * The rule of every argument of every operation, for test/gateway/input-property.test.ts: valid
 * arguments to start from, and what each argument must refuse (the sizes of src/graphql/validate.ts,
 * from the store documents).
 */

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`;
const DIGITS = '0123456789';

/** Valid values, and the rules of validate.ts they must meet (the store documents' sizes). */
export const T = {
  app: { max: 64, valid: APP, alphabet: LOWER },
  productId: { max: 150, valid: 'gem_100', alphabet: ALNUM },
  purchaseToken: { max: 20, valid: 'SANDBOXT000000000001', alphabet: ALNUM },
  paymentSeq: { max: 20, valid: '2014090210002254', alphabet: DIGITS },
  itemSeq: { max: 20, valid: '1032032', alphabet: DIGITS },
  nhnToken: { max: 1024, valid: 'oJgM1EfDRjnQY7yq', alphabet: ALNUM },
  userKey: { max: 200, valid: 'tester', alphabet: ALNUM },
  userChannel: { max: 32, valid: 'GF', alphabet: ALNUM },
  payload: { max: 200, valid: 'order 1', alphabet: ALNUM, spaces: true },
  userId: { max: 128, valid: 'player-1', alphabet: ALNUM },
  idempotencyKey: { max: 128, valid: 'req-1', alphabet: ALNUM },
  gamebaseUserId: { max: 128, valid: 'AS@123456ABCDEFGHIJ', alphabet: ALNUM },
  gamebaseToken: { max: 2048, valid: '5U_NVCLKSDFKLJJ', alphabet: ALNUM },
  gamebaseProductId: { max: 150, valid: 'my_product_001', alphabet: ALNUM },
  ledgerId: { max: 64, valid: '0b9b0c52-6d3e-4e0c-9d7a-3f1f6a2d9e11', alphabet: ALNUM },
  endpoint: { max: 64, valid: 'crm', alphabet: LOWER },
} satisfies Record<string, TextRule>;

export type Rule =
  | { text: TextRule }
  | { int: [number, number] }
  | { time: 'since' | 'until' | 'notFuture' }
  | { cursor: string[]; emptyIsFirstPage?: boolean }
  /** An enum: besides a non-member (refused by GraphQL itself), members the gateway refuses here. */
  | { refused: string[] };

export interface Op {
  /** Valid arguments, per leaf when an input holds alternatives (onestore / nhncloud / gamebase). */
  base: (path: string) => Record<string, unknown>;
  rules: Record<string, Rule>;
  /** Where the result union is, below `data`, when not at the field itself. */
  at?: (leaf: ArgumentLeaf, base: Record<string, unknown>) => (string | number)[];
  select?: string;
}

export const ONE = { productId: T.productId.valid, purchaseToken: T.purchaseToken.valid };
const NHN = { paymentSeq: T.paymentSeq.valid, itemSeq: T.itemSeq.valid, purchaseToken: T.nhnToken.valid };
const GB = { paymentSeq: T.paymentSeq.valid, purchaseToken: T.gamebaseToken.valid };
const NHN_CHECK = {
  store: 'NHN_CLOUD',
  paymentSeq: T.paymentSeq.valid,
  purchaseToken: T.nhnToken.valid,
  userKey: 'tester',
};
const app = { text: T.app };
const first = { int: [1, 100] } as Rule;
const market = { refused: ['MKT_GLB'] };
const noEnum = { refused: [] };
/** Cursors of other lists or out of range, and ONE store list cursors carrying what the store refuses. */
const oneListCursors = (now: number) => [
  forged(JSON.stringify(['a\u0000b', 0, null, null])),
  forged(JSON.stringify(['\ud800', 0, null, null])),
  forged(JSON.stringify(['k'.repeat(257), 0, null, null])),
  forged(JSON.stringify([null, 100, null, null])),
  forged(JSON.stringify([null, 0, now + 86_400_000, null])),
  forged(JSON.stringify([null, 0, null, now + 86_400_000])),
  forged(JSON.stringify([null, 0, now - 1000, now - 2000])),
  forged('ev:1'),
];
const eventCursors = [forged('ev:0'), forged('ev:-1'), forged('wd:1:crm'), 'ev:1'];
const deliveryCursors = [forged('wd:0:crm'), forged('wd:1:CRM'), forged('ev:1')];
const grantCursors = [forged('{"l":"other","t":"2026-01-01T00:00:00.000Z","i":"x"}'), forged('{}'), '%%'];
const list = (now: number): Rule => ({ cursor: oneListCursors(now), emptyIsFirstPage: true });

export const ops = (now: number): Record<string, Op> => ({
  purchase: {
    base: () => ({ app: APP, ...ONE }),
    rules: { app, productId: { text: T.productId }, purchaseToken: { text: T.purchaseToken }, market },
  },
  subscription: {
    base: () => ({ app: APP, ...ONE }),
    rules: {
      app,
      productId: { text: T.productId },
      purchaseToken: { text: T.purchaseToken },
      market,
      kind: noEnum,
    },
  },
  unconsumedPurchases: {
    base: () => ({ app: APP, userKey: T.userKey.valid }),
    rules: { app, userKey: { text: T.userKey }, userChannel: { text: T.userChannel } },
  },
  unconsumedGamebasePayments: {
    base: () => ({ app: APP, userId: T.gamebaseUserId.valid }),
    rules: { app, userId: { text: T.gamebaseUserId }, storeCodes: noEnum },
  },
  items: { base: () => ({ app: APP }), rules: { app } },
  item: {
    base: (path) =>
      path === 'marketItemId'
        ? { app: APP, marketItemId: 'gem_100' }
        : { app: APP, itemSeq: T.itemSeq.valid },
    rules: { app, itemSeq: { text: T.itemSeq }, marketItemId: { text: T.productId } },
  },
  voidedPurchases: {
    base: () => ({ app: APP }),
    rules: { app, market, first, after: list(now), since: { time: 'since' }, until: { time: 'until' } },
  },
  unconfirmedPurchases: {
    base: () => ({ app: APP }),
    rules: { app, market, first, after: list(now), since: { time: 'since' }, until: { time: 'until' } },
  },
  checkEntitlements: {
    base: (path) => ({
      app: APP,
      checks: [/paymentSeq|userKey|userChannel/.test(path) ? NHN_CHECK : { store: 'ONESTORE', ...ONE }],
    }),
    rules: {
      app,
      'checks.store': { refused: ['GAMEBASE'] },
      'checks.kind': noEnum,
      'checks.productId': { text: T.productId },
      'checks.purchaseToken': { text: T.purchaseToken },
      'checks.paymentSeq': { text: T.paymentSeq },
      'checks.userKey': { text: T.userKey },
      'checks.userChannel': { text: T.userChannel },
      'checks.market': market,
    },
    select:
      '... on EntitlementCheckList { checks { purchase { __typename ... on InvalidInputError { field message } } } }',
    at: (leaf) =>
      leaf.path.startsWith('checks.')
        ? ['checkEntitlements', 'checks', 0, 'purchase']
        : ['checkEntitlements'],
  },
  grants: {
    base: () => ({ app: APP, userId: T.userId.valid }),
    rules: {
      app,
      first,
      after: { cursor: grantCursors, emptyIsFirstPage: true },
      userId: { text: T.userId },
      status: noEnum,
    },
  },
  revokedGrants: {
    base: () => ({ app: APP, since: new Date(now - 86_400_000).toISOString() }),
    rules: {
      app,
      first,
      after: { cursor: grantCursors, emptyIsFirstPage: true },
      since: { time: 'notFuture' },
    },
  },
  grant: { base: () => ({ app: APP, id: T.ledgerId.valid }), rules: { app, id: { text: T.ledgerId } } },
  gatewayEvents: {
    base: () => ({ app: APP }),
    rules: { app, first, after: { cursor: eventCursors }, types: noEnum },
  },
  webhookDeliveries: {
    base: () => ({ app: APP }),
    rules: { app, first, after: { cursor: deliveryCursors }, status: noEnum },
  },
  acknowledgePurchase: {
    base: () => ({ input: { app: APP, ...ONE } }),
    rules: {
      'input.app': app,
      'input.productId': { text: T.productId },
      'input.purchaseToken': { text: T.purchaseToken },
      'input.developerPayload': { text: T.payload },
      'input.market': market,
    },
  },
  consumePurchase: {
    base: (path) => ({
      input: { app: APP, ...(path.startsWith('input.nhncloud') ? { nhncloud: NHN } : { onestore: ONE }) },
    }),
    rules: {
      'input.app': app,
      'input.onestore.productId': { text: T.productId },
      'input.onestore.purchaseToken': { text: T.purchaseToken },
      'input.onestore.developerPayload': { text: T.payload },
      'input.onestore.market': market,
      'input.nhncloud.paymentSeq': { text: T.paymentSeq },
      'input.nhncloud.itemSeq': { text: T.itemSeq },
      'input.nhncloud.purchaseToken': { text: T.nhnToken },
    },
  },
  ...Object.fromEntries(
    ['cancelSubscription', 'reactivateSubscription'].map((name) => [
      name,
      {
        base: () => ({ input: { app: APP, ...ONE } }),
        rules: {
          'input.app': app,
          'input.productId': { text: T.productId },
          'input.purchaseToken': { text: T.purchaseToken },
          'input.kind': noEnum,
          'input.market': market,
        },
      },
    ]),
  ),
  deferSubscription: {
    base: () => ({ input: { app: APP, ...ONE, deferPeriod: 3 } }),
    rules: {
      'input.app': app,
      'input.productId': { text: T.productId },
      'input.purchaseToken': { text: T.purchaseToken },
      'input.deferPeriod': { int: [1, 365] },
      'input.market': market,
    },
  },
  redeemPurchase: {
    base: (path) => {
      const store = /nhncloud/.test(path)
        ? { nhncloud: NHN }
        : /gamebase/.test(path)
          ? { gamebase: GB }
          : { onestore: ONE };
      const userId = 'gamebase' in store ? T.gamebaseUserId.valid : T.userId.valid;
      return { input: { app: APP, userId, ...store } };
    },
    rules: {
      'input.app': app,
      'input.userId': { text: T.userId },
      'input.idempotencyKey': { text: T.idempotencyKey },
      'input.onestore.productId': { text: T.productId },
      'input.onestore.purchaseToken': { text: T.purchaseToken },
      'input.onestore.developerPayload': { text: T.payload },
      'input.onestore.kind': noEnum,
      'input.onestore.market': market,
      'input.nhncloud.paymentSeq': { text: T.paymentSeq },
      'input.nhncloud.itemSeq': { text: T.itemSeq },
      'input.nhncloud.purchaseToken': { text: T.nhnToken },
      'input.gamebase.paymentSeq': { text: T.paymentSeq },
      'input.gamebase.purchaseToken': { text: T.gamebaseToken },
      'input.gamebase.productId': { text: T.gamebaseProductId },
    },
  },
  redeliverEvent: {
    base: () => ({ input: { app: APP, eventId: T.ledgerId.valid } }),
    rules: {
      'input.app': app,
      'input.eventId': { text: T.ledgerId },
      'input.endpoint': { text: T.endpoint },
    },
  },
  syncRevocations: { base: () => ({ app: APP }), rules: { app } },
  'EventStream.gatewayEvents': {
    base: () => ({ app: APP }),
    rules: { app, after: { cursor: eventCursors }, types: noEnum },
  },
});

export const opName = (leaf: ArgumentLeaf) =>
  leaf.root === 'EventStream' ? `EventStream.${leaf.field}` : leaf.field;

/** Invalid values of a leaf: random ones, and fixed examples of every class. */
export function invalidValues(
  rule: Rule,
  now: number,
): { random: fc.Arbitrary<unknown>; examples: unknown[] } {
  if ('text' in rule) return { random: invalidText(rule.text), examples: textExamples(rule.text) };
  if ('int' in rule) {
    const [min, max] = rule.int;
    return { random: outOfRange(min, max), examples: [min - 1, max + 1, -(2 ** 31), 2 ** 31 - 1] };
  }
  if ('time' in rule) {
    const tooOld = rule.time === 'notFuture' ? [] : [monthsAgo(now)];
    return {
      random: fc.oneof(future(now), ...tooOld),
      examples: ['9999-01-01T00:00:00Z', ...(rule.time === 'notFuture' ? [] : ['1970-01-01T00:00:00Z'])],
    };
  }
  if ('cursor' in rule) {
    // Any UTF-16 code units, lone surrogates and controls included.
    const junk = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 60 })
      .map((units) => String.fromCharCode(...units));
    return {
      random: fc.oneof(junk, fc.constantFrom(...rule.cursor)),
      examples: [...rule.cursor, ...(rule.emptyIsFirstPage ? [] : [''])],
    };
  }
  // An enum whose every member is valid here has no invalid value GraphQL lets through.
  return {
    random: rule.refused.length > 0 ? fc.constantFrom(...rule.refused) : fc.constant(null),
    examples: rule.refused,
  };
}
