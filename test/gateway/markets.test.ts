import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voidedSource } from '../../src/redemption/revocations.js';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { onestore } from '../../src/stores/index.js';
import { startDemoGateways } from '../helpers/demo-gateway.js';
import {
  APP,
  act,
  ERROR_FIELDS,
  type GatewayHarness,
  purchase,
  record,
  startGateway,
  upstreamCounts,
} from '../helpers/gateway.js';
import { useStarted } from '../helpers/gateway-suite.js';
import { REDEEM, redeem } from '../helpers/redeem.js';

/**
 * Issue 15: one app selling in both ONE store markets. App A is configured with
 * `markets: [MKT_ONE, MKT_GLB]`; purchases are made in the global market through the control API.
 */

const LOOKUP = `query ($productId: String!, $purchaseToken: String!, $market: Market) {
  purchase(app: "${APP}", productId: $productId, purchaseToken: $purchaseToken, market: $market) {
    __typename
    ... on Purchase { market purchaseState acknowledgementState consumptionState }
    ${ERROR_FIELDS}
  }
}`;

const SUBSCRIPTION = `query ($productId: String!, $purchaseToken: String!, $market: Market) {
  subscription(app: "${APP}", productId: $productId, purchaseToken: $purchaseToken, market: $market) {
    __typename
    ... on Subscription { market kind status autoRenewing }
    ${ERROR_FIELDS}
  }
}`;

const CHANGE = (name: string) => `mutation ($input: SubscriptionTargetInput!) {
  ${name}(input: $input) {
    __typename
    ... on SubscriptionChange { kind subscription { market status autoRenewing } }
    ${ERROR_FIELDS}
  }
}`;

