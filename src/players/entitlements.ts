import type { EntitlementCatalogue, EntitlementTerm } from '../config/entitlements.js';
import { productKey } from '../config/entitlements.js';
import type { Grant, ProductMatch, SupportGrant } from '../ledger/index.js';
import type { Environment } from '../vocabulary/environments.js';
import type { StoreId } from '../vocabulary/stores.js';
import { type PlayerSubscription, periodEnd, subscriptionKeyOf } from './subscription-states.js';

/**
 * A player's entitlements computed from the ledger (docs/entitlements.md, "Computation"): each
 * SETTLED grant of a catalogue product gives its entitlement over a window, from the grant's time
 * to an end its term sets (none: forever; N days; a subscription's paid end), cut at the grant's
 * revocation. N-day passes stack: a pass bought while earlier passes still run starts when they end
 * (two 30-day passes a day apart give 60 days), as players expect of a pass; a refunded pass gives
 * nothing from its refund on, and the passes queued after it move up. Overlapping or touching windows
 * then merge; the merged window holding `now` is the entitlement (active), else the latest one
 * (inactive). A support grant (grantEntitlement) gives its entitlement from its start to its
 * `until` (null: forever), cut at its revocation, and merges with the store grants' windows like
 * any other; it never queues behind passes nor they behind it. Nothing here reads a store or a clock.
 */

export type PeriodType = 'FOREVER' | 'DAYS' | 'SUBSCRIPTION';
/** What gives the run's last window: a store grant, a subscription's periods, or a support grant. */
export type EntitlementSource = 'GRANT' | 'SUBSCRIPTION' | 'SUPPORT';

export interface PlayerEntitlement {
  id: string;
  active: boolean;
  /** The start of the merged window: the first grant of an unbroken run. */
  since: Date;
  /** Its end; null: forever, or (inactive) a subscription whose end no fact tells. */
  expiresAt: Date | null;
  willRenew: boolean | null;
  periodType: PeriodType;
  billingIssue: boolean | null;
  /**
   * The store and product of the grant whose window ends last in the run; null when that is a
   * support grant (source SUPPORT), which no store or product gave.
   */
  store: StoreId | null;
  productId: string | null;
  source: EntitlementSource;
  /** The id of that grant: a store grant's, or (source SUPPORT) the support grant's. */
  grantId: string;
  /** The environment of that grant (`grantId`): a test purchase's entitlement is SANDBOX. */
  environment: Environment;
}

/** The ledger's product filter for a catalogue: the identifiers its products name. */
export function productMatchOf(catalogue: EntitlementCatalogue): ProductMatch {
  const productIds = new Set<string>();
  const itemSeqs = new Set<string>();
  for (const definition of Object.values(catalogue))
    for (const product of definition.products) {
      if (product.store === 'ONESTORE') productIds.add(product.productId);
      else if (product.store === 'GAMEBASE') productIds.add(product.gamebaseProductId);
      else if (product.itemSeq !== undefined) itemSeqs.add(product.itemSeq);
      else if (product.marketItemId !== undefined) productIds.add(product.marketItemId);
    }
  return { productIds: [...productIds], itemSeqs: [...itemSeqs] };
}

/** The catalogue's product keys a grant matches (by productId, and NHN Cloud's by itemSeq too). */
function keysOf(grant: Grant): string[] {
  const keys = [`${grant.store}:productId:${grant.productId}`];
  if (grant.store === 'NHN_CLOUD' && grant.storeIds.itemSeq !== undefined)
    keys.push(`NHN_CLOUD:itemSeq:${grant.storeIds.itemSeq}`);
  return keys;
}

interface Window {
  start: Date;
  /** null: open (forever). */
  end: Date | null;
  /** The store grant that gives it, or the support grant (`support`). */
  grant: Grant | null;
  support: SupportGrant | null;
  periodType: PeriodType;
  subscription: PlayerSubscription | null;
}

/** `end` cut at `revokedAt`, when that comes first. */
const cutAt = (end: Date | null, revokedAt: Date | null) =>
  revokedAt === null || (end !== null && end <= revokedAt) ? end : revokedAt;

/** A support grant's window: its start to its until (null: forever), cut at its revocation. */
function supportWindow(support: SupportGrant): Window {
  return {
    start: support.startsAt,
    end: cutAt(support.until, support.revokedAt),
    grant: null,
    support,
    periodType: support.until === null ? 'FOREVER' : 'DAYS',
    subscription: null,
  };
}

const DAY_MS = 86_400_000;

/** A grant's window under `term`; null when no fact tells its end (a subscription with no expiry). */
function windowOf(
  grant: Grant,
  term: EntitlementTerm,
  subscriptions: ReadonlyMap<string, PlayerSubscription>,
  queuedUntil: Date | null,
): Window | null {
  const start = grant.createdAt;
  const cut = (end: Date | null) => cutAt(end, grant.revokedAt);
  const base = { grant, support: null };
  if (term === 'forever')
    return { start, end: cut(null), ...base, periodType: 'FOREVER', subscription: null };
  if (term !== 'whileSubscribed') {
    // Stacked: it starts when the passes before it end (`queuedUntil`), if that is later.
    const from = queuedUntil !== null && queuedUntil > start ? queuedUntil : start;
    const end = cut(new Date(from.getTime() + term.days * DAY_MS));
    return { start: from, end, ...base, periodType: 'DAYS', subscription: null };
  }
  const subscription = subscriptions.get(subscriptionKeyOf(grant)) ?? null;
  const end = subscription?.expiresAt ?? periodEnd(grant);
  if (end === null) return null;
  return { start, end: cut(end), ...base, periodType: 'SUBSCRIPTION', subscription };
}

