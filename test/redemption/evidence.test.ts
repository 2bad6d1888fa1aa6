import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, nhnItem, nhnPayment, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { grantRows, redeem } from '../helpers/redeem.js';
import { dropNext, loseAnswers } from '../helpers/redemption-faults.js';
import { grantStatuses, SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';
import { gamebaseInput, nhnInput, oneStoreInput } from '../helpers/redemption-inputs.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * A grant is settled only on a store answer that proves the change: its success answer, its
 * "already consumed" to a repeat of the same consume (confirmed by a re-read where the store has
 * one), or a read showing the purchase consumed. Absence from a list proves nothing.
 */

const user = () => `player-${randomUUID().slice(0, 8)}`;
/** Longer than the 1 s lease of these gateways. */
const LEASE_OVER_MS = 1_100;

const PENDING = `query ($app: String!) { grants(app: $app, status: PENDING, first: 100) {
  __typename ... on GrantConnection { edges { node { id status attempts nextAttemptAt } } }
  ... on Error { code } } }`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`settlement on evidence, ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let itemSeq = '';
    const hooks = { gateway: { config: SHORT_LEASE }, startTimeoutMs: 120_000, closeTimeoutMs: 60_000 };
    useLedgerGateway(backend, hooks, async (started) => {
      ({ g, ledger } = started);
      itemSeq = await nhnItem(g, { marketItemId: `evidence_${randomUUID().slice(0, 6)}` });
    });

    const sweep = async () => (await g.gateway.redemption()).sweeper.sweep();
    /** A sweep once the lease is over, counters reset before it. */
    const sweepAfterLease = async () => {
      await sleep(LEASE_OVER_MS);
      await g.resetStats();
      return sweep();
    };
    const pendingIds = async (): Promise<string[]> => {
      const answer = (await g.gql(PENDING, { app: APP })).data.grants as {
        edges: { node: { id: string; status: string } }[];
      };
      for (const e of answer.edges) expect(e.node.status).toBe('PENDING');
      return answer.edges.map((e) => e.node.id);
    };
    const metric = async (name: string): Promise<number> => {
      const text = await (await fetch(`${g.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return Number(line?.split(' ').at(-1));
    };
    /** Statuses of the grants of one purchase (NHN and Gamebase paymentSeqs may look alike). */
    const status = (purchaseKey: string, store = 'NHN_CLOUD'): Promise<string[]> =>
      grantStatuses(ledger, purchaseKey, store);
    /** A ONE store purchase whose first consume never reaches the store: pending, nothing consumed. */
    const pendingOneStore = async () => {
      const p = await purchase(g);
      await dropNext(g, 'onestore.consumePurchase');
      const input = oneStoreInput(p, user());
      const first = await redeem(g, input);
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      return { p, input };
    };
    /** The payment's presence in its own user's unconsumed list, read straight from the sandbox. */
    const nhnUnconsumed = async (appSeq: string, userKey: string, paymentSeq: string) => {
      const response = await fetch(`${g.h.url}/standard/inapp/v1/consumable/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appSeq, userChannel: 'GF', userKey }),
      });
      const body = (await response.json()) as { result: { paymentSeq: string | number }[] };
      return body.result.some((p) => String(p.paymentSeq) === paymentSeq);
    };

    it('NHN Cloud: a consume answer lost after the consume stays PENDING; the repeat answered 5018 settles it', async () => {
      const pay = await nhnPayment(g, { itemSeq });
      await loseAnswers(g, 'nhncloud.consume');
      await g.resetStats();
      const input = nhnInput(pay, itemSeq, pay.userKey);
      const first = await redeem(g, input);
      // The unconsumed list no longer holds it, which proves nothing: the grant waits for evidence.
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await status(pay.paymentSeq)).toEqual(['PENDING']);
      expect(await g.count('nhncloud.consumableList')).toBe(1);

      await sleep(LEASE_OVER_MS);
      expect(await sweep()).toMatchObject({ settled: 1, left: 0 });
      // One consume applied, one repeat answered ALREADY_CONSUMED: that answer is the evidence.
      expect(await g.count('nhncloud.consume')).toBe(2);
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: first.grantId, status: 'SETTLED', outcome: 'CONSUMED' },
      });
    });

    it('NHN Cloud: redeemed under a userId that is not its userKey, an unconsumed payment is never settled on its absence from the list', async () => {
      const pay = await nhnPayment(g, { itemSeq, userKey: `key-${randomUUID().slice(0, 8)}` });
      // The consume never reaches the store's handler: the payment stays unconsumed upstream.
      await dropNext(g, 'nhncloud.consume');
      const userId = user();
      const first = await redeem(g, nhnInput(pay, itemSeq, userId));
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await nhnUnconsumed(g.nhn.a, pay.userKey, pay.paymentSeq)).toBe(true);
      expect(await status(pay.paymentSeq)).toEqual(['PENDING']);
      expect(await pendingIds()).toContain(first.grantId);
      // A sweep inside the lease takes nothing over, and counts what waits for evidence.
      expect(await sweep()).toMatchObject({ settled: 0, dropped: 0 });
      expect(await metric('gateway_ledger_grants_awaiting_evidence')).toBe(1);

      expect(await sweepAfterLease()).toMatchObject({ settled: 1 });
      // The sweeper's consume is the one that applied it, and its success answer settled the grant.
      expect(await g.count('nhncloud.consume')).toBe(1);
      expect(await nhnUnconsumed(g.nhn.a, pay.userKey, pay.paymentSeq)).toBe(false);
      expect(await status(pay.paymentSeq)).toEqual(['SETTLED']);
      expect(await pendingIds()).not.toContain(first.grantId);
      await sweep();
      expect(await metric('gateway_ledger_grants_awaiting_evidence')).toBe(0);
    });

    it('NHN Cloud: a userKey mismatch with the consume applied and its answer lost stays PENDING until the repeat proves it', async () => {
      const pay = await nhnPayment(g, { itemSeq, userKey: `key-${randomUUID().slice(0, 8)}` });
      await loseAnswers(g, 'nhncloud.consume');
      const first = await redeem(g, nhnInput(pay, itemSeq, user()));
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await status(pay.paymentSeq)).toEqual(['PENDING']);
      expect(await pendingIds()).toContain(first.grantId);
      await sweep();
      expect(await metric('gateway_ledger_grants_awaiting_evidence')).toBe(1);
      expect(await sweepAfterLease()).toMatchObject({ settled: 1 });
      expect(await g.count('nhncloud.consume')).toBe(1);
      expect(await status(pay.paymentSeq)).toEqual(['SETTLED']);
    });

    it('NHN Cloud: a repeat that loses its answer too leaves the grant PENDING, backed off, attempts counted', async () => {
      const pay = await nhnPayment(g, { itemSeq });
      await loseAnswers(g, 'nhncloud.consume', 2);
      const first = await redeem(g, nhnInput(pay, itemSeq, pay.userKey));
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      await sleep(LEASE_OVER_MS);
      expect(await sweep()).toMatchObject({ settled: 0, dropped: 0, left: 1 });
      const [row] = await ledger.db.query<{
        status: string;
        attempts: number;
        backed_off: string;
        last_error: string | null;
      }>(
        // CASE, not the bare comparison: PostgreSQL answers a boolean, SQLite 0 or 1.
        `SELECT status, attempts, CASE WHEN next_attempt_at > lease_expires_at THEN 'yes' ELSE 'no' END AS backed_off,
           last_error
         FROM grants WHERE purchase_key = $1 AND store = 'NHN_CLOUD'`,
        [pay.paymentSeq],
      );
      // Second attempt; the next one waits twice the lease, past the lease the sweep took.
      expect(row).toEqual({ status: 'PENDING', attempts: 2, backed_off: 'yes', last_error: 'NO_EVIDENCE' });
      const listed = (await g.gql(PENDING, { app: APP })).data.grants as {
        edges: { node: { id: string; attempts: number; nextAttemptAt: string | null } }[];
      };
      const mine = listed.edges.find((e) => e.node.id === first.grantId);
      expect(mine?.node.attempts).toBe(2);
      expect(typeof mine?.node.nextAttemptAt).toBe('string');
      // Once the backoff has passed, the third attempt's repeat is answered 5018: settled on it.
      const due = new Date(mine?.node.nextAttemptAt ?? 0).getTime() - Date.now();
      await sleep(Math.max(0, due) + 100);
      expect(await sweep()).toMatchObject({ settled: 1, left: 0 });
      expect(await status(pay.paymentSeq)).toEqual(['SETTLED']);
    });

    it('Gamebase: a consume answer lost after the consume stays PENDING; the repeat answered 5018 settles it', async () => {
      const pay = await newGamebasePayment(g.h, g.gamebase);
      await loseAnswers(g, 'gamebase.consume');
      await g.resetStats();
      const input = gamebaseInput(pay, pay.userId);
      const first = await redeem(g, input);
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await status(pay.paymentSeq, 'GAMEBASE')).toEqual(['PENDING']);
      expect(await pendingIds()).toContain(first.grantId);
      await sleep(LEASE_OVER_MS);
      expect(await sweep()).toMatchObject({ settled: 1 });
      expect(await g.count('gamebase.consume')).toBe(2);
      expect(await redeem(g, input)).toMatchObject({
        grant: { id: first.grantId, status: 'SETTLED', outcome: 'CONSUMED' },
      });
    });

    it('Gamebase: a consume lost before the store handled it is read as not consumed and consumed once by the sweeper', async () => {
      const pay = await newGamebasePayment(g.h, g.gamebase);
      await dropNext(g, 'gamebase.consume');
      const first = await redeem(g, gamebaseInput(pay, pay.userId));
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await sweepAfterLease()).toMatchObject({ settled: 1 });
      expect(await g.count('gamebase.consume')).toBe(1);
      expect(
        await g.control<{ status: string }>('GET', `/gamebase/payments/${pay.paymentSeq}`),
      ).toMatchObject({ status: 'consumed' });
    });

    it('ONE store: a consume answer lost after the consume is settled by the getPurchaseDetails read, not before', async () => {
      const p = await purchase(g);
      const input = oneStoreInput(p, user());
      // Consumed, but the read right after the lost answer fails too: no evidence, so it stays pending.
      const first = await redeemWithReadFault(g, input, p.purchaseToken);
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      expect(await status(p.purchaseToken, 'ONESTORE')).toEqual(['PENDING']);
      expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
      expect(await sweepAfterLease()).toMatchObject({ settled: 1 });
      // The read proved the consume: no second consume was sent.
      expect(await g.count('onestore.consumePurchase')).toBe(0);
      expect(await g.count('onestore.getPurchaseDetails')).toBe(1);
      expect(await status(p.purchaseToken, 'ONESTORE')).toEqual(['SETTLED']);
    });

    it('ONE store: InvalidConsumeState on a purchase that is not consumed is InvalidPurchaseStateError and no grant', async () => {
      const p = await purchase(g);
      await g.control('POST', '/faults', {
        endpoint: 'onestore.consumePurchase',
        code: 'InvalidConsumeState',
        count: 1,
      });
      await g.resetStats();
      const answer = await redeem(g, oneStoreInput(p, user()));
      expect(answer).toMatchObject({
        __typename: 'InvalidPurchaseStateError',
        errorStore: 'ONESTORE',
        storeCode: 'InvalidConsumeState',
      });
      // Verification, then the re-read that decided.
      expect(await g.count('onestore.getPurchaseDetails')).toBe(2);
      expect(await grantRows(ledger, p.purchaseToken)).toBe(0);
      expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
    });

    it('ONE store: recovery does not settle on InvalidConsumeState when the re-read shows the purchase not consumed', async () => {
      const { p, input } = await pendingOneStore();
      // The sweeper's consume is refused with InvalidConsumeState ("cannot be changed").
      await g.control('POST', '/faults', {
        endpoint: 'onestore.consumePurchase',
        code: 'InvalidConsumeState',
        count: 1,
      });
      await sleep(LEASE_OVER_MS);
      expect(await sweep()).toMatchObject({ settled: 0, dropped: 1 });
      expect(await grantRows(ledger, p.purchaseToken)).toBe(0);
      expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
      // Nothing was consumed, so a retry redeems it for real.
      expect(await redeem(g, input)).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: false,
        grant: { status: 'SETTLED', outcome: 'CONSUMED' },
      });
    });

    it('ONE store: recovery settles on InvalidConsumeState when the re-read shows the purchase consumed', async () => {
      const { p } = await pendingOneStore();
      // The sweeper reads "not consumed" and consumes; the store applies it but answers
      // InvalidConsumeState, and the re-read after that answer shows the purchase consumed.
      await g.control('POST', '/faults', {
        endpoint: 'onestore.consumePurchase',
        phase: 'after',
        code: 'InvalidConsumeState',
        count: 1,
      });
      expect(await sweepAfterLease()).toMatchObject({ settled: 1 });
      expect(await g.count('onestore.consumePurchase')).toBe(1);
      expect(await g.count('onestore.getPurchaseDetails')).toBe(2);
      expect(await status(p.purchaseToken, 'ONESTORE')).toEqual(['SETTLED']);
    });
  });
}

/**
 * Redeems a ONE store purchase whose consume is applied but answered 3 s late (past the 800 ms
 * upstream deadline), and makes every getPurchaseDetails fail from the moment the store has
 * applied the consume: the gateway's read after the lost answer fails, the verification before
 * it did not. Faults are cleared before returning.
 */
async function redeemWithReadFault(g: GatewayHarness, input: Record<string, unknown>, token: string) {
  await g.control('POST', '/faults', {
    endpoint: 'onestore.consumePurchase',
    phase: 'after',
    latencyMs: 3_000,
    count: 1,
  });
  const answer = redeem(g, input);
  while ((await record(g, token)).consumptionState !== 1) await sleep(5);
  await g.control('POST', '/faults', {
    endpoint: 'onestore.getPurchaseDetails',
    code: 'InternalError',
    rate: 1,
  });
  const result = await answer;
  await g.control('DELETE', '/faults');
  return result;
}
