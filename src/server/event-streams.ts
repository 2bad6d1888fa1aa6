import { performance } from 'node:perf_hooks';
import type { GatewayConfig } from '../config/load.js';
import type { EventStreamOpening, EventStreams } from '../graphql/context.js';
import {
  StreamAbandonedError,
  StreamsClosedError,
  TooManyStreamsError,
} from '../graphql/errors/stream-errors.js';
import { EventWakeups, type LedgerEvent, streamEvents } from '../ledger/index.js';
import type { LedgerStorage } from '../redemption/service.js';
import type { StoreLogger } from '../stores/index.js';
import type { GatewayMetrics } from './metrics.js';

/** Where a closed stream's line goes: the access logger (pino's `info`). */
export interface StreamLogger extends StoreLogger {
  info?(obj: Record<string, unknown>, msg: string): void;
}

/** Where the hub reads events: the gateway's ledger (`LedgerState`), opened by the first stream if it is not yet. */
export interface StreamLedger {
  /** The open ledger's stores; rejects with `LedgerUnavailable` while it cannot be opened. */
  storage(): Promise<LedgerStorage>;
}

interface OpenStream {
  keyName: string;
  end(): Promise<void>;
}

/**
 * The gateway's live streams: at most `eventStreams.maxPerKey` open per API key in this process,
 * one {@link EventWakeups} (so one LISTEN connection on PostgreSQL) shared by all of them, opened
 * with the first stream. `close()` ends every stream (each client gets `complete` and can resume
 * elsewhere with its last cursor) and refuses new ones.
 */
export class EventStreamHub implements EventStreams {
  readonly #perKey = new Map<string, number>();
  readonly #open = new Set<OpenStream>();
  #wakeups: EventWakeups | undefined;
  #closed = false;

  constructor(
    private readonly ledger: StreamLedger,
    private readonly settings: GatewayConfig['eventStreams'],
    private readonly metrics: GatewayMetrics,
    private readonly log?: StreamLogger,
  ) {}

  /** Streams open now (all keys). */
  get size(): number {
    return this.#open.size;
  }

  /** The shared wake-ups, once a stream has opened them (tests read `backendPid`). */
  get wakeups(): EventWakeups | undefined {
    return this.#wakeups;
  }

  async open(opening: EventStreamOpening): Promise<AsyncIterableIterator<LedgerEvent>> {
    const { keyName } = opening;
    if (this.#closed) throw this.#refused(new StreamsClosedError());
    const count = this.#perKey.get(keyName) ?? 0;
    if (count >= this.settings.maxPerKey)
      throw this.#refused(new TooManyStreamsError(this.settings.maxPerKey));
    // Taken before the ledger is awaited, so simultaneous opens cannot pass the cap together.
    this.#perKey.set(keyName, count + 1);
    let storage: LedgerStorage;
    try {
      storage = await this.ledger.storage();
      if (this.#closed) throw new StreamsClosedError();
      // The client left while the ledger opened: no response will start, so nothing would ever end it.
      if (opening.signal?.aborted) throw new StreamAbandonedError();
    } catch (error) {
      this.#release(keyName);
      throw error;
    }
    this.#wakeups ??= new EventWakeups(storage.events, storage.db, {
      pollIntervalMs: this.settings.pollIntervalSeconds * 1000,
      onListenError: (error, retryInMs) =>
        this.log?.warn({ err: error.message, retryInMs }, 'event LISTEN connection lost; reconnecting'),
      onListening: (backendPid) => this.log?.debug({ backendPid }, 'event LISTEN connection open'),
    });
    return this.#track(opening, storage, this.#wakeups);
  }

  /** Ends every open stream and refuses new ones; resolves when they have ended. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#open].map((stream) => stream.end()));
    await this.#wakeups?.close();
  }

  #track(
    opening: EventStreamOpening,
    storage: LedgerStorage,
    wakeups: EventWakeups,
  ): AsyncIterableIterator<LedgerEvent> {
    const { app, keyName, requestId } = opening;
    const started = performance.now();
    let sent = 0;
    const source = streamEvents(storage.events, wakeups, {
      app,
      afterSeq: opening.afterSeq,
      ...(opening.types && { types: opening.types }),
      onReadError: (error) =>
        this.log?.warn(
          { requestId, app, err: error instanceof Error ? error.name : 'unknown' },
          'event stream read failed; retrying',
        ),
    });
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      this.#open.delete(stream);
      this.#release(keyName);
      this.metrics.eventStreamsOpen.dec();
      // The access line was written when the response started; this one says how the stream went.
      (this.log?.info ?? this.log?.debug)?.call(
        this.log,
        {
          requestId,
          app,
          keyName,
          events: sent,
          durationMs: Math.round(performance.now() - started),
        },
        'event stream closed',
      );
    };
    const iterator: AsyncIterableIterator<LedgerEvent> = {
      next: async () => {
        const step = await source.next();
        if (step.done) finish();
        else {
          sent += 1;
          this.metrics.eventsStreamed.inc({ app, type: step.value.type });
        }
        return step;
      },
      return: async (value?: unknown) => {
        await source.return?.(value);
        finish();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    const stream: OpenStream = {
      keyName,
      end: () => iterator.return?.().then(() => undefined) ?? Promise.resolve(),
    };
    this.#open.add(stream);
    this.metrics.eventStreamsOpen.inc();
    // A client that goes away ends its stream even if the response never started (Yoga calls return()
    // only on a stream it is writing); finish() runs once whichever comes first.
    opening.signal?.addEventListener('abort', () => void stream.end(), { once: true });
    return iterator;
  }

  #release(keyName: string): void {
    const left = (this.#perKey.get(keyName) ?? 1) - 1;
    if (left > 0) this.#perKey.set(keyName, left);
    else this.#perKey.delete(keyName);
  }

  #refused(error: TooManyStreamsError | StreamsClosedError): Error {
    this.metrics.eventStreamRefusals.inc({ reason: error.code });
    return error;
  }
}
