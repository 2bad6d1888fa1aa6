import { setTimeout as sleep } from 'node:timers/promises';
import { pendingGrantRetry } from '../events/retry-policies.js';
import type { Grant, GrantStore } from '../ledger/index.js';
import { provesNotApplied } from '../stores/index.js';
import type { Inspection, PurchaseAdapter, Reinspection } from './adapters/adapter.js';
import {
  ConsumedOutsideLedger,
  GrantConflict,
  IdempotencyKeyConflict,
  NotRedeemable,
  RedemptionInProgress,
} from './errors.js';
import { ledger } from './ledger-call.js';
import { readPeriod, samePlayer, unreadGrant } from './periods.js';
import { fingerprintOf, newGrant, purchaseKeyOf, type RedeemRequest } from './target.js';

// Where it has always been imported from.
export { ledger };

export interface RedeemerOptions {
  /** Identifies this process as the holder of the claims it writes (a random id per start). */
  owner: string;
  /** How long a pending grant stays claimed by the call that wrote it, ms; longer than an upstream call can take. */
  leaseMs: number;
  /** How long a duplicate waits for a pending grant to settle before answering RedemptionInProgress, ms. */
  inProgressWaitMs: number;
}

export interface Redemption {
  grant: Grant;
  /** True when this call did not create the grant: deliver only if you have not delivered this grant id. */
  alreadyRedeemed: boolean;
}

/** GrantConflict's message when the grant is another gateway app's (which is not named: the caller may not use it). */
const OTHER_APP =
  'This purchase was already redeemed through another gateway app configured with the same store app (ONE store clientId, NHN appSeq or Gamebase appId): one purchase, one grant.';

/** How often a waiting duplicate looks at the pending grant again, ms. */
const POLL_MS = 50;

/** Why an attempt left a grant pending, as kept in the ledger's `last_error`. */
type NoEvidence = 'NO_EVIDENCE' | 'NOT_APPLIED' | 'READ_FAILED';

/**
 * Exactly-once redemption: verify with the store, write the grant as pending (the database's unique
 * key picks one winner among concurrent calls and replicas), make the upstream change, settle.
 * Whatever happens in between, the pending row is the record that a change may have been sent, and
 * {@link Redeemer.recover} finishes it by reading the store again.
 */
export class Redeemer {
  readonly #flights = new Map<string, Promise<{ grant: Grant; created: boolean }>>();

  constructor(
    readonly grants: GrantStore,
    readonly options: RedeemerOptions,
  ) {}

