import type { LedgerHandle } from '../graphql/context.js';
import { type LedgerDb, LedgerUnavailable } from '../ledger/index.js';
import type { LedgerStorage, RedemptionService } from '../redemption/service.js';

/** How the gateway's ledger is reached; the composition root (`composition.ts`) says what each step builds. */
export interface LedgerOpening {
  /** The caller's ledger database, which the gateway does not close. Default: none (an in-memory one, opened on first use). */
  given?: LedgerDb;
  /** The ledger's stores, the webhook routing on their outbox. */
  open(): Promise<LedgerStorage>;
  /** The service over them, started (start-up recovery done, its loops running); stops what it started before it throws. */
  start(storage: LedgerStorage): Promise<RedemptionService>;
}

/**
 * The gateway's one handle on its ledger, in one of three states: opening (a request waits), open,
 * or unavailable (a request gets LedgerUnavailable and the next one tries to open it again). A given
 * ledger opens at `begin()`; the default in-memory one on first use. Store-only requests never touch it.
 */
export class LedgerState implements LedgerHandle {
  #opening: Promise<RedemptionService> | undefined;
  #opened: RedemptionService | undefined;
  readonly #onOpen: ((service: RedemptionService) => void)[] = [];

  constructor(private readonly opening: LedgerOpening) {}

  /** `start` runs with the service each time it opens (once, unless an open fails and is retried). */
  whenOpen(start: (service: RedemptionService) => void): void {
    this.#onOpen.push(start);
  }

  /** A given ledger opens now, so its start-up recovery runs before the first request needs it. */
  begin(): void {
    if (this.opening.given) void this.redemption().catch(() => undefined);
  }

  redemption(): Promise<RedemptionService> {
    this.#opening ??= this.opening
      .open()
      .then((storage) => this.opening.start(storage))
      .then((service) => {
        this.#opened = service;
        for (const start of this.#onOpen) start(service);
        return service;
      })
      .catch((error: unknown) => {
        this.#opening = undefined;
        throw new LedgerUnavailable({ cause: error });
      });
    return this.#opening;
  }

  /** The open ledger's stores (the live streams read them); rejects as `redemption()` does. */
  async storage(): Promise<LedgerStorage> {
    return (await this.redemption()).storage;
  }

  /** The ledger's kind for `/readyz`. */
  describe(): string {
    if (this.#opened) return this.#opened.storage.db.kind;
    return this.opening.given ? `${this.opening.given.kind} (recovering)` : 'in memory, opened on first use';
  }

  /** Why the embedded ledger cannot write now (for `/readyz`), or null: it can, or it is PostgreSQL. */
  writeProblem(): string | null {
    const problem = (this.#opened?.storage.db ?? this.opening.given)?.fileCondition?.writeProblem;
    return problem ? `${problem.code} since ${problem.since.toISOString()}: ${problem.message}` : null;
  }

  /** Stops the service's loops; closes the database only if the gateway opened it. */
  async close(): Promise<void> {
    const service = await this.#opening?.catch(() => undefined);
    service?.stop();
    if (service && !this.opening.given) await service.storage.db.close();
  }
}
