import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { createGateway } from '../../src/server/create-gateway.js';
import { APP, act, type GatewayHarness, nhnItem, nhnPayment, purchase } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { grantRows, ledgerFor, REDEEM, type RedeemAnswer, redeem } from '../helpers/redeem.js';
import { loseAnswers } from '../helpers/redemption-faults.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { nhnInput, oneStoreInput } from '../helpers/redemption-inputs.js';

const user = () => `player-${randomUUID().slice(0, 8)}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`redeemPurchase on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let itemSeq = '';
    useLedgerGateway(backend, {}, async (started) => {
      ({ g, ledger } = started);
      itemSeq = await nhnItem(g, { itemName: 'Gas can', marketItemId: 'gas_can' });
    });

    it('verifies, records one grant, consumes once; a repeat returns the same grant with no store call', async () => {
      const p = await purchase(g, { quantity: 3 });
      const userId = user();
      await g.resetStats();
      const first = await redeem(g, oneStoreInput(p, userId));
      expect(first).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: false,
        grant: {
          store: 'ONESTORE',
          userId,
          productId: 'gem_100',
          quantity: 3,
          status: 'SETTLED',
          outcome: 'CONSUMED',
        },
      });
      expect(first.grant?.storeIds).toMatchObject({
        purchaseToken: p.purchaseToken,
        purchaseId: p.purchaseId,
      });
      expect(await g.count('onestore.consumePurchase')).toBe(1);
      await g.resetStats();
      const again = await redeem(g, oneStoreInput(p, userId));
      expect(again).toMatchObject({
        alreadyRedeemed: true,
        grant: { id: first.grant?.id, status: 'SETTLED' },
      });
      expect((await g.h.stats()).total).toBe(0);
      expect(await grantRows(ledger, p.purchaseToken)).toBe(1);
    });

    it('200 concurrent calls for one purchase: one grant, one upstream consume, one caller told to deliver', async () => {
      const p = await purchase(g);
      const userId = user();
      await g.resetStats();
      const input = oneStoreInput(p, userId);
      const answers = await Promise.all(Array.from({ length: 200 }, () => redeem(g, input)));
      const ids = new Set(answers.map((a) => a.grant?.id ?? a.grantId));
      expect(ids.size).toBe(1);
      for (const a of answers)
        expect(['RedeemPurchaseSuccess', 'RedemptionInProgressError']).toContain(a.__typename);
      expect(answers.filter((a) => a.alreadyRedeemed === false)).toHaveLength(1);
      expect(await g.count('onestore.consumePurchase')).toBe(1);
      expect(await grantRows(ledger, p.purchaseToken)).toBe(1);
    });

    it('an idempotency key returns the same grant; reused with other parameters it is a typed error', async () => {
      const [p, q] = [await purchase(g), await purchase(g)];
      const userId = user();
      const idempotencyKey = `order-${randomUUID()}`;
      const first = await redeem(g, {
        app: APP,
        userId,
        idempotencyKey,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      });
      const repeat = await redeem(g, {
        app: APP,
        userId,
        idempotencyKey,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      });
      expect(repeat).toMatchObject({ alreadyRedeemed: true, grant: { id: first.grant?.id } });
      await g.resetStats();
      const reused = await redeem(g, {
        app: APP,
        userId,
        idempotencyKey,
        onestore: { productId: q.productId, purchaseToken: q.purchaseToken },
      });
      expect(reused).toMatchObject({
        __typename: 'IdempotencyKeyConflictError',
        code: 'IDEMPOTENCY_KEY_CONFLICT',
        grantId: first.grant?.id,
      });
      expect((await g.h.stats()).total).toBe(0);
    });

    it.skipIf(backend.name !== 'postgres')(
      'duplicates with one idempotency key split over two replicas get one grant, not a key conflict',
      async () => {
        const second = await ledgerFor(backend);
        const replica = createGateway(g.config, { ledger: second, now: () => g.now() });
        try {
          const p = await purchase(g);
          const input = {
            app: APP,
            userId: user(),
            idempotencyKey: `order-${randomUUID()}`,
            onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
          };
          const viaReplica = async (): Promise<RedeemAnswer> => {
            const response = await replica.fetch('http://replica/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
              body: JSON.stringify({ query: REDEEM, variables: { input } }),
            });
            const body = (await response.json()) as { data: { redeemPurchase: RedeemAnswer } };
            return body.data.redeemPurchase;
          };
          const answers = await Promise.all(
            Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? redeem(g, input) : viaReplica())),
          );
          for (const a of answers)
            expect(['RedeemPurchaseSuccess', 'RedemptionInProgressError']).toContain(a.__typename);
          expect(new Set(answers.map((a) => a.grant?.id ?? a.grantId)).size).toBe(1);
          expect(await grantRows(ledger, p.purchaseToken)).toBe(1);
        } finally {
          await replica.dispose();
          await second.db.close();
        }
      },
    );

    it('the same purchase for another user is a GrantConflictError, not a second grant', async () => {
      const p = await purchase(g);
      const ref = { productId: p.productId, purchaseToken: p.purchaseToken };
      const first = await redeem(g, { app: APP, userId: user(), onestore: ref });
      const other = await redeem(g, { app: APP, userId: user(), onestore: ref });
      expect(other).toMatchObject({
        __typename: 'GrantConflictError',
        code: 'GRANT_CONFLICT',
        grantId: first.grant?.id,
      });
      expect(await grantRows(ledger, p.purchaseToken)).toBe(1);
    });

    it('a purchase consumed by another system is ConsumedOutsideLedgerError and no grant', async () => {
      const p = await purchase(g);
      await g.gql(
        `mutation ($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { __typename } }`,
        {
          input: { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
        },
      );
      const answer = await redeem(g, oneStoreInput(p, user()));
      expect(answer).toMatchObject({
        __typename: 'ConsumedOutsideLedgerError',
        code: 'CONSUMED_OUTSIDE_LEDGER',
      });
      expect(await grantRows(ledger, p.purchaseToken)).toBe(0);
    });

    it('refuses a cancelled purchase, a wrong developerPayload and an unknown token without a grant', async () => {
      const cancelled = await purchase(g);
      await act(g, cancelled.purchaseToken, 'void');
      const refused = await redeem(g, oneStoreInput(cancelled, user()));
      expect(refused).toMatchObject({
        __typename: 'InvalidPurchaseStateError',
        code: 'INVALID_PURCHASE_STATE',
      });

      const paid = await purchase(g, { developerPayload: 'order-7' });
      const wrong = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: {
          productId: paid.productId,
          purchaseToken: paid.purchaseToken,
          developerPayload: 'order-8',
        },
      });
      expect(wrong).toMatchObject({ __typename: 'DeveloperPayloadMismatchError' });

      const unknown = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: { productId: 'gem_100', purchaseToken: 'NOSUCHTOKEN000000001' },
      });
      expect(unknown).toMatchObject({ __typename: 'NotFoundError' });
      for (const token of [cancelled.purchaseToken, paid.purchaseToken, 'NOSUCHTOKEN000000001'])
        expect(await grantRows(ledger, token)).toBe(0);
    });

    it('acknowledges non-consumables, records acknowledged-before and subscriptions without a change', async () => {
      const permanent = await purchase(g, { productId: 'sword_gold' });
      const acked = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: { productId: 'sword_gold', purchaseToken: permanent.purchaseToken, kind: 'NON_CONSUMABLE' },
      });
      expect(acked.grant).toMatchObject({ status: 'SETTLED', outcome: 'ACKNOWLEDGED' });

      const before = await purchase(g, { productId: 'sword_gold' });
      await g.gql(
        `mutation ($input: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $input) { __typename } }`,
        {
          input: { app: APP, productId: 'sword_gold', purchaseToken: before.purchaseToken },
        },
      );
      const recorded = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: { productId: 'sword_gold', purchaseToken: before.purchaseToken, kind: 'NON_CONSUMABLE' },
      });
      expect(recorded.grant).toMatchObject({ status: 'SETTLED', outcome: 'ACKNOWLEDGED_BEFORE' });

      const sub = await purchase(g, { productId: 'vip_pass', type: 'subscription' });
      await g.resetStats();
      const subscribed = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: { productId: 'vip_pass', purchaseToken: sub.purchaseToken, kind: 'SUBSCRIPTION' },
      });
      expect(subscribed.grant).toMatchObject({ status: 'SETTLED', outcome: 'RECORDED', quantity: 1 });
      expect(await g.count('onestore.getSubscriptionDetail')).toBe(1);

      const monthly = await purchase(g, { productId: 'monthly_pass', type: 'auto' });
      const month = await redeem(g, {
        app: APP,
        userId: user(),
        onestore: { productId: 'monthly_pass', purchaseToken: monthly.purchaseToken, kind: 'MONTHLY' },
      });
      expect(month.grant).toMatchObject({ status: 'SETTLED', outcome: 'ACKNOWLEDGED' });
    });

    it('NHN Cloud: consumes once with the price; consumed elsewhere and a wrong token get typed errors', async () => {
      const pay = await nhnPayment(g, { itemSeq, price: '1200', currency: 'KRW' });
      const input = nhnInput(pay, itemSeq, pay.userKey);
      const first = await redeem(g, input);
      expect(first).toMatchObject({
        alreadyRedeemed: false,
        grant: {
          store: 'NHN_CLOUD',
          productId: 'gas_can',
          outcome: 'CONSUMED',
          price: { amount: '1200', currency: 'KRW' },
        },
      });
      expect(first.grant?.storeIds).toMatchObject({
        paymentSeq: pay.paymentSeq,
        itemSeq,
        purchaseToken: null,
      });
      expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: true, grant: { id: first.grant?.id } });

      const elsewhere = await nhnPayment(g, { itemSeq });
      await g.gql(
        `mutation ($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { __typename } }`,
        {
          input: {
            app: APP,
            nhncloud: { paymentSeq: elsewhere.paymentSeq, itemSeq, purchaseToken: elsewhere.purchaseToken },
          },
        },
      );
      const outside = await redeem(g, nhnInput(elsewhere, itemSeq, elsewhere.userKey));
      expect(outside).toMatchObject({ __typename: 'ConsumedOutsideLedgerError' });
      expect(await grantRows(ledger, elsewhere.paymentSeq)).toBe(0);

      const fresh = await nhnPayment(g, { itemSeq });
      const badToken = await redeem(g, {
        app: APP,
        userId: fresh.userKey,
        nhncloud: { paymentSeq: fresh.paymentSeq, itemSeq, purchaseToken: 'bm90LXRoZS10b2tlbg' },
      });
      // 5000 alone proves nothing; the user's unconsumed list showing the payment under another
      // token does: a consume with this token cannot consume it.
      expect(badToken).toMatchObject({ __typename: 'InvalidPurchaseStateError' });
      expect(await grantRows(ledger, fresh.paymentSeq)).toBe(0);
    });

    it('a consume that reached the store but lost its answer is settled by a re-read, with no second consume', async () => {
      const p = await purchase(g);
      await loseAnswers(g, 'onestore.consumePurchase');
      await g.resetStats();
      const answer = await redeem(g, oneStoreInput(p, user()));
      expect(answer).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        alreadyRedeemed: false,
        grant: { status: 'SETTLED', outcome: 'CONSUMED' },
      });
      expect(await g.count('onestore.consumePurchase')).toBe(1);
      expect(await g.count('onestore.getPurchaseDetails')).toBe(2);
    });

    it('checks the key: no write scope, no redemption and no store call', async () => {
      const p = await purchase(g);
      await g.resetStats();
      const answer = await redeem(g, oneStoreInput(p, user()), g.keys.ro);
      expect(answer).toMatchObject({ __typename: 'ForbiddenError' });
      const invalid = await redeem(g, oneStoreInput(p, 'has space'));
      expect(invalid).toMatchObject({ __typename: 'InvalidInputError', field: 'input.userId' });
      expect((await g.h.stats()).total).toBe(0);
    });
  });
}
