import type { Grant, GrantAction, GrantStore } from '../../ledger/index.js';
import type { PurchaseFacts, RedeemRequest } from '../target.js';

/**
 * What the store says before anything is written. `open`: paid and not yet settled upstream.
 * `done`: already consumed or acknowledged upstream. `unknown`: the store has no read of a single
 * purchase (NHN Cloud), so only the state change itself can tell.
 */
export interface Inspection {
  state: 'open' | 'done' | 'unknown';
  facts: PurchaseFacts;
  /** When the purchase itself decides the change (Gamebase product types); default the adapter's `action`. */
  action?: GrantAction;
  /**
   * The ledger key of the paid period the read names, when the adapter keys periods by what it read
   * rather than by the facts (Gamebase AUTO_RENEWABLE); absent for a purchase that is not paid by period.
   */
  periodKey?: string;
}

/**
 * After an uncertain answer or a crash, what a read of the store proves: `done` (the change
 * happened), `open` (it did not, or not yet), `gone` (refunded or cancelled), `refused` (this
 * request's change cannot apply: NHN Cloud lists the payment unconsumed under another
 * purchaseToken), `unknown` (the read cannot tell: a payment missing from a list may be consumed, or
 * listed under another user; Gamebase's Get Payment Transaction answering 1100 INVALID_PARAMETERS
 * for a token it verified before).
 */
export type Reinspection = 'open' | 'done' | 'gone' | 'refused' | 'unknown';

/**
 * A purchase paid period by period (ONE store SUBSCRIPTION and MONTHLY, Gamebase AUTO_RENEWABLE): each
 * paid period is a purchase of its own in the ledger, with a grant of its own. Which period is current
 * is known only from a read of the store, so the redeemer reads before it looks the grant up.
 */
export interface PeriodKeys {
  /** The ledger's purchase key of the period `inspection` read. */
  keyOf(inspection: Inspection): string;
  /**
   * Whether `grant`, found under the key the target alone makes (written before grants were kept
   * per period, and left there by the ledger's migration 8 for lack of a period), is the grant of
   * the period `inspection` read, so that it answers instead of a new grant being made.
   */
  grantedBefore(grant: Pick<Grant, 'storeIds'>, inspection: Inspection): boolean;
  /**
   * The app's latest grant of any period of this purchase, or null: a new period is granted to the
   * same player only (its fingerprint), as one purchase always was. Absent where the store's read
   * itself names the buyer and the adapter refuses any other (Gamebase: Get Payment Transaction's
   * `userId`), so no grant needs reading.
   */
  latestGrant?(grants: GrantStore, app: string): Promise<Grant | null>;
  /**
   * The grant of the period `inspection` read that was written before grants were kept per period
   * under a key other than the target's (Gamebase: the paymentSeq of the renewal's own pair, while
   * this request redeems another pair of the subscription), or null. Asked only when neither the
   * period's key nor the target's holds the period's grant. Absent: none can exist.
   */
  formerGrant?(
    grants: GrantStore,
    app: string,
    userId: string,
    inspection: Inspection,
  ): Promise<Grant | null>;
  /**
   * Whether a grant found under the target's own key answers before any store read, whatever a read
   * would say of periods (a Gamebase consumable payment's grant: one payment, one grant, no period).
   * Absent: every grant waits for the read.
   */
  answersUnread?(grant: Pick<Grant, 'action'>): boolean;
  /**
   * Whether this period's grant, made by a request with another fingerprint, is `request`'s all the
   * same: Gamebase names a subscription's periods by payment pairs (paymentSeq, token) of their own,
   * and any of them read the same current period; the read has proved the buyer, so the same user's
   * grant is the answer rather than a GrantConflict. Called only after the read. Absent: the
   * fingerprint alone decides, as for any purchase.
   */
  sameRedemption?(grant: Pick<Grant, 'userId'>, request: RedeemRequest, inspection: Inspection): boolean;
}

/** One store's way of verifying and settling one purchase. */
export interface PurchaseAdapter {
  /**
   * The store's own id of the app the purchase belongs to (ONE store clientId, NHN appSeq,
   * Gamebase appId): with the purchase key, the purchase's identity in the ledger.
   */
  readonly storeApp: string;
  /**
   * Present when the purchase's ledger key depends on the store's answer (a subscription's period);
   * absent, the key is the target's own (`purchaseKeyOf`), known before any store call.
   */
  readonly periods?: PeriodKeys;
  /** The upstream change that settles a fresh redemption; `NONE` when there is none. */
  readonly action: GrantAction;
  /** The grant's outcome once the change is done, e.g. `CONSUMED`. */
  readonly outcome: string;
  /** Verifies with the store. Throws `NotRedeemable` or a store error; changes nothing. */
  inspect(): Promise<Inspection>;
  /** The state change; resolves to identifiers worth keeping. Throws a store error. */
  apply(): Promise<Record<string, string>>;
  /** Reads the store again; `done` only on evidence of the change. Throws a store error when the read fails. */
  reinspect(): Promise<Reinspection>;
  /**
   * Whether an error answer to the change proves that the change had been made before: the store's
   * "already consumed" to this exact change, confirmed by a read where the store has one (ONE store's
   * InvalidConsumeState also means "cannot be changed"). Throws when the confirming read fails.
   */
  alreadyDone(error: unknown): Promise<boolean>;
  /**
   * Whether a read proves that `claim`, a pending grant of the same purchase written by another
   * request (another user, token or item), can never apply its change, so that it may be dropped
   * at once (NHN Cloud: the requester's unconsumed list shows the payment under another purchaseToken
   * than the claim's). Throws when the read fails. Default: no read can.
   */
  refutesClaim?(claim: { storeIds: Readonly<Record<string, string>> }): Promise<boolean>;
}
