import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import { maskError, type Plugin, type YogaMaskedErrorOpts } from 'graphql-yoga';
import { activeTracer, type RequestScope } from '../stores/index.js';

/** A caller's `x-request-id` is kept when it is this tame; otherwise the gateway makes one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The path of an absolute URL without building a URL object (this runs for every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.indexOf('?', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

/**
 * Every request gets a scope carrying its id and its overall deadline, kept in `scopes` for the
 * other plugins and the GraphQL context, which hands it to every store call explicitly (no
 * AsyncLocalStorage: once used, it puts promise hooks on every promise of the process). Store calls
 * read the deadline (so none outlives it), log lines and masked errors carry the id, and the
 * response echoes it in `x-request-id`. With tracing on, the request is the parent span of its
 * upstream calls (the SDK's context manager carries it); with tracing off no span is made.
 */
export function requestScopePlugin(deadlineMs: number, scopes: WeakMap<Request, RequestScope>): Plugin {
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
        scopes.set(request, { requestId, deadlineAt: performance.now() + deadlineMs });
        const tracer = activeTracer();
        if (tracer === undefined) return wrapped();
        const path = pathOf(request.url);
        return tracer.startActiveSpan(
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
        );
      },
    },
    onExecute: ({ args }) => describe(args),
    onSubscribe: ({ args }) => describe(args),
    onResultProcess({ request, result, setResult }) {
      const requestId = scopes.get(request)?.requestId;
      if (requestId === undefined) return;
      if (Array.isArray(result)) {
        if (result.some(hasUnexpected)) setResult(result.map((r) => withRequestId(r, requestId)));
      } else if (!isAsyncIterable(result) && hasUnexpected(result)) {
        setResult(withRequestId(result, requestId));
      }
    },
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

/** Errors `maskedErrors` made of unexpected ones: they get the request id once the result is known. */
const unexpected = new WeakSet<GraphQLError>();

const hasUnexpected = (result: ExecutionResult): boolean =>
  result.errors?.some((error) => unexpected.has(error)) === true;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The result with `extensions.requestId` on each masked error, so a support ticket can find the logs. */
function withRequestId(result: ExecutionResult, requestId: string): ExecutionResult {
  if (!hasUnexpected(result)) return result;
  const errors = result.errors?.map((error) => {
    if (!unexpected.has(error)) return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes ?? null,
      source: error.source ?? null,
      positions: error.positions ?? null,
      path: error.path ?? null,
      originalError: error.originalError ?? null,
      extensions: { ...error.extensions, requestId },
    });
  });
  return { ...result, errors };
}

/**
 * Yoga's masking; `requestScopePlugin` then adds the request id to `extensions.requestId` of each
 * error masked here (maskError is not told which request it serves).
 */
export const maskedErrors: YogaMaskedErrorOpts = {
  maskError(error, message, isDev) {
    const masked = maskError(error, message, isDev);
    // Only a masked error gets the id: a client error keeps its own object (a new one would make
    // Yoga log it as unexpected).
    if (masked !== error && masked instanceof GraphQLError) unexpected.add(masked);
    return masked;
  },
  errorMessage: 'Unexpected error.',
  // Never Yoga's development mode (NODE_ENV=development), which adds the original error, its
  // message and stack, to every masked error: a message can quote the request.
  isDev: false,
};
