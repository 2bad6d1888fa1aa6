import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type DocumentNode, GraphQLError, getOperationAST } from 'graphql';
import { maskError, type Plugin, type YogaMaskedErrorOpts } from 'graphql-yoga';
import {
  currentRequestScope,
  type RequestScope,
  runInRequestScope,
  type StoreLogger,
} from '../stores/index.js';

/** A caller's `x-request-id` is kept when it is this tame; otherwise the gateway makes one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const tracer = trace.getTracer('entitlement-gateway');

/** The path of an absolute URL without building a URL object (this runs for every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.indexOf('?', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/**
 * Every request runs in a scope carrying its id and its overall deadline: store calls read the
 * deadline (so none outlives it), log lines and masked errors carry the id, and the response
 * echoes it in `x-request-id`. The request is the parent span of its upstream calls.
 */
export function requestScopePlugin(deadlineMs: number): Plugin {
  const scopes = new WeakMap<Request, RequestScope>();
  const spans = new WeakMap<Request, Span>();
  // A subscription's span ends when its response starts, not with the stream, and the request's
  // deadline is read by store calls only: a live stream (which calls no store) outlives both.
  const describe = (args: {
    contextValue: unknown;
    document: DocumentNode;
    operationName?: string | null | undefined;
  }) => {
    const span = spans.get((args.contextValue as { request: Request }).request);
    if (!span) return;
    const op = getOperationAST(args.document, args.operationName);
    // Semantic conventions for GraphQL: the name is client-chosen but carries no data; the
    // document itself (`graphql.document`) is left out, since literals in it can be tokens.
    if (op?.name) span.setAttribute('graphql.operation.name', op.name.value);
    if (op) span.setAttribute('graphql.operation.type', op.operation);
  };
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const offered = request.headers.get('x-request-id');
        const requestId = offered !== null && REQUEST_ID.test(offered) ? offered : randomUUID();
        const scope: RequestScope = { requestId, deadlineAt: performance.now() + deadlineMs };
        scopes.set(request, scope);
        const path = pathOf(request.url);
        return runInRequestScope(scope, () =>
          tracer.startActiveSpan(
            `${request.method} ${path}`,
            // The path only: no query string, no headers (the API key), no body.
            {
              kind: SpanKind.SERVER,
              attributes: {
                'http.request.method': request.method,
                'url.path': path,
                'gateway.request_id': requestId,
              },
            },
            async (span) => {
              spans.set(request, span);
              try {
                await wrapped();
              } catch (err) {
                span.setStatus({ code: SpanStatusCode.ERROR });
                throw err;
              } finally {
                span.end();
              }
            },
          ),
        );
      },
    },
    onExecute: ({ args }) => describe(args),
    onSubscribe: ({ args }) => describe(args),
    onResponse({ request, response }) {
      const scope = scopes.get(request);
      if (scope) response.headers.set('x-request-id', scope.requestId);
      const span = spans.get(request);
      if (!span) return;
      span.setAttribute('http.response.status_code', response.status);
      // HTTP server conventions: 5xx is a server error; a refused key (401) is an error too here,
      // so a flood of bad keys shows up in the error rate of traces.
      if (response.status >= 500 || response.status === 401) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    },
  };
}

/** Yoga's masking, plus the request id in `extensions.requestId` so a support ticket can find the logs. */
export const maskedErrors: YogaMaskedErrorOpts = {
  maskError(error, message, isDev) {
    const masked = maskError(error, message, isDev);
    const requestId = currentRequestScope()?.requestId;
    // Only a masked error gets the id: returning a new object for a client error would make Yoga
    // log it as unexpected.
    if (masked === error || requestId === undefined || !(masked instanceof GraphQLError)) return masked;
    return new GraphQLError(masked.message, {
      nodes: masked.nodes ?? null,
      source: masked.source ?? null,
      positions: masked.positions ?? null,
      path: masked.path ?? null,
      originalError: masked.originalError ?? null,
      extensions: { ...masked.extensions, requestId },
    });
  },
  errorMessage: 'Unexpected error.',
  // Never Yoga's development mode (NODE_ENV=development), which adds the original error, its
  // message and stack, to every masked error: a message can quote the request.
  isDev: false,
};

/** A logger whose every line carries the id of the request it was written for, when there is one. */
export function withRequestId(logger: StoreLogger): StoreLogger {
  const tag = (obj: Record<string, unknown>) => {
    const requestId = currentRequestScope()?.requestId;
    return requestId === undefined ? obj : { requestId, ...obj };
  };
  return {
    debug: (obj, msg) => logger.debug(tag(obj), msg),
    warn: (obj, msg) => logger.warn(tag(obj), msg),
  };
}
