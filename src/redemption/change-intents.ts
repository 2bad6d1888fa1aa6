import type { OneStoreApp, StoreRegistry } from '../entitlements/app-stores.js';
import { fromPurchaseDetails } from '../entitlements/purchases.js';
import type {
  Market,
  Money,
  PurchaseRecord,
  SubscriptionKind,
  SubscriptionRecord,
} from '../entitlements/records.js';
import { fromMonthly, fromSubscription } from '../entitlements/subscriptions.js';
import { changeData } from '../events/data.js';
import { changeIntentRetry } from '../events/retry-policies.js';
import type { EventType } from '../events/types.js';
import type { ChangeIntent, ChangeIntentStore } from '../ledger/index.js';
import { isStoreError, provesNotApplied } from '../stores/index.js';
import type { Environment } from '../vocabulary/environments.js';
import type { IntentSweep, JobLogger } from './sweeper.js';

/**
 * What a change intent names: enough to read the store again after a crash. ONE store: the purchase
 * in its market (and for a subscription change its kind when the caller gave it; for a deferral the
 * expiry before it, which a read must pass to prove it). NHN Cloud: the payment to consume.
 */
export type IntentTarget =
  | {
      store: 'ONESTORE';
      market: Market;
      productId: string;
      purchaseToken: string;
      kind?: SubscriptionKind | null;
      /** deferSubscription: the subscription's expiry (ISO) read before the deferral. */
      expiresBefore?: string;
    }
  | { store: 'NHN_CLOUD'; paymentSeq: string; itemSeq: string; purchaseToken: string };

/**
 * What one recovery did: `completed` (event written), `closed` (no change), `left` (read again
 * later), `abandoned` (closed unproven after the give-up time), `busy`.
 */
export type IntentOutcome = 'completed' | 'closed' | 'left' | 'abandoned' | 'busy';

type Verdict = { done: true; data: object } | { done: false };

/** Default of `giveUpMs`: a day of refused repeats. */
export const INTENT_GIVE_UP_MS = 86_400_000;

const isCode = (error: unknown, code: string) =>
  isStoreError(error) && error.kind === 'StoreApiError' && error.code === code;
const NOT_DONE: Verdict = { done: false };
/** NHN Cloud resultCode ALREADY_CONSUMED (document 000). */
const ALREADY_CONSUMED = 5018;

/** The store answered, and the answer proves neither way: the intent stays open. */
class NoEvidence extends Error {
  override readonly name = 'NoEvidence';
  constructor(readonly answer: unknown) {
    super('no evidence either way');
  }
}
/** Only refused repeats are given up on (`giveUpMs`); an intent whose store cannot be read stays open. */
const isNoEvidence = (error: unknown) => error instanceof NoEvidence;

/**
 * The environment of a change's event: the one the config gives the app's purchases in the target's
 * store (ONE store: the host the change was made on; NHN Cloud: the config, its payments carry no test
 * flag). Changes are made through those two stores only; an app no longer configured: PRODUCTION.
 */
export function changeEnvironment(stores: StoreRegistry, intent: ChangeIntent): Environment {
  const { store } = intent.target as Partial<IntentTarget>;
  return (store && stores.app(intent.app)?.environment(store)) || 'PRODUCTION';
}

/**
 * Completes the intents whose writer died (or got no clear answer) from a read of the store, once
 * their lease has run out: the change shown made is written as its event, observed now; shown not
 * made, the intent is closed with no event; a read that cannot tell leaves it for a later read, with
 * backoff. NHN Cloud has no read of a payment: the same consume is sent again, which the store
 * applies once at most, so its success or "already consumed" (5018) is the evidence (as a
 * redemption's recovery does, docs/redemption.md); a refusal of the repeat proves nothing of the
 * first, and no answer proves the first did not happen, so a read never closes such an intent.
 */
