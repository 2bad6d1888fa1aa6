import { createHash } from 'node:crypto';
import type { Market } from '../entitlements/records.js';
import type { Grant, GrantAction, GrantStoreName, NewGrant } from '../ledger/index.js';
import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';

/**
 * What kind of ONE store product a purchase is: it decides how it is verified and what settles it.
 * CONSUMABLE: managed product, consumed. NON_CONSUMABLE: managed product, acknowledged. MONTHLY:
 * the legacy monthly auto-renewing product, acknowledged. SUBSCRIPTION: verified only (API v7 has
 * no server-side acknowledge for subscriptions).
 */
export type OneStoreKind = 'CONSUMABLE' | 'NON_CONSUMABLE' | 'MONTHLY' | 'SUBSCRIPTION';

/**
 * Each store's identifiers of a purchase to redeem, keyed by the store's API name: a store of the
 * definition (`src/vocabulary/stores.ts`) without its entry here does not compile.
 */
interface TargetIds {
  ONESTORE: {
    productId: string;
    purchaseToken: string;
    kind: OneStoreKind;
    /** The purchase's market; absent: the app's first market (grants written before markets). */
    market?: Market;
    developerPayload?: string;
  };
  NHN_CLOUD: { paymentSeq: string; itemSeq: string; purchaseToken: string };
  GAMEBASE: { paymentSeq: string; purchaseToken: string; productId?: string };
}

/** The purchase to redeem, in its store's own identifiers (checked at the edge already). */
export type RedeemTarget = { [S in StoreId]: { store: S } & TargetIds[S] }[StoreId];

export interface RedeemRequest {
  app: string;
  /** The game's player id the grant is for. */
  userId: string;
  /** A client's key for this request; a repeat with the same key returns the same grant. */
  idempotencyKey?: string;
  target: RedeemTarget;
}

/**
 * The ledger's key of a purchase as the target alone tells it: the purchase token (ONE store) or the
 * payment (NHN, Gamebase). A subscription's period adds to it what only a read of the store tells
 * (`PurchaseAdapter.periods`, periods.ts).
 */
export function purchaseKeyOf(target: RedeemTarget): string {
  return target.store === 'ONESTORE' ? target.purchaseToken : target.paymentSeq;
}

/**
 * What makes two redemptions of one purchase the same: app, user, store identifiers and kind. The
 * developerPayload is left out: it is a check against the store, not a parameter of the grant.
 */
export function fingerprintOf(request: RedeemRequest): string {
  // The market is where to read the purchase, not which purchase it is (the token is): a retry that
  // leaves the default market implicit, or a grant from before markets, is the same redemption.
  const {
    developerPayload: _ignored,
    market: _where,
    ...ids
  } = request.target as RedeemTarget & {
    developerPayload?: string;
    market?: string;
  };
  const canonical = JSON.stringify([request.app, request.userId, Object.entries(ids).sort()]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The target's identifiers as kept in the grant row: recovery after a crash rebuilds the target from them. */
export function storeIdsOf(target: RedeemTarget): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const [key, value] of Object.entries(target))
    if (key !== 'store' && value !== undefined) ids[key] = value;
  return ids;
}

/** The target a grant row was written for. */
export function targetOfGrant(grant: Grant): RedeemTarget {
  const ids = grant.storeIds;
  const need = (key: string): string => {
    const value = ids[key];
    if (value === undefined) throw new Error(`grant ${grant.id} lacks store id "${key}"`);
    return value;
  };
  switch (grant.store) {
    case 'ONESTORE':
      return {
        store: 'ONESTORE',
        productId: need('productId'),
        purchaseToken: need('purchaseToken'),
        kind: need('kind') as OneStoreKind,
        ...((ids.market === 'MKT_ONE' || ids.market === 'MKT_GLB') && { market: ids.market }),
        ...(ids.developerPayload !== undefined && { developerPayload: ids.developerPayload }),
      };
    case 'NHN_CLOUD':
      return {
        store: 'NHN_CLOUD',
        paymentSeq: need('paymentSeq'),
        itemSeq: need('itemSeq'),
        purchaseToken: need('purchaseToken'),
      };
    case 'GAMEBASE':
      return {
        store: 'GAMEBASE',
        paymentSeq: need('paymentSeq'),
        purchaseToken: need('purchaseToken'),
        ...(ids.productId !== undefined && { productId: ids.productId }),
      };
  }
}

/** What the store told us about a purchase. */
export interface PurchaseFacts {
  productId: string;
  quantity: number;
  /** Extra identifiers worth keeping with the grant (order id, payment id ...). */
  storeIds: Record<string, string>;
  /** Where it was paid, from the store's evidence (each adapter says which; docs/entitlements.md, "Environment"). */
  environment: Environment;
}

/** `purchaseKey`: the period's key for a subscription (periods.ts); default the target's own. */
export function newGrant(
  request: RedeemRequest,
  facts: PurchaseFacts,
  action: GrantAction,
  storeApp: string,
  purchaseKey: string = purchaseKeyOf(request.target),
): NewGrant {
  const store: GrantStoreName = request.target.store;
  return {
    app: request.app,
    store,
    purchaseKey,
    storeApp,
    userId: request.userId,
    productId: facts.productId,
    quantity: facts.quantity,
    storeIds: { ...facts.storeIds, ...storeIdsOf(request.target) },
    fingerprint: fingerprintOf(request),
    idempotencyKey: request.idempotencyKey ?? null,
    action,
    environment: facts.environment,
  };
}
