import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GatewayProcess, gqlAt, spawnGateway } from '../helpers/gateway-process.js';
import { type ProcessRig, startProcessRig } from '../helpers/ledger-processes.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';
import { newGamebaseApp } from '../helpers/stores.js';

/**
 * Two gateway processes (`src/main.ts`) on one PostgreSQL ledger of their own and one sandbox, for
 * the year tests on replicas (year-replicas.test.ts, gamebase-year-replicas.test.ts): their clock
 * frozen at the sandbox's instant, their subscription schedulers on 0.2 s timers, replicas SIGKILLed
 * at random (a seeded generator) and started again at once, calls lost to a kill sent again.
 */

/** mulberry32: a small seeded generator. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two gateway processes; a killed one is started again at once, in the background. */
export class Replicas {
  readonly #slots: { up?: GatewayProcess; starting?: Promise<GatewayProcess> }[] = [{}, {}];
  kills = 0;
  constructor(readonly spawn: () => Promise<GatewayProcess>) {}

  start(i: number): Promise<GatewayProcess> {
    const slot = this.#slots[i] ?? {};
    const starting = this.spawn().then((p) => {
      slot.up = p;
      slot.starting = undefined;
      return p;
    });
    slot.starting = starting;
    // Awaited by `url` and `all`; a failed start is reported there.
    starting.catch(() => undefined);
    return starting;
  }

  /** SIGKILLs replica i if it is up (the other may be starting: then calls wait for a start). */
  async kill(i: number): Promise<void> {
    const slot = this.#slots[i];
    const victim = slot?.up;
    if (!slot || !victim) return;
    slot.up = undefined;
    this.kills++;
    await victim.stop('SIGKILL');
    this.start(i);
  }

  /** Replica i's URL when it is up, else the other's; when neither is, after the first to start. */
  async url(i: number): Promise<string> {
    for (;;) {
      const up = this.#slots[i]?.up ?? this.#slots[1 - i]?.up;
      if (up) return up.url;
      await Promise.race(this.#slots.map((s) => s.starting).filter((s) => s !== undefined));
    }
  }

  async all(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.starting));
  }

  async stop(): Promise<void> {
    await this.all().catch(() => undefined);
    await Promise.all(this.#slots.map((s) => s.up?.stop('SIGKILL')));
  }
}

/** Answers that say "not yet": the call is sent again. */
const NOT_YET = new Set(['RedemptionInProgressError', 'LedgerUnavailableError', 'StoreUnavailableError']);

