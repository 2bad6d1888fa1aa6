import { describe, expect, it } from 'vitest';
import { APP, purchase, upstreamCounts } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { redeem } from '../helpers/redeem.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * Issue 23, point 5: the defects found by hand, each refused at the edge with a typed
 * InvalidInputError naming the field, before any store call or ledger write.
 */

const LONE = '\uD800';
const INVALID = '__typename ... on InvalidInputError { field message }';

const g = useGateway();

/** Grant rows and events the ledger holds: a refused redemption writes neither. */
async function ledgerRows(): Promise<number> {
  const { db } = (await g.gateway.redemption()).storage;
  const grants = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM grants', []);
  const events = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM events', []);
  return Number(grants[0]?.n ?? 0) + Number(events[0]?.n ?? 0);
}

describe('refused before any store call', () => {
  it('redeemPurchase (ONE store): a userId with a lone surrogate', async () => {
    const p = await purchase(g);
    const rows = await ledgerRows();
    await g.resetStats();
    const answer = await redeem(g, {
      app: APP,
      userId: `player${LONE}`,
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
    });
    expect(answer).toMatchObject({ __typename: 'InvalidInputError', field: 'input.userId' });
    expect(await upstreamCounts(g)).toEqual({});
    expect(await ledgerRows()).toBe(rows);
  });

  it('redeemPurchase (Gamebase): a userId with a lone surrogate', async () => {
    const pay = await newGamebasePayment(g.h, g.gamebase);
    await g.resetStats();
    const answer = await redeem(g, {
      app: APP,
      userId: `${pay.userId}${LONE}`,
      gamebase: { paymentSeq: pay.paymentSeq, purchaseToken: pay.purchaseToken },
    });
    expect(answer).toMatchObject({ __typename: 'InvalidInputError', field: 'input.userId' });
    expect(await upstreamCounts(g)).toEqual({});
  });

  it('consumePurchase and redeemPurchase: a developerPayload with a lone surrogate', async () => {
    const p = await purchase(g, { developerPayload: 'order-1' });
    await g.resetStats();
    const consumed = await g.gql(
      `mutation($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { ${INVALID} } }`,
      {
        input: {
          app: APP,
          onestore: { productId: p.productId, purchaseToken: p.purchaseToken, developerPayload: `o${LONE}` },
        },
      },
    );
    expect(consumed.data.consumePurchase).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.onestore.developerPayload',
    });
    const redeemed = await redeem(g, {
      app: APP,
      userId: 'player-1',
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken, developerPayload: `o${LONE}` },
    });
    expect(redeemed).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'input.onestore.developerPayload',
    });
    expect(await upstreamCounts(g)).toEqual({});
  });

  it.each(['voidedPurchases', 'unconfirmedPurchases'])(
    '%s: a since in the future (year 9999)',
    async (list) => {
      await g.resetStats();
      const answer = await g.gql(`{ ${list}(app: "${APP}", since: "9999-01-01T00:00:00Z") { ${INVALID} } }`);
      expect(answer.data[list]).toMatchObject({ __typename: 'InvalidInputError', field: 'since' });
      expect(await upstreamCounts(g)).toEqual({});
    },
  );
});
