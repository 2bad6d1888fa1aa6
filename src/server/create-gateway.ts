import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig } from '../config/load.js';
import { StoreRegistry } from '../entitlements/app-stores.js';
import type { Caller, GatewayContext } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { StoreLogger } from '../stores/index.js';
import { ApiKeyRing, presentedKey } from './api-keys.js';

export interface GatewayOptions {
  /** Clock for entitlement rules and token renewal, ms since epoch. Default `Date.now` (sandbox mode: the sandbox clock). */
  now?: () => number;
  /** GraphiQL on GET /graphql from a browser. Default false; sandbox mode turns it on. */
  graphiql?: false | { defaultQuery?: string; headers?: Record<string, string> };
  /** pino-compatible logger for the store clients. Default: silent. */
  logger?: StoreLogger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Health answers that never touch a store: liveness and readiness. */
function healthPlugin(): Plugin {
  return {
    onRequest({ url, endResponse }) {
      if (url.pathname === '/healthz') endResponse(json(200, { status: 'ok' }));
      else if (url.pathname === '/readyz') endResponse(json(200, { status: 'ready' }));
    },
  };
}

/**
 * Every GraphQL request needs a valid API key; without one the answer is HTTP 401 before any
 * parsing. The GraphiQL page itself (a browser's GET of text/html) is served without a key.
 */
function apiKeyPlugin(keys: ApiKeyRing, callers: WeakMap<Request, Caller>): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql') return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      const caller = keys.identify(presentedKey(request.headers));
      if (!caller) {
        endResponse(
          json(
            401,
            {
              errors: [
                {
                  message: 'A valid API key is required (Authorization: Bearer <key>).',
                  extensions: { code: 'UNAUTHENTICATED' },
                },
              ],
            },
            { 'www-authenticate': 'Bearer' },
          ),
        );
        return;
      }
      callers.set(request, caller);
    },
  };
}

/** The gateway: a Yoga instance serving /graphql, /healthz and /readyz. `yoga.dispose()` closes its pools. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const now = options.now ?? Date.now;
  const stores = new StoreRegistry(config, { now, ...(options.logger && { logger: options.logger }) });
  const callers = new WeakMap<Request, Caller>();
  const keys = new ApiKeyRing(config.apiKeys);
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Bundled GraphiQL: the page works with no network, like the rest of sandbox mode.
    renderGraphiQL,
    graphiql: options.graphiql
      ? {
          title: 'Entitlement gateway',
          ...options.graphiql,
          headers: JSON.stringify(options.graphiql.headers ?? {}),
        }
      : false,
    plugins: [healthPlugin(), apiKeyPlugin(keys, callers), { onDispose: () => stores.close() }],
    context: ({ request }): GatewayContext => {
      const caller = callers.get(request);
      // The API-key plugin answered 401 already when there is no caller; this is a second lock.
      if (!caller) throw new Error('request without an authenticated caller');
      return { caller, stores, now: () => new Date(now()), upstreamConcurrency: config.upstreamConcurrency };
    },
  });
}
