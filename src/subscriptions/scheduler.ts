import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { RetryPolicy } from '../events/retry-policy.js';
import type { NewEvent, Observed, TrackedSubscription, TrackedSubscriptionStore } from '../ledger/index.js';
import type { gamebase } from '../stores/index.js';
import type { StoreId } from '../vocabulary/stores.js';
import { CallBudget } from './budget.js';
import { addFigures, NO_FIGURES, type PlayerRefresh, type TickFigures } from './figures.js';
import {
  type GamebaseBatchReader,
  gamebaseBatches,
  gamebaseEvents,
  gamebaseNextCheck,
  gamebaseObservationOf,
  gamebaseReadOf,
  gamebaseState,
  gamebaseTransitions,
} from './gamebase.js';
import { type NextCheckSettings, nextCheckAt } from './next-check.js';
import {
  lifecycleEvents,
  observationOf,
  recordOf,
  type SubscriptionReader,
  UntrackableError,
} from './observation.js';
import { transitions } from './transitions.js';

export interface SchedulerObserver {
  tick?(figures: TickFigures): void;
  /** Rows due (leased or not) after a tick, on the scheduler's clock. */
  backlog?(due: number): void;
}

export interface SchedulerLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface SchedulerOptions extends NextCheckSettings {
  /** The scheduler's clock, ms since epoch: the store's time (the sandbox's in tests). */
  now: () => number;
  /** Lease owner. Default: `subs-<uuid>`, one per scheduler. */
  owner?: string;
  /** How long a claimed row stays this scheduler's, ms (database clock). */
  leaseMs: number;
  /** Rows claimed per tick at most. */
  batchSize: number;
  /** Reads in flight at once within a tick. */
  concurrency: number;
  /** Store reads per second per store, over all of this scheduler's ticks. */
  callsPerSecond: number;
  /** Time between ticks of `start()`, ms; 0: no timer (ticks are driven: tests, the benchmark). */
  intervalMs: number;
  /** The backoff of a failed read (events/retry-policies.ts `subscriptionReadRetry`). */
  retry: RetryPolicy;
  /** Reads tracked Gamebase rows (Get Subscriptions Status). Default: none, and such rows fail their reads. */
  gamebase?: GamebaseBatchReader;
  /** Told each tick's figures and the backlog after it (metrics). Default: nobody. */
  observer?: SchedulerObserver;
  /** Warnings: a failed tick, a read not written. Default: silent. */
  log?: SchedulerLogger;
  /** The budget's wall clock and sleep. Default: performance.now and setTimeout. */
  budgetClock?: { now: () => number; sleep: (ms: number) => Promise<void> };
}

const errorCode = (error: unknown): string =>
  error instanceof Error
    ? (((error as { code?: unknown }).code as string | undefined) ?? error.name)
    : 'unknown';

/**
 * Re-reads tracked subscriptions when they are due (docs/events.md, "Lifecycle events"). A tick leases
 * a batch of due rows (replicas lease disjoint rows), reads each from its store within the store's call
 * budget, and writes the read with the events of its transitions under the row's compare-and-set. A
 * failed read proves nothing: it writes its backoff only, never a transition.
 */
export class SubscriptionScheduler {
  readonly owner: string;
  readonly #budgets = new Map<StoreId, CallBudget>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickFigures> | undefined;
  readonly #stopped = new AbortController();

