import { createHash } from 'node:crypto';
import type { OneStoreApp, StoreRegistry } from '../entitlements/app-stores.js';
import { fromPurchaseDetails } from '../entitlements/purchases.js';
import type { Market } from '../entitlements/records.js';
import { fromMonthly } from '../entitlements/subscriptions.js';
import {
  type Grant,
  type GrantStore,
  type NotificationPurchaseState,
  type NotificationStore,
  type TrackedSubscriptionStore,
  trackedOfGrant,
} from '../ledger/index.js';
import type { CallOptions } from '../stores/index.js';
import { isPeriodGrant, PERIOD_REFUND } from './periods.js';
import { ledger } from './redeemer.js';
import type { Sweeper } from './sweeper.js';
import { targetOfGrant } from './target.js';

/** The revocation's `source` for grants revoked on a ONE store payment notification. */
export const ONESTORE_PNS = 'onestore.pns';

/** What the gateway takes from a ONE store payment notification whose signature it has checked. */
export interface PaymentNotice {
  app: string;
  purchaseId: string;
  purchaseState: NotificationPurchaseState;
  /** The market the notification names: where the purchase is read. */
  marketCode: Market;
  /** Identifies this notification for replays: see {@link noticeDigest}. */
  digest: string;
}

/**
 * What a notification led to, a short code (metrics, logs, the ledger's record):
 * - `revoked`: CANCELED, the store says cancelled, a grant was revoked now; `already_revoked`: it was before.
 * - `settled` / `dropped` / `left`: COMPLETED, a pending grant's recovery settled it on evidence,
 *   dropped it (refunded before any change) or kept it pending (no evidence yet).
 * - `busy`: COMPLETED, the pending grant's writer still holds its lease (it settles it itself).
 * - `unchanged`: COMPLETED and the grant is settled already; nothing to do, no store call.
 * - `store_disagrees`: CANCELED but the store still reports the purchase as paid: nothing changes, and
 *   the notice is not recorded (the endpoint answers 503, so ONE store sends it again; the store may
 *   show the cancellation by then).
 * - `no_grant`: no grant holds this purchaseId (the game has not redeemed it): nothing to do.
 * - `not_supported`: the grant is a subscription (ONE store reports those through SNS, not PNS).
 * - `past_period`: CANCELED of a monthly product's period that is no longer its last: the store's read
 *   shows the last period only and cannot confirm it; nothing changes here, the voided-purchases sync
 *   (whose entry names the period) revokes that period's grant.
 * - `market_not_configured`: the app has no ONE store client in the notification's market.
 */
export type NoticeOutcome =
  | 'revoked'
  | 'already_revoked'
  | 'settled'
  | 'dropped'
  | 'left'
  | 'busy'
  | 'unchanged'
  | 'store_disagrees'
  | 'no_grant'
  | 'not_supported'
  | 'past_period'
  | 'market_not_configured';

/** Outcomes a resend should try again (the notification is not recorded as done). */
const UNFINISHED: ReadonlySet<NoticeOutcome> = new Set(['left', 'busy', 'store_disagrees']);
/**
 * The one unfinished outcome that is remembered for a while (`storeDisagreesTtlMs`): the store has
 * just been read and contradicted the notice, so a replay soon after is answered from the ledger
 * instead of costing another read. `left` and `busy` are not kept: their resend should act at once.
 */
const REMEMBERED: NoticeOutcome = 'store_disagrees';

export interface PaymentNotificationsOptions {
  /**
   * How long a CANCELED notice the store contradicted is answered from the ledger (503, no store
   * call) before a resend reads the store again, ms; 0 reads again on every resend. Default 300000
   * (config `ledger.pnsStoreDisagreesTtlSeconds`).
   */
  storeDisagreesTtlMs?: number;
  /**
   * The tracked subscriptions: a notice about a subscription or monthly grant pulls its next read to
   * now (its lifecycle events come from that read, never from the notice). Default: none.
   */
  tracked?: Pick<TrackedSubscriptionStore, 'nudge'>;
}

export interface NoticeResult {
  /** True when this notification was processed before: nothing was done, no store call made. */
  replayed: boolean;
  outcome: NoticeOutcome;
  /** The grants the notification concerned (ids only). */
  grantIds: string[];
}

/**
 * The digest a replay is recognised by: same purchase, same state, same signature. The signature's
 * bytes count, not its spelling: base64 with or without padding (or with other unused bits in its
 * last character) decodes to the same bytes, verifies alike, and must not pass for a new notice.
 */
export function noticeDigest(purchaseId: string, purchaseState: string, signature: string): string {
  const canonical = Buffer.from(signature, 'base64').toString('base64');
  return createHash('sha256')
    .update(JSON.stringify([purchaseId, purchaseState, canonical]))
    .digest('hex');
}

/**
 * Acts on ONE store payment notifications, never on the message alone (ONE store: notifications
 * "may be delayed or lost" and are no proof of payment). The grant is found by the purchaseId its
 * store ids keep; the store is read again and only its answer counts: a CANCELED notification
 * revokes the grant when the store reports the purchase cancelled; a COMPLETED one finishes a
 * pending grant through the sweeper's recovery (settled only on the store's evidence).
 */