export class IntentRecovery {
  constructor(
    readonly intents: ChangeIntentStore,
    readonly stores: StoreRegistry,
    /**
     * `giveUpMs`: how long an intent whose every repeat the store refused (NHN Cloud's 5000 to a
     * wrong token, say) stays open before it is closed unproven, with no event (default
     * {@link INTENT_GIVE_UP_MS}, a day). Such a refusal proves nothing of the first call, but a
     * consume that had landed is answered 5018 to its repeat (document 000), so a day of refusals
     * means a change that never happened; open for good, it would hold the open-intents alert.
     * An intent the store could not be read for is never given up.
     */
    readonly options: { owner: string; leaseMs: number; batchSize?: number; giveUpMs?: number },
    readonly log?: JobLogger,
  ) {}

  /** One pass over the due intents (all of them with `force`: an embedded ledger at start-up). */
  async sweep(force = false): Promise<IntentSweep> {
    const counts = { completed: 0, closed: 0, left: 0, abandoned: 0, busy: 0 };
    const due = await this.intents.due({ limit: this.options.batchSize ?? 100, includeLive: force });
    for (const intent of due) counts[await this.recoverOne(intent, force)]++;
    const { completed, closed, left, abandoned } = counts;
    return { completed, closed, left, abandoned, open: await this.intents.countOpen() };
  }

  async recoverOne(intent: ChangeIntent, force = false): Promise<IntentOutcome> {
    const { owner, leaseMs } = this.options;
    const taken = await this.intents.takeOver(intent.id, owner, leaseMs, { force });
    if (!taken) return 'busy';
    let verdict: Verdict;
    try {
      verdict = await this.#read(taken);
    } catch (error) {
      const retry = changeIntentRetry(leaseMs, this.options.giveUpMs ?? INTENT_GIVE_UP_MS, isNoEvidence);
      const now = Date.now();
      const { delayMs, dead } = retry.afterFailure(
        taken.attempts - 1,
        { since: taken.createdAt.getTime(), now },
        error,
      );
      if (dead) {
        await this.intents.close(taken.id, owner);
        this.log?.warn(
          {
            intentId: taken.id,
            app: taken.app,
            type: taken.type,
            openMs: now - taken.createdAt.getTime(),
          },
          'change intent abandoned: the store refused every repeat of the change for the give-up time; closed with no event',
        );
        return 'abandoned';
      }
      const reason = error instanceof NoEvidence ? 'NO_EVIDENCE' : 'READ_FAILED';
      await this.intents.defer(taken.id, owner, delayMs, reason);
      this.log?.warn(
        {
          intentId: taken.id,
          app: taken.app,
          type: taken.type,
          err: error instanceof Error ? error.name : 'unknown',
        },
        error instanceof NoEvidence
          ? 'change intent not settled yet (the store refused the repeat of the change: no evidence of the first either way); will try again with backoff'
          : 'change intent not settled yet (the store could not be read); will read again with backoff',
      );
      return 'left';
    }
    if (!verdict.done) {
      await this.intents.close(taken.id, owner);
      return 'closed';
    }
    const event = await this.intents.complete(
      taken.id,
      verdict.data,
      new Date(),
      changeEnvironment(this.stores, taken),
    );
    return event ? 'completed' : 'busy';
  }

