import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import { APP, act, type GatewayHarness, purchase, startGateway, upstreamCounts } from '../helpers/gateway.js';
import { sleep } from '../helpers/ledger.js';
import { postNotice, sandboxNotice } from '../helpers/pns.js';
import { redeem } from '../helpers/redeem.js';
import { dropNext } from '../helpers/redemption-faults.js';
import { oneStoreInput } from '../helpers/redemption-inputs.js';

const GRANT = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { status outcome revokedAt } } }`;

/**
 * COMPLETED notifications finish a pending grant only on the store's evidence, through the
 * sweeper's own recovery; CANCELED ones revoke only when the store can be read. Grants are made
 * pending for real: the consume of a redemption is dropped before the sandbox handles it.
 */
describe('ONE store PNS and pending grants', () => {
  let g: GatewayHarness;
  beforeAll(async () => {
    // A 1 s lease (the upstream deadline must be shorter) so a writer's claim can run out in a test.
    g = await startGateway({
      licensePublicKey: DEMO_PNS_PUBLIC_KEY,
      config: {
        upstreamDeadlineMs: 800,
        ledger: {
          leaseSeconds: 1,
          inProgressWaitMs: 100,
          sweepIntervalSeconds: 0,
          revocationSyncIntervalSeconds: 0,
        },
      },
    });
  });
  afterAll(async () => {
    await g?.close();
  });

  /** A consume through the gateway's consumePurchase mutation (outside the ledger). */
  async function consumeInStore(productId: string, purchaseToken: string) {
    const CONSUME = `mutation ($input: ConsumePurchaseInput!) { consumePurchase(input: $input) { __typename } }`;
    const answer = await g.gql(CONSUME, { input: { app: APP, onestore: { productId, purchaseToken } } });
    expect(answer.data.consumePurchase).toEqual({ __typename: 'ConsumePurchaseSuccess' });
  }

  /** A purchase whose redemption is left pending (its consume never reached the store). */
  async function pending() {
    const p = await purchase(g);
    await dropNext(g, 'onestore.consumePurchase');
    const first = await redeem(g, oneStoreInput(p, `player-${randomUUID().slice(0, 8)}`));
    expect(first).toMatchObject({ __typename: 'RedemptionInProgressError' });
    const grantId = first.grantId ?? '';
    const grant = async () => (await g.gql(GRANT, { id: grantId })).data.grant;
    return { p, grantId, grant };
  }

  /** The sandbox's COMPLETED notice of the purchase once the writer's lease ran out, counters reset before it. */
  async function noticeAfterLease(purchaseToken: string) {
    await sleep(1_100);
    await g.resetStats();
    return postNotice(g, APP, sandboxNotice(g, purchaseToken, 'COMPLETED'));
  }

  it('the store says consumed: settled on that evidence, with one read and no consume', async () => {
    const { p, grant } = await pending();
    // Someone consumed it meanwhile (the writer's consume landed after all, say).
    await consumeInStore(p.productId, p.purchaseToken);
    expect(await noticeAfterLease(p.purchaseToken)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'settled' },
    });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
    expect(await grant()).toEqual({ status: 'SETTLED', outcome: 'CONSUMED', revokedAt: null });
  });

  it('the store says cancelled: the notice settles nothing, the pending grant is dropped', async () => {
    const { p, grantId } = await pending();
    await act(g, p.purchaseToken, 'void');
    expect(await noticeAfterLease(p.purchaseToken)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'dropped' },
    });
    expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
    const gone = `query ($id: ID!) { grant(app: "${APP}", id: $id) { __typename } }`;
    expect((await g.gql(gone, { id: grantId })).data.grant).toEqual({ __typename: 'NotFoundError' });
  });

  it('the writer still holds its lease: busy, no store call, not recorded; the resend after it ran out settles', async () => {
    const { p, grant } = await pending();
    const notice = sandboxNotice(g, p.purchaseToken, 'COMPLETED');
    await g.resetStats();
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'busy' },
    });
    expect(await upstreamCounts(g)).toEqual({});
    expect(await grant()).toMatchObject({ status: 'PENDING' });
    await sleep(1_100);
    // Not a replay: a busy notice was not recorded. The store says not consumed, so the recovery
    // consumes (the change the redemption meant to make) and settles on the store's answer.
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'settled' },
    });
    expect(await upstreamCounts(g)).toEqual({
      'onestore.getPurchaseDetails': 1,
      'onestore.consumePurchase': 1,
    });
    expect(await grant()).toEqual({ status: 'SETTLED', outcome: 'CONSUMED', revokedAt: null });
    // A COMPLETED notice for a settled grant: nothing to do, no store call.
    await g.resetStats();
    const again = sandboxNotice(g, p.purchaseToken, 'COMPLETED');
    expect(await postNotice(g, APP, again)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'unchanged' },
    });
    expect(await upstreamCounts(g)).toEqual({});
  });

  it('the store cannot be read: the grant stays pending, the notice is not recorded, its resend settles it', async () => {
    const { p, grant } = await pending();
    await consumeInStore(p.productId, p.purchaseToken);
    await sleep(1_100);
    const notice = sandboxNotice(g, p.purchaseToken, 'COMPLETED');
    await g.control('POST', '/maintenance', { on: true, store: 'onestore' });
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'left' },
    });
    expect(await grant()).toMatchObject({ status: 'PENDING' });
    await g.control('POST', '/maintenance', { on: false, store: 'onestore' });
    await sleep(1_100);
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'settled' },
    });
    expect(await grant()).toEqual({ status: 'SETTLED', outcome: 'CONSUMED', revokedAt: null });
  });

  it('CANCELED while the store is down: 503 and nothing revoked; the resend revokes', async () => {
    const p = await purchase(g);
    const redeemed = await redeem(g, {
      app: APP,
      userId: `player-${randomUUID().slice(0, 8)}`,
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
    });
    await act(g, p.purchaseToken, 'void');
    const notice = sandboxNotice(g, p.purchaseToken, 'CANCELED');
    await g.control('POST', '/maintenance', { on: true, store: 'onestore', retryAfterSeconds: 0 });
    const down = await fetch(`${g.url}/notifications/onestore/${APP}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
    });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('60');
    expect(await down.json()).toEqual({ result: 'failed', message: 'Try again later.' });
    const grantOf = async () => (await g.gql(GRANT, { id: redeemed.grant?.id })).data.grant;
    expect(await grantOf()).toMatchObject({ revokedAt: null });
    await g.control('POST', '/maintenance', { on: false, store: 'onestore' });
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'revoked' },
    });
    expect(await grantOf()).toMatchObject({ status: 'SETTLED', revokedAt: expect.any(String) });
  });
});
