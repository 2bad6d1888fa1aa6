import type { Plugin } from 'graphql-yoga';
import { GRAPHQL_METHODS, GRAPHQL_PATH } from './edge.js';
import { CSRF_HEADERS } from './security.js';

/** What an allow-listed origin may send in a cross-origin request (docs/SECURITY.md). */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'x-request-id',
  ...CSRF_HEADERS,
] as const;
/** The methods GraphQL takes: the edge's, as a preflight lists them. */
export const CORS_ALLOWED_METHODS = GRAPHQL_METHODS.join(', ');
/** How long a browser may reuse a preflight's answer, seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for `cors.origins` only, and only on `/graphql`; no plugin at all when the list is empty
 * (the default: callers are servers, which send no Origin and read no CORS header). An
 * allow-listed origin gets its own origin back (never `*`, never another's, never `null`),
 * {@link CORS_ALLOWED_METHODS}, {@link CORS_ALLOWED_HEADERS}, `x-request-id` exposed, and no
 * `Access-Control-Allow-Credentials`: the key is a header the page sets, so a cookie or TLS client
 * certificate is never needed, and a browser then sends none. Any other origin, `/metrics` and the
 * health endpoints get no CORS header at all.
 *
 * Not Yoga's `cors` option: its plugin answers every OPTIONS request on every path with 204,
 * reflects any origin when no list is given, answers an unlisted origin `null` (which a sandboxed
 * iframe's `Origin: null` matches) and sends `Access-Control-Allow-Credentials: true` unless told
 * otherwise.
 */
export function corsPlugin(origins: readonly string[]): Plugin {
  if (origins.length === 0) return {};
  const allowed = new Set(origins);
  const listed = (request: Request): string | undefined => {
    const origin = request.headers.get('origin');
    return origin !== null && allowed.has(origin) ? origin : undefined;
  };
  return {
    // A preflight from another origin, or an OPTIONS that is no preflight, goes on to the edge: 405.
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'OPTIONS' || url.pathname !== GRAPHQL_PATH) return;
      const origin = listed(request);
      if (origin === undefined || !request.headers.has('access-control-request-method')) return;
      endResponse(
        new Response(null, {
          status: 204,
          headers: {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': CORS_ALLOWED_METHODS,
            'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
            'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
            vary: 'Origin',
            'content-length': '0',
          },
        }),
      );
    },
    onResponse({ request, response }) {
      // A page's request reads its answer (a 401 included) only with the header; the path is
      // parsed only for an allow-listed origin, which a server-to-server call never sends.
      if (response.headers.has('access-control-allow-origin')) return; // the preflight above
      response.headers.append('vary', 'Origin');
      const origin = listed(request);
      if (origin === undefined || new URL(request.url).pathname !== GRAPHQL_PATH) return;
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'x-request-id');
    },
  };
}
