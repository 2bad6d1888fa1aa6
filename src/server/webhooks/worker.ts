import { randomUUID } from 'node:crypto';
import type { WebhookEndpoint, WebhookSettings } from '../../config/webhooks.js';
import { webhookRetry } from '../../events/retry-policies.js';
import type { RetryPolicy } from '../../events/retry-policy.js';
import type { Delivery, DeliveryStore, EventStore, LedgerEvent, PendingStats } from '../../ledger/index.js';
import type { StoreLogger } from '../../stores/index.js';
import type { WebhookSender } from './sender.js';
import { signedHeaders } from './signature.js';

/** What the worker reports (server/webhooks/metrics.ts implements it with prom-client). */
export interface WebhookObserver {
  /** A 2xx; `lagSeconds` from the event's occurredAt. */
  delivered(app: string, endpoint: string, lagSeconds: number): void;
  /** An attempt failed and will be retried. */
  failed(app: string, endpoint: string): void;
  /** An attempt failed and the retry window is over: dead-lettered. */
  dead(app: string, endpoint: string): void;
  /**
   * Pending deliveries per app (apps without any are absent from `stats`), read at every poll;
   * `apps` names every app with an endpoint, so that an app with nothing pending reads 0.
   */
  pending(stats: readonly PendingStats[], apps: readonly string[]): void;
}

export interface WorkerDeps {
  deliveries: DeliveryStore;
  /** An embedded ledger (one process): the leases found at start are a dead predecessor's, ended at once. */
  embedded: boolean;
  events: EventStore;
  settings: WebhookSettings;
  render: (event: LedgerEvent) => Promise<string>;
  sender: WebhookSender;
  observer?: WebhookObserver;
  /** Failed attempts (receiver host only, never the URL's path, the secret or the body). Default: silent. */
  log?: StoreLogger;
}

const keyOf = (app: string, name: string) => `${app}\u0000${name}`;

/**
 * Delivers the outbox's webhook deliveries: claims due ones (leased to this replica), signs and
 * POSTs each, marks it delivered or failed (with the next attempt, or dead). Woken by this process's
 * commits and redeliveries, and every `pollIntervalMs` for other replicas' events and retries
 * coming due. `stop` lets attempts in flight finish (each ends within `timeoutMs`).
 */
export class WebhookWorker {
  /** This replica's lease-holder id; a restart is a new owner, whose predecessor's leases lapse. */
  readonly owner = `wh-${randomUUID()}`;
  readonly #endpoints = new Map<string, WebhookEndpoint>();
  readonly #inFlight = new Map<string, Promise<void>>();
  #draining: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  readonly #wake = () => this.wake();
  readonly #retry: RetryPolicy;

  constructor(private readonly deps: WorkerDeps) {
    this.#retry = webhookRetry(deps.settings);
    for (const e of deps.settings.endpoints) this.#endpoints.set(keyOf(e.app, e.name), e);
  }

