import type { StoreRegistry } from '../entitlements/app-stores.js';
import type { CheckpointStore, GrantStore } from '../ledger/index.js';
import type { JobLogger } from './sweeper.js';

/** The checkpoint's source name for ONE store voided purchases. */
export const ONESTORE_VOIDED = 'onestore.voided-purchases';
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

  async syncApp(app: string): Promise<SyncResult> {
    const one = this.stores.app(app)?.onestore;
    const result: SyncResult = {
      app,
      ran: false,
      pages: 0,
      voidedSeen: 0,
      grantsRevoked: 0,
      completedUntil: null,
    };
    if (!one) return result;
    const { owner, leaseMs } = this.options;
    const checkpoint = await this.checkpoints.acquire(app, ONESTORE_VOIDED, owner, leaseMs);
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
        const page = await one.client.getVoidedPurchases({
          startTime: one.time.toStore(new Date(Math.max(windowStart, floor))),
          endTime: one.time.toStore(new Date(windowEnd)),
          maxResults: 100,
          ...(continuationKey !== undefined && { continuationKey }),
        });
        result.pages++;
        for (const voided of page.voidedPurchaseList) {
          result.voidedSeen++;
          const voidedAt = one.time.toUtc(voided.voidedTime);
          const revoked = await this.grants.revoke(
            app,
            'ONESTORE',
            voided.purchaseToken,
            { source: ONESTORE_VOIDED, purchaseId: voided.purchaseId, voidedAt: voidedAt.toISOString() },
            voidedAt,
          );
          if (revoked) result.grantsRevoked++;
        }
        continuationKey = page.continuationKey ?? undefined;
        const saved = await this.checkpoints.save(app, ONESTORE_VOIDED, owner, {
          windowStart: new Date(windowStart),
          windowEnd: new Date(windowEnd),
          continuationKey: continuationKey ?? null,
          ...(continuationKey === undefined && { completedUntil: new Date(windowEnd) }),
        });
        if (!saved) throw new Error('revocation sync lost its lease');
      } while (continuationKey !== undefined);
      result.completedUntil = new Date(windowEnd);
    } finally {
      await this.checkpoints.releaseLease(app, ONESTORE_VOIDED, owner);
    }
    if (result.grantsRevoked > 0) this.log?.info?.({ ...result }, 'grants revoked from voided purchases');
    return result;
  }
}
