import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDemo } from '../../src/sandbox/demo.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';
import { SseReader } from './sse.js';

/**
 * What `npm start` runs (sandbox mode: demo data, the demo app and key `demo-key`, an in-memory
 * ledger), in process, with the sandbox clock stopped at {@link DOC_TIME} before the demo data is
 * made: every time the docs show is then the same on every run.
 */

/** The instant the docs' outputs are shown at (the sandbox clock, stopped). */
export const DOC_TIME = '2026-11-30T12:00:00.000Z';

export interface DocAnswer {
  status: number;
  contentType: string;
  /** The JSON body; for an event stream, its `next` payloads, in order. */
  body: unknown;
}

export interface DocGateway {
  mode: SandboxMode;
  gateway: Gateway;
  /**
   * One request to the gateway, in process. An event stream is read until `events` `next` payloads
   * (or its end), then left as a client leaving does.
   */
  send(path: string, init: RequestInit, events?: number): Promise<DocAnswer>;
  close(): Promise<void>;
}

/** A receiver answering 204 to every POST, for sandbox mode's webhook endpoint. */
async function startSink(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

/**
 * @param settings.webhooks give the demo app its `SANDBOX_WEBHOOK_URL` endpoint (`sandbox`), at a
 *   receiver that takes every delivery; default false.
 */
export async function startDocGateway(settings: { webhooks?: boolean } = {}): Promise<DocGateway> {
  const sink = settings.webhooks ? await startSink() : undefined;
  const mode = await startSandboxMode({ ...(sink && { webhookUrl: sink.url }) });
  mode.sandbox.core.reset();
  mode.sandbox.clock.set(Date.parse(DOC_TIME));
  mode.sandbox.clock.freeze(true);
  loadDemo(mode.sandbox.core);
  const gateway = createGateway(mode.config, mode.options);
  return {
    mode,
    gateway,
    send: async (path, init, events = 1) => {
      const abort = new AbortController();
      const response = await gateway.fetch(`http://localhost:4000${path}`, { ...init, signal: abort.signal });
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.startsWith('text/event-stream'))
        return { status: response.status, contentType, body: (await response.json()) as unknown };
      const reader = new SseReader(response, abort);
      const payloads: unknown[] = [];
      try {
        while (payloads.length < events) {
          const message = await reader.next();
          if (message === null || message.event === 'complete') break;
          if (message.event === 'next') payloads.push(JSON.parse(message.data) as unknown);
        }
      } finally {
        reader.close();
      }
      return { status: response.status, contentType, body: payloads };
    },
    close: async () => {
      await gateway.dispose();
      await mode.sandbox.close();
      if (sink) await new Promise<void>((resolve) => sink.server.close(() => resolve()));
    },
  };
}
