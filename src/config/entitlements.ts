import { z } from 'zod';
import { STORES, type StoreName } from '../vocabulary/stores.js';

/**
 * An app's entitlement catalogue (docs/entitlements.md): what a player owns, named by the game
 * (`vip`, `no_ads`), and which store products grant it for how long. `player(app, userId)` computes
 * the player's entitlements from the ledger's grants through it; nothing here calls a store.
 */

/** An entitlement id: shown to game servers and kept in their code, so short and plain. */
export const ENTITLEMENT_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const productRef = z.string().min(1).max(150);

/**
 * A store product, by the identifier the ledger's grants carry: ONE store `productId`; NHN Cloud
 * `marketItemId` (the grant's productId when the catalogue names the item) or `itemSeq`; Gamebase
 * `gamebaseProductId`.
 */
const entitlementProduct = z.discriminatedUnion('store', [
  z.strictObject({ store: z.literal('ONESTORE'), productId: productRef }),
  z
    .strictObject({
      store: z.literal('NHN_CLOUD'),
      marketItemId: productRef.optional(),
      itemSeq: z
        .string()
        .regex(/^\d{1,19}$/, 'digits')
        .optional(),
    })
    .refine(
      (p) => (p.marketItemId === undefined) !== (p.itemSeq === undefined),
      'an NHN Cloud product names marketItemId or itemSeq (one of them)',
    ),
  z.strictObject({ store: z.literal('GAMEBASE'), gamebaseProductId: productRef }),
]);

/**
 * How long one grant of a product gives the entitlement: `forever` (a one-time item), `{ days: N }`
 * from the grant (a pass), or `whileSubscribed` (a subscription's grants: until its paid time ends).
 */
const entitlementTerm = z.union(
  [z.literal('forever'), z.literal('whileSubscribed'), z.strictObject({ days: z.int().min(1).max(36_500) })],
  { error: '"forever", "whileSubscribed" or { "days": N }' },
);

const entitlement = z.strictObject({
  /** The products that grant it, in any of the app's stores; at least one, each once. */
  products: z
    .array(entitlementProduct)
    .min(1)
    .max(100)
    .refine(
      (list) => new Set(list.map(productKey)).size === list.length,
      'each product once in an entitlement',
    ),
  /** How long one grant gives it. Default `forever`. */
  grants: entitlementTerm.default('forever'),
});

/** Per app: entitlement id → its products and term. Default `{}`: `player` lists no entitlements. */
export const appEntitlements = z
  .record(z.string(), entitlement)
  // Checked here rather than by the record's key schema, whose issue says only "Invalid key in record".
  .superRefine((record, ctx) => {
    for (const id of Object.keys(record))
      if (!ENTITLEMENT_ID.test(id))
        ctx.addIssue({
          code: 'custom',
          path: [id],
          message: 'an entitlement id is 1-64 lowercase letters, digits, _ . and -',
        });
  })
  .refine((record) => Object.keys(record).length <= 200, 'at most 200 entitlements per app')
  .default({});

export type EntitlementProduct = z.output<typeof entitlementProduct>;
export type EntitlementTerm = z.output<typeof entitlementTerm>;
/** An app's catalogue as the config gives it (entitlement id → definition). */
export type EntitlementCatalogue = z.output<typeof appEntitlements>;

/** One string per product, so a product is found by the identifiers of a grant. */
export function productKey(product: EntitlementProduct): string {
  switch (product.store) {
    case 'ONESTORE':
      return `ONESTORE:productId:${product.productId}`;
    case 'GAMEBASE':
      return `GAMEBASE:productId:${product.gamebaseProductId}`;
    case 'NHN_CLOUD':
      return product.itemSeq !== undefined
        ? `NHN_CLOUD:itemSeq:${product.itemSeq}`
        : `NHN_CLOUD:productId:${product.marketItemId ?? ''}`;
  }
}

/** A product of a store the app has no section for could never be granted: a mistake, named by its key. */
export function checkEntitlementStores(
  apps: Readonly<
    Record<string, { entitlements: EntitlementCatalogue } & Partial<Record<StoreName, unknown>>>
  >,
  ctx: z.RefinementCtx,
): void {
  for (const [app, config] of Object.entries(apps))
    for (const [id, definition] of Object.entries(config.entitlements))
      definition.products.forEach((product, index) => {
        const store = STORES[product.store];
        if (config[store.name] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['apps', app, 'entitlements', id, 'products', index, 'store'],
            message: `app "${app}" has no ${store.label} configuration (apps.${app}.${store.name})`,
          });
      });
}
