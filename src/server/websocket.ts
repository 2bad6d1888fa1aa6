import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { CloseCode, type Context, type OperationResult, type SubscribePayload } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Caller, GatewayContext } from '../graphql/context.js';
import { type ApiKeyRing, presentedKey } from './api-keys.js';
import { GRAPHQL_PATH } from './edge.js';
import { PERSISTED_ONLY_MESSAGE, sha256 } from './persisted-operations.js';
import { type AccessLine, refusedOperationLine, webSocketAccessLine } from './websocket-access.js';
import type { WebSocketMetrics, WebSocketRefusal } from './websocket-metrics.js';

/** What the transport needs of the gateway (`create-gateway.ts` builds it). */
export interface WebSocketOptions {
  /** Yoga's envelop pipeline: every plugin's parse, validate, context, execute and subscribe hooks. */
  yoga: Pick<YogaServerInstance<Record<string, unknown>, GatewayContext>, 'getEnveloped'>;
  keys: ApiKeyRing;
  /** Makes `request` an identified one, as the edge and `requestScopePlugin` do for HTTP: its caller and scope; answers its request id. */
  admit(request: Request, caller: Caller): string;
  /** Browser origins allowed (`cors.origins`); a connection from any other Origin is refused. */
  origins: readonly string[];
  /** Largest message, bytes (`limits.maxBodyBytes`); a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** Most connections one API key may hold at once (`eventStreams.maxPerKey`). */
  maxConnectionsPerKey: number;
  /** The persisted-operations manifest (hash → document) when that mode is on. Default: none, any document. */
  manifest?: ReadonlyMap<string, string>;
  metrics: WebSocketMetrics;
  /** The access log's `info`: one `graphql request` line per operation (`websocket-access.ts`). Default: none. */
  log?: AccessLine;
  /** Interval of the server's ping; a peer that has not answered by the next one is dropped, ms. Default 12 000 (graphql-ws's). */
  keepAliveMs?: number;
}

/** The gateway's graphql-ws transport at {@link GRAPHQL_PATH} (docs/events.md, docs/SECURITY.md). */
export interface WebSocketTransport {
  /** The HTTP server's `upgrade` listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Refuses new connections, lets every completed stream's `complete` reach its client, then
   * closes each socket with 1001 (Going away), after which graphql-ws clients reconnect elsewhere.
   */
  close(): Promise<void>;
  /** Drops every socket at once (the end of the shutdown grace period). */
  terminate(): void;
}

/** What a refused or rotated-out key is told: the close reason; the key itself is never echoed. */
const KEY_REQUIRED = 'A valid API key is required';
/** Operations this transport runs: a write stays on HTTP, with its deadline and access line. */
const MUTATION_REFUSED =
  'Mutations are served over HTTP POST only; this socket runs subscriptions and queries.';
/** The URL of the Request each operation is given; nothing reads its host. */
const OPERATION_URL = `http://websocket.invalid${GRAPHQL_PATH}`;
/** Longest wait for completed streams to send `complete` before the sockets close, ms. */
const COMPLETE_WAIT_MS = 1_000;

type SocketContext = Context<
  Record<string, unknown> | undefined,
  Extra & Partial<Record<PropertyKey, never>>
>;

/** The key a connection presents: `connection_init`'s `authorization` (or `x-api-key`), else the upgrade request's headers. */
function keyOf(ctx: SocketContext): string | null {
  const params = ctx.connectionParams ?? {};
  const headers = new Headers();
  for (const name of ['authorization', 'x-api-key'] as const) {
    const value = params[name] ?? params[name === 'authorization' ? 'Authorization' : 'X-Api-Key'];
    if (typeof value === 'string') headers.set(name, value);
  }
  if (![...headers.keys()].length) {
    const { authorization, 'x-api-key': apiKey } = ctx.extra.request.headers;
    if (typeof authorization === 'string') headers.set('authorization', authorization);
    if (typeof apiKey === 'string') headers.set('x-api-key', apiKey);
  }
  return presentedKey(headers);
}

