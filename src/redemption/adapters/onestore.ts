import type { OneStoreApp } from '../../entitlements/app-stores.js';
import { fromPurchaseDetails } from '../../entitlements/purchases.js';
import { fromMonthly, fromSubscription } from '../../entitlements/subscriptions.js';
import { type CallOptions, isStoreError, type onestore } from '../../stores/index.js';
import { NotRedeemable } from '../errors.js';
import { oneStorePeriods } from '../periods.js';
import type { OneStoreKind, PurchaseFacts } from '../target.js';
import type { Inspection, PurchaseAdapter, Reinspection } from './adapter.js';

export interface OneStoreRedeemTarget {
  productId: string;
  purchaseToken: string;
  kind: OneStoreKind;
  developerPayload?: string;
}

const samePayload = (given: string | undefined, recorded: string | null): boolean =>
  given === undefined || given === recorded;

/**
 * ONE store: managed products are read with getPurchaseDetails and consumed or acknowledged; the
 * monthly product is read with getRecurringPurchaseDetails and acknowledged; a subscription is read
 * with getSubscriptionDetail and only recorded (API v7 has no server acknowledge for it). States are
 * read from the records `entitlements/` makes of those answers, never from the store's raw codes.
 */
export function oneStoreAdapter(
  app: string,
  one: OneStoreApp,
  target: OneStoreRedeemTarget,
  now: () => number,
  call: CallOptions,
): PurchaseAdapter {
  const ref: onestore.PayloadRef = {
    productId: target.productId,
    purchaseToken: target.purchaseToken,
    ...(target.developerPayload !== undefined && { developerPayload: target.developerPayload }),
  };
  const context = () => ({
    app,
    market: one.market,
    time: one.time,
    now: new Date(now()),
    ref: { productId: target.productId, purchaseToken: target.purchaseToken },
  });
  const mismatch = () =>
    new NotRedeemable('PAYLOAD_MISMATCH', 'developerPayload differs from the one given at purchase time.');
  // A paid period keeps the end the store gave at redemption: `player` reads entitlements from it.
  // The environment is the host the purchase was read on (the config's `environment`): ONE store's v7
  // purchase details carry no test flag of their own (document 002), and sandbox tokens live on the
  // sandbox host only.
  const factsOf = (quantity: number, purchaseId: string, expiresAt?: Date): PurchaseFacts => ({
    productId: target.productId,
    quantity,
    environment: one.environment,
    storeIds: { purchaseId, ...(expiresAt !== undefined && { expiryTime: expiresAt.toISOString() }) },
  });

  switch (target.kind) {
    case 'CONSUMABLE':
    case 'NON_CONSUMABLE': {
      const consume = target.kind === 'CONSUMABLE';
      const read = async () => {
        const d = await one.client.getPurchaseDetails(ref, call);
        const p = fromPurchaseDetails(d, ref, context());
        const done =
          p.consumptionState === 'CONSUMED' || (!consume && p.acknowledgementState === 'ACKNOWLEDGED');
        return { d, p, done };
      };
      return {
        storeApp: one.clientId,
        action: consume ? 'CONSUME' : 'ACKNOWLEDGE',
        outcome: consume ? 'CONSUMED' : 'ACKNOWLEDGED',
        async inspect(): Promise<Inspection> {
          const { d, p, done } = await read();
          if (p.purchaseState === 'CANCELLED' && !done)
            throw new NotRedeemable('CANCELLED', 'The store reports this purchase as cancelled.');
          if (!samePayload(target.developerPayload, p.developerPayload)) throw mismatch();
          return { state: done ? 'done' : 'open', facts: factsOf(p.quantity, d.purchaseId) };
        },
        async apply() {
          await (consume ? one.client.consumePurchase(ref, call) : one.client.acknowledgePurchase(ref, call));
          return {};
        },
        async reinspect(): Promise<Reinspection> {
          const { p, done } = await read();
          return done ? 'done' : p.purchaseState === 'CANCELLED' ? 'gone' : 'open';
        },
        // InvalidConsumeState is "cannot be changed or has already been changed" (document 002):
        // only the purchase read tells which.
        alreadyDone: async (error) =>
          consume &&
          isStoreError(error) &&
          error.kind === 'StoreApiError' &&
          error.code === 'InvalidConsumeState' &&
          (await read()).p.consumptionState === 'CONSUMED',
      };
    }
    // Each paid period is a purchase of its own in the ledger, named by lastPurchaseId (periods.ts).
    case 'MONTHLY': {
      return {
        storeApp: one.clientId,
        periods: oneStorePeriods(target.purchaseToken),
        action: 'ACKNOWLEDGE',
        outcome: 'ACKNOWLEDGED',
        async inspect(): Promise<Inspection> {
          const d = await one.client.getRecurringPurchaseDetails(ref, call);
          const record = fromMonthly(d, context());
          // lastPurchaseState 1 is the last period's payment cancelled or refunded: no paid period to grant.
          if (record.status === 'CANCELLED')
            throw new NotRedeemable(
              'CANCELLED',
              "The monthly product's last period was cancelled or refunded (lastPurchaseState 1).",
            );
          if (!record.entitlement.active)
            throw new NotRedeemable('EXPIRED', 'The monthly product is not active (its paid time ran out).');
          const facts = factsOf(1, record.lastPurchaseId, record.expiresAt);
          return { state: record.acknowledgementState === 'ACKNOWLEDGED' ? 'done' : 'open', facts };
        },
        async apply() {
          await one.client.acknowledgePurchase(ref, call);
          return {};
        },
        async reinspect(): Promise<Reinspection> {
          const record = fromMonthly(await one.client.getRecurringPurchaseDetails(ref, call), context());
          if (record.acknowledgementState === 'ACKNOWLEDGED') return 'done';
          return record.status === 'CANCELLED' ? 'gone' : 'open';
        },
        alreadyDone: async () => false,
      };
    }
    case 'SUBSCRIPTION': {
      return {
        storeApp: one.clientId,
        periods: oneStorePeriods(target.purchaseToken),
        action: 'NONE',
        outcome: 'RECORDED',
        async inspect(): Promise<Inspection> {
          const d = await one.client.getSubscriptionDetail(ref, call);
          const record = fromSubscription(d, context());
          if (!record.entitlement.active)
            throw new NotRedeemable(
              'EXPIRED',
              `The subscription is not active (${record.status.toLowerCase()}).`,
            );
          if (!samePayload(target.developerPayload, record.developerPayload)) throw mismatch();
          return { state: 'open', facts: factsOf(1, record.lastPurchaseId, record.expiresAt) };
        },
        apply: async () => ({}),
        reinspect: async () => 'open',
        alreadyDone: async () => false,
      };
    }
  }
}
