import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, nhnItem, nhnPayment, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { type RedeemAnswer, redeem } from '../helpers/redeem.js';
import { SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';
import { gamebaseInput, nhnInput } from '../helpers/redemption-inputs.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * Issue 24's "Done when": a store that applies a consume and then answers something that does not
 * prove "nothing changed" (429, maintenance, 503 + Retry-After, NHN 5000 / 9999, a cut 200). A game
 * backend that delivers by grant id, retries what says "retry", and stops at a final answer must end
 * with exactly one delivered grant: none lost (a ConsumedOutsideLedgerError after the store took the
 * money), none doubled. ONE store settles at once on its purchase read; NHN Cloud and Gamebase have no
 * read that proves a consume, so the grant stays pending until the sweeper's repeat is answered
 * "already consumed" (5018).
 */

type Store = 'ONESTORE' | 'NHN_CLOUD' | 'GAMEBASE';

/**
 * The answers of NHN Cloud and Gamebase, the same for both. Neither envelope store documents a
 * maintenance answer: the sandbox's is a 503 page.
 */
const ENVELOPE_STORE_ANSWERS: Record<string, Record<string, unknown>> = {
  'HTTP 429': { status: 429 },
  'maintenance (a 503 page)': { status: 503 },
  '503 + Retry-After': { status: 503, retryAfterSeconds: 30 },
  'resultCode 5000': { resultCode: 5000 },
  'resultCode 9999': { resultCode: 9999 },
  'a cut 200': { cut: true },
};

/** What the fake store answers after applying the consume (a sandbox fault rule, phase `after`). */
const ANSWERS: Record<Store, Record<string, Record<string, unknown>>> = {
  ONESTORE: {
    'HTTP 429': { status: 429 },
    ServiceMaintenance: { code: 'ServiceMaintenance' },
    '503 + Retry-After': { status: 503, retryAfterSeconds: 30 },
    InternalError: { code: 'InternalError' },
    'an unknown code': { code: 'SomethingNew', status: 400 },
    'a cut 200': { cut: true },
  },
  NHN_CLOUD: ENVELOPE_STORE_ANSWERS,
  GAMEBASE: ENVELOPE_STORE_ANSWERS,
};

const CONSUME_ENDPOINT: Record<Store, string> = {
  ONESTORE: 'onestore.consumePurchase',
  NHN_CLOUD: 'nhncloud.consume',
  GAMEBASE: 'gamebase.consume',
};

/** Answers after which a game backend calls again; anything else is final. */
const RETRY = new Set([
  'RedemptionInProgressError',
  'StoreUnavailableError',
  'UncertainOutcomeError',
  'LedgerUnavailableError',
]);

const CASES = (Object.keys(ANSWERS) as Store[]).flatMap((store) =>
  Object.entries(ANSWERS[store]).map(([answer, fault]) => ({ store, answer, fault })),
);

/** Longer than the 1 s lease of this gateway. */
const LEASE_OVER_MS = 1_100;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a consume the store applied, then answered badly: ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let itemSeq = '';
    const hooks = {
      gateway: { config: SHORT_LEASE },
      clearFaults: true,
      startTimeoutMs: 120_000,
      closeTimeoutMs: 60_000,
    };
    useLedgerGateway(backend, hooks, async (started) => {
      ({ g, ledger } = started);
      itemSeq = await nhnItem(g, { marketItemId: `answers_${randomUUID().slice(0, 6)}` });
    });

    /** A fresh paid purchase of `store`: the redeem input, its ledger key, and whether it is consumed upstream. */
    async function paid(store: Store) {
      if (store === 'ONESTORE') {
        const p = await purchase(g);
        return {
          key: p.purchaseToken,
          input: {
            app: APP,
            userId: `player-${randomUUID().slice(0, 8)}`,
            onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
          },
          consumed: async () => (await record(g, p.purchaseToken)).consumptionState === 1,
        };
      }
      if (store === 'NHN_CLOUD') {
        const pay = await nhnPayment(g, { itemSeq });
        return {
          key: pay.paymentSeq,
          input: nhnInput(pay, itemSeq, pay.userKey),
          consumed: async () => {
            const response = await fetch(`${g.h.url}/standard/inapp/v1/consumable/list`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ appSeq: g.nhn.a, userChannel: 'GF', userKey: pay.userKey }),
            });
            const body = (await response.json()) as { result: { paymentSeq: string | number }[] };
            return !body.result.some((p) => String(p.paymentSeq) === pay.paymentSeq);
          },
        };
      }
      const pay = await newGamebasePayment(g.h, g.gamebase);
      return {
        key: pay.paymentSeq,
        input: gamebaseInput(pay, pay.userId),
        consumed: async () =>
          (await g.control<{ status: string }>('GET', `/gamebase/payments/${pay.paymentSeq}`)).status ===
          'consumed',
      };
    }

    it.each(CASES)(
      '$store: the consume applied, answered $answer: one grant delivered',
      async ({ store, answer, fault }) => {
        const bought = await paid(store);
        await g.control('POST', '/faults', {
          endpoint: CONSUME_ENDPOINT[store],
          phase: 'after',
          count: 1,
          ...fault,
        });
        await g.resetStats();
        // The game backend: delivers a grant id it has not delivered, calls again on a "retry"
        // answer (after the lease, as retryAfterSeconds says), stops at anything else.
        const delivered = new Set<string>();
        const answers: RedeemAnswer[] = [];
        let last: RedeemAnswer = await redeem(g, bought.input);
        answers.push(last);
        for (let call = 0; call < 4 && last.__typename !== 'RedeemPurchaseSuccess'; call++) {
          if (!RETRY.has(last.__typename)) break;
          await sleep(LEASE_OVER_MS);
          last = await redeem(g, bought.input);
          answers.push(last);
        }
        for (const a of answers) if (a.grant?.status === 'SETTLED') delivered.add(a.grant.id);

        const rows = await ledger.db.query<{ id: string; status: string }>(
          'SELECT id, status FROM grants WHERE purchase_key = $1 AND store = $2',
          [bought.key, store],
        );
        const summary = {
          answers: answers.map((a) => a.__typename),
          lost: delivered.size === 0 ? 1 : 0,
          doubled: Math.max(0, delivered.size - 1),
          rows: rows.map((r) => r.status),
        };
        expect(summary, `${store}, ${answer}`).toMatchObject({ lost: 0, doubled: 0, rows: ['SETTLED'] });
        expect(last).toMatchObject({ grant: { status: 'SETTLED', outcome: 'CONSUMED' } });
        expect(rows[0]?.id).toBe(last.grant?.id);
        expect(await bought.consumed()).toBe(true);
        if (store === 'ONESTORE') {
          // The read after the answer proved the consume: settled at once, no second consume.
          expect(summary.answers).toEqual(['RedeemPurchaseSuccess']);
          expect(await g.count('onestore.consumePurchase')).toBe(1);
        } else {
          // Pending until the repeat of the same consume, after the lease, is answered 5018.
          expect(summary.answers).toEqual(['RedemptionInProgressError', 'RedeemPurchaseSuccess']);
          expect(await g.count(CONSUME_ENDPOINT[store])).toBe(2);
        }
      },
    );

    it("NHN Cloud, a wrong token for a payment listed under another user: pending (5000 proves nothing, first or repeated), until the owner's own list proves the token wrong; the owner then redeems it", async () => {
      const pay = await nhnPayment(g, { itemSeq });
      const wrong = nhnInput(
        { ...pay, purchaseToken: 'bm90LXRoZS10b2tlbg' },
        itemSeq,
        `player-${randomUUID().slice(0, 8)}`,
      );
      // 5000 to a first consume proves nothing, and this user's list cannot tell.
      expect(await redeem(g, wrong)).toMatchObject({ __typename: 'RedemptionInProgressError' });
      await sleep(LEASE_OVER_MS);
      // Nor does 5000 to the repeat (document 000: "Consume 실패", nothing about the token's order).
      expect(await redeem(g, wrong)).toMatchObject({ __typename: 'RedemptionInProgressError' });
      const rows = () =>
        ledger.db.query<{ user_id: string; status: string }>(
          'SELECT user_id, status FROM grants WHERE purchase_key = $1 AND store = $2',
          [pay.paymentSeq, 'NHN_CLOUD'],
        );
      expect(await rows()).toEqual([{ user_id: wrong.userId, status: 'PENDING' }]);
      // The owner is not blocked: their list shows the payment under their token, so the pending
      // claim's token can never consume it; it is dropped and the owner's redemption goes on.
      expect(await redeem(g, nhnInput(pay, itemSeq, pay.userKey))).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: false,
        grant: { status: 'SETTLED' },
      });
      expect(await rows()).toEqual([{ user_id: pay.userKey, status: 'SETTLED' }]);
      // The stranger's next try meets the owner's grant.
      expect(await redeem(g, wrong)).toMatchObject({ __typename: 'GrantConflictError' });
    });

    it("the sweeper settles such a grant too, and the game backend's retry then finds it settled", async () => {
      const bought = await paid('NHN_CLOUD');
      await g.control('POST', '/faults', {
        endpoint: 'nhncloud.consume',
        phase: 'after',
        count: 1,
        status: 429,
      });
      const first = await redeem(g, bought.input);
      expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
      await sleep(LEASE_OVER_MS);
      expect(await (await g.gateway.redemption()).sweeper.sweep()).toMatchObject({ settled: 1 });
      expect(await redeem(g, bought.input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: first.grantId, status: 'SETTLED', outcome: 'CONSUMED' },
      });
    });
  });
}
