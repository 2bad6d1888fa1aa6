import { type StoredTime, toDate } from './dialect.js';
import { checkText } from './errors.js';
import type { LedgerDb } from './types.js';

/** ONE store's two payment states in a notification. */
export type NotificationPurchaseState = 'COMPLETED' | 'CANCELED';

/** One payment notification the gateway has acted on, keyed by its digest (docs/events.md). */
export interface ProcessedNotification {
  app: string;
  /** sha256 (hex) of purchaseId, purchaseState and signature. */
  digest: string;
  purchaseId: string;
  purchaseState: NotificationPurchaseState;
  /** What the gateway did, a short code (e.g. `revoked`, `no_grant`). */
  outcome: string;
}

/** What the ledger holds of a notification handled before. */
export interface NotificationRecord {
  outcome: string;
  /** When it was recorded (the recorder's clock, see {@link NotificationStore.record}). */
  processedAt: Date;
}

/**
 * The ONE store payment notifications already acted on, so that a replay (ONE store's own resend,
 * or someone repeating a captured one) is answered without a store call. A row is written only
 * after the action is done: a notification whose handling failed stays new and its resend is
 * handled again. A provisional verdict (one the caller will check again after a while, e.g. a
 * cancellation the store contradicted) is kept like the others, and a later record replaces it.
 * Kept in the ledger, so every replica sharing it answers a replay from it.
 */
export class NotificationStore {
  constructor(private readonly db: LedgerDb) {}

  /** What was recorded for `digest`, or null when this notification is new. */
  async processed(app: string, digest: string): Promise<NotificationRecord | null> {
    checkText('app', app);
    checkText('digest', digest);
    const rows = await this.db.query<{ outcome: string; processed_at: StoredTime }>(
      'SELECT outcome, processed_at FROM onestore_notifications WHERE app = $1 AND digest = $2',
      [app, digest],
    );
    const row = rows[0];
    return row === undefined ? null : { outcome: row.outcome, processedAt: toDate(row.processed_at) };
  }

  /**
   * Records a handled notification at `at`; the first record of a digest wins (concurrent
   * duplicates), except over a record whose outcome is `provisional`, which this one replaces.
   * `at` comes from the caller's clock (the gateway's), which also decides how old a record is.
   */
  async record(n: ProcessedNotification, at: Date, provisional: string | null = null): Promise<void> {
    checkText('purchaseId', n.purchaseId);
    const d = this.db.dialect;
    await this.db.query(
      `INSERT INTO onestore_notifications (app, digest, purchase_id, purchase_state, outcome, processed_at)
       VALUES ($1, $2, $3, $4, $5, ${d.time('$6')})
       ON CONFLICT (app, digest) DO UPDATE SET outcome = excluded.outcome, processed_at = excluded.processed_at
       WHERE onestore_notifications.outcome = ${d.text('$7')}`,
      // A null `provisional` compares as unknown: the first record stays.
      [n.app, n.digest, n.purchaseId, n.purchaseState, n.outcome, at, provisional],
    );
  }
}