/** `a` ends later than `b` (open ends last); on a tie the later start. */
const endsLater = (a: Window, b: Window) => {
  if (a.end === null || b.end === null) return a.end === null && (b.end !== null || a.start > b.start);
  return a.end > b.end || (a.end.getTime() === b.end.getTime() && a.start > b.start);
};

/**
 * One player's entitlements, sorted by id; `grants` are theirs, oldest first; `supportGrants` theirs
 * too (default none). A support grant of an id the catalogue no longer has gives nothing.
 */
export function computeEntitlements(
  catalogue: EntitlementCatalogue,
  grants: readonly Grant[],
  subscriptions: readonly PlayerSubscription[],
  now: Date,
  supportGrants: readonly SupportGrant[],
): PlayerEntitlement[] {
  const byKey = new Map(subscriptions.map((s) => [s.key, s]));
  const result: PlayerEntitlement[] = [];
  for (const id of Object.keys(catalogue).sort()) {
    const definition = catalogue[id];
    if (definition === undefined) continue;
    const products = new Set(definition.products.map(productKey));
    const mine = grants.filter((grant) => keysOf(grant).some((key) => products.has(key)));
    const given = supportGrants.filter((support) => support.entitlementId === id);
    if (mine.length === 0 && given.length === 0) continue;
    const windows: Window[] = [];
    // Grants oldest first (the ledger's order): each N-day pass queues after the ones before it.
    let queuedUntil: Date | null = null;
    for (const grant of [...mine].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
      const w = windowOf(grant, definition.grants, byKey, queuedUntil);
      if (w === null || (w.end !== null && w.end <= w.start)) continue;
      if (w.periodType === 'DAYS') queuedUntil = w.end;
      windows.push(w);
    }
    for (const support of given) {
      const w = supportWindow(support);
      if (w.end === null || w.end > w.start) windows.push(w);
    }
    windows.sort((a, b) => a.start.getTime() - b.start.getTime());
    const run = currentRun(windows, now);
    if (run === null) {
      // Grants whose end no fact tells (or that were revoked at once): shown, never active.
      const latest = mine.at(-1);
      result.push(
        latest === undefined
          ? revokedAtOnce(id, given.at(-1) as SupportGrant)
          : inactiveUnknown(id, latest, definition.grants),
      );
      continue;
    }
    result.push(entitlementOf(id, run, now));
  }
  return result;
}

interface Run {
  start: Date;
  end: Date | null;
  last: Window;
}

/** The merged run holding `now`, else the latest run; null when there are no windows. */
function currentRun(windows: readonly Window[], now: Date): Run | null {
  let run: Run | null = null;
  let holding: Run | null = null;
  for (const w of windows) {
    if (run !== null && (run.end === null || w.start <= run.end)) {
      if (endsLater(w, run.last)) run = { start: run.start, end: w.end, last: w };
    } else run = { start: w.start, end: w.end, last: w };
    if (run.start <= now && (run.end === null || run.end > now)) holding = run;
  }
  return holding ?? run;
}

/**
 * A support grant's environment: a `support` key acts on a real player's account (its events are
 * PRODUCTION too, NewEvent's default), whatever the stores' environments.
 */
const SUPPORT_ENVIRONMENT: Environment = 'PRODUCTION';

function entitlementOf(id: string, run: Run, now: Date): PlayerEntitlement {
  const { grant, support, subscription, periodType } = run.last;
  const active = run.start <= now && (run.end === null || run.end > now);
  if (grant === null) {
    const given = support as SupportGrant;
    return {
      id,
      active,
      since: run.start,
      expiresAt: run.end,
      willRenew: false,
      periodType,
      billingIssue: false,
      store: null,
      productId: null,
      source: 'SUPPORT',
      grantId: given.id,
      environment: SUPPORT_ENVIRONMENT,
    };
  }
  return {
    id,
    active,
    since: run.start,
    expiresAt: run.end,
    // A grant does not renew; a subscription's renewal is what its source knows (null: unknown).
    willRenew: subscription === null ? false : active ? subscription.willRenew : false,
    periodType,
    billingIssue: subscription === null ? false : subscription.billingIssue,
    store: grant.store,
    productId: grant.productId,
    source: subscription === null ? 'GRANT' : 'SUBSCRIPTION',
    grantId: grant.id,
    environment: grant.environment,
  };
}

function inactiveUnknown(id: string, grant: Grant, term: EntitlementTerm): PlayerEntitlement {
  return {
    id,
    active: false,
    since: grant.createdAt,
    expiresAt: grant.revokedAt,
    willRenew: false,
    periodType: term === 'forever' ? 'FOREVER' : term === 'whileSubscribed' ? 'SUBSCRIPTION' : 'DAYS',
    billingIssue: null,
    store: grant.store,
    productId: grant.productId,
    source: term === 'whileSubscribed' ? 'SUBSCRIPTION' : 'GRANT',
    grantId: grant.id,
    environment: grant.environment,
  };
}

/** Support grants alone, each revoked the instant it was given: shown, never active. */
function revokedAtOnce(id: string, support: SupportGrant): PlayerEntitlement {
  return {
    id,
    active: false,
    since: support.startsAt,
    expiresAt: support.revokedAt,
    willRenew: false,
    periodType: support.until === null ? 'FOREVER' : 'DAYS',
    billingIssue: false,
    store: null,
    productId: null,
    source: 'SUPPORT',
    grantId: support.id,
    environment: SUPPORT_ENVIRONMENT,
  };
}
