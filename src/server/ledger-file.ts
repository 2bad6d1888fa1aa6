import { Counter, Gauge, type Registry } from 'prom-client';
import type { LedgerFileCondition, LedgerFileEvent } from '../ledger/index.js';
import type { StoreLogger } from '../stores/index.js';

/**
 * The embedded ledger's file in the gateway's registry (`GatewayMetrics.ledgerFile`): whether it can
 * be written, its WAL's size, failed checkpoints. On PostgreSQL, or before the ledger opened, the
 * gauges read 1 and 0 (a PostgreSQL outage shows as LedgerUnavailableError answers instead).
 */
export class LedgerFileMetrics {
  #condition: LedgerFileCondition | undefined;
  readonly checkpointFailures: Counter;

  constructor(registry: Registry) {
    const condition = () => this.#condition;
    new Gauge({
      name: 'gateway_ledger_writable',
      help: 'Embedded (SQLite) ledger: 1 while it can write, 0 while its writes fail (file or directory read-only, disk full, I/O error); /readyz is not ready meanwhile.',
      registers: [registry],
      collect() {
        this.set(condition()?.writeProblem ? 0 : 1);
      },
    });
    new Gauge({
      name: 'gateway_ledger_wal_bytes',
      help: 'Embedded (SQLite) ledger: size of ledger.sqlite-wal, bytes; cut back to 4 MiB after each checkpoint, so a steady rise means checkpoints fail.',
      registers: [registry],
      collect() {
        this.set(condition()?.walBytes() ?? 0);
      },
    });
    this.checkpointFailures = new Counter({
      name: 'gateway_ledger_checkpoint_failures_total',
      help: 'Embedded (SQLite) ledger: checkpoints (WAL copied back into ledger.sqlite) that failed; commits still land in the WAL, which grows meanwhile.',
      registers: [registry],
    });
  }

  /** The gauges read this ledger's file from now on. */
  attach(condition: LedgerFileCondition): void {
    this.#condition = condition;
  }
}

type Logger = StoreLogger & { error?: StoreLogger['warn'] };

/**
 * Log lines and the checkpoint counter for the embedded ledger's file; returns the function that
 * stops them. Each line is a change (writes fail / work again, checkpoints fail / work again), or a
 * failed checkpoint, at most one per checkpoint interval (10 s).
 */
export function watchLedgerFile(
  condition: LedgerFileCondition,
  metrics: LedgerFileMetrics,
  logger: Logger | undefined,
): () => void {
  metrics.attach(condition);
  const error = (line: Record<string, unknown>, message: string) =>
    logger?.error ? logger.error(line, message) : logger?.warn(line, message);
  const file = condition.file;
  return condition.watch((event: LedgerFileEvent) => {
    switch (event.kind) {
      case 'unwritable':
        error(
          { file, code: event.code, err: event.message },
          'grant ledger cannot write: redemptions answer LedgerUnavailableError and /readyz is not ready until a probe write succeeds',
        );
        return;
      case 'writable':
        logger?.warn({ file, afterMs: event.afterMs }, 'grant ledger can write again');
        return;
      case 'checkpoint-failed':
        metrics.checkpointFailures.inc();
        error(
          { file, code: event.code, err: event.message, walBytes: event.walBytes, failures: event.failures },
          'grant ledger checkpoint failed: commits still land in the WAL, which grows until a checkpoint succeeds',
        );
        return;
      case 'checkpoint-recovered':
        logger?.warn(
          { file, walBytes: event.walBytes, failures: event.failures },
          'grant ledger checkpoint succeeded again',
        );
        return;
    }
  });
}
