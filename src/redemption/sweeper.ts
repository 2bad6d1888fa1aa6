import type { Grant, GrantStore } from '../ledger/index.js';
import type { CallOptions } from '../stores/index.js';
import type { PurchaseAdapter } from './adapters/index.js';
import type { Redeemer } from './redeemer.js';

/** The part of a pino logger the ledger's background jobs use. Lines carry ids and counts only. */
export interface JobLogger {
  info?(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  /** For ledger faults (neither an outage nor bad input); `warn` is used when absent. */
  error?(obj: Record<string, unknown>, msg: string): void;
}

export interface SweeperOptions {
  /** Time between sweeps, ms; 0 turns the periodic sweep off (start-up recovery still runs). */
  intervalMs: number;
  /** Grants settled per sweep at most. Default 100. */
  batchSize?: number;
  /**
   * True for an embedded (single-process) ledger: at start-up every pending grant is an orphan of
   * the previous run, so it is settled at once instead of after its lease runs out.
   */
  embedded: boolean;
  /** Told the outcome of every sweep (metrics). Default: nobody. */
  onSweep?: (result: SweepResult) => void;
  /**
   * The change intents to complete in the same pass (change-intents.ts; all of them at start-up on
   * an embedded ledger, like the pending grants). Default: none.
   */
  intents?: { sweep(force: boolean): Promise<IntentSweep> };
}

/** What a pass did with change intents: events written, intents closed with no event, left for later. */
export interface IntentSweep {
  completed: number;
  closed: number;
  left: number;
  /** Closed unproven: every repeat refused for the give-up time (change-intents.ts). */
  abandoned: number;
  /** Intents still open in the whole ledger after the pass. */
  open: number;
}

/** What {@link Sweeper.recoverOne} did with one pending grant. */
export type RecoveryOutcome = 'settled' | 'dropped' | 'left' | 'busy';

export interface SweepResult {
  settled: number;
  dropped: number;
  left: number;
  /** Pending grants in the whole ledger that attempts left without evidence of their change, after this pass. */
  awaitingEvidence: number;
  /** Change intents of this pass (none without `intents`). */
  intents: IntentSweep;
}

/**
 * Settles pending grants whose writer died (crash, kill, lost database connection between the
 * upstream call and the settle). Each replica sweeps; the take-over compare-and-set in the database
 * lets exactly one of them handle each grant.
 */
export class Sweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepResult> | undefined;

  constructor(
    readonly grants: GrantStore,
    readonly redeemer: Redeemer,
    readonly adapterOf: (grant: Grant, call?: CallOptions) => PurchaseAdapter,
    readonly options: SweeperOptions,
    readonly log?: JobLogger,
  ) {}

  /** Start-up recovery now, then a sweep every `intervalMs`. */
  start(): Promise<SweepResult> {
    const first = this.sweep({ startup: true });
    if (this.options.intervalMs > 0) {
      this.#timer = setInterval(() => void this.sweep().catch(() => undefined), this.options.intervalMs);
      this.#timer.unref();
    }
    return first;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass; concurrent calls share it. */
  sweep(options: { startup?: boolean } = {}): Promise<SweepResult> {
    this.#running ??= this.#sweep(options.startup === true && this.options.embedded).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * Takes over one pending grant (only once its lease has run out, unless `force`) and finishes it
   * on the store's evidence (`Redeemer.recover`): `settled`, `dropped` (refunded before any
   * change), `left` (no evidence yet: kept pending with backoff) or `busy` (settled already, or
   * someone holds a live lease). The sweep runs it for each grant it finds; a ONE store payment
   * notification runs it early for the grant it names, passing its request's scope in `call`
   * (default: none, the sweep's own).
   */
  async recoverOne(
    grant: Grant,
    options: { force?: boolean; call?: CallOptions } = {},
  ): Promise<RecoveryOutcome> {
    const { owner, leaseMs } = this.redeemer.options;
    const taken = await this.grants.takeOver(grant.id, owner, leaseMs, { force: options.force === true });
    if (!taken) return 'busy';
    try {
      await this.redeemer.recover(taken, this.adapterOf(taken, options.call));
      return 'settled';
    } catch (error) {
      const gone = await this.grants.findById(grant.id);
      this.log?.warn(
        {
          grantId: grant.id,
          app: grant.app,
          store: grant.store,
          err: error instanceof Error ? error.name : 'unknown',
        },
        gone
          ? 'pending grant not settled yet (no evidence of the store change); will retry with backoff'
          : 'pending grant dropped: purchase not redeemable',
      );
      return gone ? 'left' : 'dropped';
    }
  }

  async #sweep(orphansToo: boolean): Promise<SweepResult> {
    const result: SweepResult = {
      settled: 0,
      dropped: 0,
      left: 0,
      awaitingEvidence: 0,
      intents: { completed: 0, closed: 0, left: 0, abandoned: 0, open: 0 },
    };
    const pending = await this.grants.pending({
      limit: this.options.batchSize ?? 100,
      includeLive: orphansToo,
    });
    for (const grant of pending) {
      const outcome = await this.recoverOne(grant, { force: orphansToo });
      if (outcome !== 'busy') result[outcome]++;
    }
    result.awaitingEvidence = await this.grants.countAwaitingEvidence();
    if (this.options.intents) result.intents = await this.options.intents.sweep(orphansToo);
    const { completed, closed, left } = result.intents;
    if (pending.length > 0 || completed + closed + left > 0) this.log?.info?.({ ...result }, 'ledger sweep');
    this.options.onSweep?.(result);
    return result;
  }
}
