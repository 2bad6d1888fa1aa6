import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../src/server/create-gateway.js';
import { GRAPHIQL_EXAMPLES } from '../../src/server/graphiql-examples.js';
import { startSandboxMode } from '../../src/server/sandbox-mode.js';
import { type BrowserPage, CHROMIUM, HAVE_CHROMIUM, openPage } from '../helpers/chromium.js';
import { useStarted } from '../helpers/gateway-suite.js';
import {
  graphiqlReady,
  type PaneResult,
  paneResult,
  running,
  runOperation,
  stop,
} from '../helpers/graphiql-page.js';

/**
 * Sandbox mode's GraphiQL page in Chromium, as a person uses it: every preloaded example picked
 * from the run button and run, the live stream included, its answer read from the result pane.
 * Over real HTTP (port 0), with no network beyond the gateway and no console error.
 */

const operations = parse(GRAPHIQL_EXAMPLES).definitions.filter(
  (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
);

/** The root field each example asks for (one per example). */
function rootField(op: OperationDefinitionNode): string {
  const [first] = op.selectionSet.selections;
  if (first?.kind !== 'Field') throw new Error(`${op.name?.value}: no root field`);
  return first.alias?.value ?? first.name.value;
}

function eventOf(result: PaneResult, field: string) {
  return result.data?.[field] as { cursor?: string; type?: string; grant?: { id?: string } } | undefined;
}

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const UUID = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const DEMO_USER = 'AS@DEMOUSER0001';
const granted = (productId: string, id: unknown) => ({
  id,
  userId: DEMO_USER,
  productId,
  quantity: 1,
  status: 'SETTLED',
  revokedAt: null,
});

/**
 * What each example answers on the fresh demo data, run in the order GraphiQL lists them: exact
 * but for times and ids, which the sandbox does not fix (`grantId` is RedeemGamebaseGems' grant).
 */
const expected = (grantId: unknown): Record<string, unknown> => ({
  VerifyPurchase: {
    __typename: 'Purchase',
    purchaseState: 'PURCHASED',
    consumptionState: 'NOT_CONSUMED',
    acknowledgementState: 'NOT_ACKNOWLEDGED',
    quantity: 2,
    purchasedAt: ISO,
    acknowledgeDeadline: ISO,
    entitlement: { active: true, reason: 'PURCHASED' },
    item: { name: '100 gems', itemSeq: '1000001' },
  },
  CheckEntitlements: {
    __typename: 'EntitlementCheckList',
    checks: [
      [0, true, 'PURCHASED', null, 'Purchase'],
      [1, false, 'CONSUMED', null, 'Purchase'],
      [2, true, 'SUBSCRIPTION_ACTIVE', ISO, 'Subscription'],
      [3, true, 'PURCHASED', null, 'Purchase'],
      [4, true, 'UNCONSUMED_PAYMENT', null, 'Purchase'],
    ].map(([index, active, reason, expiresAt, typename]) => ({
      index,
      active,
      entitlement: { reason, expiresAt },
      purchase: typename === 'Purchase' ? { __typename: typename } : null,
      subscription: typename === 'Subscription' ? { __typename: typename } : null,
    })),
  },
  SubscriptionStatus: {
    __typename: 'Subscription',
    kind: 'SUBSCRIPTION',
    status: 'CANCEL_RESERVED',
    autoRenewing: false,
    expiresAt: ISO,
    nextPaymentAt: null,
    price: { amount: '4900', currency: 'KRW' },
    entitlement: { active: true, reason: 'CANCEL_RESERVED' },
  },
  VoidedPurchases: {
    __typename: 'VoidedPurchaseConnection',
    edges: [{ node: { purchaseToken: 'DEMOINAPP00000000004', purchasedAt: ISO, voidedAt: ISO } }],
    // Opaque: its contents are the paging tests' (test/gateway/paging-loops-relay.test.ts).
    pageInfo: { hasNextPage: false, endCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/) },
  },
  UnconsumedNhnPayments: {
    __typename: 'UnconsumedPurchases',
    purchases: [
      {
        paymentSeq: '2016122110023124',
        itemSeq: '1000292',
        price: { amount: '1000', currency: 'KRW' },
        item: { name: 'Gas' },
      },
      {
        paymentSeq: '2016122110023125',
        itemSeq: '1000293',
        price: { amount: '3300', currency: 'KRW' },
        item: { name: 'Gem pack' },
      },
    ],
  },
  RedeemGamebaseGems: {
    __typename: 'RedeemPurchaseSuccess',
    alreadyRedeemed: false,
    grant: {
      id: UUID,
      productId: 'gem_100',
      quantity: 1,
      status: 'SETTLED',
      outcome: 'CONSUMED',
      price: { amount: '1200', currency: 'KRW' },
      createdAt: ISO,
    },
  },
  PlayerGrants: {
    __typename: 'GrantConnection',
    edges: [
      {
        node: {
          id: grantId,
          store: 'GAMEBASE',
          productId: 'gem_100',
          quantity: 1,
          status: 'SETTLED',
          outcome: 'CONSUMED',
          createdAt: ISO,
          revokedAt: null,
        },
      },
    ],
    pageInfo: { hasNextPage: false, endCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/) },
  },
  // The event the test caused while the stream was open: the 4th of the demo app (base64url "ev:4").
  WatchGrantEvents: {
    __typename: 'GatewayEvent',
    id: UUID,
    cursor: expect.stringMatching(/^ZXY6/),
    type: 'GRANT_SETTLED',
    occurredAt: ISO,
    grant: granted('gem_500', UUID),
  },
  ConsumeGems: {
    __typename: 'ConsumePurchaseSuccess',
    purchase: { consumptionState: 'CONSUMED', entitlement: { active: false, reason: 'CONSUMED' } },
  },
  CancelSubscription: {
    __typename: 'SubscriptionChange',
    kind: 'SUBSCRIPTION',
    subscription: { status: 'CANCEL_RESERVED', autoRenewing: false, expiresAt: ISO },
  },
});

