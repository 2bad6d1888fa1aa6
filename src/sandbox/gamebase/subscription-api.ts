import { GamebaseFailure, kstIso } from './codes.js';
import { DIGITS, marketsOf, sameText, text, textList } from './request-fields.js';
import type { GamebaseApp, GamebaseState, GamebaseSubscription } from './state.js';
import { currentPeriod, isEntitled, referenceStatusOf, settleApp } from './subscription-model.js';

/**
 * List Active Subscriptions and Get Subscriptions Status, as the Gamebase server API v1.3 guide
 * prints them (TOAST-DOCS/Gamebase api-guide.md, "Purchase(IAP)"). Keys come in the order of the
 * guide's examples. A field the guide marks "Google Play only" (linkedPaymentId, referenceStatus)
 * is left out for the other stores, as is `payload` when the SDK set none and `renewTime` before
 * any renewal: the guide does not say whether it sends null or nothing in those cases.
 */

const optional = <K extends string, V>(key: K, value: V | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** "Get Subscriptions Status ... up to 10" payments per request. */
const STATUS_MAX = 10;

/** `includeInactiveGoogleStatuses`: "Currently only support 'ON_HOLD' status"; another value is 1100. */
function includesOnHold(value: unknown): boolean {
  const listed = textList(value).map(text);
  if (listed.some((status) => status !== 'ON_HOLD')) throw new GamebaseFailure(1100);
  return listed.length > 0;
}

function activeEntry(state: GamebaseState, s: GamebaseSubscription) {
  const p = currentPeriod(state, s);
  return {
    marketId: s.storeCode,
    userId: s.userId,
    paymentSeq: p.paymentSeq,
    accessToken: p.accessToken,
    productSeq: p.productSeq,
    productId: s.productId,
    productType: s.productType,
    originalPaymentId: s.originalPaymentId,
    paymentId: p.paymentId,
    ...(s.storeCode === 'GG' && optional('linkedPaymentId', s.linkedPaymentId)),
    // A JSON number, as the table says (Float); the stored value is a decimal string.
    price: Number(s.price),
    currency: s.currency,
    gamebaseProductId: s.gamebaseProductId,
    ...optional('payload', s.payload),
    purchaseTime: kstIso(p.purchaseTime),
    expiryTime: kstIso(s.expiryTime),
    ...optional('renewTime', s.renewTime === null ? null : kstIso(s.renewTime)),
    isTestPurchase: s.isTestPurchase,
    ...optional('referenceStatus', referenceStatusOf(s)),
  };
}

/** `POST .../active-subscriptions` `{userId, packageName, marketIds?, marketId?, includeInactiveGoogleStatuses?}`. */
export function listActiveSubscriptions(
  app: GamebaseApp,
  body: Record<string, unknown>,
  state: GamebaseState,
  now: number,
): unknown[] {
  const userId = text(body.userId);
  const packageName = text(body.packageName);
  const markets = marketsOf(body, true);
  const onHold = includesOnHold(body.includeInactiveGoogleStatuses);
  settleApp(state, app.appId, now);
  return (
    [...state.subscriptions.values()]
      .filter(
        (s) =>
          s.appId === app.appId &&
          s.userId === userId &&
          s.packageName === packageName &&
          markets.has(s.storeCode) &&
          (isEntitled(s) || (onHold && s.phase === 'onHold')),
      )
      // Newest period first, as the other lists.
      .sort((a, b) => currentPeriod(state, b).purchaseTime - currentPeriod(state, a).purchaseTime)
      .map((s) => activeEntry(state, s))
  );
}

/**
 * `POST .../subscriptions/status` `{payments: [{paymentSeq, accessToken}]}`: the subscription's state
 * now, whatever its phase (expired and revoked ones included), for any of its periods' payments.
 * The guide's example answers other paymentSeqs than it was asked and says nothing of the mapping;
 * this sandbox echoes the asked pair and answers in the asked order. A pair that names no
 * subscription payment of the app is left out (the guide names no error for it).
 */
export function subscriptionsStatus(
  app: GamebaseApp,
  body: Record<string, unknown>,
  state: GamebaseState,
  now: number,
): unknown[] {
  const payments = body.payments;
  if (!Array.isArray(payments) || payments.length === 0) throw new GamebaseFailure(1100);
  if (payments.length > STATUS_MAX) throw new GamebaseFailure(1100);
  const asked = payments.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new GamebaseFailure(-4000001);
    const { paymentSeq, accessToken } = entry as Record<string, unknown>;
    const seq = text(paymentSeq);
    if (!DIGITS.test(seq)) throw new GamebaseFailure(1100);
    return { paymentSeq: seq, accessToken: text(accessToken) };
  });
  settleApp(state, app.appId, now);
  return asked.flatMap(({ paymentSeq, accessToken }) => {
    const p = state.payments.get(paymentSeq);
    const s = p?.subscriptionId ? state.subscriptions.get(p.subscriptionId) : undefined;
    if (!p || !s || p.appId !== app.appId || !sameText(p.accessToken, accessToken)) return [];
    const latest = currentPeriod(state, s);
    return [
      {
        userId: s.userId,
        paymentSeq,
        accessToken,
        paymentId: latest.paymentId,
        originalPaymentId: s.originalPaymentId,
        purchaseTime: kstIso(latest.purchaseTime),
        expiryTime: kstIso(s.expiryTime),
        ...optional('renewTime', s.renewTime === null ? null : kstIso(s.renewTime)),
        ...optional('referenceStatus', referenceStatusOf(s)),
      },
    ];
  });
}