export interface YearReplicas {
  rig: ProcessRig;
  db: OwnDatabase;
  replicas: Replicas;
  /** The Gamebase app the processes are configured with, when asked for. */
  gamebaseAppId: string | null;
  /** The seeded generator: every draw of the run comes from it. */
  random: () => number;
  /** Calls that got no answer (their replica killed under them). */
  lost: () => number;
  /** The next step's kill, drawn whether or not it happens so the draws stay in step with the seed. */
  maybeKill(): Promise<void>;
  /** Sends `call` to replica `prefer` (or the one that is up) until it gives an answer that is not "not yet". */
  untilAnswered<T>(prefer: number, call: (url: string) => Promise<T | undefined>): Promise<T>;
  /** Freezes the sandbox and the processes at `ms`. */
  clock(ms: number): Promise<void>;
  /**
   * Until no tracked row is due at the frozen instant: the schedulers' timers have read them (a row
   * a killed replica had leased is due until its lease runs out and a replica reads it).
   */
  settle(): Promise<void>;
  /** redeemPurchase through replica `prefer` (or the one up) until answered with more than "not yet". */
  redeem(input: Record<string, unknown>, prefer: number): Promise<RedeemAnswer>;
  /** A GraphQL query through replica 0 (or the one up), until it answers without errors: its data. */
  query(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startYearReplicas(o: {
  name: string;
  apiKey: string;
  seed: number;
  /** Chance that a step has a replica killed while it runs. */
  killChance: number;
  /** Whether the app has a Gamebase app too. */
  gamebase?: boolean;
}): Promise<YearReplicas> {
  const rig = await startProcessRig(o.name, `gateway-${o.name}-`, o.apiKey);
  const db = await createOwnDatabase(`ledger_${o.name}`);
  const gamebase = o.gamebase ? await newGamebaseApp(rig.h) : null;
  const clockFile = join(rig.dir, 'clock');
  const random = seeded(o.seed);
  let lost = 0;
  // The processes' clock is the sandbox's frozen instant, frozen too: a scheduler tick reads at the
  // step's instant whenever its timer fires, so the transitions told at "the read" are exact.
  const writeClock = () => {
    writeFileSync(`${clockFile}.next`, `=${rig.h.sandbox.clock.now()}`);
    renameSync(`${clockFile}.next`, clockFile);
  };
  // A short lease (over the upstream deadline), so a claim a killed replica left is taken over soon;
  // the sweeper on; no revocation timer: the sync runs when the scenario says.
  const config = await rig.config(
    { leaseSeconds: 1, sweepIntervalSeconds: 1, inProgressWaitMs: 0, revocationSyncIntervalSeconds: 0 },
    {
      upstreamDeadlineMs: 800,
      extra: { subscriptionTracking: { tickSeconds: 0.2 } },
      ...(gamebase && { gamebaseAppId: gamebase.appId }),
    },
  );
  await rig.h.control('POST', '/clock', { set: Date.now(), frozen: true });
  writeClock();
  const env = {
    SECRET_A: rig.clientSecret,
    DATABASE_URL: db.url,
    ...(gamebase && { GAMEBASE_A: gamebase.secretKey }),
  };
  const replicas = new Replicas(() => spawnGateway(config, env, { clockFile }));
  replicas.start(0);
  replicas.start(1);
  await replicas.all();

  async function untilAnswered<T>(prefer: number, call: (url: string) => Promise<T | undefined>): Promise<T> {
    let last = '';
    for (let attempt = 1; attempt <= 400; attempt++) {
      writeClock();
      try {
        const answer = await call(await replicas.url(prefer));
        if (answer !== undefined) return answer;
        last = 'not yet';
      } catch (error) {
        // The replica was killed under the call (reset, refused, a cut body): send it again.
        lost++;
        last = String(error);
      }
      await sleep(50);
    }
    throw new Error(`no answer after 400 calls: ${last}`);
  }

  return {
    rig,
    db,
    replicas,
    gamebaseAppId: gamebase?.appId ?? null,
    random,
    lost: () => lost,
    maybeKill: async () => {
      const [kill, victim, delay] = [random(), random(), random()];
      if (kill >= o.killChance) return;
      await sleep(Math.floor(delay * 40));
      await replicas.kill(victim < 0.5 ? 0 : 1);
    },
    untilAnswered,
    clock: async (ms) => {
      await rig.h.control('POST', '/clock', { set: ms, frozen: true });
      writeClock();
    },
    settle: async () => {
      const now = new Date(rig.h.sandbox.clock.now());
      for (let attempt = 1; ; attempt++) {
        const [due] = await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM tracked_subscriptions WHERE next_check_at <= $1',
          [now],
        );
        if (Number(due?.n) === 0) return;
        if (attempt > 600) throw new Error(`${due?.n} tracked subscriptions still due after 30 s`);
        await sleep(50);
      }
    },
    redeem: (input, prefer) =>
      untilAnswered(prefer, async (url) => {
        const body = await gqlAt<{ redeemPurchase: RedeemAnswer }>(url, o.apiKey, REDEEM, { input });
        const answer = body.data?.redeemPurchase;
        return answer && !NOT_YET.has(answer.__typename) ? answer : undefined;
      }),
    query: (query, variables) =>
      untilAnswered(0, async (url) => {
        const body = await gqlAt(url, o.apiKey, query, variables);
        return body.errors === undefined ? body.data : undefined;
      }),
    close: async () => {
      await replicas.stop();
      await rig.close();
      await db.drop();
    },
  };
}
