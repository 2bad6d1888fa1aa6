import { createClient } from 'graphql-sse';
import { GatewayRequestError } from './errors.js';
import {
  StreamGatewayEventsDocument,
  type StreamGatewayEventsSubscription,
  type StreamGatewayEventsSubscriptionVariables,
} from './generated/graphql.js';
import { type GatewayClientOptions, source } from './http.js';

export type GatewayEvent = StreamGatewayEventsSubscription['gatewayEvents'];

/** How the stream behaves on a disconnect. */
export interface StreamOptions {
  /** Ends the stream (the iterator then finishes). */
  signal?: AbortSignal;
  /** Reconnects in a row without an event in between before the stream throws. Default 10. */
  maxReconnects?: number;
  /** Milliseconds before a reconnect. Default 1,000. */
  reconnectDelayMs?: number;
}

/**
 * `fetch` whose event-stream bodies end in an error instead of a clean end. graphql-sse (2.6.1) notices
 * a clean end only while its reader waits: when the last event was parsed before the reader asked for
 * it, the iteration waits forever on a closed connection. An error is kept and thrown once the queued
 * events are read, so every disconnect reaches the reconnect below.
 */
function endingInError(fetchFn: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    const body = response.body;
    if (!body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
    const reader = body.getReader();
    const wrapped = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.error(new Error('the event stream connection closed'));
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(wrapped, { status: response.status, headers: response.headers });
  };
}

/**
 * The app's events as they commit, over server-sent events (graphql-sse). After a disconnect it
 * subscribes again from the last event's cursor, so nothing is missed or repeated; graphql-sse's own
 * retries are off because they would resend the first `after`. Errors the gateway sends (bad key,
 * unknown app) end the stream with a GatewayRequestError.
 */
export async function* streamGatewayEvents(
  options: GatewayClientOptions,
  variables: StreamGatewayEventsSubscriptionVariables,
  stream: StreamOptions = {},
): AsyncGenerator<GatewayEvent, void, undefined> {
  const sse = createClient({
    url: new URL('/graphql', options.baseUrl).toString(),
    headers: { authorization: `Bearer ${options.apiKey}` },
    retryAttempts: 0,
    fetchFn: endingInError(options.fetch ?? globalThis.fetch),
  });
  const maxReconnects = stream.maxReconnects ?? 10;
  let after = variables.after ?? null;
  let failures = 0;
  try {
    while (!stream.signal?.aborted) {
      const results = sse.iterate<StreamGatewayEventsSubscription>({
        query: source(StreamGatewayEventsDocument),
        variables: { ...variables, after },
      });
      const stop = () => void results.return?.();
      stream.signal?.addEventListener('abort', stop);
      try {
        for await (const result of results) {
          if (result.errors?.length) throw new GatewayRequestError(200, result.errors);
          const event = result.data?.gatewayEvents;
          if (!event) continue;
          after = event.cursor;
          failures = 0;
          yield event;
        }
        // The stream has no end of its own: a body that ends is a disconnect like any other.
        if (stream.signal?.aborted) return;
        failures += 1;
        if (failures > maxReconnects) throw new GatewayRequestError(0, [{ message: 'the stream ended' }]);
      } catch (error) {
        if (error instanceof GatewayRequestError || stream.signal?.aborted) throw error;
        failures += 1;
        if (failures > maxReconnects) throw error;
      } finally {
        stream.signal?.removeEventListener('abort', stop);
      }
      await new Promise((resolve) => setTimeout(resolve, stream.reconnectDelayMs ?? 1_000));
    }
  } finally {
    sse.dispose();
  }
}
