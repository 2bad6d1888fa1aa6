import { STREAM_READ_RETRY } from '../events/retry-policies.js';
import type { EventType } from '../events/types.js';
import type { EventWakeups } from './event-listener.js';
import type { EventStore, LedgerEvent } from './events.js';

export interface EventStreamRequest {
  app: string;
  /** Send the events after this seq; null: from the app's first event. */
  afterSeq: string | null;
  /** Only these types; absent or empty: all. */
  types?: readonly EventType[];
  /** Events read from the ledger per query. Default 100. */
  pageSize?: number;
  /**
   * Told of a failed read (the ledger unavailable for a while); the stream stays open and reads
   * again after a backoff (1 s doubling to 30 s: `STREAM_READ_RETRY`) or an earlier wake-up. Default: nothing.
   */
  onReadError?: (error: unknown) => void;
}

/**
 * An app's events after `afterSeq`, in seq order, without end: the events already in the ledger
 * (read in pages), then, after each wake-up, whatever committed since the last one sent. The
 * ledger is the only source ("events after the last seq sent"): a wake-up says only "read again",
 * so none is lost and none is sent twice, whatever the wake-ups do. `return()` ends it at once,
 * also while it waits (a plain async generator would wait for its next event first).
 */
export function streamEvents(
  events: EventStore,
  wakeups: EventWakeups,
  request: EventStreamRequest,
): AsyncIterableIterator<LedgerEvent> {
  const stop = new AbortController();
  const inner = pages(events, wakeups, request, stop.signal);
  const iterator: AsyncIterableIterator<LedgerEvent> = {
    next: () => inner.next(),
    return: async (value?: unknown) => {
      stop.abort();
      await inner.return(undefined);
      return { done: true, value };
    },
    throw: async (error?: unknown) => {
      stop.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

async function* pages(
  events: EventStore,
  wakeups: EventWakeups,
  request: EventStreamRequest,
  signal: AbortSignal,
): AsyncGenerator<LedgerEvent, void, undefined> {
  const pageSize = request.pageSize ?? 100;
  let last = request.afterSeq;
  // Set by every wake-up; cleared before each read, so a commit during a read causes one more.
  let stale = true;
  let woken: (() => void) | undefined;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  const wake = () => {
    stale = true;
    woken?.();
  };
  const unwatch = wakeups.watch(request.app, wake);
  signal.addEventListener('abort', wake, { once: true });
  try {
    while (!signal.aborted) {
      if (!stale) await new Promise<void>((resolve) => (woken = resolve));
      woken = undefined;
      if (signal.aborted) return;
      stale = false;
      for (;;) {
        let page: LedgerEvent[];
        try {
          page = await events.after(request.app, last, pageSize, request.types);
          failures = 0;
        } catch (error) {
          request.onReadError?.(error);
          failures += 1;
          retry = setTimeout(wake, STREAM_READ_RETRY.delayMs(failures));
          break;
        }
        for (const event of page) {
          if (signal.aborted) return;
          last = event.seq;
          yield event;
        }
        if (page.length < pageSize) break;
      }
    }
  } finally {
    clearTimeout(retry);
    unwatch();
    signal.removeEventListener('abort', wake);
  }
}
