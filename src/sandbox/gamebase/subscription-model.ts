import type {
  GamebasePayment,
  GamebaseState,
  GamebaseSubscription,
  LastEvent,
  NewGamebasePayment,
} from './state.js';

/**
 * Gamebase subscriptions (AUTO_RENEWABLE and CONSUMABLE_AUTO_RENEWABLE) living through the sandbox
 * clock. Sources (public): the Gamebase server API v1.3 guide, "List Active Subscriptions", "Get
 * Subscriptions Status" and the "Store Reference Status" table (TOAST-DOCS/Gamebase api-guide.md,
 * https://docs.nhncloud.com/ko/Game/Gamebase/ko/api-guide/); the Android SDK guide (seed 004):
 * "a subscription's paymentId changes at every renewal; originalPaymentId is the first one".
 *
 * Each paid period is a payment of its own (a new paymentSeq, accessToken and paymentId), so that a
 * CONSUMABLE_AUTO_RENEWABLE period can be consumed once ("one consume per payment", the Consume API)
 * and a refund can name one period. The guide does not say in so many words that paymentSeq changes
 * at a renewal; the Get Subscriptions Status example answers paymentSeqs dated on the renewal day
 * (yyyyMMdd prefix = renewTime's date), which is what this reading follows.
 */

export const DAY_MS = 86_400_000;
/** Transitions one read applies at most; a longer clock jump goes on at the next read. */
const MAX_RENEWALS_PER_READ = 1000;

/** The Store Reference Status the store reports; only Google In-App has codes (the guide). */
export function referenceStatusOf(s: GamebaseSubscription): string | null {
  if (s.storeCode !== 'GG') return null;
  switch (s.phase) {
    case 'active':
      return s.lastEvent;
    case 'canceled':
      return 'CANCELED_SUBSCRIPTION';
    case 'grace':
      return 'IN_GRACE';
    case 'onHold':
      return 'ON_HOLD';
    case 'pauseScheduled':
      return 'PAUSE_SCHEDULED';
    case 'paused':
      return 'PAUSED';
    case 'expired':
      return 'EXPIRED';
    case 'revoked':
      return 'REVOKED';
  }
}

/** Phases with access: what List Active Subscriptions lists (ON_HOLD only when asked). */
export function isEntitled(s: GamebaseSubscription): boolean {
  return (
    s.phase === 'active' || s.phase === 'canceled' || s.phase === 'grace' || s.phase === 'pauseScheduled'
  );
}

/** The current (latest) period's payment. */
export function currentPeriod(state: GamebaseState, s: GamebaseSubscription): GamebasePayment {
  const seq = s.periods[s.periods.length - 1] ?? s.id;
  const p = state.payments.get(seq);
  if (!p) throw new Error(`subscription ${s.id} lost its period ${seq}`);
  return p;
}

/**
 * A newly paid period starting at `at` and ending at `expiry`: a payment with its own paymentSeq,
 * accessToken and paymentId (Google's renewal order ids are `<original>..<n>`, n from 0).
 */
export function payPeriod(
  state: GamebaseState,
  s: GamebaseSubscription,
  at: number,
  expiry: number,
  /** Fixed values of this period's payment (demo data). */
  fixed: Pick<NewGamebasePayment, 'accessToken' | 'paymentToken'> = {},
): GamebasePayment {
  const n = s.periods.length;
  const p = state.addPayment(
    {
      appId: s.appId,
      userId: s.userId,
      gamebaseProductId: s.gamebaseProductId,
      marketItemId: s.productId,
      productType: s.productType,
      storeCode: s.storeCode,
      price: s.price,
      currency: s.currency,
      paymentId: n === 0 ? s.originalPaymentId : `${s.originalPaymentId}..${n - 1}`,
      purchaseTime: at,
      expiryTime: expiry,
      payload: s.payload,
      isTestPurchase: s.isTestPurchase,
      subscriptionId: s.id,
      ...(n === 0 && s.id !== '' && { paymentSeq: s.id }),
      ...fixed,
    },
    at,
  );
  s.periods.push(p.paymentSeq);
  s.expiryTime = expiry;
  return p;
}

/** A renewal (or recovery, or resume) paid at `at`. */
export function renew(
  state: GamebaseState,
  s: GamebaseSubscription,
  at: number,
  event: LastEvent,
  from = at,
): void {
  payPeriod(state, s, at, from + s.periodMs);
  s.phase = 'active';
  s.lastEvent = event;
  s.renewTime = at;
  s.graceEndTime = null;
  s.holdEndTime = null;
  s.pauseStartTime = null;
  s.pauseEndTime = null;
}

/**
 * Time-driven transitions, applied whenever the subscription is read, so that moving the sandbox
 * clock has the effect of waiting: renewals at each expiry, a scheduled pause starting and ending,
 * grace turning to hold, hold and cancelled subscriptions expiring.
 */
export function settleSubscription(state: GamebaseState, s: GamebaseSubscription, now: number): void {
  for (let step = 0; step < MAX_RENEWALS_PER_READ; step++) {
    if (s.phase === 'active' && now >= s.expiryTime) {
      const at = s.expiryTime;
      renew(state, s, at, 'RENEWED');
    } else if (s.phase === 'pauseScheduled' && now >= s.expiryTime) {
      s.phase = 'paused';
    } else if (s.phase === 'paused' && s.pauseEndTime !== null && now >= s.pauseEndTime) {
      renew(state, s, s.pauseEndTime, 'RENEWED');
    } else if (s.phase === 'canceled' && now >= s.expiryTime) {
      s.phase = 'expired';
    } else if (s.phase === 'grace' && s.graceEndTime !== null && now >= s.graceEndTime) {
      s.phase = 'onHold';
      s.expiryTime = s.graceEndTime;
    } else if (s.phase === 'onHold' && s.holdEndTime !== null && now >= s.holdEndTime) {
      s.phase = 'expired';
    } else {
      return;
    }
  }
}

/** Settles every subscription of `appId` (a renewal adds payments other endpoints list). */
export function settleApp(state: GamebaseState, appId: string, now: number): void {
  for (const s of state.subscriptions.values()) if (s.appId === appId) settleSubscription(state, s, now);
}
