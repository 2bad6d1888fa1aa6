import { describe, expect, it } from 'vitest';
import { IntentRecovery } from '../../src/redemption/change-intents.js';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { consumeAnswerLost, intentsOf, nhnPaid } from '../helpers/events-changes.js';
import { eventsAbout } from '../helpers/events-query.js';
import {
  APP,
  ERROR_FIELDS,
  type GatewayHarness,
  nhnItem,
  purchase,
  startGateway,
  upstreamCounts,
} from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gatewayOnLedger, NO_LEDGER_LOOPS } from '../helpers/ledger-gateway.js';

/**
 * Issue 24, point 6, in process: every change made through the gateway has its intent in the ledger
 * before its store call. A success writes the event at once; a refusal closes the intent with no
 * event; an answer that proves nothing (here: the store applies the change and drops the
 * connection, or drops it before handling) leaves the intent open, and the sweeper's read (run
 * here as start-up recovery does, taking every intent) writes the event only if the store shows
 * the change, exactly once.
 */

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ... on ConsumePurchaseSuccess { price { amount } } ${ERROR_FIELDS} }
}`;
const ACK = `mutation ($input: AcknowledgePurchaseInput!) {
  acknowledgePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;
const CHANGE = (name: string) => `mutation ($input: SubscriptionTargetInput!) {
  ${name}(input: $input) { __typename ${ERROR_FIELDS} }
}`;
const DEFER = `mutation ($input: DeferSubscriptionInput!) {
  deferSubscription(input: $input) { __typename ${ERROR_FIELDS} }
}`;
const EVENT_FIELDS = `id type occurredAt observedAt requestedAt store productId paymentSeq price { amount }
  purchase { purchaseToken consumptionState acknowledgementState }
  subscription { purchaseToken autoRenewing expiresAt } subscriptionKind`;

interface EventNode {
  type: string;
  occurredAt: string;
  observedAt: string;
  requestedAt: string | null;
  paymentSeq: string | null;
  price: { amount: string } | null;
  purchase: { purchaseToken: string; consumptionState: string; acknowledgementState: string } | null;
  subscription: { purchaseToken: string; autoRenewing: boolean; expiresAt: string } | null;
  subscriptionKind: string | null;
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`change intents on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    gatewayOnLedger(
      backend,
      { config: { ledger: NO_LEDGER_LOOPS, limits: { maxCost: 50_000 } } },
      (started) => {
        ({ g, ledger } = started);
      },
    );

    const eventsOf = (subject: string) => eventsAbout<EventNode>(g, EVENT_FIELDS, subject);
    const openIntents = (subject: string) => intentsOf(ledger, 'type', subject);
    const ref = (p: { productId: string; purchaseToken: string }) => ({
      productId: p.productId,
      purchaseToken: p.purchaseToken,
    });
    const sweep = async () => (await g.gateway.redemption()).intents.sweep(true);
    const fault = (endpoint: string, spec: Record<string, unknown>) =>
      g.control('POST', '/faults', { endpoint, count: 1, ...spec });

    it('a consume answered: its event at once, requested before it was observed; no intent left', async () => {
      const p = await purchase(g);
      const answer = await g.gql(CONSUME, { input: { app: APP, onestore: ref(p) } });
      expect(answer.data.consumePurchase).toMatchObject({ __typename: 'ConsumePurchaseSuccess' });
      const [event, ...more] = await eventsOf(p.purchaseToken);
      expect(more).toEqual([]);
      expect(event).toMatchObject({ type: 'PURCHASE_CONSUMED', purchase: { consumptionState: 'CONSUMED' } });
      expect(Date.parse(event?.requestedAt ?? '')).toBeLessThanOrEqual(Date.parse(event?.observedAt ?? ''));
      expect(await openIntents(p.purchaseToken)).toEqual([]);
    });

    it('a consume the store refuses: the intent is closed, no event', async () => {
      const p = await purchase(g);
      await g.gql(CONSUME, { input: { app: APP, onestore: ref(p) } });
      const again = await g.gql(CONSUME, { input: { app: APP, onestore: ref(p) } });
      expect(again.data.consumePurchase).toMatchObject({ __typename: 'AlreadyConsumedError' });
      expect(await eventsOf(p.purchaseToken)).toHaveLength(1);
      expect(await openIntents(p.purchaseToken)).toEqual([]);
    });

    /** The consume is applied and its answer lost, and the read after it refused too. */
    const consumeLost = (p: { productId: string; purchaseToken: string }) =>
      consumeAnswerLost(g, p.purchaseToken, 800, () =>
        g.gql(CONSUME, { input: { app: APP, onestore: ref(p) } }),
      );

    it('a consume applied, its answer lost: no event yet, the intent open; the sweep reads, writes it once', async () => {
      const p = await purchase(g);
      const answer = await consumeLost(p);
      expect(answer.data.consumePurchase).toMatchObject({ __typename: 'UncertainOutcomeError' });
      expect(await eventsOf(p.purchaseToken)).toEqual([]);
      expect(await openIntents(p.purchaseToken)).toEqual([{ type: 'PURCHASE_CONSUMED' }]);
      await g.resetStats();
      expect(await sweep()).toEqual({ completed: 1, closed: 0, left: 0, abandoned: 0, open: 0 });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      const events = await eventsOf(p.purchaseToken);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'PURCHASE_CONSUMED',
        purchase: { consumptionState: 'CONSUMED' },
      });
      expect(Date.parse(events[0]?.observedAt ?? '')).toBeGreaterThan(
        Date.parse(events[0]?.requestedAt ?? ''),
      );
      expect(await sweep()).toEqual({ completed: 0, closed: 0, left: 0, abandoned: 0, open: 0 });
      expect(await eventsOf(p.purchaseToken)).toHaveLength(1);
    });

    it('a consume that never reached the store (dropped before it was handled): the read closes the intent, no event', async () => {
      const p = await purchase(g);
      await fault('onestore.consumePurchase', { drop: true });
      await g.gql(CONSUME, { input: { app: APP, onestore: ref(p) } });
      expect(await openIntents(p.purchaseToken)).toEqual([{ type: 'PURCHASE_CONSUMED' }]);
      expect(await sweep()).toEqual({ completed: 0, closed: 1, left: 0, abandoned: 0, open: 0 });
      expect(await eventsOf(p.purchaseToken)).toEqual([]);
    });

    it('the store cannot be read: the intent stays open with backoff, and a later read completes it', async () => {
      const p = await purchase(g);
      await consumeLost(p);
      await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 503, count: 20 });
      expect(await sweep()).toEqual({ completed: 0, closed: 0, left: 1, abandoned: 0, open: 1 });
      const [row] = await intentsOf(ledger, 'last_error', p.purchaseToken);
      expect(row?.last_error).toBe('READ_FAILED');
      await g.control('DELETE', '/faults');
      expect(await sweep()).toEqual({ completed: 1, closed: 0, left: 0, abandoned: 0, open: 0 });
      expect(await eventsOf(p.purchaseToken)).toHaveLength(1);
    });

    it('NHN Cloud: a consume applied, its answer lost; the sweep sends it again, 5018 is the evidence', async () => {
      const { pay, nhncloud } = await nhnPaid(g, await nhnItem(g, { marketItemId: 'gas_1' }));
      await fault('nhncloud.consume', { phase: 'after', drop: true });
      await g.gql(CONSUME, { input: { app: APP, nhncloud } });
      expect(await eventsOf(pay.paymentSeq)).toEqual([]);
      await g.resetStats();
      expect(await sweep()).toMatchObject({ completed: 1, open: 0 });
      expect(await upstreamCounts(g)).toEqual({ 'nhncloud.consume': 1 });
      expect(await eventsOf(pay.paymentSeq)).toEqual([
        expect.objectContaining({ type: 'PURCHASE_CONSUMED', paymentSeq: pay.paymentSeq, price: null }),
      ]);
    });

    it('NHN Cloud, a wrong token (5000 to every repeat): the intent stays open a day, then is abandoned with no event', async () => {
      const paid = await nhnPaid(g, await nhnItem(g, { marketItemId: 'gas_1' }));
      const { pay } = paid;
      const nhncloud = { ...paid.nhncloud, purchaseToken: 'not-the-payments-token' };
      const answer = await g.gql(CONSUME, { input: { app: APP, nhncloud } });
      expect(answer.data.consumePurchase).toMatchObject({ __typename: 'UncertainOutcomeError' });
      expect(await sweep()).toMatchObject({ completed: 0, closed: 0, left: 1, abandoned: 0, open: 1 });
      const service = await g.gateway.redemption();
      // The same pass a day on: the give-up time passed.
      const dayOn = new IntentRecovery(service.intents.intents, service.intents.stores, {
        owner: 'test-sweeper',
        leaseMs: 30_000,
        giveUpMs: 0,
      });
      const [row] = await intentsOf(ledger, 'last_error', pay.paymentSeq);
      expect(row?.last_error).toBe('NO_EVIDENCE');
      expect(await dayOn.sweep(true)).toMatchObject({ completed: 0, left: 0, abandoned: 1, open: 0 });
      expect(await openIntents(pay.paymentSeq)).toEqual([]);
      expect(await eventsOf(pay.paymentSeq)).toEqual([]);
    });

    it('acknowledge, cancel, reactivate and defer with their answers lost: each one event from the read', async () => {
      const managed = await purchase(g, { productId: 'sword_skin' });
      await fault('onestore.acknowledgePurchase', { phase: 'after', drop: true });
      const ackInput = { app: APP, productId: managed.productId, purchaseToken: managed.purchaseToken };
      await g.gql(ACK, { input: ackInput });
      const sub = await purchase(g, { type: 'subscription', productId: 'vip_month' });
      const subInput = {
        app: APP,
        productId: sub.productId,
        purchaseToken: sub.purchaseToken,
        kind: 'SUBSCRIPTION',
      };
      await fault('onestore.cancelSubscription', { phase: 'after', drop: true });
      await g.gql(CHANGE('cancelSubscription'), { input: subInput });
      expect(await sweep()).toMatchObject({ completed: 2, open: 0 });
      await fault('onestore.reactivateSubscription', { phase: 'after', drop: true });
      await g.gql(CHANGE('reactivateSubscription'), { input: subInput });
      expect(await sweep()).toMatchObject({ completed: 1, open: 0 });
      await fault('onestore.deferSubscription', { phase: 'after', drop: true });
      const { kind: _kind, ...deferInput } = subInput;
      await g.gql(DEFER, { input: { ...deferInput, deferPeriod: 3 } });
      expect(await sweep()).toMatchObject({ completed: 1, open: 0 });
      expect(
        (await eventsOf(managed.purchaseToken)).map((e) => [e.type, e.purchase?.acknowledgementState]),
      ).toEqual([['PURCHASE_ACKNOWLEDGED', 'ACKNOWLEDGED']]);
      const changes = await eventsOf(sub.purchaseToken);
      expect(changes.map((e) => [e.type, e.subscriptionKind, e.subscription?.autoRenewing])).toEqual([
        ['SUBSCRIPTION_CANCELLED', 'SUBSCRIPTION', false],
        ['SUBSCRIPTION_REACTIVATED', 'SUBSCRIPTION', true],
        ['SUBSCRIPTION_DEFERRED', 'SUBSCRIPTION', true],
      ]);
      expect(Date.parse(changes[2]?.subscription?.expiresAt ?? '')).toBeGreaterThan(
        Date.parse(changes[1]?.subscription?.expiresAt ?? ''),
      );
    });
  });
}

describe('a change whose intent the ledger cannot take', () => {
  it('is not made: LedgerUnavailableError, no store call', async () => {
    const ledger = await openLedgerStorage({});
    const g = await startGateway({ gatewayOptions: { ledger } });
    try {
      await g.gateway.redemption();
      const p = await purchase(g);
      await ledger.db.close();
      await g.resetStats();
      const onestore = { productId: p.productId, purchaseToken: p.purchaseToken };
      const answer = await g.gql(CONSUME, { input: { app: APP, onestore } });
      expect(answer.data.consumePurchase).toMatchObject({ __typename: 'LedgerUnavailableError' });
      // The read before the consume (issue 24 review 3, finding 4), and no change sent.
      expect(await upstreamCounts(g)).toEqual({ 'onestore.token': 1, 'onestore.getPurchaseDetails': 1 });
    } finally {
      await g.close();
    }
  });
});
