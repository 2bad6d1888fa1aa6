import { APP } from './gateway.js';
import {
  app,
  deliveryCursors,
  eventCursors,
  first,
  grantCursors,
  list,
  market,
  noEnum,
  type Op,
  PAGING,
  window,
} from './input-rule-kinds.js';
import type { ArgumentLeaf } from './invalid-inputs.js';
import { T } from './text-rules.js';

/**
 * The rule of every argument of every operation, for the input property tests
 * (test/gateway/input-property.test.ts refuses what each must refuse,
 * test/gateway/input-valid-property.test.ts accepts what each must accept): valid arguments to
 * start from, and the rule of each argument leaf (the sizes of src/graphql/validate.ts, from the
 * store documents; text rules in ./text-rules.ts).
 */

export const ONE = { productId: T.productId.valid, purchaseToken: T.purchaseToken.valid };
const NHN = { paymentSeq: T.paymentSeq.valid, itemSeq: T.itemSeq.valid, purchaseToken: T.nhnToken.valid };
const GB = { paymentSeq: T.paymentSeq.valid, purchaseToken: T.gamebaseToken.valid };
const NHN_CHECK = {
  store: 'NHN_CLOUD',
  paymentSeq: T.paymentSeq.valid,
  purchaseToken: T.nhnToken.valid,
  userKey: 'tester',
};

