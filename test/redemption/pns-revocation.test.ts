import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { APP, act, type GatewayHarness, purchase, upstreamCounts } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { noticeCounts, postNotice, sandboxNotice, waitFor } from '../helpers/pns.js';
import { redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { oneStoreInput } from '../helpers/redemption-inputs.js';

const user = () => `player-${randomUUID().slice(0, 8)}`;

const REVOKED = `query ($since: DateTime!) { revokedGrants(app: "${APP}", since: $since, first: 10) {
  __typename ... on GrantConnection { edges { node { id status revokedAt revocation { source purchaseId } } } } } }`;

/**
 * A PNS for a voided purchase revokes its grant at once, on both ledgers: the sandbox posts the
 * signed notification when the control API voids the purchase, the gateway reads the purchase
 * again and revokes; no revocation sync runs (its timer is off and nobody calls it).
 */
for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ONE store PNS revocations on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    const metrics = new GatewayMetrics({ processMetrics: false });
    const gateway = {
      licensePublicKey: DEMO_PNS_PUBLIC_KEY,
      config: { ledger: { revocationSyncIntervalSeconds: 0, sweepIntervalSeconds: 0 } },
      gatewayOptions: { metrics },
    };
    useLedgerGateway(backend, { gateway }, async (started) => {
      ({ g, ledger } = started);
      await g.control('POST', `/onestore/apps/${g.onestore.a}/notifications`, {
        url: `${g.url}/notifications/onestore/${APP}`,
      });
    });

    it('the sandbox voids a redeemed purchase, its notification revokes the grant at once, after one store read', async () => {
      const since = new Date(g.now() - 1_000).toISOString();
      const p = await purchase(g);
      // The purchase's own COMPLETED notification: no grant yet, nothing to do.
      await waitFor(() => g.h.sandbox.stats().notifications.delivered === 1);
      const redeemed = await redeem(g, oneStoreInput(p, user()));
      expect(redeemed.grant).toMatchObject({ status: 'SETTLED', outcome: 'CONSUMED', revokedAt: null });
      await g.resetStats();

      await act(g, p.purchaseToken, 'void');
      await waitFor(() => g.h.sandbox.stats().notifications.delivered === 1);
      expect(g.h.sandbox.stats().notifications).toEqual({ sent: 1, delivered: 1, failed: 0, attempts: 1 });
      // One read of the purchase (the token is cached from the redemption), no voided-purchases list.
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      const revoked = await g.gql(REVOKED, { since });
      expect(revoked.data.revokedGrants).toEqual({
        __typename: 'GrantConnection',
        edges: [
          {
            node: {
              id: redeemed.grant?.id,
              status: 'SETTLED',
              revokedAt: expect.any(String),
              revocation: { source: 'onestore.pns', purchaseId: p.purchaseId },
            },
          },
        ],
      });
      expect(await noticeCounts(metrics)).toEqual({ 'accepted/no_grant': 1, 'accepted/revoked': 1 });
      // The revocation wrote its event in the outbox, like one from the revocation sync.
      const EVENTS = `query { gatewayEvents(app: "${APP}", types: [GRANT_REVOKED]) {
        ... on GatewayEventConnection { edges { node { type grant { id revokedAt } } } } } }`;
      expect((await g.gql(EVENTS)).data.gatewayEvents).toEqual({
        edges: [
          {
            node: { type: 'GRANT_REVOKED', grant: { id: redeemed.grant?.id, revokedAt: expect.any(String) } },
          },
        ],
      });
    });

    it('a replay of a processed notification is answered 200 with no store call and changes nothing', async () => {
      const p = await purchase(g);
      await redeem(g, oneStoreInput(p, user()));
      // Voided in the store without a notification, then one signed notice posted twice.
      await g.control('POST', `/onestore/apps/${g.onestore.a}/notifications`, { url: null });
      await act(g, p.purchaseToken, 'void');
      const notice = sandboxNotice(g, p.purchaseToken, 'CANCELED');
      await g.resetStats();
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 200,
        body: { result: 'accepted', outcome: 'revoked' },
      });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      const row = async () =>
        (
          await ledger.db.query<{ revoked_at: unknown; revocation: unknown }>(
            'SELECT revoked_at, revocation FROM grants WHERE purchase_key = $1',
            [p.purchaseToken],
          )
        )[0];
      const before = await row();
      expect(before?.revoked_at).not.toBeNull();
      await g.resetStats();
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 200,
        body: { result: 'replayed', outcome: 'replayed' },
      });
      expect(await upstreamCounts(g)).toEqual({});
      expect(await row()).toEqual(before);
      // The same signature spelled without its base64 padding verifies too: still the same notice.
      const unpadded = { ...notice, signature: String(notice.signature).replace(/=+$/, '') };
      expect(unpadded.signature).not.toBe(notice.signature);
      expect(await postNotice(g, APP, unpadded)).toEqual({
        status: 200,
        body: { result: 'replayed', outcome: 'replayed' },
      });
      expect(await upstreamCounts(g)).toEqual({});
      const processed = await ledger.db.query<{ outcome: string }>(
        "SELECT outcome FROM onestore_notifications WHERE purchase_id = $1 AND purchase_state = 'CANCELED'",
        [p.purchaseId],
      );
      expect(processed).toEqual([{ outcome: 'revoked' }]);
    });

    it('a CANCELED notification the store does not confirm revokes nothing and is answered 503; its resend after the store agrees revokes', async () => {
      const p = await purchase(g);
      const redeemed = await redeem(g, oneStoreInput(p, user()));
      // Signed with the right key, but the purchase is not voided in the store.
      const notice = sandboxNotice(g, p.purchaseToken, 'CANCELED');
      await g.resetStats();
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 503,
        body: { result: 'deferred', outcome: 'store_disagrees', message: 'Try again later.' },
      });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { revokedAt } } }`;
      expect((await g.gql(ONE, { id: redeemed.grant?.id })).data.grant).toEqual({ revokedAt: null });
      // Not recorded as done: once the store shows the cancellation, ONE store's resend of the same
      // notice after the verdict's memory (ledger.pnsStoreDisagreesTtlSeconds, 300 s) revokes
      // (review finding: it used to be answered 200 and kept as done).
      await act(g, p.purchaseToken, 'void');
      g.h.sandbox.clock.advance(300_000);
      await g.resetStats();
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 200,
        body: { result: 'accepted', outcome: 'revoked' },
      });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      expect((await g.gql(ONE, { id: redeemed.grant?.id })).data.grant).toEqual({
        revokedAt: expect.any(String),
      });
    });

    it('20 replays of a CANCELED notice the store contradicts cost one store read while its verdict is remembered', async () => {
      const p = await purchase(g);
      const redeemed = await redeem(g, oneStoreInput(p, user()));
      const notice = sandboxNotice(g, p.purchaseToken, 'CANCELED');
      await g.resetStats();
      const deferred = {
        status: 503,
        body: { result: 'deferred', outcome: 'store_disagrees', message: 'Try again later.' },
      };
      for (let i = 0; i < 20; i++) expect(await postNotice(g, APP, notice)).toEqual(deferred);
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      // The verdict lives in the ledger, so every replica sharing it answers from it too.
      const kept = await ledger.db.query<{ outcome: string }>(
        "SELECT outcome FROM onestore_notifications WHERE purchase_id = $1 AND purchase_state = 'CANCELED'",
        [p.purchaseId],
      );
      expect(kept).toEqual([{ outcome: 'store_disagrees' }]);
      // Just before the memory ends, still no read; once it has ended, one read, then remembered again.
      g.h.sandbox.clock.advance(299_000);
      expect(await postNotice(g, APP, notice)).toEqual(deferred);
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 1 });
      g.h.sandbox.clock.advance(1_000);
      for (let i = 0; i < 5; i++) expect(await postNotice(g, APP, notice)).toEqual(deferred);
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 2 });
      // The store now shows the cancellation: after the memory, the resend revokes and is kept as done.
      await act(g, p.purchaseToken, 'void');
      g.h.sandbox.clock.advance(300_000);
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 200,
        body: { result: 'accepted', outcome: 'revoked' },
      });
      expect(await postNotice(g, APP, notice)).toEqual({
        status: 200,
        body: { result: 'replayed', outcome: 'replayed' },
      });
      const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { revokedAt } } }`;
      expect((await g.gql(ONE, { id: redeemed.grant?.id })).data.grant).toEqual({
        revokedAt: expect.any(String),
      });
      expect(await upstreamCounts(g)).toEqual({ 'onestore.getPurchaseDetails': 3 });
    });
  });
}
