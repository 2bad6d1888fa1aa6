import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PendingStats } from '../../ledger/index.js';
import type { WebhookObserver } from './worker.js';

/** The webhook worker's metrics, registered in the gateway's registry (`GatewayMetrics.webhooks`). */
export class WebhookMetrics implements WebhookObserver {
  readonly deliveries: Counter<'app' | 'endpoint' | 'result'>;
  readonly lag: Histogram<'app' | 'endpoint'>;
  readonly pendingDeliveries: Gauge<'app'>;
  readonly oldestPending: Gauge<'app'>;

  constructor(registry: Registry) {
    this.deliveries = new Counter({
      name: 'gateway_webhook_deliveries_total',
      help: 'Webhook attempts by app, endpoint and result: delivered (2xx), failed (retried later), dead (retry window over: dead-lettered).',
      labelNames: ['app', 'endpoint', 'result'] as const,
      registers: [registry],
    });
    this.lag = new Histogram({
      name: 'gateway_webhook_delivery_lag_seconds',
      help: 'Time from the write of an event (its delivery queued) to its delivery (2xx), retries included.',
      labelNames: ['app', 'endpoint'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
      registers: [registry],
    });
    this.pendingDeliveries = new Gauge({
      name: 'gateway_webhook_pending_deliveries',
      help: 'Webhook deliveries not yet delivered nor dead, per app (read from the ledger at every poll).',
      labelNames: ['app'] as const,
      registers: [registry],
    });
    this.oldestPending = new Gauge({
      name: 'gateway_webhook_oldest_pending_seconds',
      help: 'Age of the oldest pending webhook delivery per app, seconds (0 when none).',
      labelNames: ['app'] as const,
      registers: [registry],
    });
  }

  delivered(app: string, endpoint: string, lagSeconds: number): void {
    this.deliveries.inc({ app, endpoint, result: 'delivered' });
    this.lag.observe({ app, endpoint }, Math.max(0, lagSeconds));
  }
  failed(app: string, endpoint: string): void {
    this.deliveries.inc({ app, endpoint, result: 'failed' });
  }
  dead(app: string, endpoint: string): void {
    this.deliveries.inc({ app, endpoint, result: 'dead' });
  }
  /** Every app with an endpoint gets a sample: 0 when nothing is pending, so a healthy gateway's panels have data. */
  pending(stats: readonly PendingStats[], apps: readonly string[], now = Date.now()): void {
    const seen = new Set<string>();
    for (const s of stats) {
      seen.add(s.app);
      this.pendingDeliveries.set({ app: s.app }, s.pending);
      this.oldestPending.set({ app: s.app }, Math.max(0, (now - s.oldestQueuedAt.getTime()) / 1000));
    }
    for (const app of apps) {
      if (seen.has(app)) continue;
      this.pendingDeliveries.set({ app }, 0);
      this.oldestPending.set({ app }, 0);
    }
  }
}
