import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { onestore } from '../../src/stores/index.js';
import {
  APP,
  act,
  type GatewayHarness,
  nhnItem,
  nhnPayment,
  purchase,
  record,
  startGateway,
} from '../helpers/gateway.js';
import { sleep } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { dropNext, loseAnswers } from '../helpers/redemption-faults.js';
import { gamebaseInput, nhnInput, oneStoreInput } from '../helpers/redemption-inputs.js';
import { newGamebasePayment } from '../helpers/stores.js';

const user = () => `player-${randomUUID().slice(0, 8)}`;

/**
 * A fresh purchase whose consume is dropped before the sandbox handles it (nothing consumed): the
 * redemption stays pending and answers RedemptionInProgressError. Counters are reset before it.
 */
async function pendingRedemption(g: GatewayHarness) {
  const p = await purchase(g);
  await dropNext(g, 'onestore.consumePurchase');
  await g.resetStats();
  const input = oneStoreInput(p, user());
  const first = await redeem(g, input);
  expect(first).toMatchObject({ __typename: 'RedemptionInProgressError', code: 'REDEMPTION_IN_PROGRESS' });
  return { p, input, first };
}

describe('pending grants, revocations and ledger reads', () => {
  let g: GatewayHarness;
  beforeAll(async () => {
    // A 1 s lease (the upstream deadline must be shorter) so a stale claim can be shown expiring.
    g = await startGateway({
      config: {
        upstreamDeadlineMs: 800,
        ledger: { leaseSeconds: 1, inProgressWaitMs: 200, sweepIntervalSeconds: 0 },
      },
    });
  });
  afterAll(async () => {
    await g?.close();
  });

  it('an unanswered consume the store never applied stays pending, then the sweeper consumes it once', async () => {
    const { input, first } = await pendingRedemption(g);
    expect(first.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // While the claim is live a duplicate is told to wait, and nothing is sent to the store again.
    const duplicate = await redeem(g, input);
    expect(duplicate).toMatchObject({ __typename: 'RedemptionInProgressError', grantId: first.grantId });
    expect(await g.count('onestore.consumePurchase')).toBe(1);

    await sleep(1_100);
    const swept = await (await g.gateway.redemption()).sweeper.sweep();
    expect(swept).toMatchObject({ settled: 1 });
    expect(await g.count('onestore.consumePurchase')).toBe(2);
    const after = await redeem(g, input);
    expect(after).toMatchObject({
      alreadyRedeemed: true,
      grant: { id: first.grantId, status: 'SETTLED', outcome: 'CONSUMED' },
    });
  });

  it('a retry after the lease ran out settles the pending grant itself', async () => {
    const { input, first } = await pendingRedemption(g);
    await sleep(1_100);
    const retry = await redeem(g, input);
    expect(retry).toMatchObject({
      __typename: 'RedeemPurchaseSuccess',
      grant: { id: first.grantId, status: 'SETTLED' },
    });
  });

  it('NHN Cloud and Gamebase: a consume that landed but lost its answer waits for evidence, then the repeat settles it', async () => {
    const itemSeq = await nhnItem(g, { marketItemId: `lost_${randomUUID().slice(0, 6)}` });
    const pay = await nhnPayment(g, { itemSeq });
    await loseAnswers(g, 'nhncloud.consume');
    const gb = await newGamebasePayment(g.h, g.gamebase);
    await loseAnswers(g, 'gamebase.consume');
    await g.resetStats();
    const nhnClaim = nhnInput(pay, itemSeq, pay.userKey);
    const gbInput = gamebaseInput(gb, gb.userId);
    // NHN has no read of one payment, and its absence from the user's unconsumed list proves nothing;
    // Gamebase's isConsumable false is no proof either. Both wait for evidence.
    expect(await redeem(g, nhnClaim)).toMatchObject({ __typename: 'RedemptionInProgressError' });
    expect(await redeem(g, gbInput)).toMatchObject({ __typename: 'RedemptionInProgressError' });
    expect(await g.count('nhncloud.consumableList')).toBe(1);
    expect(await g.count('gamebase.paymentTransaction')).toBe(2);

    await sleep(1_100);
    expect(await (await g.gateway.redemption()).sweeper.sweep()).toMatchObject({ settled: 2, left: 0 });
    // Each repeat of the same consume was answered ALREADY_CONSUMED: the evidence, and no second consume.
    expect(await g.count('nhncloud.consume')).toBe(2);
    expect(await g.count('gamebase.consume')).toBe(2);
    for (const input of [nhnClaim, gbInput])
      expect(await redeem(g, input)).toMatchObject({
        alreadyRedeemed: true,
        grant: { status: 'SETTLED', outcome: 'CONSUMED' },
      });
  });

  it('a pending grant whose purchase is refunded before anything was consumed is dropped by the sweeper', async () => {
    const { p, first } = await pendingRedemption(g);
    await act(g, p.purchaseToken, 'void');
    await sleep(1_100);
    const swept = await (await g.gateway.redemption()).sweeper.sweep();
    expect(swept).toMatchObject({ dropped: 1 });
    const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { __typename } }`;
    expect((await g.gql(ONE, { id: first.grantId })).data.grant).toMatchObject({
      __typename: 'NotFoundError',
    });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });

  it('a purchase voided after redemption shows up in revokedGrants after one sync', async () => {
    const since = new Date(g.now() - 1_000).toISOString();
    const p = await purchase(g);
    const userId = user();
    const redeemed = await redeem(g, oneStoreInput(p, userId));
    await act(g, p.purchaseToken, 'void');
    // The sync's window ends STORE_CLOCK_MARGIN_MS back (a store clock a little behind): let the void age.
    g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
    const REVOKED = `query ($since: DateTime!, $after: String) { revokedGrants(app: "${APP}", since: $since, first: 10, after: $after) {
      __typename ... on GrantConnection { edges { cursor node { id userId revokedAt revocation { source purchaseId } } } pageInfo { hasNextPage endCursor } } } }`;
    const before = await g.gql(REVOKED, { since });
    expect(before.data.revokedGrants).toMatchObject({ edges: [] });

    const SYNC = `mutation { syncRevocations(app: "${APP}") { __typename ... on RevocationSyncReport { ran pages voidedSeen grantsRevoked completedUntil } } }`;
    const sync = await g.gql(SYNC);
    expect(sync.data.syncRevocations).toMatchObject({
      __typename: 'RevocationSyncReport',
      ran: true,
      grantsRevoked: 1,
    });
    const after = await g.gql(REVOKED, { since });
    expect(after.data.revokedGrants).toMatchObject({
      edges: [
        {
          node: {
            id: redeemed.grant?.id,
            userId,
            revocation: { source: 'onestore.voided-purchases', purchaseId: p.purchaseId },
          },
        },
      ],
      pageInfo: { hasNextPage: false },
    });
    // The next run resumes from its checkpoint: the void is seen again (overlap) but revokes nothing new.
    const again = await g.gql(SYNC);
    expect(again.data.syncRevocations).toMatchObject({ ran: true, grantsRevoked: 0 });
  });

  it('a sync that stopped mid-window resumes from the saved continuationKey', async () => {
    const service = await g.gateway.redemption();
    const one = service.stores.app(APP)?.onestore;
    if (!one) throw new Error('app A has no ONE store');
    // 101 voids: page 1 holds the first 100, page 2 the last; grants for the first and the last.
    const first = await purchase(g);
    const bought = [first];
    for (let i = 0; i < 100; i++) bought.push(await purchase(g));
    const last = bought[100] ?? first;
    const userId = user();
    const grantOf = async (p: typeof first) => (await redeem(g, oneStoreInput(p, userId))).grant?.id;
    const [firstGrant, lastGrant] = [await grantOf(first), await grantOf(last)];
    for (const p of bought) {
      await act(g, p.purchaseToken, 'void');
      g.h.sandbox.clock.advance(1_000);
    }
    // What a run that crashed after saving page 1 leaves behind.
    const windowStart = new Date(g.now() - 3_600_000);
    const windowEnd = new Date(g.now());
    const page1 = await one.client.getVoidedPurchases({
      startTime: one.time.toStore(windowStart),
      endTime: one.time.toStore(windowEnd),
      maxResults: 100,
    });
    expect(page1.continuationKey).not.toBeNull();
    const { checkpoints } = service.storage;
    expect(await checkpoints.acquire(APP, 'onestore.voided-purchases', 'crashed-run', 60_000)).not.toBeNull();
    await checkpoints.save(APP, 'onestore.voided-purchases', 'crashed-run', {
      windowStart,
      windowEnd,
      continuationKey: page1.continuationKey,
    });
    await checkpoints.releaseLease(APP, 'onestore.voided-purchases', 'crashed-run');

    const resumed = await service.revocations.syncApp(APP);
    // Only what follows page 1 is read again (the earlier test's void is in the window too).
    expect(resumed).toMatchObject({ ran: true, pages: 1, grantsRevoked: 1 });
    expect(resumed.voidedSeen).toBeLessThan(100);
    const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { revokedAt } } }`;
    expect((await g.gql(ONE, { id: lastGrant })).data.grant).toMatchObject({ revokedAt: expect.any(String) });
    expect((await g.gql(ONE, { id: firstGrant })).data.grant).toMatchObject({ revokedAt: null });
    // The next run starts a new window (reaching back by the overlap) and catches the rest.
    const next = await service.revocations.syncApp(APP);
    expect(next.grantsRevoked).toBe(1);
    expect((await g.gql(ONE, { id: firstGrant })).data.grant).toMatchObject({
      revokedAt: expect.any(String),
    });
  });

  it("lists a player's grants newest first, page by page", async () => {
    const userId = user();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await purchase(g);
      const r = await redeem(g, oneStoreInput(p, userId));
      ids.push(r.grant?.id ?? '');
    }
    const LIST = `query ($userId: String!, $after: String) { grants(app: "${APP}", userId: $userId, first: 2, after: $after) {
      __typename ... on GrantConnection { edges { node { id } } pageInfo { hasNextPage endCursor } } ... on Error { code } ... on InvalidInputError { field } } }`;
    const page1 = (await g.gql(LIST, { userId })).data.grants as {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    expect(page1.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await g.gql(LIST, { userId, after: page1.pageInfo.endCursor })).data
      .grants as typeof page1;
    expect(page2.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const bad = await g.gql(LIST, { userId, after: 'not-a-cursor' });
    expect(bad.data.grants).toMatchObject({ __typename: 'InvalidInputError', field: 'after' });

    const ONE = `query ($id: ID!, $app: String!) { grant(app: $app, id: $id) { __typename ... on Grant { id status } ... on Error { code } } }`;
    expect((await g.gql(ONE, { id: ids[0], app: APP })).data.grant).toMatchObject({
      __typename: 'Grant',
      id: ids[0],
    });
    expect((await g.gql(ONE, { id: 'no-such-grant', app: APP })).data.grant).toMatchObject({
      __typename: 'NotFoundError',
    });
  });
});

describe('redemption metrics', () => {
  it('counts redemptions by result, swept and revoked grants at /metrics', async () => {
    const g = await startGateway({
      config: {
        upstreamDeadlineMs: 800,
        ledger: { leaseSeconds: 1, inProgressWaitMs: 0, sweepIntervalSeconds: 0 },
      },
    });
    try {
      const p = await purchase(g);
      const input = oneStoreInput(p, user());
      await redeem(g, input);
      await redeem(g, input);
      await pendingRedemption(g);
      await sleep(1_100);
      await (await g.gateway.redemption()).sweeper.sweep();
      await act(g, p.purchaseToken, 'void');
      g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
      await g.gql(`mutation { syncRevocations(app: "${APP}") { __typename } }`);

      const metrics = await (await fetch(`${g.url}/metrics`)).text();
      const value = (line: string) =>
        Number(
          metrics
            .split('\n')
            .find((l) => l.startsWith(line))
            ?.split(' ')
            .at(-1),
        );
      expect(value('gateway_redemptions_total{store="ONESTORE",result="granted"}')).toBe(1);
      expect(value('gateway_redemptions_total{store="ONESTORE",result="already_redeemed"}')).toBe(1);
      expect(value('gateway_redemptions_total{store="ONESTORE",result="RedemptionInProgress"}')).toBe(1);
      expect(value('gateway_ledger_swept_grants_total{result="settled"}')).toBe(1);
      expect(value('gateway_ledger_pending_grants')).toBe(0);
      expect(value(`gateway_ledger_revoked_grants_total{app="${APP}"}`)).toBe(1);
    } finally {
      await g.close();
    }
  });
});

describe('a ledger that cannot be reached', () => {
  let g: GatewayHarness;
  let ledger: LedgerStorage;
  beforeAll(async () => {
    ledger = await openLedgerStorage({});
    g = await startGateway({ gatewayOptions: { ledger } });
    await ledger.db.close();
  });
  afterAll(async () => {
    await g?.close();
  });

  it('answers LedgerUnavailableError and calls no store to change anything', async () => {
    const p = await purchase(g);
    await g.resetStats();
    const answer = await redeem(g, oneStoreInput(p, user()));
    expect(answer).toMatchObject({ __typename: 'LedgerUnavailableError', code: 'LEDGER_UNAVAILABLE' });
    expect(answer.retryAfterSeconds).toBeGreaterThan(0);
    expect(await g.count('onestore.consumePurchase')).toBe(0);
    const list = await g.gql(`{ grants(app: "${APP}", userId: "u1") { __typename } }`);
    expect(list.data.grants).toMatchObject({ __typename: 'LedgerUnavailableError' });
    expect(await record(g, p.purchaseToken)).toMatchObject({ consumptionState: 0 });
  });
});
