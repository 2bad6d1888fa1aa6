import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../graphql/context.js';
import type { RequestScope } from '../stores/index.js';
import { type ApiKeyRing, presentedKey } from './api-keys.js';
import { CONSOLE_GRAPHQL_PATH, consolePathOf, SUPPORT_SCOPE } from './console/paths.js';
import type { GatewayMetrics } from './metrics.js';
import { pnsAppOf } from './onestore-pns.js';

/**
 * The one path GraphQL is served at, compared exactly. Yoga itself would also serve `/graphql/`,
 * and any URL ending in `/graphql` (`//graphql`, `/foo/graphql`, `/?x=/graphql`): it matches
 * endpoints by suffix, and those spellings got past a key check that compared the path.
 */
export const GRAPHQL_PATH = '/graphql';

/** Paths answered without an API key, each by its own plugin, spelled exactly so. */
const SERVICE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * `/healthz`, `/readyz`, `/metrics` and `/notifications/onestore/{app}` (one segment, `pnsAppOf`),
 * each exactly: no key by design, no GraphQL.
 */
export const isServicePath = (pathname: string): boolean =>
  SERVICE_PATHS.has(pathname) || pnsAppOf(pathname) !== undefined;

/**
 * Yoga always installs a health check of its own that answers 200 to any URL *ending* in its
 * endpoint (`/health` by default, so `POST /graphql?x=/health` too, key or not). Ours are
 * `/healthz` and `/readyz`; this endpoint keeps Yoga's from ever matching: a serialised URL never
 * ends in a space (the URL parser percent-encodes it, and Node's HTTP parser refuses one in the
 * request line).
 */
export const YOGA_HEALTH_CHECK_NEVER = ' ';

/** The methods GraphQL is served with at {@link GRAPHQL_PATH}; anything else is 405. */
export const GRAPHQL_METHODS: readonly string[] = ['GET', 'POST'];

/**
 * What the node listener (`node-listener.ts`) found wrong before a URL could be made of the
 * request: a target that is neither origin- nor absolute-form, or a Host that is no authority.
 */
export type TargetProblem = 'invalid_target' | 'invalid_host';
/** The server-context key under which the node listener hands the edge a {@link TargetProblem}. */
export const TARGET_PROBLEM = 'gatewayTargetProblem';

/** Why the edge refused a request: the `reason` label of `gateway_http_refusals_total`. */
export type RefusalReason =
  | 'no_api_key'
  | 'unknown_api_key'
  | 'unknown_path'
  | 'method_not_allowed'
  | 'missing_scope'
  | TargetProblem;

interface Refusal {
  status: number;
  code: string;
  message: string;
  /** The access line's `reason`: the words the access log has always used for a refused key. */
  logReason: string;
  headers: Record<string, string>;
}

const KEY_REQUIRED = 'A valid API key is required (Authorization: Bearer <key>).';

const REFUSALS: Record<RefusalReason, Refusal> = {
  no_api_key: {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: KEY_REQUIRED,
    logReason: 'no API key',
    headers: { 'www-authenticate': 'Bearer' },
  },
  unknown_api_key: {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: KEY_REQUIRED,
    logReason: 'unknown API key',
    headers: { 'www-authenticate': 'Bearer' },
  },
  unknown_path: {
    status: 404,
    code: 'NOT_FOUND',
    message: `Not found. GraphQL is served at ${GRAPHQL_PATH}.`,
    logReason: 'unknown path',
    headers: {},
  },
  method_not_allowed: {
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    message: `${GRAPHQL_PATH} takes ${GRAPHQL_METHODS.join(' and ')}.`,
    logReason: 'method not allowed',
    headers: { allow: GRAPHQL_METHODS.join(', ') },
  },
  missing_scope: {
    status: 403,
    code: 'FORBIDDEN',
    message: `This API key lacks the "${SUPPORT_SCOPE}" scope.`,
    logReason: 'missing scope',
    headers: {},
  },
  invalid_target: {
    status: 400,
    code: 'BAD_REQUEST',
    message: `Bad request target. GraphQL is served at ${GRAPHQL_PATH}.`,
    logReason: 'invalid request target',
    headers: {},
  },
  invalid_host: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Bad Host header: one host[:port] is required.',
    logReason: 'invalid Host header',
    headers: {},
  },
};

export interface EdgeOptions {
  keys: ApiKeyRing;
  /** Filled with the caller of every request that passes; read by the GraphQL context. */
  callers: WeakMap<Request, Caller>;
  metrics: GatewayMetrics;
  /** The request's scope (`requestScopePlugin`), for the request id in a refusal's body. */
  scopeOf: (request: Request) => RequestScope | undefined;
  /** Let the support console's paths through (`console.enabled`); else they are unknown paths. Default false. */
  console?: boolean;
}

export interface Edge {
  plugin: Plugin;
  /** What the access log writes for a request the edge refused; undefined when it passed. */
  refusalOf(request: Request): { reason: string; code: string } | undefined;
}

