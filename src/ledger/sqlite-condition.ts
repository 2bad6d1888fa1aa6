import { statSync } from 'node:fs';

/**
 * SQLite result codes (better-sqlite3 puts the extended one in `code`) that say the file cannot be
 * written now, whatever the statement: READONLY (the file, its directory or its `-shm` cannot be
 * written, or the connection fell back to read-only), FULL (disk or quota), IOERR (a write, fsync or
 * read failed), CANTOPEN (the file or a journal cannot be opened). Retrying later helps once an
 * operator fixed the cause; the statement itself is not wrong.
 */
export const SQLITE_WRITE_OUTAGE = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN)(_|$)/;

/** What happened to the embedded ledger's file, as told to {@link LedgerFileCondition.watch}. */
export type LedgerFileEvent =
  /** A write failed with one of {@link SQLITE_WRITE_OUTAGE}: the ledger cannot write until a probe succeeds. */
  | { kind: 'unwritable'; code: string; message: string }
  /** A probe write succeeded after `unwritable`; `afterMs` is how long writes failed. */
  | { kind: 'writable'; afterMs: number }
  /**
   * A checkpoint (copying the WAL back into the main file) failed: commits still land in the WAL, which
   * then grows until a checkpoint succeeds. `failures` counts this streak.
   */
  | { kind: 'checkpoint-failed'; code: string; message: string; walBytes: number; failures: number }
  /** A checkpoint succeeded after failures. */
  | { kind: 'checkpoint-recovered'; walBytes: number; failures: number };

export interface WriteProblem {
  code: string;
  message: string;
  since: Date;
}

function describe(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * The embedded ledger's file as this process last found it: whether it can be written, how many
 * checkpoints failed, how large its WAL is. The SQLite adapter reports into it (every failed statement,
 * its probe writes, its periodic checkpoints); the gateway reads it for `/readyz` and `/metrics` and
 * watches it for log lines. A statement failing with a write outage is already answered to its caller
 * as an outage (`ledgerErrorKind`); this is what makes the state visible between requests.
 */
export class LedgerFileCondition {
  #problem: WriteProblem | null = null;
  #checkpointFailures = 0;
  #streak = 0;
  readonly #listeners = new Set<(event: LedgerFileEvent) => void>();

  constructor(
    /** The database file (`…/ledger.sqlite`); its WAL is this path + `-wal`. */
    readonly file: string,
  ) {}

  /** Why the ledger cannot write now, or null when its last write (or probe) succeeded. */
  get writeProblem(): WriteProblem | null {
    return this.#problem;
  }

  /** Checkpoints that failed since the ledger opened. */
  get checkpointFailures(): number {
    return this.#checkpointFailures;
  }

  /** Size of `ledger.sqlite-wal` now, bytes; 0 when there is none. */
  walBytes(): number {
    try {
      return statSync(`${this.file}-wal`).size;
    } catch {
      return 0;
    }
  }

  /** Calls `listener` with every change; returns the function that stops it. */
  watch(listener: (event: LedgerFileEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adapter: a statement or commit failed; returns true when it was a write outage. */
  failed(error: unknown): boolean {
    const { code, message } = describe(error);
    if (!SQLITE_WRITE_OUTAGE.test(code)) return false;
    if (this.#problem === null) {
      this.#problem = { code, message, since: new Date() };
      this.#emit({ kind: 'unwritable', code, message });
    }
    return true;
  }

  /** Adapter: a probe write committed. */
  wrote(): void {
    const problem = this.#problem;
    if (problem === null) return;
    this.#problem = null;
    this.#emit({ kind: 'writable', afterMs: Date.now() - problem.since.getTime() });
  }

  /** Adapter: a checkpoint failed. */
  checkpointFailed(error: unknown): void {
    this.#checkpointFailures += 1;
    this.#streak += 1;
    this.#emit({
      kind: 'checkpoint-failed',
      ...describe(error),
      walBytes: this.walBytes(),
      failures: this.#streak,
    });
  }

  /** Adapter: a checkpoint succeeded. */
  checkpointed(): void {
    if (this.#streak === 0) return;
    const failures = this.#streak;
    this.#streak = 0;
    this.#emit({ kind: 'checkpoint-recovered', walBytes: this.walBytes(), failures });
  }

  #emit(event: LedgerFileEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A watcher's failure (a log sink) must not fail the ledger call that reported the event.
      }
    }
  }
}
