import type { OneStoreApp, StoreRegistry } from '../entitlements/app-stores.js';
import type { Market } from '../entitlements/records.js';
import type { CheckpointStore, GrantStore } from '../ledger/index.js';
import type { CallOptions } from '../stores/index.js';
import type { JobLogger } from './sweeper.js';

/** The checkpoint's source name for ONE store voided purchases (the Korean market, MKT_ONE). */
export const ONESTORE_VOIDED = 'onestore.voided-purchases';

/**
 * Each market's own checkpoint: MKT_ONE keeps the name it had before markets, so a gateway
 * upgraded in place resumes where it stopped; other markets add their code.
 */
export function voidedSource(market: Market): string {
  return market === 'MKT_ONE' ? ONESTORE_VOIDED : `${ONESTORE_VOIDED}.${market}`;
}
/** The store lists voided purchases at most one month back; a day less leaves room for clock skew. */
const MAX_LOOKBACK_MS = 29 * 86_400_000;

export interface RevocationSyncOptions {
  owner: string;
  /** How long one replica holds an app's sync before another may take it, ms. */
  leaseMs: number;
  /**
   * How far each window reaches back before the last completed one, ms: voids the store records
   * late still land in a window. Revoking is idempotent, so the overlap costs only reads.
   */
  overlapMs: number;
}

export interface SyncResult {
  app: string;
  /** False when another replica holds this app's sync now. */
  ran: boolean;
  pages: number;
  voidedSeen: number;
  grantsRevoked: number;
  /** Every void up to here has been applied. */
  completedUntil: Date | null;
}

/**
 * Pages ONE store's voided purchases (refunds, cancellations) into revocations of the matching
 * grants. Progress (window and continuationKey) is saved after every page, so a crash resumes where
 * it stopped; a lease in the database lets one replica sync an app at a time.
 */
export class RevocationSync {
  constructor(
    readonly stores: StoreRegistry,
    readonly grants: GrantStore,
    readonly checkpoints: CheckpointStore,
    readonly options: RevocationSyncOptions,
    readonly log?: JobLogger,
  ) {}

  /**
   * Every configured market in turn, each with its own checkpoint and lease. The app's answer adds
   * the markets up; it ran if any market ran, and is complete up to the earliest market's time
   * (null when a market did not complete). `call` goes with every store read (the request's scope
   * when a mutation asks; default: none, the timer's own run).
   */
  async syncApp(app: string, call: CallOptions = {}): Promise<SyncResult> {
    const markets = [...(this.stores.app(app)?.onestoreMarkets?.byMarket.values() ?? [])];
    const total: SyncResult = {
      app,
      ran: false,
      pages: 0,
      voidedSeen: 0,
      grantsRevoked: 0,
      completedUntil: null,
    };
    let complete = markets.length > 0;
    for (const one of markets) {
      const r = await this.#syncMarket(app, one, call);
      total.ran ||= r.ran;
      total.pages += r.pages;
      total.voidedSeen += r.voidedSeen;
      total.grantsRevoked += r.grantsRevoked;
      if (r.completedUntil === null) complete = false;
      else if (total.completedUntil === null || r.completedUntil < total.completedUntil)
        total.completedUntil = r.completedUntil;
    }
    if (!complete) total.completedUntil = null;
    return total;
  }

  async #syncMarket(app: string, one: OneStoreApp, call: CallOptions): Promise<SyncResult> {
    const source = voidedSource(one.market);
    const result: SyncResult = {
      app,
      ran: false,
      pages: 0,
      voidedSeen: 0,
      grantsRevoked: 0,
      completedUntil: null,
    };
    const { owner, leaseMs } = this.options;
    const checkpoint = await this.checkpoints.acquire(app, source, owner, leaseMs);
    if (!checkpoint) return result;
    result.ran = true;
    try {
      const now = this.stores.now();
      const floor = now - MAX_LOOKBACK_MS;
      const { windowStart: savedStart, windowEnd: savedEnd, continuationKey: savedKey } = checkpoint;
      // A window left half-read (a crash, a lost lease) is finished first, from its continuationKey.
      const resume = savedKey !== null && savedStart && savedEnd ? { savedStart, savedEnd, savedKey } : null;
      const windowStart =
        resume?.savedStart.getTime() ??
        Math.max(floor, (checkpoint.completedUntil?.getTime() ?? floor) - this.options.overlapMs);
      const windowEnd = resume?.savedEnd.getTime() ?? now;
      let continuationKey: string | undefined = resume?.savedKey;
      do {
        const page = await one.client.getVoidedPurchases(
          {
            startTime: one.time.toStore(new Date(Math.max(windowStart, floor))),
            endTime: one.time.toStore(new Date(windowEnd)),
            maxResults: 100,
            ...(continuationKey !== undefined && { continuationKey }),
          },
          call,
        );
        result.pages++;
        for (const voided of page.voidedPurchaseList) {
          result.voidedSeen++;
          const voidedAt = one.time.toUtc(voided.voidedTime);
          const revoked = await this.grants.revoke(
            app,
            'ONESTORE',
            voided.purchaseToken,
            {
              source: ONESTORE_VOIDED,
              market: one.market,
              purchaseId: voided.purchaseId,
              voidedAt: voidedAt.toISOString(),
            },
            voidedAt,
          );
          if (revoked) result.grantsRevoked++;
        }
        continuationKey = page.continuationKey ?? undefined;
        const saved = await this.checkpoints.save(app, source, owner, {
          windowStart: new Date(windowStart),
          windowEnd: new Date(windowEnd),
          continuationKey: continuationKey ?? null,
          ...(continuationKey === undefined && { completedUntil: new Date(windowEnd) }),
        });
        if (!saved) throw new Error('revocation sync lost its lease');
      } while (continuationKey !== undefined);
      result.completedUntil = new Date(windowEnd);
    } finally {
      await this.checkpoints.releaseLease(app, source, owner);
    }
    if (result.grantsRevoked > 0)
      this.log?.info?.({ ...result, market: one.market }, 'grants revoked from voided purchases');
    return result;
  }
}
