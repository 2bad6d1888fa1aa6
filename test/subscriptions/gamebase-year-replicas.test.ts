import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PROCESS_APP } from '../helpers/gateway-process.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { playGamebaseYear } from './gamebase-year-walk.js';
import { startYearReplicas, type YearReplicas } from './year-replicas-rig.js';

/**
 * Issue 26, "Done when", Gamebase part on replicas: the year of gamebase-year-walk.ts (a Google
 * AUTO_RENEWABLE subscription) played against two gateway processes on one PostgreSQL ledger, each
 * scheduler on its 0.2 s timer, the processes' clock frozen at each step; at random points
 * (`YEAR_SEED=<seed>` replays a run) a replica is SIGKILLed during a redemption and started again.
 * At the end: exactly the grants, answers (without alreadyRedeemed: a call lost to a kill may have
 * made the grant its retry is told of) and events of the in-process run, none lost, none twice.
 */

const API_KEY = `gbyear-${randomUUID()}`;
const postgres = ledgerBackends().find((b) => b.name === 'postgres');
const SEED = Number(process.env.YEAR_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Chance that a redemption has a replica killed while it runs (YEAR_KILL_CHANCE; default 0.25). */
const KILL_CHANCE = Number(process.env.YEAR_KILL_CHANCE ?? 0.25);
const DAY = 86_400_000;

describe.skipIf(postgres?.skip ?? true)('a Gamebase year on two replicas with SIGKILLs', () => {
  let r: YearReplicas;

  beforeAll(async () => {
    r = await startYearReplicas({
      name: 'gbyear',
      apiKey: API_KEY,
      seed: SEED,
      killChance: KILL_CHANCE,
      gamebase: true,
    });
  }, 60_000);

  afterAll(async () => {
    await r?.close();
  });

  it('the same grants, answers and events as one process, none lost, none twice', async () => {
    console.log(`gamebase-year-replicas seed ${SEED} (YEAR_SEED=${SEED} replays it)`);
    const started = Date.now();
    try {
      await playGamebaseYear({
        app: PROCESS_APP,
        appId: r.gamebaseAppId ?? '',
        // The next UTC midnight: the processes' ledger clock (PostgreSQL) stays the wall clock.
        t0: Math.ceil(Date.now() / DAY) * DAY,
        clock: (ms) => r.clock(ms),
        settle: () => r.settle(),
        control: (method, path, body) => r.rig.h.control(method, path, body),
        redeem: async (input) => {
          const kill = r.maybeKill();
          const answer = await r.redeem(input, r.random() < 0.5 ? 0 : 1);
          await kill;
          return answer;
        },
        query: (query, variables) => r.query(query, variables),
        // The rows' shape is the walk's query's (pg types a row loosely).
        sql: async <R>(sql: string, params: unknown[]) => (await r.db.query(sql, params)) as R[],
        exactFresh: false,
      });
      console.log(
        `gamebase-year-replicas: ${r.replicas.kills} SIGKILLs, ${r.lost()} calls lost to them, ${Date.now() - started} ms`,
      );
    } catch (error) {
      throw new Error(`seed ${SEED} (${r.replicas.kills} kills): ${String(error)}`, { cause: error });
    }
  }, 180_000);
});
