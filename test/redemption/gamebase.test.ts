import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';
import { gamebaseInput } from '../helpers/redemption-inputs.js';
import { newGamebasePayment } from '../helpers/stores.js';

describe('redeemPurchase with Gamebase', () => {
  let g: GatewayHarness;
  beforeAll(async () => {
    g = await startGateway();
  });
  afterAll(async () => {
    await g?.close();
  });

  it('verifies with Get Payment Transaction, consumes once, and a repeat changes nothing', async () => {
    const pay = await newGamebasePayment(g.h, g.gamebase, { price: '4900', currency: 'KRW' });
    const input = {
      app: APP,
      userId: pay.userId,
      gamebase: { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken, productId: 'gem_100' },
    };
    await g.resetStats();
    const first = await redeem(g, input);
    expect(first).toMatchObject({
      __typename: 'RedeemPurchaseSuccess',
      alreadyRedeemed: false,
      grant: {
        store: 'GAMEBASE',
        productId: 'gem_100',
        status: 'SETTLED',
        outcome: 'CONSUMED',
        price: { amount: '4900', currency: 'KRW' },
      },
    });
    expect(first.grant?.storeIds).toMatchObject({
      paymentSeq: pay.paymentSeq,
      paymentId: pay.paymentId,
      purchaseToken: null,
    });
    expect(await g.count('gamebase.paymentTransaction')).toBe(1);
    expect(await g.count('gamebase.consume')).toBe(1);
    await g.resetStats();
    expect(await redeem(g, input)).toMatchObject({ alreadyRedeemed: true, grant: { id: first.grant?.id } });
    expect((await g.h.stats()).total).toBe(0);
  });

  it("refuses another user's payment, another product, a consumed payment and an unknown token", async () => {
    const pay = await newGamebasePayment(g.h, g.gamebase);
    const ref = { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken };
    expect(await redeem(g, { app: APP, userId: 'GG@SOMEONEELSE', gamebase: ref })).toMatchObject({
      __typename: 'PurchaseMismatchError',
      code: 'PURCHASE_MISMATCH',
      field: 'input.userId',
    });
    expect(
      await redeem(g, { app: APP, userId: pay.userId, gamebase: { ...ref, productId: 'sword_gold' } }),
    ).toMatchObject({
      __typename: 'PurchaseMismatchError',
      field: 'input.gamebase.productId',
    });
    const consumed = await newGamebasePayment(g.h, g.gamebase);
    // Consumed by another system, straight through the store's API.
    const viaApi = await fetch(`${g.h.url}/tcgb-inapp/v1.3/apps/${g.gamebase.appId}/consume`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-secret-key': g.gamebase.secretKey },
      body: JSON.stringify({ paymentSeq: consumed.paymentSeq, accessToken: consumed.purchaseToken }),
    });
    expect(((await viaApi.json()) as { header: { isSuccessful: boolean } }).header.isSuccessful).toBe(true);
    expect(await redeem(g, gamebaseInput(consumed, consumed.userId))).toMatchObject({
      __typename: 'ConsumedOutsideLedgerError',
    });
    expect(
      await redeem(g, {
        app: APP,
        userId: pay.userId,
        gamebase: { paymentSeq: pay.paymentSeq, purchaseToken: 'unknown-token' },
      }),
    ).toMatchObject({
      __typename: 'NotFoundError',
      errorStore: 'GAMEBASE',
      storeCode: '1100',
    });
  });

  it('records an AUTO_RENEWABLE payment without consuming it', async () => {
    const pay = await newGamebasePayment(g.h, g.gamebase, {
      productType: 'AUTO_RENEWABLE',
      gamebaseProductId: 'vip_pass',
    });
    await g.resetStats();
    const answer = await redeem(g, gamebaseInput(pay, pay.userId));
    expect(answer.grant).toMatchObject({
      productId: 'vip_pass',
      status: 'SETTLED',
      outcome: 'RECORDED',
      // Get Subscriptions Status knows no subscription of this lone payment: the period it paid itself, no expiry.
      storeIds: { paymentSeq: pay.paymentSeq, paymentId: pay.paymentId, expiryTime: null },
    });
    expect(await g.count('gamebase.consume')).toBe(0);
    expect(await g.count('gamebase.subscriptionsStatus')).toBe(1);
    expect(await redeem(g, gamebaseInput(pay, pay.userId))).toMatchObject({
      alreadyRedeemed: true,
      grant: { id: answer.grant?.id },
    });
  });
});
