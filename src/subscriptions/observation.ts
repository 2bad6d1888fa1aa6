import type { StoreRegistry } from '../entitlements/app-stores.js';
import type { Market, SubscriptionKind, SubscriptionRecord } from '../entitlements/records.js';
import { fromMonthly, fromSubscription } from '../entitlements/subscriptions.js';
import { changeData } from '../events/data.js';
import type { NewEvent, TrackedSubscription } from '../ledger/index.js';
import type { CallOptions } from '../stores/index.js';
import type { Transition } from './transitions.js';

/** A tracked row the gateway cannot read: its app, store or market is not configured (any more). */
export class UntrackableError extends Error {
  override readonly name = 'UntrackableError';
}

/** Reads one tracked subscription from its store as the API's record, at `now` (the scheduler's clock). */
export type SubscriptionReader = (
  row: TrackedSubscription,
  now: Date,
  call: CallOptions,
) => Promise<SubscriptionRecord>;

const isMarket = (value: string | null): value is Market => value === 'MKT_ONE' || value === 'MKT_GLB';

/**
 * The store clients of the registry: ONE store getSubscriptionDetail (SUBSCRIPTION) or
 * getRecurringPurchaseDetails (MONTHLY) in the row's market (the app's first without one). A store
 * error is thrown as it came: the scheduler counts it as a failed read and changes nothing else.
 */
export function storeReader(stores: StoreRegistry): SubscriptionReader {
  return async (row, now, call) => {
    const markets = stores.app(row.app)?.onestoreMarkets;
    if (row.store !== 'ONESTORE' || !markets)
      throw new UntrackableError(`no ${row.store} client for app ${row.app}`);
    const one = isMarket(row.market) ? markets.byMarket.get(row.market) : markets.first;
    if (!one) throw new UntrackableError(`app ${row.app} has no ONE store client in ${row.market}`);
    const ref = { productId: row.productId, purchaseToken: row.purchaseToken };
    const base = { app: row.app, market: one.market, time: one.time, now, ref };
    return row.kind === 'MONTHLY'
      ? fromMonthly(await one.client.getRecurringPurchaseDetails(ref, call), base)
      : fromSubscription(await one.client.getSubscriptionDetail(ref, call), base);
  };
}

/** What the row keeps of a read (`observation`): the snapshot shape events use, so upgrades apply. */
export const observationOf = (s: SubscriptionRecord) => ({ subscription: s });

/** The record a stored observation holds, or null before the first read. */
export function recordOf(observation: Record<string, unknown> | null): SubscriptionRecord | null {
  const s = observation?.subscription;
  return typeof s === 'object' && s !== null ? (s as SubscriptionRecord) : null;
}

/**
 * The events of a read's transitions: subject the purchase token (a subscription's events keep their
 * order), data the subscription as read with its previous status, and for RENEWED the new period's
 * purchaseId.
 */
export function lifecycleEvents(
  row: TrackedSubscription,
  previous: SubscriptionRecord | null,
  next: SubscriptionRecord,
  found: readonly Transition[],
  observedAt: Date,
): NewEvent[] {
  const kind: SubscriptionKind = next.kind;
  return eventsOf(row, found, observedAt, (t) => ({
    ...changeData.subscription(next.market, next.productId, kind, next),
    previousStatus: previous?.status ?? null,
    ...(t.type === 'SUBSCRIPTION_RENEWED' && { purchaseId: next.lastPurchaseId }),
  }));
}

/**
 * The events of a read's transitions, whatever the store: subject the row's key (the subscription),
 * occurredAt the store's time of each, observedAt the read's, the row's environment; `data` per
 * transition. Each marks the subscriber for the entitlement events worker (`player`).
 */
export function eventsOf(
  row: Pick<TrackedSubscription, 'app' | 'purchaseToken' | 'environment' | 'userId'>,
  found: readonly Transition[],
  observedAt: Date,
  data: (t: Transition) => object,
): NewEvent[] {
  return found.map((t) => ({
    app: row.app,
    type: t.type,
    subject: row.purchaseToken,
    // The row's: its latest grant's (a test subscription's renewals are test renewals too).
    environment: row.environment,
    occurredAt: t.occurredAt,
    observedAt,
    data: data(t),
    player: row.userId,
  }));
}
