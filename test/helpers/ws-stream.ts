import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLPayload } from './sse.js';

/** What a graphql-ws subscription delivered, in order. */
export type WsItem =
  | { kind: 'next'; payload: GraphQLPayload }
  | { kind: 'complete' }
  /** A graphql-ws `error` message: the operation was refused before it ran (parse, validation, limits). */
  | { kind: 'error'; errors: { message: string; extensions?: Record<string, unknown> }[] }
  /** The socket closed before the operation completed. */
  | { kind: 'closed'; code: number; reason: string };

export interface WsSubscribeOptions {
  /** API key; null sends none. */
  key: string | null;
  /** Where the key goes: `connection_init`'s payload (`{ authorization }`, the default) or the upgrade request's header. */
  keyIn?: 'payload' | 'header';
  /** The upgrade request's Origin, as a browser sends it. Default: none, as a server sends. */
  origin?: string;
  operationName?: string;
  /** Connect at once and stay connected with no subscription (graphql-ws `lazy: false`). Default: lazy. */
  eager?: boolean;
}

/**
 * One subscription on its own graphql-ws client (`createClient` with `ws` as its WebSocket), no
 * retries, so every refusal shows as it happened. Read it like an `SseReader`: `payload()` answers
 * the next `next` payload or `'complete'`.
 */
export class WsReader {
  readonly #queue: WsItem[] = [];
  #wake: (() => void) | undefined;
  readonly #unsubscribe: () => void;

  constructor(
    readonly client: Client,
    query: string,
    variables: Record<string, unknown>,
    operationName?: string,
  ) {
    this.#unsubscribe = client.subscribe(
      { query, variables, ...(operationName && { operationName }) },
      {
        next: (payload) => this.#push({ kind: 'next', payload: payload as GraphQLPayload }),
        complete: () => this.#push({ kind: 'complete' }),
        error: (error) => {
          if (Array.isArray(error)) this.#push({ kind: 'error', errors: error });
          else {
            const { code, reason } = error as { code: number; reason: string };
            this.#push({ kind: 'closed', code, reason });
          }
        },
      },
    );
  }

  #push(item: WsItem): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  /** The next item; fails after `timeoutMs` (default 5 s). */
  async next(timeoutMs = 5_000): Promise<WsItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const item = this.#queue.shift();
      if (item) return item;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`nothing on the WebSocket within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next `next` payload, or `'complete'`; an error or a close fails with what it was. */
  async payload(timeoutMs = 5_000): Promise<GraphQLPayload | 'complete'> {
    const item = await this.next(timeoutMs);
    if (item.kind === 'next') return item.payload;
    if (item.kind === 'complete') return 'complete';
    throw new Error(`expected next or complete, got ${JSON.stringify(item)}`);
  }

  /** Items received and not read yet. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Completes the subscription (graphql-ws `complete`); the socket stays open. */
  unsubscribe(): void {
    this.#unsubscribe();
  }

  /** Completes the subscription and closes the client's socket. */
  async close(): Promise<void> {
    this.#unsubscribe();
    await this.client.dispose();
  }
}

/**
 * A graphql-ws client for `url` (http://…/graphql, spoken as ws://) that connects on its first
 * subscription and never retries; `closes` gets each close event's code and reason.
 */
export function wsClient(
  url: string,
  options: Omit<WsSubscribeOptions, 'operationName'>,
  closes: { code: number; reason: string }[] = [],
): Client {
  const { key, keyIn = 'payload', origin } = options;
  const headers = key !== null && keyIn === 'header' ? { authorization: `Bearer ${key}` } : {};
  class Socket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers, ...(origin && { origin }) });
    }
  }
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: Socket,
    retryAttempts: 0,
    // An eager client's close is in `closes`; its default handler would print it.
    ...(options.eager && { lazy: false, onNonLazyError: () => undefined }),
    connectionParams: key !== null && keyIn === 'payload' ? { authorization: `Bearer ${key}` } : {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason });
      },
    },
  });
}

/** One subscription at `url` on a client of its own ({@link wsClient}). */
export function wsSubscribe(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: WsSubscribeOptions,
): WsReader {
  return new WsReader(wsClient(url, options), query, variables, options.operationName);
}

/**
 * What the server answers a bare WebSocket upgrade at `url` with `headers` (the graphql-ws
 * subprotocol offered): `open` when it upgraded (the socket is closed at once), else the HTTP
 * status and body of its refusal.
 */
export function upgradeAnswer(
  url: string,
  headers: Record<string, string>,
  origin?: string,
): Promise<'open' | { status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      headers,
      ...(origin && { origin }),
    });
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    socket.on('error', reject);
  });
}
