import { describe, expect, it } from 'vitest';
import { APP, nhnItem, nhnPayment, purchase } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import { REDEEM } from '../helpers/redeem.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * What the gateway answers, sent back as an argument, is taken (review 1: the endCursor of a full
 * last page was refused; an empty developerPayload too, see input-valid-property.test.ts): ids,
 * tokens, sequence numbers and product IDs a store or the ledger gave out pass the edge rules.
 */

const TYPES = '__typename ... on InvalidInputError { field message }';
const g = useGateway({ catalogTtlSeconds: 0 });

/** The one field of a query or mutation's data. */
async function field(document: string, variables: Record<string, unknown> = {}) {
  const data = (await g.gql(document, variables)).data;
  return Object.values(data)[0] as Record<string, unknown>;
}

describe('values the gateway gives out are taken back', () => {
  it('NHN Cloud: an unconsumed payment as listed is consumed; an item as listed is found', async () => {
    const itemSeq = await nhnItem(g, { marketItemId: 'gem_100' });
    const paid = await nhnPayment(g, { itemSeq });
    const listed = await field(
      `query ($k: String!) { unconsumedPurchases(app: "${APP}", userKey: $k) {
        ${TYPES} ... on UnconsumedPurchases { purchases { paymentSeq itemSeq purchaseToken } } } }`,
      { k: paid.userKey },
    );
    const [payment] = listed.purchases as Record<string, string>[];
    const consumed = await field(
      `mutation ($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { ${TYPES} } }`,
      { input: { app: APP, nhncloud: payment } },
    );
    expect(consumed).toEqual({ __typename: 'ConsumePurchaseSuccess' });

    const items = await field(
      `{ items(app: "${APP}") { ${TYPES} ... on ItemCatalog { items { itemSeq marketItemId } } } }`,
    );
    const [item] = items.items as { itemSeq: string; marketItemId: string }[];
    for (const args of [{ itemSeq: item?.itemSeq }, { marketItemId: item?.marketItemId }]) {
      const found = await field(
        `query ($s: String, $m: String) { item(app: "${APP}", itemSeq: $s, marketItemId: $m) { ${TYPES} } }`,
        { s: args.itemSeq, m: args.marketItemId },
      );
      expect(found, JSON.stringify(args)).toEqual({ __typename: 'Item' });
    }
  });

  it('Gamebase: an unconsumed payment as listed is redeemed', async () => {
    const paid = await newGamebasePayment(g.h, g.gamebase);
    const listed = await field(
      `query ($u: String!) { unconsumedGamebasePayments(app: "${APP}", userId: $u) {
        ${TYPES} ... on UnconsumedGamebasePayments { payments { paymentSeq purchaseToken gamebaseProductId } } } }`,
      { u: paid.userId },
    );
    const [payment] = listed.payments as Record<string, string>[];
    const redeemed = await field(REDEEM, {
      input: {
        app: APP,
        userId: paid.userId,
        gamebase: {
          paymentSeq: payment?.paymentSeq,
          purchaseToken: payment?.purchaseToken,
          productId: payment?.gamebaseProductId,
        },
      },
    });
    expect(redeemed.__typename).toBe('RedeemPurchaseSuccess');
  });

  it("ONE store: a grant's ids, its purchase's token and its event's id are taken back", async () => {
    const bought = await purchase(g);
    const redeemed = await field(REDEEM, {
      input: {
        app: APP,
        userId: 'player-1',
        onestore: { productId: bought.productId, purchaseToken: bought.purchaseToken },
      },
    });
    const grant = redeemed.grant as {
      id: string;
      userId: string;
      productId: string;
      storeIds: Record<string, string>;
    };
    const byId = await field(`query ($id: ID!) { grant(app: "${APP}", id: $id) { ${TYPES} } }`, {
      id: grant.id,
    });
    expect(byId).toEqual({ __typename: 'Grant' });
    const byUser = await field(`query ($u: String) { grants(app: "${APP}", userId: $u) { ${TYPES} } }`, {
      u: grant.userId,
    });
    expect(byUser).toEqual({ __typename: 'GrantConnection' });
    const read = await field(
      `query ($p: String!, $t: String!) { purchase(app: "${APP}", productId: $p, purchaseToken: $t) { ${TYPES} } }`,
      { p: grant.productId, t: grant.storeIds.purchaseToken },
    );
    expect(read).toEqual({ __typename: 'Purchase' });
    const events = await field(
      `{ gatewayEvents(app: "${APP}") { ${TYPES} ... on GatewayEventConnection { edges { node { id } } } } }`,
    );
    const [edge] = events.edges as { node: { id: string } }[];
    const again = await field(
      `mutation ($input: RedeliverEventInput!) { redeliverEvent(input: $input) { ${TYPES} } }`,
      { input: { app: APP, eventId: edge?.node.id } },
    );
    expect(again).toEqual({ __typename: 'RedeliverEventSuccess' });
  });
});
