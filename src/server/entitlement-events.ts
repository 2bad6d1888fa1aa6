import type { GatewayConfig } from '../config/load.js';
import { entitlementEventsSection } from '../config/schema.js';
import { EntitlementEventWorker, type EntitlementWorkerLogger } from '../players/index.js';
import type { RedemptionService } from '../redemption/service.js';

/** The gateway's entitlement events worker: built when its ledger opens, stopped with the gateway. */
export interface EntitlementEvents {
  start(service: RedemptionService): void;
  stop(): Promise<void>;
  /** The worker once the ledger opened (tests drive `runDue`); undefined before, or when disabled. */
  worker(): EntitlementEventWorker | undefined;
}

export function entitlementEvents(
  config: GatewayConfig,
  now: () => number,
  log?: EntitlementWorkerLogger,
): EntitlementEvents {
  const settings = config.entitlementEvents ?? entitlementEventsSection.parse({});
  let worker: EntitlementEventWorker | undefined;
  return {
    start(service) {
      if (!settings.enabled) return;
      void worker?.stop();
      worker = new EntitlementEventWorker({
        store: service.storage.entitlements,
        events: service.storage.events,
        catalogueOf: (app) => config.apps.get(app)?.entitlements ?? {},
        now,
        pollIntervalMs: Math.round(settings.pollIntervalSeconds * 1000),
        batchSize: settings.batchSize,
        ...(log && { log }),
      });
      worker.start();
    },
    async stop() {
      await worker?.stop();
    },
    worker: () => worker,
  };
}
