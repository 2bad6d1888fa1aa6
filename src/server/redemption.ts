import type { GatewayConfig } from '../config/load.js';
import type { StoreRegistry } from '../entitlements/app-stores.js';
import { LedgerUnavailable } from '../ledger/index.js';
import {
  type LedgerStorage,
  ledgerStorage,
  openLedgerStorage,
  RedemptionService,
} from '../redemption/service.js';
import type { StoreLogger } from '../stores/index.js';
import { watchLedgerFile } from './ledger-file.js';
import type { GatewayMetrics } from './metrics.js';
import { webhookRouting } from './webhooks/routing.js';

/** What the redemption service takes from the gateway's options (see `GatewayOptions`). */
export interface RedemptionOptions {
  /**
   * The grant ledger; the gateway does not close it. The gateway works on its database with stores
   * of its own, whose outbox writes the webhook deliveries of `config.webhooks` (and announces
   * commits on the given ledger's feed). Default: an in-memory ledger opened on first use.
   */
  ledger?: LedgerStorage;
  /** Receives start-up recovery, sweep, revocation-sync and ledger-fault lines. Default: silent. */
  logger?: StoreLogger;
}

export interface RedemptionHandle {
  /** The service, opened on first use (a failed open is retried by the next call). */
  get: () => Promise<RedemptionService>;
  close: () => Promise<void>;
  /** The ledger's kind for `/readyz`. */
  describe: () => string;
  /** Why the embedded ledger cannot write now (for `/readyz`), or null: it can, or it is PostgreSQL. */
  writeProblem: () => string | null;
}

/**
 * Opens the service once: with the given ledger at once (start-up recovery runs now), else with an
 * in-memory one on first use. A failed open is retried by the next call.
 */
export function redemptionHandle(
  config: GatewayConfig,
  stores: StoreRegistry,
  options: RedemptionOptions,
  metrics: GatewayMetrics,
  /** Called once with the service when it has opened (the webhook worker starts there). */
  onOpen: (service: RedemptionService) => void = () => undefined,
): RedemptionHandle {
  const routing = webhookRouting(config.webhooks);
  const l = config.ledger;
  const settings = {
    leaseMs: l.leaseSeconds * 1000,
    inProgressWaitMs: l.inProgressWaitMs,
    sweepIntervalMs: l.sweepIntervalSeconds * 1000,
    revocationSyncIntervalMs: l.revocationSyncIntervalSeconds * 1000,
    revocationOverlapMs: l.revocationOverlapSeconds * 1000,
    pnsStoreDisagreesTtlMs: l.pnsStoreDisagreesTtlSeconds * 1000,
  };
  let opening: Promise<RedemptionService> | undefined;
  let opened: RedemptionService | undefined;
  let unwatch: (() => void) | undefined;
  const start = async (storage: LedgerStorage) => {
    // Before the start-up recovery, whose writes may be the first to fail.
    const file = storage.db.fileCondition;
    if (file && !unwatch) unwatch = watchLedgerFile(file, metrics.ledgerFile, options.logger);
    const service = new RedemptionService(storage, stores, settings, options.logger, metrics);
    try {
      const recovered = await service.start([...config.apps.keys()]);
      const { completed, closed, left } = recovered.intents;
      if (recovered.settled + recovered.dropped + recovered.left + completed + closed + left > 0)
        options.logger?.warn({ ...recovered }, 'start-up recovery of pending grants');
    } catch (error) {
      // The next call opens a new service: this one's timers must not run beside it.
      service.stop();
      throw error;
    }
    opened = service;
    onOpen(service);
    return service;
  };
  const open = (): Promise<RedemptionService> => {
    const given = options.ledger;
    opening ??= (
      given
        ? Promise.resolve(
            ledgerStorage(given.db, {
              ...routing,
              feed: given.events.feed,
              ...(given.events.options.snapshots && { snapshots: given.events.options.snapshots }),
            }),
          )
        : openLedgerStorage({}, routing)
    )
      .then(start)
      .catch((error: unknown) => {
        opening = undefined;
        throw new LedgerUnavailable({ cause: error });
      });
    return opening;
  };
  if (options.ledger) void open().catch(() => undefined);
  return {
    get: open,
    describe: () =>
      opened
        ? opened.storage.db.kind
        : options.ledger
          ? `${options.ledger.db.kind} (recovering)`
          : 'in memory, opened on first use',
    writeProblem: () => {
      const problem = (opened?.storage.db ?? options.ledger?.db)?.fileCondition?.writeProblem;
      return problem ? `${problem.code} since ${problem.since.toISOString()}: ${problem.message}` : null;
    },
    close: async () => {
      unwatch?.();
      const service = await opening?.catch(() => undefined);
      service?.stop();
      if (service && !options.ledger) await service.storage.db.close();
    },
  };
}