/** A refusal before the WebSocket exists: a plain HTTP answer with a JSON body, then the socket ends. */
function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `cache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * A parse or validation error with the code the HTTP path answers with, and without Yoga's `http`
 * extension (the status Yoga would have answered), which means nothing on a socket.
 */
function coded(errors: readonly GraphQLError[], code: string): GraphQLError[] {
  return errors.map((error) => {
    const { http: _http, ...extensions } = error.extensions;
    return new GraphQLError(error.message, {
      nodes: error.nodes ?? null,
      source: error.source ?? null,
      positions: error.positions ?? null,
      extensions: { code, ...extensions },
    });
  });
}

/**
 * Subscriptions (and queries) over WebSocket with the graphql-ws protocol (`graphql-transport-ws`),
 * by the graphql-ws library's own server on `ws`, through Yoga's envelop pipeline as Yoga's docs
 * show: every plugin's limits (tokens, depth, aliases, directives, cost, checks, rate limits),
 * masking and metrics apply. What the HTTP edge does is done here: the Origin is checked at the
 * upgrade against `cors.origins` (cross-site WebSocket hijacking: a browser sends any site's
 * page's Origin and no CORS rule applies to a socket), the API key at `connection_init` (refused:
 * close 4403, the reason names no value), the key again at each subscribe (a key rotated out by
 * SIGHUP opens nothing more), the cap of connections per key, the persisted-operations mode.
 */
export function webSocketTransport(options: WebSocketOptions): WebSocketTransport {
  const { metrics } = options;
  const origins = new Set(options.origins);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  /** The key each acknowledged connection presented (memory only), and the connections per key name. */
  const presented = new WeakMap<SocketContext, { key: string; keyName: string }>();
  const perKey = new Map<string, number>();
  /** Acknowledged connections, whose subscriptions the shutdown waits on. */
  const open = new Set<SocketContext>();
  /** Per connection: the aborters of operations not yet started (a close ends a stream still opening). */
  const starting = new WeakMap<SocketContext, Map<string, AbortController>>();
  let closing: Promise<void> | undefined;

  const refuse = (reason: WebSocketRefusal) => metrics.refusals.inc({ reason });
  /** When each operation's context was made, for its access line's duration. */
  const started = new WeakMap<object, number>();
  const release = (ctx: SocketContext) => {
    const entry = presented.get(ctx);
    if (!entry) return;
    presented.delete(ctx);
    open.delete(ctx);
    metrics.connections.dec();
    const left = (perKey.get(entry.keyName) ?? 1) - 1;
    if (left > 0) perKey.set(entry.keyName, left);
    else perKey.delete(entry.keyName);
  };

  const subscribeArgs = async (
    ctx: SocketContext,
    id: string,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const caller = options.keys.identify(presented.get(ctx)?.key ?? null);
    if (!caller) {
      ctx.extra.socket.close(CloseCode.Forbidden, KEY_REQUIRED);
      return [new GraphQLError(KEY_REQUIRED, { extensions: { code: 'UNAUTHENTICATED' } })];
    }
    let query = payload.query;
    if (options.manifest) {
      const hash = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      const listed = typeof hash === 'string' ? options.manifest.get(hash) : undefined;
      if (listed !== undefined) query = listed;
      else if (!options.manifest.has(sha256(query)))
        return [new GraphQLError(PERSISTED_ONLY_MESSAGE, { extensions: { code: 'PERSISTED_QUERY_ONLY' } })];
    }
    const abort = new AbortController();
    // POST: Yoga's parse refuses a mutation in a GET with a message naming POST; this transport
    // refuses mutations itself, below, with its own.
    const request = new Request(OPERATION_URL, { method: 'POST', signal: abort.signal });
    const requestId = options.admit(request, caller);
    const refused = (errors: readonly GraphQLError[]) => {
      if (options.log) refusedOperationLine(options.log, requestId, caller.keyName, errors);
      return errors;
    };
    const params = { ...payload, query };
    const { schema, parse, validate, contextFactory, execute, subscribe } = options.yoga.getEnveloped({
      request,
      params,
    });
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query);
    } catch (error) {
      if (error instanceof GraphQLError) return refused(coded([error], 'GRAPHQL_PARSE_FAILED'));
      throw error;
    }
    if (getOperationAST(document, payload.operationName)?.operation === 'mutation')
      return refused([new GraphQLError(MUTATION_REFUSED, { extensions: { code: 'BAD_REQUEST' } })]);
    const errors = validate(schema, document);
    if (errors.length > 0) return refused(coded(errors, 'GRAPHQL_VALIDATION_FAILED'));
    const aborters = starting.get(ctx) ?? new Map<string, AbortController>();
    starting.set(ctx, aborters.set(id, abort));
    const contextValue = await contextFactory();
    started.set(contextValue, performance.now());
    return {
      schema,
      document,
      operationName: payload.operationName ?? null,
      variableValues: payload.variables ?? null,
      contextValue,
      rootValue: { execute, subscribe },
    };
  };

  // Yoga's recipe: the enveloped execute and subscribe of the operation ride on its root value.
  const roots = (args: ExecutionArgs) =>
    args.rootValue as Record<'execute' | 'subscribe', (args: ExecutionArgs) => OperationResult>;

  const server = useServer<Record<string, unknown> | undefined>(
    {
      // Never graphql-ws's development mode, which closes a socket with the thrown error's message.
      isProd: true,
      execute: (args) => roots(args).execute(args),
      subscribe: (args) => roots(args).subscribe(args),
      onConnect: (ctx) => {
        const key = keyOf(ctx);
        const caller = options.keys.identify(key);
        if (key === null || !caller) {
          refuse(key === null ? 'no_api_key' : 'unknown_api_key');
          ctx.extra.socket.close(CloseCode.Forbidden, KEY_REQUIRED);
          return false;
        }
        const count = perKey.get(caller.keyName) ?? 0;
        if (count >= options.maxConnectionsPerKey) {
          refuse('too_many_connections');
          ctx.extra.socket.close(
            CloseCode.Forbidden,
            `This API key has ${count} connections open, the most it may have (eventStreams.maxPerKey)`,
          );
          return false;
        }
        perKey.set(caller.keyName, count + 1);
        presented.set(ctx, { key, keyName: caller.keyName });
        open.add(ctx);
        metrics.connections.inc();
        return true;
      },
      onSubscribe: subscribeArgs,
      // Yoga's result processor, which HTTP answers go through, drops the `http` extension; here
      // the result goes out as execution made it.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.some((error) => error.extensions?.http !== undefined)) return;
        return {
          ...result,
          errors: result.errors.map((error) => {
            const { extensions, ...json } = error.toJSON();
            const { http: _http, ...kept } = extensions ?? {};
            return Object.keys(kept).length > 0 ? { ...json, extensions: kept } : json;
          }),
        };
      },
      // Started: from here graphql-ws ends the operation itself when the socket closes.
      onOperation: (ctx, id, _payload, args, result) => {
        starting.get(ctx)?.delete(id);
        const at = started.get(args.contextValue as object);
        if (options.log && at !== undefined) webSocketAccessLine(options.log, args, result, at);
      },
      onClose: (ctx) => {
        for (const abort of starting.get(ctx)?.values() ?? []) abort.abort();
        starting.delete(ctx);
        release(ctx);
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    upgrade(req, socket, head) {
      // A socket error before the handshake ends (a reset) is the peer's: nothing to report.
      const dropped = () => socket.destroy();
      socket.on('error', dropped);
      const path = (req.url ?? '').split('?')[0];
      const origin = req.headers.origin;
      if (closing) {
        refuse('shutting_down');
        refuseUpgrade(socket, 503, 'SHUTTING_DOWN', 'The gateway is shutting down; reconnect.');
      } else if (path !== GRAPHQL_PATH) {
        refuse('unknown_path');
        refuseUpgrade(socket, 404, 'NOT_FOUND', `Not found. GraphQL is served at ${GRAPHQL_PATH}.`);
      } else if (origin !== undefined && !origins.has(origin)) {
        refuse('forbidden_origin');
        refuseUpgrade(
          socket,
          403,
          'FORBIDDEN_ORIGIN',
          'This Origin may not open a WebSocket here (cors.origins).',
        );
      } else {
        wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off('error', dropped);
          wss.emit('connection', ws, req);
          // graphql-ws prints every socket error to the console with its stack: a peer's bad frame
          // or oversized message is no fault of the gateway, and ws has closed the socket (1002, 1009).
          ws.removeAllListeners('error');
          ws.on('error', () => undefined);
        });
      }
    },
    close() {
      closing ??= (async () => {
        // The hub has ended the streams; each one's `complete` leaves once graphql-ws sees its end.
        for (let waited = 0; waited < COMPLETE_WAIT_MS; waited += 10) {
          if ([...open].every((ctx) => Object.keys(ctx.subscriptions).length === 0)) break;
          await sleep(10);
        }
        await server.dispose();
      })();
      return closing;
    },
    terminate() {
      for (const ws of wss.clients) ws.terminate();
    },
  };
}
