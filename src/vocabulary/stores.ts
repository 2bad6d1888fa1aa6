/**
 * The stores the gateway speaks to, defined once. Each has two names, both from its row here:
 * - the API name (`ONESTORE`): the GraphQL `Store` enum, the ledger's `store` column, events, the
 *   `store` of every GraphQL error (type {@link StoreId});
 * - the wire name (`onestore`): `src/stores/` (its errors, logs, metrics, bulkheads), the config's
 *   per-app section and the sandbox's paths (type {@link StoreName}).
 *
 * Everything else that differs per store is a table keyed by one of these types
 * (`Record<StoreId, …>`, an exhaustive `switch`), so a row added here makes the compiler point at
 * every table that lacks it: `docs/ARCHITECTURE.md` ("Adding a store") lists them.
 *
 * This module imports nothing, so every layer may import it (server → … → stores → here).
 * The sandbox keeps its own names: it is an independent reading of the stores' documents.
 */

interface StoreIdentity {
  /** The wire name. */
  readonly name: string;
  /** How messages name the store: `App "x" has no ONE store configuration.` */
  readonly label: string;
  /** The API the gateway speaks to it: the GraphQL enum value's description. */
  readonly api: string;
}

export const STORES = {
  ONESTORE: { name: 'onestore', label: 'ONE store', api: 'ONE store IAP Server API v7' },
  NHN_CLOUD: { name: 'nhncloud', label: 'NHN Cloud', api: 'NHN Cloud IAP' },
  GAMEBASE: { name: 'gamebase', label: 'Gamebase', api: 'NHN Gamebase Server API v1.3 (purchase)' },
} as const satisfies Record<string, StoreIdentity>;

/** A store's API name: `ONESTORE`, `NHN_CLOUD`, `GAMEBASE`. */
export type StoreId = keyof typeof STORES;
/** A store's wire name: `onestore`, `nhncloud`, `gamebase`. */
export type StoreName = (typeof STORES)[StoreId]['name'];

// Object.keys types its result as string[]; the keys of a const object are exactly StoreId.
/** Every store's API name, in the order of {@link STORES}. */
export const STORE_IDS: readonly StoreId[] = Object.keys(STORES) as StoreId[];
/** Every store's wire name, in the order of {@link STORES}. */
export const STORE_NAMES: readonly StoreName[] = STORE_IDS.map((id) => STORES[id].name);

const ID_OF = new Map<string, StoreId>(STORE_IDS.map((id) => [STORES[id].name, id]));

/** The API name of the store with wire name `name`. */
export function storeIdOf(name: StoreName): StoreId {
  const id = ID_OF.get(name);
  // Unreachable for a StoreName; a value cast from outside the type fails here, not later.
  if (id === undefined) throw new TypeError(`unknown store name ${JSON.stringify(name)}`);
  return id;
}

/** True for an API name of {@link STORES}; what the ledger checks before it writes a `store`. */
export function isStoreId(value: unknown): value is StoreId {
  return typeof value === 'string' && Object.hasOwn(STORES, value);
}

/** `a, b and c`: the stores (or any names) as a message lists them. */
export function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
