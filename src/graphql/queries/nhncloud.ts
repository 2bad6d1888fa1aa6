import type { ItemRecord, PurchaseRecord } from '../../entitlements/records.js';
import { authorize, nhnCloudOf } from '../authorize.js';
import { builder } from '../builder.js';
import { InvalidInputError, LOOKUP_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { itemKey } from '../loaders.js';
import { ItemType } from '../types/item.js';
import { PurchaseType } from '../types/purchase.js';
import { unconsumedKey, unconsumedLoader } from '../unconsumed-loader.js';
import { check, checkOptional } from '../validate.js';

const UnconsumedPurchases = builder
  .objectRef<{ purchases: PurchaseRecord[] }>('UnconsumedPurchases')
  .implement({
    description: "A user's NHN Cloud payments that are paid but not consumed: deliver, then consume each.",
    fields: (t) => ({ purchases: t.expose('purchases', { type: [PurchaseType] }) }),
  });

const ItemCatalog = builder.objectRef<{ items: ItemRecord[] }>('ItemCatalog').implement({
  description: "The app's NHN Cloud item catalogue.",
  fields: (t) => ({ items: t.expose('items', { type: [ItemType] }) }),
});

builder.queryFields((t) => ({
  unconsumedPurchases: t.field({
    type: UnconsumedPurchases,
    description: 'NHN Cloud payments of one user not consumed yet (Payment Consumable API).',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      userKey: t.arg.string({ required: true }),
      userChannel: t.arg.string({ required: false, description: 'Default "GF", the store default.' }),
    },
    resolve: async (_root, args, ctx) => {
      nhnCloudOf(authorize(ctx, args.app, 'read'));
      const channel = checkOptional('userChannel', args.userChannel, 'userChannel') ?? 'GF';
      const key = unconsumedKey(args.app, channel, check('userKey', args.userKey, 'userKey'));
      return { purchases: await unconsumedLoader(ctx).load(key) };
    },
  }),
  items: t.field({
    type: ItemCatalog,
    description: "The app's item catalogue (Item Search API), cached for catalogTtlSeconds.",
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: { app: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const stores = authorize(ctx, args.app, 'read');
      nhnCloudOf(stores);
      return { items: await storeCall(() => stores.catalog()) };
    },
  }),
  item: t.field({
    type: ItemType,
    description: 'One catalogue item by itemSeq or by marketItemId (the store product ID); give exactly one.',
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      itemSeq: t.arg.string({ required: false }),
      marketItemId: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) => {
      nhnCloudOf(authorize(ctx, args.app, 'read'));
      const given = [args.itemSeq, args.marketItemId].filter((v) => v !== null && v !== undefined).length;
      if (given !== 1) {
        throw new InvalidInputError('itemSeq', 'Give exactly one of itemSeq and marketItemId.');
      }
      return args.itemSeq
        ? itemKey(args.app, 'itemSeq', check('itemSeq', args.itemSeq, 'sequence'))
        : itemKey(args.app, 'marketItemId', check('marketItemId', args.marketItemId ?? '', 'productId'));
    },
  }),
}));
