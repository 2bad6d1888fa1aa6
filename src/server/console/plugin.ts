import type { Plugin } from 'graphql-yoga';
import type { RequestScope } from '../../stores/index.js';
import { GRAPHQL_PATH } from '../edge.js';
import { EncodedTexts } from '../page-compression.js';
import { type ConsoleShell, loadConsoleShell } from './assets.js';
import { consoleRequestOf } from './operations.js';
import { CONSOLE_ASSETS_PATH, consolePathOf } from './paths.js';

/**
 * The page may load only from its own origin and call only its own origin; it is never framed, and
 * no form of it posts anywhere: the shell holds no inline script or style, so nothing injected runs.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface ConsolePluginOptions {
  /** The gateway's own Yoga `fetch`, which runs an operation at `/graphql` as any request would. */
  fetch: () => (request: Request) => Promise<Response> | Response;
  /** Largest body `/console/graphql` takes (`limits.maxBodyBytes`), bytes. */
  maxBodyBytes: number;
  /** The request's scope (`requestScopePlugin`), for the request id in a refusal's body. */
  scopeOf: (request: Request) => RequestScope | undefined;
  /** The page and its assets; default: read from `src/server/console/assets/` on first use. */
  shell?: ConsoleShell;
}

/** `application/json`, parameters allowed: a type no cross-site form can send without a CORS preflight. */
const isJson = (contentType: string | null) =>
  contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';

/**
 * The support console (`console.enabled`), after the edge: the edge let only GET reach the page and
 * its assets, and only a POST with a `support` key reach `/console/graphql`. The page and assets are
 * static and compressed once; an operation is checked against the console's own
 * (`operations.ts`) before anything runs, then executed at `/graphql` through the same Yoga with
 * the caller's key, so every check of `/graphql` (scopes, apps, limits, rate limits, the access log)
 * applies to it.
 */
export function consolePlugin(options: ConsolePluginOptions): Plugin {
  const encoded = new EncodedTexts();
  // As the edge's refusals: JSON with the request id, never cached.
  const refusal = (request: Request, status: number, code: string, message: string) => {
    const requestId = options.scopeOf(request)?.requestId;
    return new Response(JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] }), {
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };
  let shell = options.shell;
  const loaded = () => {
    shell ??= loadConsoleShell();
    return shell;
  };

  const execute = async (request: Request): Promise<Response> => {
    if (!isJson(request.headers.get('content-type')))
      return refusal(
        request,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'The console sends Content-Type: application/json.',
      );
    const declared = request.headers.get('content-length');
    if (declared === null)
      return refusal(request, 411, 'LENGTH_REQUIRED', 'A request body needs a Content-Length header.');
    if (!(Number(declared) <= options.maxBodyBytes))
      return refusal(request, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    const text = await request.text();
    let sent: unknown;
    try {
      sent = JSON.parse(text);
    } catch {
      return refusal(request, 400, 'BAD_REQUEST', 'The body is not JSON.');
    }
    const operation = consoleRequestOf(sent);
    if ('refused' in operation) return refusal(request, 400, 'OPERATION_NOT_ALLOWED', operation.refused);
    const headers = new Headers({
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    });
    // The operation's access line carries the console call's request id: one id for both lines.
    const requestId = options.scopeOf(request)?.requestId;
    if (requestId !== undefined) headers.set('x-request-id', requestId);
    for (const name of ['authorization', 'x-api-key']) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const body = JSON.stringify(operation);
    // What any GraphQL client sends; the body limit of /graphql refuses a body without it.
    headers.set('content-length', String(Buffer.byteLength(body)));
    const inner = new Request(new URL(GRAPHQL_PATH, request.url), {
      method: 'POST',
      headers,
      body,
      signal: request.signal,
    });
    const answer = await options.fetch()(inner);
    const out = new Headers(answer.headers);
    out.set('cache-control', 'no-store');
    return new Response(await answer.text(), { status: answer.status, headers: out });
  };

  return {
    async onRequest({ request, url, endResponse }) {
      const path = consolePathOf(url.pathname);
      if (path === undefined) return;
      if (path === 'graphql') {
        endResponse(await execute(request));
        return;
      }
      const accept = request.headers.get('accept-encoding');
      if (path === 'page') {
        const headers = {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-cache',
          ...PAGE_HEADERS,
        };
        endResponse(await encoded.response(loaded().html, accept, headers));
        return;
      }
      const asset = loaded().assets.get(url.pathname.slice(CONSOLE_ASSETS_PATH.length));
      if (!asset) {
        endResponse(refusal(request, 404, 'NOT_FOUND', 'Not found.'));
        return;
      }
      const headers = {
        'content-type': asset.contentType,
        'cache-control': 'public, max-age=31536000, immutable',
        ...PAGE_HEADERS,
      };
      endResponse(await encoded.response(asset.text, accept, headers));
    },
  };
}
