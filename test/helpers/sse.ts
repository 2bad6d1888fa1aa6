/**
 * A reader of server-sent events (the text/event-stream format, as Yoga writes it) over a fetch
 * response: `event:` and `data:` fields, messages separated by a blank line, `:` comments (Yoga's
 * keep-alive pings) counted.
 */

export interface SseMessage {
  event: string;
  data: string;
}

/** What a GraphQL-over-SSE `next` carries. */
export interface GraphQLPayload {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export class SseReader {
  /** Keep-alive comments received so far. */
  pings = 0;
  /** True once the server ended the stream (or it was closed here). */
  ended = false;
  readonly #queue: SseMessage[] = [];
  #wake: (() => void) | undefined;
  #buffer = '';
  readonly #abort: AbortController;

  constructor(
    readonly response: Response,
    abort: AbortController,
  ) {
    this.#abort = abort;
    void this.#pump();
  }

  /** The next message; null when the stream ended first. Fails after `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<SseMessage | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#queue.shift();
      if (message) return message;
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no server-sent event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next `next` payload, or `'complete'` when the server completed the stream. */
  async payload(timeoutMs = 5_000): Promise<GraphQLPayload | 'complete'> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message === null) throw new Error('stream ended without complete');
      if (message.event === 'complete') return 'complete';
      if (message.event === 'next') return JSON.parse(message.data) as GraphQLPayload;
    }
  }

  /** Messages already received and not read yet. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Drops the connection, as a client going away does. */
  close(): void {
    this.#abort.abort();
  }

  async #pump(): Promise<void> {
    const body = this.response.body;
    if (!body) {
      this.#end();
      return;
    }
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.#buffer += decoder.decode(value, { stream: true });
        this.#parse();
      }
    } catch {
      // Aborted here, or the connection dropped: the stream is over either way.
    }
    this.#end();
  }

  #parse(): void {
    for (let end = this.#buffer.indexOf('\n\n'); end >= 0; end = this.#buffer.indexOf('\n\n')) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.pings += 1;
          continue;
        }
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'event') event = value;
        else if (name === 'data') data.push(value);
        else continue;
        fields += 1;
      }
      if (fields > 0) this.#queue.push({ event, data: data.join('\n') });
    }
    this.#wake?.();
  }

  #end(): void {
    this.ended = true;
    this.#wake?.();
  }
}

export interface SubscribeOptions {
  /** API key; null sends none. */
  key: string | null;
  method?: 'POST' | 'GET';
  /** Default `text/event-stream`. */
  accept?: string;
  operationName?: string;
}

/** Opens a GraphQL subscription at `url` (…/graphql) over server-sent events. */
export async function subscribe(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: SubscribeOptions,
): Promise<SseReader> {
  const abort = new AbortController();
  const headers: Record<string, string> = {
    accept: options.accept ?? 'text/event-stream',
    ...(options.key !== null && { authorization: `Bearer ${options.key}` }),
  };
  let response: Response;
  if (options.method === 'GET') {
    const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
    if (options.operationName) params.set('operationName', options.operationName);
    // The CSRF prevention plugin wants a non-simple header on GET (src/server/security.ts).
    response = await fetch(`${url}?${params}`, {
      headers: { ...headers, 'x-graphql-yoga-csrf': '1' },
      signal: abort.signal,
    });
  } else {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables, operationName: options.operationName }),
      signal: abort.signal,
    });
  }
  return new SseReader(response, abort);
}