  async #read(intent: ChangeIntent): Promise<Verdict> {
    const target = intent.target as IntentTarget;
    const app = this.stores.app(intent.app);
    if (target.store === 'NHN_CLOUD') {
      if (!app?.nhncloud) throw new Error(`app ${intent.app} has no NHN Cloud configuration now`);
      const { paymentSeq, itemSeq, purchaseToken } = target;
      try {
        const result = await app.nhncloud.client.consume({ paymentSeq, itemSeq, purchaseToken }, {});
        return { done: true, data: changeData.nhnConsume(paymentSeq, itemSeq, priceOf(result)) };
      } catch (error) {
        // 5018 ALREADY_CONSUMED to a repeat of the same consume: consumed, by the first.
        if (isStoreError(error) && error.kind === 'StoreApiError' && error.resultCode === ALREADY_CONSUMED)
          return { done: true, data: changeData.nhnConsume(paymentSeq, itemSeq, null) };
        // Any other refusal speaks of this repeat only: the first consume, whose answer proved
        // nothing, may have landed (as a redemption's recovery reads it). No answer proves it did
        // not, so the intent stays open, tried again with backoff. A request never sent (the
        // breaker open) says nothing either.
        if (isStoreError(error) && error.kind === 'StoreApiError' && provesNotApplied(error))
          throw new NoEvidence(error);
        // A code the store answered (HTTP 200) that proves nothing either way, e.g. 5000
        // CONSUME_FAILED to a wrong token: an answer, unlike a dropped call or a 5xx.
        if (isStoreError(error) && error.kind === 'UncertainOutcomeError' && error.httpStatus === 200)
          throw new NoEvidence(error);
        throw error;
      }
    }
    const one = app?.onestoreMarkets?.byMarket.get(target.market);
    if (!one) throw new Error(`app ${intent.app} has no ONE store client in ${target.market} now`);
    try {
      return await this.#readOneStore(intent.app, intent.type, one, target);
    } catch (error) {
      // The store knows no such purchase in the market the change was sent to: it changed nothing.
      if (isCode(error, 'NoSuchData')) return NOT_DONE;
      throw error;
    }
  }

  async #readOneStore(
    app: string,
    type: EventType,
    one: OneStoreApp,
    t: Extract<IntentTarget, { store: 'ONESTORE' }>,
  ): Promise<Verdict> {
    const ref = { productId: t.productId, purchaseToken: t.purchaseToken };
    const now = new Date(this.stores.now());
    const base = { app, market: one.market, time: one.time, now, ref };
    if (type === 'PURCHASE_CONSUMED' || type === 'PURCHASE_ACKNOWLEDGED') {
      let p: PurchaseRecord;
      try {
        p = fromPurchaseDetails(await one.client.getPurchaseDetails(ref, {}), ref, base);
      } catch (error) {
        // acknowledgePurchase also takes a monthly product, which getPurchaseDetails does not know.
        if (type !== 'PURCHASE_ACKNOWLEDGED' || !isCode(error, 'NoSuchData')) throw error;
        const monthly = fromMonthly(await one.client.getRecurringPurchaseDetails(ref, {}), base);
        return monthly.acknowledgementState === 'ACKNOWLEDGED'
          ? { done: true, data: changeData.purchase(one.market, t.productId, null) }
          : NOT_DONE;
      }
      const done =
        type === 'PURCHASE_CONSUMED'
          ? p.consumptionState === 'CONSUMED'
          : p.acknowledgementState === 'ACKNOWLEDGED' || p.consumptionState === 'CONSUMED';
      return done ? { done: true, data: changeData.purchase(one.market, t.productId, p) } : NOT_DONE;
    }
    let s: SubscriptionRecord;
    try {
      s =
        t.kind === 'MONTHLY'
          ? fromMonthly(await one.client.getRecurringPurchaseDetails(ref, {}), base)
          : fromSubscription(await one.client.getSubscriptionDetail(ref, {}), base);
    } catch (error) {
      if (t.kind || !isCode(error, 'NoSuchData')) throw error;
      s = fromMonthly(await one.client.getRecurringPurchaseDetails(ref, {}), base);
    }
    return subscriptionChanged(type, s, t)
      ? { done: true, data: changeData.subscription(one.market, t.productId, s.kind, s) }
      : NOT_DONE;
  }
}

/** Whether a subscription read shows the change of `type` made. */
function subscriptionChanged(
  type: EventType,
  s: SubscriptionRecord,
  t: Extract<IntentTarget, { store: 'ONESTORE' }>,
): boolean {
  switch (type) {
    case 'SUBSCRIPTION_CANCELLED':
      return !s.autoRenewing || s.status === 'CANCELLED';
    case 'SUBSCRIPTION_REACTIVATED':
      return s.autoRenewing && s.status !== 'CANCELLED' && s.status !== 'EXPIRED';
    case 'SUBSCRIPTION_DEFERRED':
      return t.expiresBefore !== undefined && s.expiresAt.getTime() > Date.parse(t.expiresBefore);
    default:
      return false;
  }
}

function priceOf(result: { price: string | number; currency: string }): Money {
  return { amount: String(result.price), amountMicros: null, currency: result.currency };
}
