import type { GamebaseState, GamebaseSubscription, NewGamebasePayment } from './state.js';
import { DAY_MS, payPeriod, renew, settleSubscription } from './subscription-model.js';

/**
 * What the store or the player does to a Gamebase subscription outside the server API, for tests to
 * script (the control API's `POST /gamebase/subscriptions/{id}/{action}`), in the vocabulary of the
 * guide's Store Reference Status table: renew (RENEWED; RECOVERED out of grace or hold), grace
 * (IN_GRACE: a renewal failed, access goes on), hold (ON_HOLD: access ends), pause (PAUSE_SCHEDULED
 * from the period's end, then PAUSED), resume, cancel (CANCELED_SUBSCRIPTION: renewal stops), restore
 * (RESTARTED: the player turns renewal back on), expire (EXPIRED) and void (a refund of one period's
 * payment; of the current period, REVOKED).
 */
export const SUBSCRIPTION_ACTIONS = [
  'renew',
  'grace',
  'hold',
  'pause',
  'resume',
  'cancel',
  'restore',
  'expire',
  'void',
] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

export class SubscriptionActionRefused extends Error {}

export interface SubscriptionActionInput {
  /** grace: days of grace (default 3); hold: days on hold (default 30); pause: days paused (default 7). */
  days?: number | undefined;
  /** grace: days on hold once grace ends (default 30). */
  holdDays?: number | undefined;
  /** void: the period's payment to refund (default the current period's). */
  paymentSeq?: string | undefined;
}

/** The phases each action applies in; any other is refused (409 in the control API). */
const APPLIES: Record<SubscriptionAction, readonly GamebaseSubscription['phase'][]> = {
  renew: ['active', 'canceled', 'pauseScheduled', 'grace', 'onHold'],
  grace: ['active'],
  hold: ['active', 'grace'],
  pause: ['active'],
  resume: ['pauseScheduled', 'paused'],
  cancel: ['active', 'grace', 'pauseScheduled', 'onHold'],
  restore: ['canceled'],
  expire: ['active', 'canceled', 'grace', 'onHold', 'pauseScheduled', 'paused'],
  void: ['active', 'canceled', 'grace', 'onHold', 'pauseScheduled', 'paused', 'expired', 'revoked'],
};

export function applySubscriptionAction(
  state: GamebaseState,
  s: GamebaseSubscription,
  action: SubscriptionAction,
  input: SubscriptionActionInput,
  now: number,
): void {
  settleSubscription(state, s, now);
  if (!APPLIES[action].includes(s.phase))
    throw new SubscriptionActionRefused(`${action} does not apply to a subscription that is ${s.phase}`);
  switch (action) {
    case 'renew':
      if (s.phase === 'grace' || s.phase === 'onHold') renew(state, s, now, 'RECOVERED');
      else renew(state, s, now, 'RENEWED', Math.max(s.expiryTime, now));
      break;
    case 'grace':
      s.phase = 'grace';
      s.graceEndTime = now + (input.days ?? 3) * DAY_MS;
      s.holdEndTime = s.graceEndTime + (input.holdDays ?? 30) * DAY_MS;
      s.expiryTime = s.graceEndTime;
      break;
    case 'hold':
      s.phase = 'onHold';
      s.graceEndTime = null;
      s.holdEndTime = now + (input.days ?? 30) * DAY_MS;
      s.expiryTime = now;
      break;
    case 'pause':
      s.phase = 'pauseScheduled';
      s.pauseStartTime = s.expiryTime;
      s.pauseEndTime = s.expiryTime + (input.days ?? 7) * DAY_MS;
      break;
    case 'resume':
      if (s.phase === 'paused') {
        renew(state, s, now, 'RENEWED');
        break;
      }
      s.phase = 'active';
      s.pauseStartTime = null;
      s.pauseEndTime = null;
      break;
    case 'cancel':
      // On hold there is no access left to keep: cancelling ends it.
      if (s.phase === 'onHold') expire(s, now);
      else {
        s.phase = 'canceled';
        s.pauseStartTime = null;
        s.pauseEndTime = null;
      }
      break;
    case 'restore':
      s.phase = 'active';
      s.lastEvent = 'RESTARTED';
      break;
    case 'expire':
      expire(s, now);
      break;
    case 'void':
      voidPeriod(state, s, input.paymentSeq ?? s.periods[s.periods.length - 1] ?? s.id, now);
      break;
  }
}

