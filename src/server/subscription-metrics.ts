import { Counter, Gauge, type Registry } from 'prom-client';
import type { SchedulerObserver, TickFigures } from '../subscriptions/index.js';

/** The subscription scheduler's metrics, in the gateway's registry (`GatewayMetrics.subscriptions`). */
export class SubscriptionMetrics implements SchedulerObserver {
  readonly due: Gauge;
  readonly reads: Counter<'result'>;
  readonly events: Counter;
  readonly claimed: Counter;

  constructor(registry: Registry) {
    this.due = new Gauge({
      name: 'gateway_subscriptions_due',
      help: 'Tracked subscriptions due for a read (next check passed, leased or not) after the last tick: the backlog.',
      registers: [registry],
    });
    this.reads = new Counter({
      name: 'gateway_subscription_reads_total',
      help: 'Store reads of tracked subscriptions by result: ok (written), failed (store error: backoff only), lost (another replica wrote the row first), ledger_error.',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    this.events = new Counter({
      name: 'gateway_subscription_events_total',
      help: 'Lifecycle events (SUBSCRIPTION_RENEWED …) the scheduler wrote.',
      registers: [registry],
    });
    this.claimed = new Counter({
      name: 'gateway_subscriptions_claimed_total',
      help: 'Tracked subscriptions leased by the scheduler for a read.',
      registers: [registry],
    });
  }

  tick(f: TickFigures): void {
    this.claimed.inc(f.claimed);
    this.reads.inc({ result: 'ok' }, f.written);
    this.reads.inc({ result: 'failed' }, f.failures);
    this.reads.inc({ result: 'lost' }, f.lost);
    this.reads.inc({ result: 'ledger_error' }, f.ledgerErrors);
    this.events.inc(f.events);
  }

  backlog(due: number): void {
    this.due.set(due);
  }
}
