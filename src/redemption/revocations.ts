import type { OneStoreApp, StoreRegistry } from '../entitlements/app-stores.js';
import type { Market } from '../entitlements/records.js';
import type { CheckpointStore, GrantStore } from '../ledger/index.js';
import { type CallOptions, isStoreError, onestore } from '../stores/index.js';
import { revokeVoided } from './periods.js';
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
/**
 * The store lists voided purchases at most "one month" back. A calendar month back from 1 March is
 * 28 days (29 in a leap year), so 28 days is the longest reach every month allows; the store's clock
 * may run ahead of ours by the margin.
 */
const MAX_LOOKBACK_MS = 28 * 86_400_000 - onestore.STORE_CLOCK_MARGIN_MS;

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

/** A market whose run failed: its error (a StoreError, a ledger error ...) and where it came from. */
export interface MarketFailure {
  market: Market;
  error: unknown;
}

/** How far one market's voids are applied after a run of it (for a metric, and an alert on it). */
export interface MarketProgress {
  market: Market;
  /**
   * Every void up to here is applied: this run's end when it completed its window, else the last
   * completed run's (from the checkpoint); null when no run of this market ever completed.
   */
  appliedUntil: Date | null;
}

export interface SyncResult {
  app: string;
  /** False when another replica (or another run in this process) holds this app's sync now. */
  ran: boolean;
  pages: number;
  voidedSeen: number;
  grantsRevoked: number;
  /** Every void up to here has been applied. */
  completedUntil: Date | null;
  /** The markets whose run failed (the others ran all the same). Empty when none did. */
  failed: MarketFailure[];
  /** Each market that ran (held its lease): how far its voids are applied now. */
  progress: MarketProgress[];
}

const emptyResult = (app: string): SyncResult => ({
  app,
  ran: false,
  pages: 0,
  voidedSeen: 0,
  grantsRevoked: 0,
  completedUntil: null,
  failed: [],
  progress: [],
});

/**
 * The walk ended at an answer outside the protocol (a key given before, a key the client will not
 * send, a page it cannot read), or the client refused the saved key: resuming from that key would
 * fail the same way on every run, so the next one reads the window again from its start.
 */
const restartsWindow = (error: unknown) =>
  isStoreError(error) && (error.kind === 'UpstreamProtocolError' || error.kind === 'InvalidInputError');

/**
 * Pages ONE store's voided purchases (refunds, cancellations) into revocations of the matching
 * grants, through the client's guarded walk (`stores/paging.ts`): a repeated continuationKey ends it,
 * and each run reads at most the walk's page budget (`listPageBudget`). Progress (window and
 * continuationKey) is saved after every page, so a crash or a spent budget resumes where it stopped.
 * One run per app and market at a time: in this process (a run already going is not joined by a
 * second), and among replicas through the checkpoint's lease, which its holder cannot take again
 * while it runs.
 */
export class RevocationSync {
  /** The (app, market) runs going on in this process. */
  readonly #running = new Set<string>();

  constructor(
    readonly stores: StoreRegistry,
    readonly grants: GrantStore,
    readonly checkpoints: CheckpointStore,
    readonly options: RevocationSyncOptions,
    readonly log?: JobLogger,
  ) {}

