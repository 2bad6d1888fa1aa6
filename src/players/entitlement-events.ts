import type { EntitlementCatalogue } from '../config/entitlements.js';
import type { EventStore, PlayerEntitlementStore } from '../ledger/index.js';
import { diffEntitlements, entitlementEvent, marksOf } from './entitlement-diff.js';
import { readPlayerFacts } from './player-facts.js';

/** What one run did (tests, logs). */
export interface EntitlementRunFigures {
  /** Players due that this worker looked at. */
  claimed: number;
  /** Of them, recomputed by this worker (the others were done by another one meanwhile). */
  computed: number;
  /** ENTITLEMENT_* events written. */
  events: number;
  /** Players whose computation failed (the ledger, a fault): tried again after `retryMs`. */
  failures: number;
}

export interface EntitlementWorkerLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface EntitlementWorkerOptions {
  /** The players' table (ledger/player-entitlements.ts). */
  store: PlayerEntitlementStore;
  /** The outbox whose commits wake the worker (`feed`). */
  events: EventStore;
  /** An app's catalogue (config `entitlements`); `{}` for an app no longer configured. */
  catalogueOf: (app: string) => EntitlementCatalogue;
  /** The gateway's clock, ms since epoch: the one `player` computes with. */
  now: () => number;
  /** Time between polls for time-based changes and other replicas' marks, ms; 0: no timer (tests drive `runDue`). */
  pollIntervalMs: number;
  /** Players read per claim. */
  batchSize: number;
  /** How long a player whose computation failed waits before the next try, ms (a new fact retries at once). Default 60000. */
  retryMs?: number;
  /** A failed run (it is retried by the next wake-up or poll). Default: silent. */
  log?: EntitlementWorkerLogger;
}

/**
 * Writes ENTITLEMENT_* events (docs/events.md, "Entitlement events"): recomputes each player whose
 * facts changed (marked in the fact's transaction) or whose set reaches a time it changes (an
 * expiry), each in one transaction with its events (ledger/player-entitlements.ts). Woken by this
 * process's commits; polls every `pollIntervalMs` for expiries and other replicas' marks.
 */
export class EntitlementEventWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<EntitlementRunFigures> | undefined;
  #again = false;
  #stopped = true;
  readonly #wake = () => this.wake();

  constructor(readonly options: EntitlementWorkerOptions) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.options.events.feed.on('committed', this.#wake);
    if (this.options.pollIntervalMs > 0) {
      this.#timer = setInterval(this.#wake, this.options.pollIntervalMs);
      this.#timer.unref();
    }
    this.wake();
  }

  /** Stops waking; resolves when the run in flight has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.options.events.feed.off('committed', this.#wake);
    await this.#running?.catch(() => undefined);
  }

  /** Runs now (a run in flight runs once more after it). Its own commits wake it once more, which finds nothing due. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.runDue()
      .catch((error: unknown) =>
        this.options.log?.warn(
          { err: error instanceof Error ? error.name : 'unknown' },
          'entitlement events: run failed; the next wake-up or poll retries',
        ),
      )
      .finally(() => {
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Recomputes every player due now, batch after batch; a run in flight is joined, not doubled. */
  runDue(): Promise<EntitlementRunFigures> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<EntitlementRunFigures> {
    const { store, batchSize } = this.options;
    const figures: EntitlementRunFigures = { claimed: 0, computed: 0, events: 0, failures: 0 };
    for (;;) {
      const now = new Date(this.options.now());
      const due = await store.due(now, batchSize);
      figures.claimed += due.length;
      let computed = 0;
      let failed = 0;
      /** Players of the batch no longer due now: computed, done by another worker, or postponed. */
      let moved = 0;
      for (const { app, userId } of due) {
        let written: number | null;
        try {
          written = await store.recompute(app, userId, now, async (reads, previous, baselineAt) => {
            const facts = (
              await readPlayerFacts(reads, app, [userId], this.options.catalogueOf(app), now)
            ).get(userId);
            // Never computed: a row migration 13 backfilled diffs against the set as the facts stood
            // when it ran, so what landed since is told and what the player had before is not.
            const before =
              previous ??
              (baselineAt === null || facts === undefined ? null : marksOf(facts.asOf(baselineAt)));
            const diff = diffEntitlements(before, facts?.entitlements ?? [], now);
            return {
              events: diff.changes.map((change) => entitlementEvent(app, userId, change)),
              state: diff.state,
              dueAt: diff.dueAt,
            };
          });
        } catch (error) {
          // One player's failure holds back no other: it waits `retryMs` (the others come first).
          failed++;
          this.options.log?.warn(
            { app, err: error instanceof Error ? error.name : 'unknown' },
            'entitlement events: a player not computed; tried again later',
          );
          const retryAt = new Date(now.getTime() + (this.options.retryMs ?? 60_000));
          if (
            await store.postpone(app, userId, now, retryAt).then(
              () => true,
              () => false,
            )
          )
            moved++;
          continue;
        }
        moved++;
        if (written === null) continue;
        computed++;
        figures.events += written;
      }
      figures.failures += failed;
      figures.computed += computed;
      // The players of a full batch that are not due any more (done here, by another worker, or
      // postponed) let the next claim make progress; a batch with none of them (the ledger down) ends the run.
      if (due.length < batchSize || moved === 0) return figures;
    }
  }
}
