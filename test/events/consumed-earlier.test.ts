import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { consumeAnswerLost, intentsOf, nhnPaid } from '../helpers/events-changes.js';
import { eventsAbout } from '../helpers/events-query.js';
import {
  APP,
  ERROR_FIELDS,
  type GatewayHarness,
  nhnItem,
  purchase,
  upstreamCounts,
} from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { gatewayOnLedger, NO_LEDGER_LOOPS } from '../helpers/ledger-gateway.js';

/**
 * Review 3, findings 3 and 4: the plain consumePurchase meeting "already consumed" after an
 * uncertain answer. While the change intent of the caller's earlier consume of the same payment is
 * open (its request over, no evidence yet), that consume may be what consumed it: the retry is
 * answered success, and the earlier intent completed with its one event. An intent still in flight
 * does not count, and without any the answer stays AlreadyConsumedError.
 */

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) {
    __typename ... on ConsumePurchaseSuccess { price { amount } purchase { consumptionState } } ${ERROR_FIELDS}
  }
}`;
const EVENT_FIELDS = 'type paymentSeq requestedAt purchase { purchaseToken }';

interface EventNode {
  type: string;
  paymentSeq: string | null;
  requestedAt: string | null;
  purchase: { purchaseToken: string } | null;
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`consumed by the caller's earlier request, on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let itemSeq = '';
    gatewayOnLedger(backend, { config: { ledger: NO_LEDGER_LOOPS } }, async (started) => {
      ({ g, ledger } = started);
      itemSeq = await nhnItem(g, { marketItemId: 'earlier_gas' });
    });

    const consume = async (input: Record<string, unknown>) =>
      (await g.gql(CONSUME, { input: { app: APP, ...input } })).data.consumePurchase as Record<
        string,
        unknown
      >;
    const eventsOf = (subject: string) => eventsAbout<EventNode>(g, EVENT_FIELDS, subject);
    const listed = async (userKey: string, paymentSeq: string) => {
      const answer = await g.gql(
        `query ($app: String!, $userKey: String!) {
          unconsumedPurchases(app: $app, userKey: $userKey) { ... on UnconsumedPurchases { purchases { paymentSeq } } } }`,
        { app: APP, userKey },
      );
      const found = answer.data.unconsumedPurchases as { purchases: { paymentSeq: string }[] };
      return found.purchases.some((p) => p.paymentSeq === paymentSeq);
    };
    const intents = (subject: string) => intentsOf(ledger, 'last_error', subject);
    /** One event of `subject`, and no intent of it left. */
    const expectOneEventNoIntent = async (subject: string) => {
      expect(await eventsOf(subject)).toHaveLength(1);
      expect(await intents(subject)).toEqual([]);
    };
    /** The next NHN Cloud consume is applied, then answered as `answer` says. */
    const afterNhnConsume = (answer: Record<string, unknown>) =>
      g.control('POST', '/faults', { endpoint: 'nhncloud.consume', phase: 'after', count: 1, ...answer });

    it('NHN Cloud: applied, answered 5000; the retry meets 5018 and is answered success (price null), one event, no intent left', async () => {
      const { pay, nhncloud } = await nhnPaid(g, itemSeq);
      await afterNhnConsume({ resultCode: 5000 });
      expect(await consume({ nhncloud })).toMatchObject({
        __typename: 'UncertainOutcomeError',
        storeCode: '5000',
      });
      // Its request is over: the intent says so.
      expect(await intents(pay.paymentSeq)).toEqual([{ last_error: 'UNCERTAIN_ANSWER' }]);
      expect(await consume({ nhncloud })).toEqual({
        __typename: 'ConsumePurchaseSuccess',
        price: null,
        purchase: null,
      });
      const events = await eventsOf(pay.paymentSeq);
      expect(events).toEqual([
        expect.objectContaining({ type: 'PURCHASE_CONSUMED', paymentSeq: pay.paymentSeq }),
      ]);
      expect(await intents(pay.paymentSeq)).toEqual([]);
      // Once proven and recorded, a further consume is someone consuming it again.
      expect(await consume({ nhncloud })).toMatchObject({
        __typename: 'AlreadyConsumedError',
        storeCode: '5018',
      });
      await expectOneEventNoIntent(pay.paymentSeq);
    });

    it('NHN Cloud: another token of the same payment does not count as the earlier consume', async () => {
      const { pay, nhncloud } = await nhnPaid(g, itemSeq);
      await afterNhnConsume({ status: 429 });
      expect(await consume({ nhncloud })).toMatchObject({ __typename: 'UncertainOutcomeError' });
      // The store answers 5018 to the other token too (a fault stands for it: the sandbox checks the token first).
      await g.control('POST', '/faults', { endpoint: 'nhncloud.consume', count: 1, resultCode: 5018 });
      expect(await consume({ nhncloud: { ...nhncloud, purchaseToken: 'b3RoZXItdG9rZW4' } })).toMatchObject({
        __typename: 'AlreadyConsumedError',
      });
      expect(await eventsOf(pay.paymentSeq)).toEqual([]);
      expect(await intents(pay.paymentSeq)).toEqual([{ last_error: 'UNCERTAIN_ANSWER' }]);
    });

    it('NHN Cloud: an earlier consume still in flight (lease live, no answer yet) does not count', async () => {
      const { pay, nhncloud } = await nhnPaid(g, itemSeq);
      // The first consume is applied and its answer held back; the second meets 5018 meanwhile.
      await afterNhnConsume({ latencyMs: 600 });
      const first = consume({ nhncloud });
      // Applied: the payment left its user's unconsumed list (the answer is still held back).
      while (await listed(pay.userKey, pay.paymentSeq)) await sleep(10);
      expect(await consume({ nhncloud })).toMatchObject({ __typename: 'AlreadyConsumedError' });
      expect(await first).toMatchObject({
        __typename: 'ConsumePurchaseSuccess',
        price: { amount: expect.any(String) },
      });
      await expectOneEventNoIntent(pay.paymentSeq);
    });

    it("NHN Cloud, the sweeper: the repeat of an uncertain consume refused (1100) proves nothing of the first: the intent stays open, and the next repeat's 5018 writes the event", async () => {
      const { pay, nhncloud } = await nhnPaid(g, itemSeq);
      await afterNhnConsume({ status: 429 });
      expect(await consume({ nhncloud })).toMatchObject({ __typename: 'UncertainOutcomeError' });
      // The sweeper's recovery of this intent (as a sweep at start-up runs it: lease or not).
      const recover = async () => {
        const [intent] = await ledger.intents.openOf(APP, 'PURCHASE_CONSUMED', pay.paymentSeq);
        if (intent === undefined) throw new Error('no open intent');
        return (await g.gateway.redemption()).intents.recoverOne(intent, true);
      };
      await g.control('POST', '/faults', { endpoint: 'nhncloud.consume', count: 1, resultCode: 1100 });
      expect(await recover()).toBe('left');
      expect(await intents(pay.paymentSeq)).toEqual([{ last_error: 'NO_EVIDENCE' }]);
      expect(await eventsOf(pay.paymentSeq)).toEqual([]);
      expect(await recover()).toBe('completed');
      expect(await eventsOf(pay.paymentSeq)).toEqual([
        expect.objectContaining({ type: 'PURCHASE_CONSUMED' }),
      ]);
    });

    it('ONE store: applied, answer lost and the read after it refused; the retry reads it consumed and is answered success without a consume, one event', async () => {
      const p = await purchase(g);
      const onestore = { productId: p.productId, purchaseToken: p.purchaseToken };
      const first = await consumeAnswerLost(g, p.purchaseToken, 600, () => consume({ onestore }));
      expect(first).toMatchObject({ __typename: 'UncertainOutcomeError' });
      await g.resetStats();
      expect(await consume({ onestore })).toEqual({
        __typename: 'ConsumePurchaseSuccess',
        price: null,
        purchase: { consumptionState: 'CONSUMED' },
      });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      expect(await eventsOf(p.purchaseToken)).toEqual([
        expect.objectContaining({ type: 'PURCHASE_CONSUMED' }),
      ]);
      expect(await intents(p.purchaseToken)).toEqual([]);
      expect(await consume({ onestore })).toMatchObject({ __typename: 'AlreadyConsumedError' });
      expect(await eventsOf(p.purchaseToken)).toHaveLength(1);
    });
  });
}