/**
 * What is decided before anything of a request is read: its target, its path, its method, its API
 * key. A target or Host the node listener found unusable is a 400; `/graphql` exactly takes GET
 * and POST with a valid key; the service paths pass to their plugins; every other path is a 404.
 * A refusal is JSON carrying the request id (also in `x-request-id`), counted in
 * `gateway_http_refusals_total{reason}` and written to the access log (rate-limited there). No
 * document is parsed, so no validation message can map the schema, and nothing reaches the
 * GraphQL context without a caller. Every answer leaves with `Cache-Control: no-store` unless it
 * set its own; every `/graphql` answer with `no-store` whatever it set (the event stream's
 * `no-cache` included): purchase data is not to be kept by a cache.
 */
export function edge(options: EdgeOptions): Edge {
  const refused = new WeakMap<Request, RefusalReason>();
  const graphql = new WeakSet<Request>();
  // Zero from the start, so increase() sees the first refusal of each kind.
  for (const reason of Object.keys(REFUSALS)) options.metrics.httpRefusals.inc({ reason }, 0);

  const refusal = (request: Request, reason: RefusalReason, override?: Partial<Refusal>): Response => {
    const r = { ...REFUSALS[reason], ...override };
    refused.set(request, reason);
    options.metrics.httpRefusals.inc({ reason });
    const requestId = options.scopeOf(request)?.requestId;
    return new Response(
      JSON.stringify({ errors: [{ message: r.message, extensions: { code: r.code, requestId } }] }),
      {
        status: r.status,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...r.headers },
      },
    );
  };

  /**
   * The console's page and assets are static and hold no data: GET only, no key (the page asks for
   * one). Its GraphQL path takes POST with a key that has the `support` scope, refused here before
   * the body is read; what it may run is the console plugin's to check (`console/plugin.ts`).
   */
  const endConsole = (
    request: Request,
    path: 'page' | 'asset' | 'graphql',
    endResponse: (response: Response) => void,
  ) => {
    const method = path === 'graphql' ? 'POST' : 'GET';
    if (request.method !== method) {
      const what = path === 'graphql' ? CONSOLE_GRAPHQL_PATH : 'The console';
      endResponse(
        refusal(request, 'method_not_allowed', {
          message: `${what} takes ${method}.`,
          headers: { allow: method },
        }),
      );
      return;
    }
    if (path !== 'graphql') return;
    const presented = presentedKey(request.headers);
    const caller = options.keys.identify(presented);
    if (!caller) {
      endResponse(refusal(request, presented === null ? 'no_api_key' : 'unknown_api_key'));
      return;
    }
    if (!caller.scopes.has(SUPPORT_SCOPE)) {
      endResponse(refusal(request, 'missing_scope'));
      return;
    }
    options.callers.set(request, caller);
  };

  const plugin: Plugin = {
    onRequest({ request, url, serverContext, endResponse }) {
      const problem = (serverContext as Record<string, unknown>)[TARGET_PROBLEM];
      if (problem === 'invalid_target' || problem === 'invalid_host') {
        endResponse(refusal(request, problem));
        return;
      }
      const consolePath = options.console ? consolePathOf(url.pathname) : undefined;
      if (consolePath) {
        endConsole(request, consolePath, endResponse);
        return;
      }
      if (url.pathname !== GRAPHQL_PATH) {
        if (!isServicePath(url.pathname)) endResponse(refusal(request, 'unknown_path'));
        return;
      }
      graphql.add(request);
      // Whoever asks: no other method exists here (a CORS preflight was answered before, when allowed).
      if (!GRAPHQL_METHODS.includes(request.method)) {
        endResponse(refusal(request, 'method_not_allowed'));
        return;
      }
      const presented = presentedKey(request.headers);
      const caller = options.keys.identify(presented);
      if (!caller) {
        endResponse(refusal(request, presented === null ? 'no_api_key' : 'unknown_api_key'));
        return;
      }
      options.callers.set(request, caller);
    },
    onResponse({ request, response }) {
      const current = response.headers.get('cache-control');
      if (current === 'no-store' || (current !== null && !graphql.has(request))) return;
      // Deleted first: on headers made from an object (Yoga's event stream: `Cache-Control`),
      // @whatwg-node/node-fetch's set() adds a lower-case twin and both are sent.
      if (current !== null) response.headers.delete('cache-control');
      response.headers.set('cache-control', 'no-store');
    },
  };

  return {
    plugin,
    refusalOf(request) {
      const reason = refused.get(request);
      return reason && { reason: REFUSALS[reason].logReason, code: REFUSALS[reason].code };
    },
  };
}

/** True when GraphiQL may answer this request: the page is served at {@link GRAPHQL_PATH} only. */
export const isGraphQLPath = (request: Request): boolean => new URL(request.url).pathname === GRAPHQL_PATH;