/** Sandbox mode with GraphiQL served over HTTP on port 0, and Chromium on its page. */
async function startGraphiqlPage() {
  const mode = await startSandboxMode();
  const gateway = createGateway(mode.config, mode.options);
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await openPage(origin);
  return {
    mode,
    origin,
    browser,
    close: async () => {
      await browser.close();
      await gateway.endEventStreams();
      await new Promise((resolve) => server.close(resolve));
      await gateway.dispose();
      await mode.sandbox.close();
    },
  };
}

const title = HAVE_CHROMIUM
  ? 'GraphiQL in Chromium'
  : `GraphiQL in Chromium: SKIPPED, no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;

if (!HAVE_CHROMIUM) console.warn(title);

describe.skipIf(!HAVE_CHROMIUM)(title, () => {
  const served = useStarted(startGraphiqlPage, 60_000);

  it('runs every preloaded example, the live stream included, with no console error', async () => {
    const { page, problems, offOrigin } = served.browser;
    // A browser's navigation: GET /graphql with Accept text/html, no API key (the page presets it).
    await page.goto(`${served.origin}/graphql`);
    await graphiqlReady(page);
    expect(operations.map((op) => op.name?.value)).toEqual(Object.keys(expected(undefined)));
    let grantId: unknown;

    for (const op of operations) {
      const name = op.name?.value as string;
      const field = rootField(op);
      await runOperation(page, name);
      const result =
        op.operation === 'subscription'
          ? await watchEvents(page, field, grantId)
          : await paneResult(page, field);
      expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
      expect(result.data?.[field], name).toEqual(expected(grantId)[name]);
      if (name === 'RedeemGamebaseGems')
        grantId = (result.data?.[field] as { grant?: { id?: string } } | undefined)?.grant?.id;
    }
    expect(problems).toEqual([]);
    // The bundled page needs nothing but itself, its three assets and /graphql: no CDN, no font.
    expect(offOrigin).toEqual([]);
    expect(new Set(served.browser.requested.map((r) => r.replace(/-[0-9a-f]{16}\./, '-<hash>.')))).toEqual(
      new Set([
        'GET /graphql',
        'POST /graphql',
        'GET /graphql/assets/graphiql-<hash>.ico',
        'GET /graphql/assets/graphiql-<hash>.css',
        'GET /graphql/assets/graphiql-<hash>.js',
      ]),
    );
  }, 120_000);

  /**
   * The stream replays the demo app's events (RedeemGamebaseGems ran before it), then shows one
   * that happens while it is open: a redemption through the API. Then the stop button ends it.
   */
  async function watchEvents(
    page: BrowserPage['page'],
    field: string,
    grantId: unknown,
  ): Promise<PaneResult> {
    // The replay ends with the 2nd event, RedeemGamebaseGems' grant settled (base64url "ev:2").
    const replayed = await paneResult(
      page,
      field,
      (r) => r.errors !== undefined || eventOf(r, field)?.cursor === 'ZXY6Mg',
    );
    if (replayed.errors) return replayed;
    expect(replayed.data?.[field]).toMatchObject({
      type: 'GRANT_SETTLED',
      grant: granted('gem_100', grantId),
    });
    expect(await running(page)).toBe(true);
    // Another client redeems through the API meanwhile (a second connection, as a game server would).
    const answer = await fetch(`${served.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${served.mode.apiKey}` },
      body: JSON.stringify({
        query: `mutation { redeemPurchase(input: { app: "demo", userId: "${DEMO_USER}", gamebase: {
          paymentSeq: "2026112310000002", purchaseToken: "demo-gb-token-gem500-1", productId: "gem_500" } })
          { __typename ... on RedeemPurchaseSuccess { grant { id } } } }`,
      }),
    });
    const redeemed = (
      (await answer.json()) as { data: { redeemPurchase: { __typename: string; grant?: { id: string } } } }
    ).data.redeemPurchase;
    expect(redeemed.__typename).toBe('RedeemPurchaseSuccess');
    // Its GRANT_SETTLED (the entitlement events worker's ENTITLEMENT_* events take seqs in between,
    // when they are written: the example's `types` leaves them out, so the cursor's number varies).
    const live = await paneResult(
      page,
      field,
      (r) =>
        eventOf(r, field)?.type === 'GRANT_SETTLED' && eventOf(r, field)?.grant?.id === redeemed.grant?.id,
    );
    expect(eventOf(live, field)?.grant?.id).toBe(redeemed.grant?.id);
    await stop(page);
    await page.waitForFunction(`!document.querySelector('.graphiql-execute-button[aria-label^="Stop"]')`);
    return live;
  }
});
