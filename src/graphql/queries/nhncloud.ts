import { z } from 'zod';
import type { ItemRecord, PurchaseRecord } from '../../entitlements/records.js';
import { authorize, nhnCloudOf } from '../authorize.js';
import { builder } from '../builder.js';
import { InvalidInputError, LOOKUP_ERRORS } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { itemLoader } from '../loaders.js';
import { ItemType } from '../types/item.js';
import { PurchaseType } from '../types/purchase.js';
import { unconsumedLoader } from '../unconsumed-loader.js';
import { optionalText, text, validated } from '../validate.js';

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

const UnconsumedArgs = z.object({ userChannel: optionalText('userChannel'), userKey: text('userKey') });
// Checked once exactly one of them is given; an empty itemSeq is named as itemSeq.
const ItemArgs = z.object({ itemSeq: optionalText('sequence'), marketItemId: optionalText('productId') });

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
      const nhn = nhnCloudOf(authorize(ctx, args.app));
      const { userChannel = 'GF', userKey } = validated(UnconsumedArgs, args);
      return { purchases: await unconsumedLoader(ctx).load({ app: args.app, nhn, userChannel, userKey }) };
    },
  }),
  items: t.field({
    type: ItemCatalog,
    description: "The app's item catalogue (Item Search API), cached for catalogTtlSeconds.",
    errors: { types: [...LOOKUP_ERRORS] },
    authScopes: { read: true },
    args: { app: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const stores = authorize(ctx, args.app);
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
      const stores = authorize(ctx, args.app);
      nhnCloudOf(stores);
      const given = [args.itemSeq, args.marketItemId].filter((v) => v !== null && v !== undefined).length;
      if (given !== 1) {
        throw new InvalidInputError('itemSeq', 'Give exactly one of itemSeq and marketItemId.');
      }
      const { itemSeq, marketItemId = '' } = validated(ItemArgs, args);
      return itemLoader(ctx).load(
        itemSeq !== undefined
          ? { stores, by: 'itemSeq', value: itemSeq }
          : { stores, by: 'marketItemId', value: marketItemId },
      );
    },
  }),
}));
