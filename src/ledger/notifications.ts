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

/**
 * The ONE store payment notifications already acted on, so that a replay (ONE store's own resend,
 * or someone repeating a captured one) is answered without a store call. A row is written only
 * after the action is done: a notification whose handling failed stays new and its resend is
 * handled again.
 */
export class NotificationStore {
  constructor(private readonly db: LedgerDb) {}

  /** The outcome recorded for `digest`, or null when this notification is new. */
  async processed(app: string, digest: string): Promise<string | null> {
    checkText('app', app);
    checkText('digest', digest);
    const rows = await this.db.query<{ outcome: string }>(
      'SELECT outcome FROM onestore_notifications WHERE app = $1 AND digest = $2',
      [app, digest],
    );
    return rows[0]?.outcome ?? null;
  }

  /** Records a handled notification; the first record of a digest wins (concurrent duplicates). */
  async record(n: ProcessedNotification): Promise<void> {
    checkText('purchaseId', n.purchaseId);
    await this.db.query(
      `INSERT INTO onestore_notifications (app, digest, purchase_id, purchase_state, outcome)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [n.app, n.digest, n.purchaseId, n.purchaseState, n.outcome],
    );
  }
}