const ACK = `mutation ($input: AcknowledgePurchaseInput!) {
  acknowledgePurchase(input: $input) {
    __typename
    ... on AcknowledgePurchaseSuccess { purchase { market acknowledgementState } }
    ${ERROR_FIELDS}
  }
}`;

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) {
    __typename
    ... on ConsumePurchaseSuccess { purchase { market consumptionState } }
    ${ERROR_FIELDS}
  }
}`;

const CHECK = `query ($checks: [EntitlementCheckInput!]!) {
  checkEntitlements(app: "${APP}", checks: $checks) {
    __typename
    ... on EntitlementCheckList { checks { active purchase { __typename ... on Purchase { market } } } }
  }
}`;

describe('two ONE store markets in one app', () => {
  let g: GatewayHarness;
  let dataDir: string;
  let ledger: LedgerStorage;
  let closed = false;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'markets-ledger-'));
    ledger = await openLedgerStorage({ dataDir });
    g = await startGateway({
      markets: ['MKT_ONE', 'MKT_GLB'],
      gatewayOptions: { ledger },
      config: { ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 } },
    });
  });
  afterAll(async () => {
    if (!closed) await g?.close();
    await ledger?.db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('looks a global purchase up in MKT_GLB; the default (first) market answers NotFoundError', async () => {
    const p = await purchase(g, { market: 'MKT_GLB' });
    await g.resetStats();
    const ref = { productId: p.productId, purchaseToken: p.purchaseToken };
    const global = await g.gql(LOOKUP, { ...ref, market: 'MKT_GLB' });
    expect(global.data.purchase).toEqual({
      __typename: 'Purchase',
      market: 'MKT_GLB',
      purchaseState: 'PURCHASED',
      acknowledgementState: 'NOT_ACKNOWLEDGED',
      consumptionState: 'NOT_CONSUMED',
    });
    const korea = await g.gql(LOOKUP, ref);
    expect(korea.data.purchase).toMatchObject({ __typename: 'NotFoundError', errorStore: 'ONESTORE' });
    // Asked again in both markets: every token is cached, one token request per market in all.
    await g.gql(LOOKUP, { ...ref, market: 'MKT_GLB' });
    await g.gql(LOOKUP, { ...ref, market: 'MKT_ONE' });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.token': 2, 'onestore.getPurchaseDetails': 4 });
  });

  it('acknowledges, checks and consumes a global purchase through the market argument', async () => {
    const p = await purchase(g, { market: 'MKT_GLB' });
    const ref = { productId: p.productId, purchaseToken: p.purchaseToken, market: 'MKT_GLB' };
    const ack = await g.gql(ACK, { input: { app: APP, ...ref } });
    expect(ack.data.acknowledgePurchase).toEqual({
      __typename: 'AcknowledgePurchaseSuccess',
      purchase: { market: 'MKT_GLB', acknowledgementState: 'ACKNOWLEDGED' },
    });
    const check = await g.gql(CHECK, { checks: [{ store: 'ONESTORE', ...ref }] });
    expect(check.data.checkEntitlements).toEqual({
      __typename: 'EntitlementCheckList',
      checks: [{ active: true, purchase: { __typename: 'Purchase', market: 'MKT_GLB' } }],
    });
    const consumed = await g.gql(CONSUME, { input: { app: APP, onestore: ref } });
    expect(consumed.data.consumePurchase).toEqual({
      __typename: 'ConsumePurchaseSuccess',
      purchase: { market: 'MKT_GLB', consumptionState: 'CONSUMED' },
    });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1, acknowledgeState: 1 });
  });

  it('looks up, cancels and reactivates a global subscription', async () => {
    const s = await purchase(g, { type: 'subscription', productId: 'premium_global', market: 'MKT_GLB' });
    const input = { app: APP, productId: s.productId, purchaseToken: s.purchaseToken, market: 'MKT_GLB' };
    const read = await g.gql(SUBSCRIPTION, { ...input, app: undefined });
    expect(read.data.subscription).toMatchObject({
      __typename: 'Subscription',
      market: 'MKT_GLB',
      kind: 'SUBSCRIPTION',
      autoRenewing: true,
    });
    const cancelled = await g.gql(CHANGE('cancelSubscription'), { input });
    expect(cancelled.data.cancelSubscription).toMatchObject({
      __typename: 'SubscriptionChange',
      kind: 'SUBSCRIPTION',
      subscription: { market: 'MKT_GLB', autoRenewing: false },
    });
    const reactivated = await g.gql(CHANGE('reactivateSubscription'), { input });
    expect(reactivated.data.reactivateSubscription).toMatchObject({
      __typename: 'SubscriptionChange',
      kind: 'SUBSCRIPTION',
      subscription: { market: 'MKT_GLB', autoRenewing: true },
    });
  });

  it('refuses a market the app is not configured for, naming the allowed ones, with no upstream call', async () => {
    const single = await startGateway();
    try {
      await single.resetStats();
      const answer = await single.gql(LOOKUP, {
        productId: 'gem_100',
        purchaseToken: 'T'.repeat(20),
        market: 'MKT_GLB',
      });
      expect(answer.data.purchase).toEqual({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'market',
        message: `App "${APP}" is not configured for ONE store market MKT_GLB; allowed: MKT_ONE.`,
        errorStore: null,
        storeCode: null,
      });
      const consume = await single.gql(CONSUME, {
        input: {
          app: APP,
          onestore: { productId: 'gem_100', purchaseToken: 'T'.repeat(20), market: 'MKT_GLB' },
        },
      });
      expect(consume.data.consumePurchase).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.onestore.market',
      });
      expect(await upstreamCounts(single)).toEqual({});
    } finally {
      await single.close();
    }
  });

  it('redeems a global purchase; its void is revoked by the sync, with a checkpoint per market', async () => {
    const p = await purchase(g, { market: 'MKT_GLB' });
    const redeemed = await redeem(g, {
      app: APP,
      userId: 'player-global',
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken, market: 'MKT_GLB' },
    });
    expect(redeemed).toMatchObject({ __typename: 'RedeemPurchaseSuccess', grant: { status: 'SETTLED' } });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 1 });
    await act(g, p.purchaseToken, 'void');
    // The sync's window ends STORE_CLOCK_MARGIN_MS back (a store clock a little behind): let the void age.
    g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
    await g.resetStats();
    const SYNC = `mutation { syncRevocations(app: "${APP}") { __typename ... on RevocationSyncReport { ran grantsRevoked completedUntil } } }`;
    const sync = await g.gql(SYNC);
    expect(sync.data.syncRevocations).toMatchObject({
      __typename: 'RevocationSyncReport',
      ran: true,
      grantsRevoked: 1,
    });
    // One voided-list read per market.
    expect((await upstreamCounts(g))['onestore.getVoidedPurchases']).toBe(2);
    const GRANT = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { revokedAt } } }`;
    expect((await g.gql(GRANT, { id: redeemed.grant?.id })).data.grant).toMatchObject({
      revokedAt: expect.any(String),
    });

    // A restart: the gateway stopped, the ledger file opened again holds each market's own checkpoint.
    const completed = (sync.data.syncRevocations as { completedUntil: string }).completedUntil;
    await g.close();
    closed = true;
    await ledger.db.close();
    ledger = await openLedgerStorage({ dataDir });
    const korea = await ledger.checkpoints.get(APP, voidedSource('MKT_ONE'));
    const global = await ledger.checkpoints.get(APP, voidedSource('MKT_GLB'));
    expect(voidedSource('MKT_GLB')).toBe('onestore.voided-purchases.MKT_GLB');
    // The app's answer is the earliest market's: Korea ran first.
    expect(korea?.completedUntil?.toISOString()).toBe(completed);
    expect(korea?.continuationKey).toBeNull();
    expect(global?.continuationKey).toBeNull();
    expect((global?.completedUntil?.getTime() ?? 0) >= Date.parse(completed)).toBe(true);
  });
});

