import { describe, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { playGamebaseYear } from './gamebase-year-walk.js';

/**
 * Issue 26, "Done when", Gamebase part, in one process on each ledger backend: the year of
 * gamebase-year-walk.ts (exactly one grant per paid period, none where no period was paid, the
 * answers, and the 18 lifecycle events of the Google subscription in order among the grant events,
 * with occurredAt, observedAt, previousStatus and the renewals' paymentIds).
 */

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a year of a Gamebase AUTO_RENEWABLE subscription on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    // The scheduler has no timer: the walk runs it after every clock move and store step.
    const config = { subscriptionTracking: { tickSeconds: 0 } };
    useLedgerGateway(backend, { gateway: { config } }, (started) => {
      ({ g, ledger } = started);
    });

    it('one grant per paid period (none where none was paid), with its period and expiry; the lifecycle events in order', async () => {
      await playGamebaseYear({
        app: APP,
        appId: g.gamebase.appId,
        t0: Date.UTC(2026, 0, 1),
        clock: async (ms) => {
          await g.control('POST', '/clock', { set: ms, frozen: true });
        },
        settle: async () => {
          await (await g.gateway.subscriptionScheduler()).runDue();
        },
        control: (method, path, body) => g.control(method, path, body),
        redeem: (input) => redeem(g, input),
        query: async (query, variables) => (await g.gql(query, variables)).data,
        sql: (sql, params) => ledger.db.query(sql, params),
        exactFresh: true,
      });
    });
  });
}