function expire(s: GamebaseSubscription, now: number): void {
  s.phase = 'expired';
  s.expiryTime = Math.min(s.expiryTime, now);
}

/**
 * A refund of one period's payment. An earlier period's refund leaves the subscription as it is;
 * the current period's ends it at once (REVOKED, also when it had expired), as the guide's Revoke Subscriptions ("cancel the
 * current subscription immediately and proceed with a refund") does.
 */
function voidPeriod(state: GamebaseState, s: GamebaseSubscription, paymentSeq: string, now: number): void {
  const p = state.payments.get(paymentSeq);
  if (!p || p.subscriptionId !== s.id)
    throw new SubscriptionActionRefused(`${paymentSeq} is no period of ${s.id}`);
  p.status = 'refunded';
  const current = s.periods[s.periods.length - 1] === paymentSeq;
  // After expiry too: the store then reports the refund (REVOKED) rather than the end.
  if (current && s.phase !== 'revoked') {
    s.phase = 'revoked';
    s.expiryTime = Math.min(s.expiryTime, now);
  }
}

export interface NewGamebaseSubscription
  extends Pick<
    NewGamebasePayment,
    | 'appId'
    | 'userId'
    | 'gamebaseProductId'
    | 'storeCode'
    | 'price'
    | 'currency'
    | 'payload'
    | 'isTestPurchase'
  > {
  productType?: 'AUTO_RENEWABLE' | 'CONSUMABLE_AUTO_RENEWABLE';
  /** Default `com.example.game`. */
  packageName?: string;
  /** Default the gamebaseProductId. */
  productId?: string;
  /** Default 30 days. */
  periodMs?: number;
  /** Default the sandbox's now. */
  purchaseTime?: number;
  /** The first period's paymentSeq; default generated. */
  paymentSeq?: string;
  /** The first period's accessToken and store token; default generated. */
  accessToken?: string;
  paymentToken?: string;
  /** Default generated, Google-like (`GPA.` + digits). */
  originalPaymentId?: string;
  linkedPaymentId?: string | null;
}

/** A subscription bought at `purchaseTime`, with its first period paid. */
export function addSubscription(
  state: GamebaseState,
  input: NewGamebaseSubscription,
  now: number,
): GamebaseSubscription {
  const start = input.purchaseTime ?? now;
  const periodMs = input.periodMs ?? 30 * DAY_MS;
  // Numbered per sandbox state, so a reset sandbox names its subscriptions as a new one does.
  const order = String(state.subscriptions.size + 1).padStart(5, '0');
  const s: GamebaseSubscription = {
    id: input.paymentSeq ?? '',
    appId: input.appId,
    userId: input.userId,
    packageName: input.packageName ?? 'com.example.game',
    gamebaseProductId: input.gamebaseProductId,
    productId: input.productId ?? input.gamebaseProductId,
    productType: input.productType ?? 'AUTO_RENEWABLE',
    storeCode: input.storeCode ?? 'GG',
    price: input.price,
    currency: input.currency,
    payload: input.payload ?? null,
    isTestPurchase: input.isTestPurchase ?? true,
    originalPaymentId: input.originalPaymentId ?? `GPA.${String(start).slice(-4)}-${order}-7228-41195`,
    linkedPaymentId: input.linkedPaymentId ?? null,
    periodMs,
    phase: 'active',
    lastEvent: 'PURCHASED',
    periods: [],
    expiryTime: start + periodMs,
    renewTime: null,
    graceEndTime: null,
    holdEndTime: null,
    pauseStartTime: null,
    pauseEndTime: null,
  };
  const first = payPeriod(state, s, start, start + periodMs, {
    ...(input.accessToken !== undefined && { accessToken: input.accessToken }),
    ...(input.paymentToken !== undefined && { paymentToken: input.paymentToken }),
  });
  // Without a given paymentSeq, the first period's generated one names the subscription.
  s.id = first.paymentSeq;
  first.subscriptionId = s.id;
  state.subscriptions.set(s.id, s);
  return s;
}