export class PaymentNotifications {
  constructor(
    readonly stores: StoreRegistry,
    readonly grants: GrantStore,
    readonly processed: NotificationStore,
    readonly sweeper: Sweeper,
    readonly options: PaymentNotificationsOptions = {},
  ) {}

  /**
   * Handles one verified notice. Throws a store error when the store cannot be read, and
   * LedgerUnavailable / LedgerFault for the ledger: the notice is then not recorded, so ONE store's
   * resend is handled afresh. `call` (the notification request's scope) goes with every store read.
   */
  async handle(notice: PaymentNotice, call: CallOptions = {}): Promise<NoticeResult> {
    const { app, digest } = notice;
    const ttlMs = this.options.storeDisagreesTtlMs ?? 300_000;
    const earlier = await ledger(() => this.processed.processed(app, digest));
    if (earlier !== null) {
      const outcome = earlier.outcome as NoticeOutcome;
      // A contradicted cancellation is a verdict of its time: after the TTL the store is asked again.
      const stale = outcome === REMEMBERED && this.stores.now() - earlier.processedAt.getTime() >= ttlMs;
      if (!stale) return { replayed: true, outcome, grantIds: [] };
    }
    const found = await ledger(() => this.grants.findByOneStorePurchaseId(app, notice.purchaseId));
    let outcome: NoticeOutcome = 'no_grant';
    for (const grant of found) {
      // A notice about a tracked subscription pulls its next read: its events come from that read.
      const subscription = trackedOfGrant(grant);
      const store = this.options.tracked;
      if (store && subscription)
        await ledger(() => store.nudge(app, subscription.store, subscription.purchaseToken));
      // Several grants of one purchaseId do not happen in practice; the strongest outcome is reported.
      const one = await this.#handleGrant(notice, grant, call);
      if (outcome === 'no_grant' || UNFINISHED.has(one)) outcome = one;
    }
    if (!UNFINISHED.has(outcome) || (outcome === REMEMBERED && ttlMs > 0)) {
      const record = {
        app,
        digest,
        purchaseId: notice.purchaseId,
        purchaseState: notice.purchaseState,
        outcome,
      };
      await ledger(() => this.processed.record(record, new Date(this.stores.now()), REMEMBERED));
    }
    return { replayed: false, outcome, grantIds: found.map((g) => g.id) };
  }

  async #handleGrant(notice: PaymentNotice, grant: Grant, call: CallOptions): Promise<NoticeOutcome> {
    const target = targetOfGrant(grant);
    if (target.store !== 'ONESTORE' || target.kind === 'SUBSCRIPTION') return 'not_supported';
    if (notice.purchaseState === 'COMPLETED') {
      if (grant.status !== 'PENDING') return 'unchanged';
      // The sweeper's own recovery, run now for this grant: it reads the store and settles only
      // on evidence; a live lease means the redemption that wrote the grant is still at work.
      return this.sweeper.recoverOne(grant, { call });
    }
    if (grant.revokedAt !== null) return 'already_revoked';
    const one = this.stores.app(notice.app)?.onestoreMarkets?.byMarket.get(notice.marketCode);
    if (!one) return 'market_not_configured';
    const ref = { productId: grant.productId, purchaseToken: target.purchaseToken };
    const verdict = await this.#cancelledInStore(notice, one, ref, target.kind, call);
    if (verdict !== 'cancelled') return verdict;
    // A monthly grant is one period's (periods.ts): its revocation is that period's refund.
    const revocation = { source: ONESTORE_PNS, market: one.market, purchaseId: notice.purchaseId };
    const revoked = await ledger(() =>
      this.grants.revoke(
        notice.app,
        'ONESTORE',
        grant.purchaseKey,
        isPeriodGrant(grant) ? { ...revocation, ...PERIOD_REFUND } : revocation,
        new Date(this.stores.now()),
      ),
    );
    return revoked ? 'revoked' : 'already_revoked';
  }

  /**
   * The store's word on the purchase, read from the records `entitlements/` makes of its answer. A
   * monthly product's read shows its last period only: it confirms the cancellation of the period the
   * notice names when that period is still the last.
   */
  async #cancelledInStore(
    notice: PaymentNotice,
    one: OneStoreApp,
    ref: { productId: string; purchaseToken: string },
    kind: 'CONSUMABLE' | 'NON_CONSUMABLE' | 'MONTHLY',
    call: CallOptions,
  ): Promise<'cancelled' | 'store_disagrees' | 'past_period'> {
    const { app } = notice;
    if (kind === 'MONTHLY') {
      const d = await one.client.getRecurringPurchaseDetails(ref, call);
      const context = { app, market: one.market, time: one.time, now: new Date(this.stores.now()), ref };
      const record = fromMonthly(d, context);
      if (record.lastPurchaseId !== notice.purchaseId) return 'past_period';
      return record.status === 'CANCELLED' ? 'cancelled' : 'store_disagrees';
    }
    const d = await one.client.getPurchaseDetails(ref, call);
    const record = fromPurchaseDetails(d, ref, { app, market: one.market, time: one.time });
    return record.purchaseState === 'CANCELLED' ? 'cancelled' : 'store_disagrees';
  }
}
