import { EventEmitter } from 'node:events';
import { listenerReconnect } from '../events/retry-policies.js';
import type { RetryPolicy } from '../events/retry-policy.js';
import { EVENTS_CHANNEL, type EventStore } from './events.js';
import type { LedgerDb, ListenConnection } from './types.js';

export interface EventWakeupsOptions {
  /**
   * Every watcher is woken this often whatever was heard, ms: the safety net for a notification
   * lost on the way (the ledger is read again; nothing is sent twice). 0 turns it off. Default 30000.
   */
  pollIntervalMs?: number;
  /** First wait before reconnecting a lost LISTEN connection, ms; doubled per failure. Default 500. */
  reconnectMinMs?: number;
  /** Longest wait between reconnect attempts, ms. Default 30000. */
  reconnectMaxMs?: number;
  /** Told when the LISTEN connection fails or is lost, and how long until the next attempt. Default: nothing. */
  onListenError?: (error: Error, retryInMs: number) => void;
  /** Told when the LISTEN connection is (re)established. Default: nothing. */
  onListening?: (backendPid: number) => void;
}

/** The key on which every watcher of every app is woken (reconnect, poll). */
const ALL = Symbol('all apps');

/**
 * Says "an app may have new events" to whoever watches it. A wake-up carries no event: the reader
 * reads the ledger after the last seq it sent, the one source of truth, so a wake-up that is lost,
 * doubled or spurious costs at most a read. Sources: the in-process {@link EventStore.feed} (every
 * commit of this process, SQLite or PostgreSQL); on PostgreSQL, NOTIFY on {@link EVENTS_CHANNEL}
 * from every replica over ONE dedicated LISTEN connection per gateway, opened with the first
 * watcher and reconnected with backoff (every watcher is woken after a reconnect, so commits made
 * while it was down are read); and a slow poll.
 */
export class EventWakeups {
  readonly #bus = new EventEmitter({ captureRejections: false });
  readonly #onCommitted = (app: string) => this.#bus.emit(app);
  readonly #options: Required<Omit<EventWakeupsOptions, 'onListenError' | 'onListening'>> &
    EventWakeupsOptions;
  #connection: ListenConnection | undefined;
  #connecting = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  readonly #reconnect: RetryPolicy;
  #started = false;
  #closed = false;

  constructor(
    private readonly events: EventStore,
    private readonly db: LedgerDb,
    options: EventWakeupsOptions = {},
  ) {
    this.#options = {
      pollIntervalMs: 30_000,
      reconnectMinMs: 500,
      reconnectMaxMs: 30_000,
      ...options,
    };
    this.#reconnect = listenerReconnect(this.#options.reconnectMinMs, this.#options.reconnectMaxMs);
    // One listener per open stream: not a leak.
    this.#bus.setMaxListeners(0);
  }

  /** True while the LISTEN connection is up (PostgreSQL); SQLite needs none and answers false. */
  get listening(): boolean {
    return this.#connection !== undefined;
  }

  /** The LISTEN connection's server pid, or null when there is none. */
  get backendPid(): number | null {
    return this.#connection?.backendPid ?? null;
  }

  /** Calls `wake` whenever `app` may have new events; returns the function that stops it. */
  watch(app: string, wake: () => void): () => void {
    if (this.#closed) throw new Error('event wake-ups are closed');
    this.#start();
    this.#bus.on(app, wake);
    this.#bus.on(ALL, wake);
    return () => {
      this.#bus.off(app, wake);
      this.#bus.off(ALL, wake);
    };
  }

  /** Wakes every watcher (what a reconnect and the poll do). */
  wakeAll(): void {
    this.#bus.emit(ALL);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.events.feed.off('committed', this.#onCommitted);
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#pollTimer);
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.close();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.events.feed.on('committed', this.#onCommitted);
    if (this.#options.pollIntervalMs > 0) {
      this.#pollTimer = setInterval(() => this.wakeAll(), this.#options.pollIntervalMs);
      this.#pollTimer.unref();
    }
    if (this.db.listen) void this.#connect();
  }

  async #connect(): Promise<void> {
    const listen = this.db.listen;
    if (this.#closed || this.#connecting || !listen) return;
    this.#connecting = true;
    try {
      const connection = await listen.call(
        this.db,
        EVENTS_CHANNEL,
        (app) => this.#bus.emit(app),
        (error) => this.#lost(error),
      );
      if (this.#closed) {
        await connection.close();
        return;
      }
      this.#connection = connection;
      this.#failures = 0;
      this.#options.onListening?.(connection.backendPid);
      // Whatever committed while no connection listened is read now.
      this.wakeAll();
    } catch (error) {
      this.#retry(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#connecting = false;
    }
  }

  #lost(error: Error): void {
    this.#connection = undefined;
    this.#retry(error);
  }

  #retry(error: Error): void {
    if (this.#closed) return;
    this.#failures += 1;
    // Full jitter, at least the minimum: replicas that lost the server together do not return together.
    const delay = this.#reconnect.delayMs(this.#failures);
    this.#options.onListenError?.(error, delay);
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delay);
    this.#reconnectTimer.unref();
  }
}
