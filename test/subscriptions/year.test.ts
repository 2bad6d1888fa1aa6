import { describe, expect, it } from 'vitest';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';
import { playYear, type YearWorld, yearOutcome } from './year-driver.js';
import { DAY, YEARS } from './year-scenario.js';

/**
 * Issue 26, first Done-when (ONE store SUBSCRIPTION and MONTHLY): a year of each in sandbox time,
 * redeemed through one gateway on each ledger backend, its subscription scheduler run (runDue) after
 * every clock move and every step: exactly one grant per paid period (the refunded one revoked),
 * exactly the expected grant and lifecycle events in order (lifecycle: with the store's occurredAt
 * and the renewal's purchaseId), exactly the expected answers.
 */

/** 2026-01-01T00:00:00Z; the second scenario starts two years later (the clock only moves on). */
const T0 = Date.UTC(2026, 0, 1);
const SCENARIO_SPACING = 730 * DAY;

const SYNC = `mutation ($app: String!) { syncRevocations(app: $app) { __typename
  ... on RevocationSyncReport { ran failed { code message } } } }`;

/** The sandbox and one gateway in this process; the gateway's clock is the sandbox's. */
function inProcess(g: GatewayHarness): YearWorld {
  return {
    clock: async (ms) => {
      await g.control('POST', '/clock', { set: ms, frozen: true });
    },
    control: (method, path, body) => g.control(method, path, body),
    redeem: (input, copies) => Promise.all(Array.from({ length: copies }, () => redeem(g, input))),
    sync: async () => {
      const report = (await g.gql(SYNC, { app: APP })).data.syncRevocations;
      expect(report).toEqual({ __typename: 'RevocationSyncReport', ran: true, failed: [] });
    },
    query: async (query, variables) => (await g.gql(query, variables)).data,
    settle: async () => {
      await (await g.gateway.subscriptionScheduler()).runDue();
    },
  };
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a year of a ONE store subscription on ${backend.name}`, () => {
    let g: GatewayHarness;
    // No timers: the revocation sync runs when the scenario says, nothing sweeps behind its back.
    // The subscription scheduler is ticked by the driver (settle) after every clock move and step.
    const config = {
      ledger: { revocationSyncIntervalSeconds: 0, sweepIntervalSeconds: 0 },
      subscriptionTracking: { tickSeconds: 0 },
    };
    useLedgerGateway(backend, { gateway: { config } }, (started) => {
      g = started.g;
    });

    for (const [n, scenario] of YEARS.entries())
      it(`${scenario.kind}: 12 paid periods, 12 grants (one revoked), the events in order`, async () => {
        const world = inProcess(g);
        const run = await playYear(scenario, world, {
          app: APP,
          clientId: g.onestore.a,
          t0: T0 + n * SCENARIO_SPACING,
          userId: `player-year-${scenario.kind.toLowerCase()}`,
        });
        const { actual, expected } = await yearOutcome(run, world, true);
        expect(actual.periods).toEqual(expected.periods);
        expect(actual.grants).toEqual(expected.grants);
        expect(actual.events).toEqual(expected.events);
        expect(actual.answers).toEqual(expected.answers);
        // The figures, written out once: 12 grants, 26 grant events (one of each refund event) and
        // the lifecycle events: SUBSCRIPTION 11 renewals and 10 other transitions, MONTHLY 11 and 4.
        expect(actual.grants.filter((x) => x.revoked)).toHaveLength(1);
        expect(actual.grants).toHaveLength(12);
        expect(actual.events.filter((e) => e.grant !== null)).toHaveLength(26);
        expect(actual.events.filter((e) => e.type === 'SUBSCRIPTION_RENEWED')).toHaveLength(11);
        expect(actual.events).toHaveLength(scenario.kind === 'SUBSCRIPTION' ? 47 : 41);
      }, 60_000);
  });
}