export const ops = (now: number): Record<string, Op> => ({
  purchase: {
    base: () => ({ app: APP, ...ONE }),
    store: true,
    rules: { app, productId: { text: T.productId }, purchaseToken: { text: T.purchaseToken }, market },
  },
  subscription: {
    base: () => ({ app: APP, ...ONE }),
    store: true,
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
    store: true,
    rules: { app, userKey: { text: T.userKey }, userChannel: { text: T.userChannel } },
  },
  unconsumedGamebasePayments: {
    base: () => ({ app: APP, userId: T.gamebaseUserId.valid }),
    store: true,
    rules: { app, userId: { text: T.gamebaseUserId }, storeCodes: noEnum },
  },
  gamebaseSubscriptions: {
    base: () => ({ app: APP, userId: T.gamebaseUserId.valid, packageName: T.gamebasePackageName.valid }),
    store: true,
    rules: {
      app,
      userId: { text: T.gamebaseUserId },
      packageName: { text: T.gamebasePackageName },
      storeCodes: noEnum,
      includeInactiveStatuses: noEnum,
    },
  },
  gamebaseSubscriptionStatus: {
    base: () => ({ app: APP, ...GB }),
    store: true,
    rules: { app, paymentSeq: { text: T.paymentSeq }, purchaseToken: { text: T.gamebaseToken } },
  },
  items: { base: () => ({ app: APP }), store: true, rules: { app } },
  item: {
    base: (path) =>
      path === 'marketItemId'
        ? { app: APP, marketItemId: 'gem_100' }
        : { app: APP, itemSeq: T.itemSeq.valid },
    store: true,
    // One of the two: without either the item is not named.
    without: { itemSeq: { app: APP, marketItemId: 'gem_100' }, marketItemId: { app: APP, itemSeq: '1' } },
    rules: { app, itemSeq: { text: T.itemSeq }, marketItemId: { text: T.productId } },
  },
  voidedPurchases: {
    base: () => ({ app: APP }),
    store: true,
    rules: { app, market, first, after: list(now), ...window },
  },
  unconfirmedPurchases: {
    base: () => ({ app: APP }),
    store: true,
    rules: { app, market, first, after: list(now), ...window },
  },
  checkEntitlements: {
    base: (path, value) => ({
      app: APP,
      checks: [
        /paymentSeq|userKey|userChannel/.test(path) || value === 'NHN_CLOUD'
          ? NHN_CHECK
          : { store: 'ONESTORE', ...ONE },
      ],
    }),
    store: true,
    variants: { 'checks.purchaseToken': [{ base: 'checks.paymentSeq', rule: { text: T.nhnToken } }] },
    // A ONE store check names no payment or user; an NHN Cloud check no product.
    without: {
      'checks.productId': { app: APP, checks: [NHN_CHECK] },
      'checks.paymentSeq': { app: APP, checks: [{ store: 'ONESTORE', ...ONE }] },
      'checks.userKey': { app: APP, checks: [{ store: 'ONESTORE', ...ONE }] },
    },
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
    // A SUBSCRIPTION check is looked up only when its `subscription` is selected.
    select: `... on EntitlementCheckList { checks {
      purchase { __typename ... on InvalidInputError { field message } }
      subscription { __typename ... on InvalidInputError { field message } } } }`,
    at: (leaf) =>
      leaf.path.startsWith('checks.')
        ? ['checkEntitlements', 'checks', 0, 'purchase']
        : ['checkEntitlements'],
  },
  grants: {
    base: () => ({ app: APP, userId: T.userId.valid }),
    // Without a userId, a status names the grants.
    without: { userId: { app: APP, status: 'PENDING' } },
    rules: {
      app,
      first,
      after: { cursor: grantCursors, emptyIsFirstPage: true, valid: (f) => ['', ...f.cursors.grants] },
      userId: { text: T.userId },
      status: noEnum,
    },
  },
  player: {
    base: () => ({ app: APP, userId: T.userId.valid }),
    rules: { app, userId: { text: T.userId } },
  },
  players: {
    base: () => ({ app: APP, userIds: [T.userId.valid] }),
    rules: { app, userIds: { text: T.userId } },
  },
  revokedGrants: {
    base: () => ({ app: APP, since: new Date(now - 86_400_000).toISOString() }),
    rules: {
      app,
      first,
      after: { cursor: grantCursors, emptyIsFirstPage: true, elsewhere: PAGING },
      since: { time: 'notFuture', elsewhere: PAGING },
    },
  },
  grant: { base: () => ({ app: APP, id: T.ledgerId.valid }), rules: { app, id: { text: T.ledgerId } } },
  gatewayEvents: {
    base: () => ({ app: APP }),
    rules: { app, first, after: eventCursors, types: noEnum },
  },
  webhookDeliveries: {
    base: () => ({ app: APP }),
    rules: { app, first, after: deliveryCursors, status: noEnum },
  },
  acknowledgePurchase: {
    base: () => ({ input: { app: APP, ...ONE } }),
    store: true,
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
    store: true,
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
        store: true,
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
    store: true,
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
    store: true,
    // Redeeming an NHN Cloud or Gamebase payment, the userId is printable ASCII (the store's user).
    variants: {
      'input.userId': ['input.nhncloud', 'input.gamebase'].map((base) => ({
        base,
        rule: { text: T.gamebaseUserId },
      })),
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
  grantEntitlement: {
    base: () => ({
      input: { app: APP, userId: T.userId.valid, entitlement: T.entitlementId.valid, reason: T.reason.valid },
    }),
    key: 'support',
    rules: {
      'input.app': app,
      'input.userId': { text: T.userId },
      'input.entitlement': { text: T.entitlementId },
      'input.until': { time: 'future' },
      'input.reason': { text: T.reason },
    },
  },
  revokeGrant: {
    base: () => ({ input: { app: APP, id: T.ledgerId.valid, reason: T.reason.valid } }),
    key: 'support',
    rules: {
      'input.app': app,
      'input.id': { text: T.ledgerId },
      'input.reason': { text: T.reason },
    },
  },
  syncRevocations: { base: () => ({ app: APP }), store: true, rules: { app } },
  'EventStream.gatewayEvents': {
    base: () => ({ app: APP }),
    rules: { app, after: eventCursors, types: noEnum },
  },
});

export const opName = (leaf: ArgumentLeaf) =>
  leaf.root === 'EventStream' ? `EventStream.${leaf.field}` : leaf.field;
