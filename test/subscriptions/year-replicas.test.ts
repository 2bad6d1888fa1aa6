import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt, PROCESS_APP } from '../helpers/gateway-process.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { playYear, type YearWorld, yearOutcome } from './year-driver.js';
import { startYearReplicas, type YearReplicas } from './year-replicas-rig.js';
import { DAY, YEARS } from './year-scenario.js';

/**
 * Issue 26, first Done-when, the replicas part (ONE store SUBSCRIPTION and MONTHLY): the year of
 * year-scenario.ts played against two gateway processes (`src/main.ts`) on one PostgreSQL ledger and
 * one sandbox. Redemptions go to either replica, the duplicated ones to both at once; at random
 * points (a seeded generator: `YEAR_SEED=<seed>` replays a run, the seed is in every failure) a
 * random replica is SIGKILLed and started again. A call lost to a kill is sent again, as a game
 * backend would, until it is answered. Each replica's subscription scheduler runs on its own 0.2 s
 * timer, the processes' clock frozen at the step's instant; the driver waits until no tracked row is
 * due before each step and after it (year-replicas-rig.ts). At the end: exactly the grants and the
 * grant and lifecycle events of the in-process run (none lost, none twice: one event per
 * transition whichever replica read it), and at most one call per period told to deliver.
 */

const API_KEY = `year-${randomUUID()}`;
const postgres = ledgerBackends().find((b) => b.name === 'postgres');
const SEED = Number(process.env.YEAR_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Chance that a redemption or sync step has a replica killed while it runs (YEAR_KILL_CHANCE; default 0.25). */
const KILL_CHANCE = Number(process.env.YEAR_KILL_CHANCE ?? 0.25);
const SYNC = `mutation ($app: String!) { syncRevocations(app: $app) { __typename
  ... on RevocationSyncReport { ran failed { code } } } }`;

describe.skipIf(postgres?.skip ?? true)('a year on two replicas with SIGKILLs', () => {
  let r: YearReplicas;

  const world: YearWorld = {
    clock: (ms) => r.clock(ms),
    control: (method, path, body) => r.rig.h.control(method, path, body),
    redeem: async (input, copies) => {
      const kill = r.maybeKill();
      const pick = r.random() < 0.5 ? 0 : 1;
      const answers = await Promise.all(
        Array.from({ length: copies }, (_, copy) => r.redeem(input, (pick + copy) % 2)),
      );
      await kill;
      return answers;
    },
    sync: async () => {
      const kill = r.maybeKill();
      // Another replica's run (or one killed while it held the app's lease) answers ran: false: again.
      await r.untilAnswered(r.random() < 0.5 ? 0 : 1, async (url) => {
        const body = await gqlAt<{ syncRevocations: { ran: boolean; failed: unknown[] } }>(
          url,
          API_KEY,
          SYNC,
          { app: PROCESS_APP },
        );
        const report = body.data?.syncRevocations;
        return report?.ran && report.failed.length === 0 ? report : undefined;
      });
      await kill;
    },
    query: (query, variables) => r.query(query, variables),
    settle: () => r.settle(),
  };

  beforeAll(async () => {
    r = await startYearReplicas({ name: 'year', apiKey: API_KEY, seed: SEED, killChance: KILL_CHANCE });
  }, 60_000);

  afterAll(async () => {
    await r?.close();
  });

  it('SUBSCRIPTION then MONTHLY: the same grants and events as one process, none lost, none twice', async () => {
    console.log(`year-replicas seed ${SEED} (YEAR_SEED=${SEED} replays it)`);
    // The next UTC midnight: the processes' ledger clock (PostgreSQL) stays the wall clock.
    const t0 = Math.ceil(Date.now() / DAY) * DAY;
    const started = Date.now();
    try {
      for (const [n, scenario] of YEARS.entries()) {
        const setup = {
          app: PROCESS_APP,
          clientId: r.rig.clientId,
          t0: t0 + n * 730 * DAY,
          userId: `player-year-${scenario.kind.toLowerCase()}`,
        };
        const run = await playYear(scenario, world, setup);
        await r.replicas.all();
        const { actual, expected, freshPerPeriod } = await yearOutcome(run, world, false);
        expect(actual.periods).toEqual(expected.periods);
        expect(actual.grants).toEqual(expected.grants);
        expect(actual.events).toEqual(expected.events);
        expect(actual.answers).toEqual(expected.answers);
        // A call that made a grant may have been lost to a kill: then its retry is told alreadyRedeemed.
        for (const told of Object.values(freshPerPeriod)) expect(told).toBeLessThanOrEqual(1);
      }
      // The first kill drawn finds both replicas up: none happens only for a seed that draws none
      // in the 37 redemption and sync steps (0.75^37: about 2 seeds in 10^5).
      expect(r.replicas.kills).toBeGreaterThan(0);
      console.log(
        `year-replicas: ${r.replicas.kills} SIGKILLs, ${r.lost()} calls lost to them, ${Date.now() - started} ms`,
      );
    } catch (error) {
      throw new Error(`seed ${SEED} (${r.replicas.kills} kills): ${String(error)}`, { cause: error });
    }
  }, 180_000);
});