  start(): void {
    if (!this.#stopped || this.#endpoints.size === 0) return;
    this.#stopped = false;
    this.deps.events.feed.on('committed', this.#wake);
    this.deps.deliveries.queued.on('queued', this.#wake);
    this.#timer = setInterval(() => {
      this.wake();
      void this.#reportPending();
    }, this.deps.settings.pollIntervalMs);
    this.#timer.unref();
    void this.#reportPending();
    if (!this.deps.embedded) {
      this.wake();
      return;
    }
    void this.deps.deliveries.releaseLeases().then(
      () => this.wake(),
      () => this.wake(),
    );
  }

  /** Looks for due deliveries now (a look already running looks once more after it). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Stops claiming; resolves when the attempts in flight have ended. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.deps.events.feed.off('committed', this.#wake);
    this.deps.deliveries.queued.off('queued', this.#wake);
    await this.#draining;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #drain(): Promise<void> {
    const { settings } = this.deps;
    while (!this.#stopped) {
      const free = settings.concurrency - this.#inFlight.size;
      // Claims come in batches (half the slots at least): a claim is a write, so one per attempt would
      // double the commits of a busy worker.
      if (free <= 0 || (this.#inFlight.size > 0 && free < Math.ceil(settings.concurrency / 2))) return;
      let batch: Delivery[];
      try {
        batch = await this.deps.deliveries.claimDue(
          this.owner,
          settings.leaseSeconds * 1000,
          free,
          settings.endpoints,
        );
      } catch (error) {
        this.deps.log?.warn({ err: errorName(error) }, 'webhook deliveries: claim failed; next poll retries');
        return;
      }
      for (const delivery of batch) this.#dispatch(delivery);
      if (batch.length < free) return;
    }
  }

  #dispatch(delivery: Delivery): void {
    const key = `${delivery.eventSeq}/${delivery.endpoint}`;
    // Claimed again by this replica while its earlier attempt still runs (that lease lapsed): the
    // attempt in flight goes on and records the outcome under the same owner; a second POST would not.
    if (this.#inFlight.has(key)) return;
    const leaseEndsAt = Date.now() + this.deps.settings.leaseSeconds * 1000;
    const attempt = this.#attempt(delivery, leaseEndsAt)
      .catch((error: unknown) => {
        // The lease lapses and another attempt follows; nothing is lost.
        this.deps.log?.warn(
          { app: delivery.app, endpoint: delivery.endpoint, err: errorName(error) },
          'webhook attempt not recorded; retried after its lease',
        );
      })
      .finally(() => {
        this.#inFlight.delete(key);
        this.wake();
      });
    this.#inFlight.set(key, attempt);
  }

  async #attempt(delivery: Delivery, leaseEndsAt: number): Promise<void> {
    const { deliveries, settings, observer } = this.deps;
    const endpoint = this.#endpoints.get(keyOf(delivery.app, delivery.endpoint));
    if (!endpoint) return; // claimDue only returns configured endpoints
    const event = delivery.event;
    let result: { delivered: boolean; status: number | null; error: string | null };
    try {
      const body = await this.deps.render(event);
      // The POST must end inside the lease, or another replica could send this event meanwhile and
      // then the grant's next one, which might arrive first.
      if (Date.now() + settings.timeoutMs >= leaseEndsAt) throw new LeaseTooShortError();
      result = await this.deps.sender.post(
        endpoint.url,
        {
          'content-type': 'application/json',
          'user-agent': 'entitlement-gateway-webhooks/1',
          'gateway-event-id': event.id,
          'gateway-event-type': event.type,
          'gateway-delivery-attempt': String(delivery.attempts),
          ...signedHeaders(endpoint.signature, endpoint.secret, event.id, body, new Date()),
        },
        body,
      );
    } catch (error) {
      const stage = error instanceof LeaseTooShortError ? 'lease' : 'render';
      result = { delivered: false, status: null, error: `${stage}: ${errorName(error)}` };
    }
    if (result.delivered && result.status !== null) {
      // False when the lease was lost meanwhile: the replica that holds it now reports its own attempt.
      if (!(await deliveries.markDelivered(delivery, this.owner, result.status))) return;
      // From the write of the event (its delivery row), not occurredAt: a lifecycle event's occurredAt is
      // the store's time of the change, which a late read puts hours back.
      observer?.delivered(
        delivery.app,
        delivery.endpoint,
        (Date.now() - delivery.createdAt.getTime()) / 1000,
      );
      return;
    }
    const queuedAt = (delivery.requeuedAt ?? delivery.createdAt).getTime();
    const { delayMs: retryInMs, dead } = this.#retry.afterFailure(delivery.attempts, {
      since: queuedAt,
      now: databaseNow(delivery, leaseEndsAt),
    });
    const status = await deliveries.markFailed(delivery, this.owner, {
      error: result.error ?? 'error',
      httpStatus: result.status,
      retryInMs,
      dead,
    });
    if (status === 'DEAD') observer?.dead(delivery.app, delivery.endpoint);
    else if (status === 'PENDING') {
      observer?.failed(delivery.app, delivery.endpoint);
      // A retry due before the next poll gets a wake-up of its own.
      if (retryInMs < settings.pollIntervalMs) setTimeout(this.#wake, retryInMs + 5).unref();
    }
    this.deps.log?.warn(
      {
        app: delivery.app,
        endpoint: delivery.endpoint,
        host: hostOf(endpoint.url),
        eventId: event.id,
        attempt: delivery.attempts,
        error: result.error,
        ...(status === 'DEAD' && { deadLettered: true }),
      },
      status === 'DEAD' ? 'webhook delivery dead-lettered' : 'webhook attempt failed; retried later',
    );
  }

  async #reportPending(): Promise<void> {
    if (!this.deps.observer) return;
    try {
      const apps = [...new Set([...this.#endpoints.values()].map((e) => e.app))];
      this.deps.observer.pending(await this.deps.deliveries.pendingStats(), apps);
    } catch {
      // The next poll reports again; the claim's own failure is logged.
    }
  }
}

/**
 * Now on the database clock, which the delivery's queue time and next attempt are on (a PostgreSQL
 * server's clock may differ from this host's): the lease's end as the claim wrote it, less the lease
 * left by this host's clock (`leaseEndsAt`, taken just after the claim).
 */
function databaseNow(delivery: Delivery, leaseEndsAt: number): number {
  const now = Date.now();
  return delivery.leaseExpiresAt === null ? now : delivery.leaseExpiresAt.getTime() - (leaseEndsAt - now);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

/** Rendering the body left too little of the lease for a POST within its timeout: retried later. */
class LeaseTooShortError extends Error {
  override readonly name = 'LeaseTooShortError';
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');
