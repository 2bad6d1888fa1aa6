import type { GatewayConfig } from '../../config/load.js';
import type { Caller, GatewayContext } from '../../graphql/context.js';
import { schema } from '../../graphql/schema.js';
import type { RedemptionService } from '../../redemption/service.js';
import type { StoreLogger } from '../../stores/index.js';
import { WebhookRenderer } from './payload.js';
import { WebhookSender } from './sender.js';
import { type WebhookObserver, WebhookWorker } from './worker.js';

export interface WebhookDeliveryDeps {
  /** The gateway's request context for a caller, the same a request of that caller gets. */
  contextOf: (caller: Caller) => GatewayContext;
  observer?: WebhookObserver;
  logger?: StoreLogger;
}

/** The gateway's webhook worker: started when its ledger opens, stopped (gracefully) with the gateway. */
export interface WebhookDelivery {
  start(service: RedemptionService): void;
  stop(): Promise<void>;
  /** The running worker, for tests in process; undefined before the ledger opened or without endpoints. */
  worker(): WebhookWorker | undefined;
}

export function webhookDelivery(config: GatewayConfig, deps: WebhookDeliveryDeps): WebhookDelivery {
  let worker: WebhookWorker | undefined;
  let sender: WebhookSender | undefined;
  return {
    start(service) {
      if (worker || config.webhooks.endpoints.length === 0) return;
      // A read-only caller of the event's own app: the body is what `gatewayEvents` shows that app.
      const contextFor = (app: string): GatewayContext =>
        deps.contextOf({ keyName: 'webhooks', apps: new Set([app]), scopes: new Set(['read']) });
      const renderer = new WebhookRenderer(schema, contextFor);
      sender = new WebhookSender(config.webhooks.timeoutMs);
      worker = new WebhookWorker({
        deliveries: service.storage.deliveries,
        embedded: service.storage.db.kind === 'sqlite',
        events: service.storage.events,
        settings: config.webhooks,
        render: (event) => renderer.render(event),
        sender,
        ...(deps.observer && { observer: deps.observer }),
        ...(deps.logger && { log: deps.logger }),
      });
      worker.start();
    },
    async stop() {
      await worker?.stop();
      await sender?.close();
    },
    worker: () => worker,
  };
}