  /**
   * Every configured market at once, each with its own checkpoint and lease, so a market that fails
   * or hangs delays none of the others. The app's answer adds the markets up; it ran if any market
   * ran, and is complete up to the earliest market's time (null when a market did not complete).
   * A market's failure is logged and listed in `failed`, never thrown. `call` goes with every store
   * read (the request's scope when a mutation asks; default: none, the timer's own run).
   */
  async syncApp(app: string, call: CallOptions = {}): Promise<SyncResult> {
    const markets = [...(this.stores.app(app)?.onestoreMarkets?.byMarket.values() ?? [])];
    const total = emptyResult(app);
    let complete = markets.length > 0;
    const runs = await Promise.all(markets.map((one) => this.#syncMarket(app, one, call)));
    for (const r of runs) {
      total.ran ||= r.ran;
      total.pages += r.pages;
      total.voidedSeen += r.voidedSeen;
      total.grantsRevoked += r.grantsRevoked;
      total.failed.push(...r.failed);
      total.progress.push(...r.progress);
      if (r.completedUntil === null) complete = false;
      else if (total.completedUntil === null || r.completedUntil < total.completedUntil)
        total.completedUntil = r.completedUntil;
    }
    if (!complete) total.completedUntil = null;
    return total;
  }

  async #syncMarket(app: string, one: OneStoreApp, call: CallOptions): Promise<SyncResult> {
    const running = `${app}\u0000${one.market}`;
    if (this.#running.has(running)) return emptyResult(app);
    this.#running.add(running);
    const result = emptyResult(app);
    try {
      await this.#walkMarket(app, one, call, result);
    } catch (error) {
      result.failed.push({ market: one.market, error });
      this.log?.warn(
        {
          app,
          market: one.market,
          requestId: call.scope?.requestId,
          err: error instanceof Error ? error.name : 'unknown',
          ...(isStoreError(error) && { endpoint: error.endpoint, code: error.code }),
        },
        'revocation sync of one market failed; the next run retries',
      );
    } finally {
      this.#running.delete(running);
    }
    if (result.grantsRevoked > 0)
      this.log?.info?.(
        { app, market: one.market, pages: result.pages, grantsRevoked: result.grantsRevoked },
        'grants revoked from voided purchases',
      );
    return result;
  }

  /** One run of one market under its lease; fills `result` as it goes, so a failure keeps the counts. */
  async #walkMarket(app: string, one: OneStoreApp, call: CallOptions, result: SyncResult): Promise<void> {
    const source = voidedSource(one.market);
    const { owner, leaseMs } = this.options;
    const checkpoint = await this.checkpoints.acquire(app, source, owner, leaseMs);
    if (!checkpoint) return;
    result.ran = true;
    const progress: MarketProgress = { market: one.market, appliedUntil: checkpoint.completedUntil };
    result.progress.push(progress);
    try {
      const now = this.stores.now();
      const floor = now - MAX_LOOKBACK_MS;
      const { windowStart: savedStart, windowEnd: savedEnd, continuationKey: savedKey } = checkpoint;
      // A window left half-read (a crash, a lost lease, a spent page budget) is finished first, from
      // its continuationKey; a key saved before keys were checked, one the client will not send, is not.
      const resume =
        savedKey !== null && onestore.isContinuationKey(savedKey) && savedStart && savedEnd
          ? { savedStart, savedEnd, savedKey }
          : null;
      const windowStart =
        resume?.savedStart.getTime() ??
        Math.max(floor, (checkpoint.completedUntil?.getTime() ?? floor) - this.options.overlapMs);
      // The document: endTime "may not be later than the current time", the store's, which may run a
      // little behind this clock: the window ends a margin back, and the next run reads on from there.
      const windowEnd = resume?.savedEnd.getTime() ?? now - onestore.STORE_CLOCK_MARGIN_MS;
      const window = { windowStart: new Date(windowStart), windowEnd: new Date(windowEnd) };
      const walk = one.client.voidedPurchaseWalk(
        {
          startTime: one.time.toStore(new Date(Math.max(windowStart, floor))),
          endTime: one.time.toStore(new Date(windowEnd)),
          maxResults: onestore.MAX_RESULTS,
        },
        call,
        { continuationKey: resume?.savedKey },
      );
      try {
        for (let page = await walk.next(); page !== undefined; page = await walk.next()) {
          result.pages++;
          for (const voided of page.voidedPurchaseList) {
            result.voidedSeen++;
            const voidedAt = one.time.toUtc(voided.voidedTime);
            // The entry's purchaseId names the refunded period: only that period's grant goes (periods.ts).
            const revoked = await revokeVoided(
              this.grants,
              app,
              voided,
              {
                source: ONESTORE_VOIDED,
                market: one.market,
                purchaseId: voided.purchaseId,
                voidedAt: voidedAt.toISOString(),
              },
              voidedAt,
            );
            result.grantsRevoked += revoked.length;
          }
          const saved = await this.checkpoints.save(
            app,
            source,
            owner,
            {
              ...window,
              continuationKey: walk.continuationKey ?? null,
              ...(walk.done && { completedUntil: new Date(windowEnd) }),
            },
            leaseMs,
          );
          if (!saved) throw new Error('revocation sync lost its lease');
        }
      } catch (error) {
        // The next run reads the window again from its start rather than from the key that failed.
        if (restartsWindow(error))
          await this.checkpoints
            .save(app, source, owner, { ...window, continuationKey: null })
            .catch(() => false);
        throw error;
      }
      // A spent page budget leaves the window's continuationKey saved: the next run resumes there.
      if (walk.done) {
        result.completedUntil = new Date(windowEnd);
        progress.appliedUntil = result.completedUntil;
      }
    } finally {
      await this.checkpoints.releaseLease(app, source, owner);
    }
  }
}
