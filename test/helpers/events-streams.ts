import { afterAll, beforeAll } from 'vitest';
import { STREAM } from './event-stream.js';
import { APP, type GatewayHarness, type GatewayHarnessOptions, startGateway } from './gateway.js';
import { type SseReader, subscribe } from './sse.js';

/** What `streamingGateway` gives a test file. */
export interface StreamingGateway {
  /** Opens a live stream (STREAM) of app A with `variables`; `key` default `keys.rw`, null sends none. */
  stream(variables?: Record<string, unknown>, key?: string | null): Promise<SseReader>;
  /** The streams closed after the file's last test: `stream`'s, and any a test adds. */
  open: SseReader[];
}

/**
 * For a test file of live streams: a gateway with `options`, started before the first test and
 * handed to `ready`; after the last test every stream in `open` is closed, then the gateway.
 */
export function streamingGateway(
  options: GatewayHarnessOptions,
  ready: (g: GatewayHarness) => void,
): StreamingGateway {
  let g: GatewayHarness | undefined;
  const open: SseReader[] = [];
  beforeAll(async () => {
    g = await startGateway(options);
    ready(g);
  });
  afterAll(async () => {
    for (const reader of open) reader.close();
    await g?.close();
  });
  return {
    open,
    stream: async (variables = {}, key) => {
      if (g === undefined) throw new Error('the gateway did not start');
      const reader = await subscribe(
        `${g.url}/graphql`,
        STREAM,
        { app: APP, ...variables },
        { key: key === undefined ? g.keys.rw : key },
      );
      open.push(reader);
      return reader;
    },
  };
}