  async redeem(request: RedeemRequest, adapter: PurchaseAdapter): Promise<Redemption> {
    const fingerprint = fingerprintOf(request);
    if (request.idempotencyKey !== undefined) {
      const key = request.idempotencyKey;
      const earlier = await ledger(() => this.grants.findByIdempotencyKey(request.app, key));
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) throw new IdempotencyKeyConflict(earlier.id);
        return { grant: await this.#existing(earlier, fingerprint, adapter), alreadyRedeemed: true };
      }
    }
    // Identical calls in this process share one attempt; only its starter reports a new grant.
    const flightKey = JSON.stringify([
      request.app,
      request.target.store,
      purchaseKeyOf(request.target),
      fingerprint,
      request.idempotencyKey ?? null,
    ]);
    const running = this.#flights.get(flightKey);
    if (running) return { grant: (await running).grant, alreadyRedeemed: true };
    const flight = this.#attempt(request, fingerprint, adapter);
    this.#flights.set(flightKey, flight);
    try {
      const { grant, created } = await flight;
      return { grant, alreadyRedeemed: !created };
    } finally {
      this.#flights.delete(flightKey);
    }
  }

  /** `dropped`: a refuted claim was dropped already (at most once per call, so a read cannot loop). */
  async #attempt(
    request: RedeemRequest,
    fingerprint: string,
    adapter: PurchaseAdapter,
    dropped = false,
  ): Promise<{ grant: Grant; created: boolean }> {
    const { app } = request;
    const store = request.target.store;
    const targetKey = purchaseKeyOf(request.target);
    // A grant no read can move to another period (a Gamebase consumable's) answers before any store call.
    const held = await ledger(() => unreadGrant(this.grants, adapter, app, store, targetKey));
    if (held && held.app !== app) throw new GrantConflict(held.id, OTHER_APP);
    if (held) return { grant: await this.#existing(held, fingerprint, adapter), created: false };
    // A subscription's period is known only from the store: it is read first, and its key is the period's.
    const read = adapter.periods ? await readPeriod(this.grants, adapter, app, store) : undefined;
    // After the read, the same player's grant of the period answers whichever of its pairs made it.
    const readRequest = read ? { request, inspection: read } : undefined;
    const key = read && adapter.periods ? adapter.periods.keyOf(read) : targetKey;
    // A period's grant written before grants were kept per period sits under the target's key.
    const earlier = async (find: (k: string) => Promise<Grant | null>): Promise<Grant | null> => {
      const found = await ledger(() => find(key));
      if (found || !read || !adapter.periods || key === targetKey) return found;
      const whole = await ledger(() => find(targetKey));
      return whole && adapter.periods.grantedBefore(whole, read) ? whole : null;
    };
    const again = () => this.#attempt(request, fingerprint, adapter, true);
    const former = adapter.periods?.formerGrant;
    const known =
      (await earlier((k) => this.grants.findByPurchase(app, store, k))) ??
      (read && former ? await ledger(() => former(this.grants, app, request.userId, read)) : null);
    const refuted = async (claim: Grant) =>
      !dropped &&
      claim.store === store &&
      claim.purchaseKey === key &&
      (claim.storeApp ?? adapter.storeApp) === adapter.storeApp &&
      (await this.#dropRefuted(claim, fingerprint, adapter));
    if (known && (await refuted(known))) return again();
    if (known)
      return { grant: await this.#existing(known, fingerprint, adapter, readRequest), created: false };
    // The same store purchase granted under another gateway app (one store app in two config
    // entries, or a renamed app): one purchase, one grant. Refused before any change (and, but for
    // the read that tells a subscription's period, before any store call).
    // (A grant of this app found here was written since the look-up above: a concurrent claim.)
    const elsewhere = await earlier((k) => this.grants.findByStorePurchase(store, adapter.storeApp, k));
    if (elsewhere && (await refuted(elsewhere))) return again();
    if (elsewhere && elsewhere.app !== app) throw new GrantConflict(elsewhere.id, OTHER_APP);
    if (elsewhere)
      return { grant: await this.#existing(elsewhere, fingerprint, adapter, readRequest), created: false };

    if (read && adapter.periods) await samePlayer(this.grants, adapter.periods, app, fingerprint);
    const inspection = read ?? (await adapter.inspect());
    if (inspection.state === 'done') {
      // Settled upstream: ours only if a grant appeared meanwhile (another replica's).
      const raced = await ledger(() => this.grants.findByPurchase(app, store, key));
      if (raced)
        return { grant: await this.#existing(raced, fingerprint, adapter, readRequest), created: false };
      if (adapter.action === 'CONSUME') throw new ConsumedOutsideLedger();
    }
    // Acknowledged before (e.g. by the game client's SDK): nothing left to change upstream.
    const action = inspection.state === 'done' ? 'NONE' : (inspection.action ?? adapter.action);
    const claim = await ledger(() =>
      this.grants.claim(
        newGrant(request, inspection.facts, action, adapter.storeApp, key),
        this.options.owner,
        this.options.leaseMs,
      ),
    );
    if (!claim.claimed) {
      // (An idempotency key's grant may be of another purchase: only this purchase's claims qualify.)
      if (await refuted(claim.existing)) return again();
      if (claim.conflictOn === 'storePurchase' && claim.existing.app !== app)
        throw new GrantConflict(claim.existing.id, OTHER_APP);
      // The same key on an identical request (a duplicate on another replica) is that request's grant.
      if (claim.conflictOn === 'idempotencyKey' && claim.existing.fingerprint !== fingerprint)
        throw new IdempotencyKeyConflict(claim.existing.id);
      const existing = claim.conflictOn === 'idempotencyKey' ? undefined : readRequest;
      return { grant: await this.#existing(claim.existing, fingerprint, adapter, existing), created: false };
    }
    if (action === 'NONE') {
      const outcome = noChangeOutcome(adapter, inspection);
      return { grant: await ledger(() => this.grants.settle(claim.grant.id, outcome)), created: true };
    }
    return { grant: await this.#apply(claim.grant, adapter, 'fresh'), created: true };
  }

  /**
   * A pending claim of this purchase (same store and purchase key) by another request (another user, token or item) that a read
   * proves can never apply its change (`PurchaseAdapter.refutesClaim`: NHN Cloud lists the payment
   * unconsumed under another token than the claim's) is dropped, whoever holds its lease: it would
   * otherwise answer the paying user GrantConflictError ("do not deliver") until an attempt of its
   * own proved it wrong, which for NHN no answer to its consume can. True when it was dropped, or is
   * gone already: the caller starts over.
   */
  async #dropRefuted(claim: Grant, fingerprint: string, adapter: PurchaseAdapter): Promise<boolean> {
    if (claim.status !== 'PENDING' || claim.fingerprint === fingerprint || !adapter.refutesClaim)
      return false;
    if (!(await adapter.refutesClaim(claim))) return false;
    // A live lease is taken too: its holder's change cannot apply, so nothing it does can settle it
    // (its later ledger writes find no row, and its answer is RedemptionInProgressError).
    const { owner, leaseMs } = this.options;
    const taken = await ledger(() => this.grants.takeOver(claim.id, owner, leaseMs, { force: true }));
    if (taken) await ledger(() => this.grants.release(taken.id, owner));
    return true;
  }

  /**
   * A grant found in the ledger: the same one if the parameters match, settled first if it is pending.
   * `read`: the request, once a read named the period (`PeriodKeys.sameRedemption` may then accept
   * another fingerprint).
   */
  async #existing(
    grant: Grant,
    fingerprint: string,
    adapter: PurchaseAdapter,
    read?: { request: RedeemRequest; inspection: Inspection },
  ): Promise<Grant> {
    const same =
      grant.fingerprint === fingerprint ||
      (read !== undefined &&
        adapter.periods?.sameRedemption?.(grant, read.request, read.inspection) === true);
    if (!same) throw new GrantConflict(grant.id);
    if (grant.status === 'SETTLED') return grant;
    const settled = await this.#waitForSettle(grant);
    if (settled) return settled;
    const taken = await ledger(() =>
      this.grants.takeOver(grant.id, this.options.owner, this.options.leaseMs),
    );
    if (!taken) throw await this.#inProgress(grant.id);
    return this.recover(taken, adapter);
  }

  async #waitForSettle(grant: Grant): Promise<Grant | null> {
    const deadline = Date.now() + this.options.inProgressWaitMs;
    let latest: Grant | null = grant;
    while (latest?.status === 'PENDING') {
      const leaseLeft = (latest.leaseExpiresAt?.getTime() ?? 0) - Date.now();
      // An expired lease will not settle by waiting: the caller takes it over.
      if (Date.now() >= deadline || leaseLeft <= 0) return null;
      await sleep(POLL_MS);
      const id: string = latest.id;
      latest = await ledger(() => this.grants.findById(id));
    }
    return latest;
  }

  async #inProgress(grantId: string): Promise<RedemptionInProgress> {
    const latest = await ledger(() => this.grants.findById(grantId));
    const leftMs = (latest?.leaseExpiresAt?.getTime() ?? 0) - Date.now();
    return new RedemptionInProgress(grantId, Math.max(1, Math.ceil(leftMs / 1000)));
  }

  /**
   * Finishes a pending grant this process holds the claim of (taken over after its lease ran out,
   * or at start-up): reads the store, then settles on evidence, makes the change (again: the store
   * applies one consume of a payment at most and answers "already consumed" to the next), or drops a
   * grant whose purchase was refunded. Without evidence the grant stays pending and its next attempt
   * is put off (backoff by attempts).
   */
  async recover(grant: Grant, adapter: PurchaseAdapter): Promise<Grant> {
    let state: Reinspection;
    try {
      state = grant.action === 'NONE' ? 'open' : await adapter.reinspect();
    } catch (error) {
      throw await this.#keepPending(grant, 'READ_FAILED', error);
    }
    if (state === 'done') return ledger(() => this.grants.settle(grant.id, adapter.outcome));
    if (state === 'gone') {
      await ledger(() => this.grants.release(grant.id, this.options.owner));
      throw new NotRedeemable('CANCELLED', 'The purchase was cancelled or refunded before it was settled.');
    }
    if (state === 'refused') throw await this.#refused(grant);
    if (grant.action === 'NONE') return ledger(() => this.grants.settle(grant.id, noChangeOutcome(adapter)));
    return this.#apply(grant, adapter, 'recovery', state);
  }

  /**
   * Makes the change and settles on its answer. `reread`, recovering: what the read before it said
   * (`open` or `unknown`); after `unknown` a refusal speaks of this repeat only, not of the attempt
   * before it, which may have landed.
   */
  async #apply(
    grant: Grant,
    adapter: PurchaseAdapter,
    mode: 'fresh' | 'recovery',
    reread?: Reinspection,
  ): Promise<Grant> {
    let extraIds: Record<string, string>;
    try {
      extraIds = await adapter.apply();
    } catch (error) {
      let done: boolean;
      try {
        done = await adapter.alreadyDone(error);
      } catch (readError) {
        // The store refused the change, and the read that would tell "already done" from "cannot
        // be done" failed. Fresh, nothing of ours can have landed: drop the claim, answer the read's
        // failure. Recovering, an earlier attempt of ours may have landed: keep waiting for evidence.
        if (mode === 'fresh' && provesNotApplied(error)) {
          await ledger(() => this.grants.release(grant.id, this.options.owner));
          throw readError;
        }
        throw await this.#keepPending(grant, 'READ_FAILED', error);
      }
      if (done) {
        // Recovering, "already done" is our own earlier attempt landing; fresh, it is someone else's.
        if (mode === 'recovery') return ledger(() => this.grants.settle(grant.id, adapter.outcome));
        await ledger(() => this.grants.release(grant.id, this.options.owner));
        throw new ConsumedOutsideLedger();
      }
      if (provesNotApplied(error)) {
        // The read before this repeat could not tell whether an earlier attempt landed: the store
        // refusing the repeat (NHN / Gamebase 1100, say) proves nothing of that one.
        if (mode === 'recovery' && reread === 'unknown')
          throw await this.#keepPending(grant, 'NO_EVIDENCE', error);
        await ledger(() => this.grants.release(grant.id, this.options.owner));
        throw error;
      }
      return this.#settleByReading(grant, adapter, error);
    }
    return ledger(() => this.grants.settle(grant.id, adapter.outcome, extraIds));
  }

  /**
   * No clear answer to the change: read the store. Done means settle. Anything else keeps the claim:
   * "not done" may still be a request in flight, and "cannot tell" is no evidence either way. The
   * sweeper (or a retry) tries again once the lease and the backoff have run out.
   */
  async #settleByReading(grant: Grant, adapter: PurchaseAdapter, cause: unknown): Promise<Grant> {
    let state: Reinspection;
    try {
      state = await adapter.reinspect();
    } catch {
      throw await this.#keepPending(grant, 'READ_FAILED', cause);
    }
    if (state === 'done') return ledger(() => this.grants.settle(grant.id, adapter.outcome));
    if (state === 'refused') throw await this.#refused(grant);
    throw await this.#keepPending(grant, state === 'open' ? 'NOT_APPLIED' : 'NO_EVIDENCE', cause);
  }

  /** The store's evidence says this request's change cannot apply: nothing changed, the claim goes. */
  async #refused(grant: Grant): Promise<NotRedeemable> {
    await ledger(() => this.grants.release(grant.id, this.options.owner));
    return new NotRedeemable(
      'NOT_PURCHASED',
      'The store refused this change for this purchaseToken (a wrong token, or a payment that is not complete): nothing was changed and no grant was made.',
    );
  }

  /** Records why this attempt ended without evidence and when the next may run; the answer to give. */
  async #keepPending(grant: Grant, reason: NoEvidence, cause: unknown): Promise<RedemptionInProgress> {
    const backoffMs = pendingGrantRetry(this.options.leaseMs).delayMs(grant.attempts);
    await ledger(() => this.grants.defer(grant.id, this.options.owner, backoffMs, reason));
    const pending = await this.#inProgress(grant.id);
    pending.cause = cause;
    return pending;
  }
}

/**
 * The outcome of a claim that had nothing to change upstream (action NONE), in one place for the live
 * call and the recovery. Live, the read says why: found acknowledged before (`done`), or a product the
 * store has no change for (`inspection.action` NONE, Gamebase AUTO_RENEWABLE), else the adapter's own.
 * A recovered claim does not keep why, but the adapter tells: an acknowledging adapter's claim is NONE
 * only when its read found the purchase acknowledged before (a monthly product's renewed period, a
 * NON_CONSUMABLE the client's SDK acknowledged); a consuming one never claims a purchase found consumed
 * (ConsumedOutsideLedger), so its NONE is a product the store has no change for, as is every ONE store
 * subscription's: RECORDED.
 */
function noChangeOutcome(adapter: PurchaseAdapter, live?: Inspection): string {
  if (live)
    return live.state === 'done'
      ? 'ACKNOWLEDGED_BEFORE'
      : live.action === 'NONE'
        ? 'RECORDED'
        : adapter.outcome;
  return adapter.action === 'ACKNOWLEDGE' ? 'ACKNOWLEDGED_BEFORE' : 'RECORDED';
}