  constructor(
    readonly tracked: TrackedSubscriptionStore,
    readonly read: SubscriptionReader,
    readonly options: SchedulerOptions,
  ) {
    this.owner = options.owner ?? `subs-${randomUUID()}`;
    // Every read in flight listens on the stop signal: past Node's default of 10 listeners (a
    // concurrency above 10) it would warn of a leak that is not one.
    setMaxListeners(Math.max(10, 2 * options.concurrency), this.#stopped.signal);
  }

  /** Ticks every `intervalMs` (none with 0); a tick while the last still runs starts nothing. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      void this.tick().catch((error: unknown) =>
        this.options.log?.warn({ err: errorCode(error) }, 'subscription tick failed; the next one retries'),
      );
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and cancels the store reads in flight (their rows' leases run out). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopped.abort();
  }

  /** One batch: the rows due now, read and written. */
  tick(): Promise<TickFigures> {
    const run: Promise<TickFigures> = this.#tick().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  /** Ticks until one claims less than a full batch (or `maxTicks` ran): every row due now is read. */
  async runDue(maxTicks = 1000): Promise<TickFigures> {
    const total = { ...NO_FIGURES };
    for (let i = 0; i < maxTicks; i++) {
      const figures = await this.tick();
      addFigures(total, figures);
      if (figures.claimed < this.options.batchSize) break;
    }
    return total;
  }

  async #tick(): Promise<TickFigures> {
    const cpu = process.cpuUsage();
    const o = this.options;
    const now = new Date(o.now());
    const rows = await this.tracked.claimDue(now, o.batchSize, this.owner, o.leaseMs);
    const figures = { ...NO_FIGURES, claimed: rows.length };
    await this.#run(this.#work(rows).map((item) => () => item(figures)));
    if (o.observer?.backlog) o.observer.backlog(await this.tracked.dueCount(new Date(o.now())));
    const used = process.cpuUsage(cpu);
    figures.cpuMicros = used.user + used.system;
    o.observer?.tick?.(figures);
    return figures;
  }

  /**
   * `player(refresh: true)`: reads every tracked subscription of `userIds` now, due or not, as a tick
   * reads a due row (same budget, leases, compare-and-set and events), and answers each player's
   * figures. A subscription another reader holds is left to it (`busy`): its read is in flight.
   */
  async refresh(app: string, userIds: readonly string[]): Promise<Map<string, PlayerRefresh>> {
    const o = this.options;
    const { claimed, busy } = await this.tracked.claimPlayers(app, userIds, this.owner, o.leaseMs);
    const result = new Map(userIds.map((id) => [id, { figures: { ...NO_FIGURES }, busy: 0 }]));
    for (const row of busy) {
      const mine = result.get(row.userId);
      if (mine) mine.busy++;
    }
    const items: (() => Promise<void>)[] = [];
    for (const [userId, mine] of result) {
      const rows = claimed.filter((row) => row.userId === userId);
      mine.figures.claimed = rows.length;
      for (const item of this.#work(rows)) items.push(() => item(mine.figures));
    }
    await this.#run(items);
    return result;
  }

  /** Runs `items` at most `concurrency` at once; none once stopped. */
  async #run(items: readonly (() => Promise<void>)[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < items.length; i = next++) {
        const item = items[i];
        if (item && !this.#stopped.signal.aborted) await item();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
  }

  /** The reads of a batch: a ONE store row alone, Gamebase rows in batches (gamebaseBatches). */
  #work(rows: readonly TrackedSubscription[]): ((figures: TickFigures) => Promise<void>)[] {
    const { single, batches } = gamebaseBatches(rows);
    return [
      ...single.map((row) => (figures: TickFigures) => this.#one(row, figures)),
      ...batches.map((batch) => (figures: TickFigures) => this.#gamebase(batch, figures)),
    ];
  }

  async #one(row: TrackedSubscription, figures: TickFigures): Promise<void> {
    const o = this.options;
    await this.#budget(row.store).take();
    figures.reads++;
    let record: Awaited<ReturnType<SubscriptionReader>>;
    try {
      record = await this.read(row, new Date(o.now()), { signal: this.#stopped.signal });
    } catch (error) {
      await this.#failed(row, error, figures);
      return;
    }
    const readAt = new Date(o.now());
    const previous = recordOf(row.observation);
    const found = transitions(previous, record, readAt);
    await this.#write(row, figures, {
      status: record.status,
      expiresAt: record.expiresAt,
      observation: observationOf(record),
      nextCheckAt: nextCheckAt(record, readAt, o),
      readAt,
      events: lifecycleEvents(row, previous, record, found, readAt),
    });
  }

  async #gamebase(rows: readonly TrackedSubscription[], figures: TickFigures): Promise<void> {
    const o = this.options;
    await this.#budget('GAMEBASE').take();
    figures.reads++;
    let answers: Map<TrackedSubscription, gamebase.SubscriptionStatus | Error>;
    try {
      if (!o.gamebase) throw new UntrackableError('no Gamebase reader');
      answers = await o.gamebase(rows, { signal: this.#stopped.signal });
    } catch (error) {
      for (const row of rows) await this.#failed(row, error, figures);
      return;
    }
    const readAt = new Date(o.now());
    for (const row of rows) {
      const status = answers.get(row) ?? new UntrackableError('no answer');
      if (status instanceof Error) {
        await this.#failed(row, status, figures);
        continue;
      }
      const read = { status, state: gamebaseState(status, readAt) };
      const previous = gamebaseReadOf(row.observation);
      const found = gamebaseTransitions(previous, read, readAt);
      await this.#write(row, figures, {
        status: read.state,
        expiresAt: status.expiryTimeMs === null ? null : new Date(status.expiryTimeMs),
        observation: gamebaseObservationOf(read),
        nextCheckAt: gamebaseNextCheck(read, readAt, o),
        readAt,
        // The pair the answer names (a later period's, if Gamebase answers so): later reads ask with it.
        storeIds: { paymentSeq: status.paymentSeq, purchaseToken: status.accessToken },
        events: gamebaseEvents(row, previous, status, found, readAt),
      });
    }
  }

  /** A read that failed proves nothing: only its backoff is written. */
  async #failed(row: TrackedSubscription, error: unknown, figures: TickFigures): Promise<void> {
    figures.failures++;
    // Cancelled by stop(): the lease runs out and another replica (or the next start) reads it.
    if (this.#stopped.signal.aborted) return;
    const o = this.options;
    const at = o.now() + o.retry.delayMs(row.failures + 1);
    await this.#ledger(figures, row, () =>
      this.tracked.failed(row, this.owner, new Date(at), errorCode(error)),
    );
  }

  async #write(
    row: TrackedSubscription,
    figures: TickFigures,
    read: Observed & { events: NewEvent[] },
  ): Promise<void> {
    const { events, ...observed } = read;
    const won = await this.#ledger(figures, row, () =>
      this.tracked.observe(row, this.owner, observed, events),
    );
    if (won === true) {
      figures.written++;
      figures.events += events.length;
    } else if (won === false) figures.lost++;
  }

  async #ledger<T>(
    figures: TickFigures,
    row: TrackedSubscription,
    write: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      figures.ledgerErrors++;
      this.options.log?.warn(
        { app: row.app, store: row.store, err: errorCode(error) },
        'tracked subscription not written; read again once its lease runs out',
      );
      return undefined;
    }
  }

  #budget(store: StoreId): CallBudget {
    let budget = this.#budgets.get(store);
    if (!budget) {
      const clock = this.options.budgetClock;
      budget = new CallBudget(this.options.callsPerSecond, clock?.now, clock?.sleep);
      this.#budgets.set(store, budget);
    }
    return budget;
  }
}
