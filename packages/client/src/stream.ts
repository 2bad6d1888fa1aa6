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
    ...(options.fetch && { fetchFn: options.fetch }),
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
        return;
      } catch (error) {
        if (error instanceof GatewayRequestError || stream.signal?.aborted) throw error;
        failures += 1;
        if (failures > maxReconnects) throw error;
        await new Promise((resolve) => setTimeout(resolve, stream.reconnectDelayMs ?? 1_000));
      } finally {
        stream.signal?.removeEventListener('abort', stop);
      }
    }
  } finally {
    sse.dispose();
  }
}
