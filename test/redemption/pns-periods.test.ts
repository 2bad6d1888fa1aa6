import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import type { ManagedPurchase } from '../../src/sandbox/onestore/model.js';
import { APP, act, type GatewayHarness, purchase, record } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { postNotice } from '../helpers/pns.js';
import { redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 26: a ONE store payment notification (PNS) cancelling a monthly product's period revokes that
 * period's grant only, once the store's read shows that period as the last one, cancelled; a notice of
 * an earlier period cannot be confirmed by that read and changes nothing (`past_period`).
 */

/** A CANCELED notice of one period of a monthly product, signed with the sandbox's demo key. */
function cancelledPeriod(
  g: GatewayHarness,
  p: { productId: string; purchaseTime: number },
  purchaseId: string,
) {
  const period = {
    clientId: g.onestore.a,
    productId: p.productId,
    purchaseId,
    purchaseTime: p.purchaseTime,
    market: 'MKT_ONE',
    price: '4900',
    currency: 'KRW',
  } as unknown as ManagedPurchase;
  return g.h.sandbox.core.pns.message(period, 'CANCELED');
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`PNS of a monthly product's period on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    const gateway = {
      licensePublicKey: DEMO_PNS_PUBLIC_KEY,
      config: { ledger: { revocationSyncIntervalSeconds: 0, sweepIntervalSeconds: 0 } },
    };
    useLedgerGateway(backend, { gateway }, (started) => {
      ({ g, ledger } = started);
    });

    it('CANCELED of the last period revokes its grant only, with SUBSCRIPTION_PERIOD_REFUNDED; of an earlier one, nothing', async () => {
      const p = await purchase(g, { productId: 'monthly_pass', type: 'auto' });
      const input = {
        app: APP,
        userId: `player-${randomUUID().slice(0, 8)}`,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken, kind: 'MONTHLY' },
      };
      const first = await redeem(g, input);
      await act(g, p.purchaseToken, 'renew');
      const current = await redeem(g, input);
      const period = String((await record(g, p.purchaseToken)).lastPurchaseId);
      expect(current.grant?.storeIds.purchaseId).toBe(period);
      // The store refunds the last period (lastPurchaseState 1); its notice is posted below.
      await act(g, p.purchaseToken, 'void', { purchaseId: period });

      const past = await postNotice(g, APP, cancelledPeriod(g, p, p.purchaseId));
      expect(past).toMatchObject({ status: 200, body: { outcome: 'past_period' } });
      const last = await postNotice(g, APP, cancelledPeriod(g, p, period));
      expect(last).toMatchObject({ status: 200, body: { outcome: 'revoked' } });

      const rows = await ledger.db.query<{ id: string; revoked: boolean | number }>(
        'SELECT id, revoked_at IS NOT NULL AS revoked FROM grants WHERE purchase_key LIKE $1',
        [`${p.purchaseToken}%`],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, Boolean(r.revoked)]))).toEqual({
        [String(first.grant?.id)]: false,
        [String(current.grant?.id)]: true,
      });
      const EVENTS = `query { gatewayEvents(app: "${APP}", types: [GRANT_REVOKED, SUBSCRIPTION_PERIOD_REFUNDED]) {
        ... on GatewayEventConnection { edges { node { type purchaseId subscriptionKind grant { id revocation { source purchaseId } } } } } } }`;
      expect((await g.gql(EVENTS)).data.gatewayEvents).toEqual({
        edges: [
          {
            node: {
              type: 'GRANT_REVOKED',
              purchaseId: null,
              subscriptionKind: null,
              grant: { id: current.grant?.id, revocation: { source: 'onestore.pns', purchaseId: period } },
            },
          },
          {
            node: {
              type: 'SUBSCRIPTION_PERIOD_REFUNDED',
              purchaseId: period,
              subscriptionKind: 'MONTHLY',
              grant: { id: current.grant?.id, revocation: { source: 'onestore.pns', purchaseId: period } },
            },
          },
        ],
      });
    });
  });
}