/** The `demo` app of sandbox mode sells in both markets: its global demo purchases are reachable. */
describe('the demo app in both markets', () => {
  const demo = useStarted(startDemoGateways);
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const answer = await demo.send(demo.jitOn, { method: 'POST', query, variables });
    expect(answer.status).toBe(200);
    return (answer.body as { data: Record<string, Record<string, unknown>> }).data;
  };
  const DEMO_LOOKUP = LOOKUP.replace(`app: "${APP}"`, 'app: "demo"');
  const DEMO_SUBSCRIPTION = SUBSCRIPTION.replace(`app: "${APP}"`, 'app: "demo"');
  const GLOBAL = { productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000005', market: 'MKT_GLB' };

  it('looks the global purchase up (one token request per market), acknowledges and consumes it', async () => {
    await demo.reset();
    const korea = await ask(DEMO_LOOKUP, {
      productId: 'premium_pass',
      purchaseToken: 'DEMOINAPP00000000002',
    });
    expect(korea.purchase).toMatchObject({ __typename: 'Purchase', market: 'MKT_ONE' });
    const global = await ask(DEMO_LOOKUP, GLOBAL);
    expect(global.purchase).toEqual({
      __typename: 'Purchase',
      market: 'MKT_GLB',
      purchaseState: 'PURCHASED',
      acknowledgementState: 'NOT_ACKNOWLEDGED',
      consumptionState: 'NOT_CONSUMED',
    });
    const defaultMarket = await ask(DEMO_LOOKUP, { ...GLOBAL, market: undefined });
    expect(defaultMarket.purchase).toMatchObject({ __typename: 'NotFoundError' });
    expect(demo.upstream()).toEqual({ 'onestore.token': 2, 'onestore.getPurchaseDetails': 3 });

    const input = { app: 'demo', ...GLOBAL };
    const ack = await ask(ACK, { input });
    expect(ack.acknowledgePurchase).toEqual({
      __typename: 'AcknowledgePurchaseSuccess',
      purchase: { market: 'MKT_GLB', acknowledgementState: 'ACKNOWLEDGED' },
    });
    const consumed = await ask(CONSUME, { input: { app: 'demo', onestore: GLOBAL } });
    expect(consumed.consumePurchase).toEqual({
      __typename: 'ConsumePurchaseSuccess',
      purchase: { market: 'MKT_GLB', consumptionState: 'CONSUMED' },
    });
  });

  it('redeems the global purchase', async () => {
    await demo.reset();
    const answer = await demo.send(demo.jitOn, {
      method: 'POST',
      query: REDEEM,
      variables: { input: { app: 'demo', userId: 'player-1', onestore: GLOBAL } },
    });
    const { redeemPurchase } = (answer.body as { data: { redeemPurchase: Record<string, unknown> } }).data;
    expect(redeemPurchase).toMatchObject({
      __typename: 'RedeemPurchaseSuccess',
      alreadyRedeemed: false,
      grant: { status: 'SETTLED', storeIds: { purchaseToken: 'DEMOINAPP00000000005' } },
    });
    expect(demo.upstream()['onestore.consumePurchase']).toBe(1);
  });

  it('looks up, cancels and reactivates the global subscription', async () => {
    await demo.reset();
    const ref = { productId: 'premium_global', purchaseToken: 'DEMOSUBS000000000006', market: 'MKT_GLB' };
    const read = await ask(DEMO_SUBSCRIPTION, ref);
    expect(read.subscription).toMatchObject({
      __typename: 'Subscription',
      market: 'MKT_GLB',
      autoRenewing: true,
    });
    const input = { app: 'demo', ...ref };
    const cancelled = await ask(CHANGE('cancelSubscription'), { input });
    expect(cancelled.cancelSubscription).toMatchObject({
      __typename: 'SubscriptionChange',
      subscription: { market: 'MKT_GLB', autoRenewing: false },
    });
    const reactivated = await ask(CHANGE('reactivateSubscription'), { input });
    expect(reactivated.reactivateSubscription).toMatchObject({
      __typename: 'SubscriptionChange',
      subscription: { market: 'MKT_GLB', autoRenewing: true },
    });
  });

  it('lists unconfirmed purchases of the global market with their market', async () => {
    await demo.reset();
    const LIST = `query ($market: Market) { unconfirmedPurchases(app: "demo", market: $market, first: 50) {
      __typename ... on PurchaseConnection { edges { node { purchaseToken market } } } } }`;
    const data = await ask(LIST, { market: 'MKT_GLB' });
    const nodes = (
      data.unconfirmedPurchases as { edges: { node: { purchaseToken: string; market: string } }[] }
    ).edges.map((e) => e.node);
    expect(nodes.find((n) => n.purchaseToken === 'DEMOINAPP00000000005')).toEqual({
      purchaseToken: 'DEMOINAPP00000000005',
      market: 'MKT_GLB',
    });
    // A token cached before the reset is refused once (401, renewed): only the answered list call is counted.
    const list = demo.mode.sandbox.stats().endpoints['onestore.getUnconfirmedPurchases'];
    expect(list?.byStatus['200']).toBe(1);
  });
});
