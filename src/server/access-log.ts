import { performance } from 'node:perf_hooks';
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestScope, StoreObserver } from '../stores/index.js';
import { GRAPHQL_PATH } from './edge.js';
import { appsOf } from './rate-limits.js';

/** Where access lines go: pino's `info` (the process logger), or anything shaped like it. */
export interface AccessLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}

export interface AccessLogOptions {
  /**
   * Share of successful requests (HTTP 2xx, no error code) that get a line, 0 to 1. Requests with
   * an error code, a non-2xx status or a refused key are always logged. Default 1 (every request).
   */
  sampleSuccesses?: number;
  /** Most refused-key lines per second; the rest are counted in one summary line. Default 10. */
  refusedPerSecond?: number;
  /** The API key name of an accepted request. */
  keyName(request: Request): string | undefined;
  /** The request's scope (`requestScopePlugin`): its id, and what its upstream calls report. Default: none. */
  scopeOf?: (request: Request) => RequestScope | undefined;
  /** Sampling draw in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Clock of the refused-key window, ms. Default `Date.now`. */
  now?: () => number;
  /** Paths that get no line (their own endpoints, e.g. health probes). Default: every path but {@link GRAPHQL_PATH}. */
  skips?: (url: URL) => boolean;
  /** Why the edge refused a request (`edge.ts`), if it did: written as a refused line. Default: none. */
  refusalOf?: (request: Request) => { reason: string; code: string } | undefined;
}

interface Entry {
  scope: RequestScope | undefined;
  started: number;
  /** The client's `operationName`: only looked up in the document, never logged. */
  requestedName?: string;
  operationName?: string;
  operationType?: string;
  apps: string[];
  upstreamCalls: number;
  codes: Set<string>;
}

/** Apps listed in one line; a client chooses them, so the list is bounded. */
const MAX_APPS = 10;
/** Distinct error codes in one line. */
const MAX_CODES = 20;
/** Characters of an operation name in one line (a GraphQL name has no length limit). */
const MAX_OPERATION_NAME = 64;
/**
 * `operationName` when the client asked for an operation the document does not define (or that
 * could not be parsed): the asked-for name is the client's text, which a line never carries.
 */
export const UNKNOWN_OPERATION = '(not in document)';

/** The `code` of every union error member (or its `__typename` when `code` is not selected), bounded in depth. */
function collectTypedCodes(value: unknown, codes: Set<string>, depth = 0): void {
  if (depth > 8 || codes.size >= MAX_CODES || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) collectTypedCodes(v, codes, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  const typename = record.__typename;
  if (typeof typename === 'string' && typename.endsWith('Error'))
    codes.add(typeof record.code === 'string' ? record.code : typename);
  for (const v of Object.values(record)) collectTypedCodes(v, codes, depth + 1);
}

/**
 * Refusals made before any result exists, so no code reaches `onResultProcess`: Yoga's 406 and 415
 * (no body), the body limit's 411 and 413 (`security.ts`, whose bodies name these codes); 404 and
 * 405 for one that comes without a code (Yoga's own 405s say BAD_REQUEST, and keep it).
 */
const STATUS_CODES: Readonly<Record<number, string>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The code of an error that names none, from the HTTP status it asked for: a 4xx is a request
 * refused on purpose (`HTTP_<status>` where no name is known), not a failure of the gateway; only
 * an error without a 4xx status is INTERNAL_SERVER_ERROR, as masking makes it for the client.
 */
function statusCode(http: unknown): string {
  const status = (http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return 'INTERNAL_SERVER_ERROR';
  return STATUS_CODES[status] ?? `HTTP_${status}`;
}

/** The codes of a result's errors and typed error members (the access line's `errorCodes`; `websocket-access.ts` too). */
export function collectResultCodes(result: unknown, codes: Set<string>): void {
  if (typeof result !== 'object' || result === null) return;
  if (Array.isArray(result)) {
    for (const r of result) collectResultCodes(r, codes);
    return;
  }
  const { data, errors } = result as {
    data?: unknown;
    errors?: readonly { extensions?: { code?: unknown; http?: unknown } }[];
  };
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    codes.add(typeof code === 'string' ? code : statusCode(error.extensions?.http));
  }
  collectTypedCodes(data, codes);
}

/**
 * One JSON line per GraphQL request at `info` ("who called what, and what did they get"): request
 * id, operation, apps, key name, HTTP status, duration, upstream calls and error codes. Never the
 * key, the variables or the response: a purchase token is a variable. Refused keys are logged
 * with the reason, at most `refusedPerSecond` lines a second, so a flood of bad keys cannot fill
 * a disk; what was dropped is counted in one `refused requests suppressed` line. Requests the edge
 * refused (an unknown path, a method, a key: `edge.ts`) are such lines too, with its reason.
 */
export class AccessLog {
  readonly #entries = new WeakMap<Request, Entry>();
  readonly #byScope = new WeakMap<RequestScope, Entry>();
  readonly #logger: AccessLogger;
  readonly #options: AccessLogOptions;
  readonly #sample: number;
  readonly #refusedPerSecond: number;
  #window = { second: 0, written: 0, suppressed: 0 };
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(logger: AccessLogger, options: AccessLogOptions) {
    this.#logger = logger;
    this.#options = options;
    this.#sample = options.sampleSuccesses ?? 1;
    this.#refusedPerSecond = options.refusedPerSecond ?? 10;
  }

  /** The store observer, also counting each upstream attempt against the request that caused it. */
  observe(inner: StoreObserver): StoreObserver {
    return {
      upstreamAttempt: (store, endpoint, status, seconds, scope) => {
        const entry = scope && this.#byScope.get(scope);
        if (entry) entry.upstreamCalls += 1;
        inner.upstreamAttempt(store, endpoint, status, seconds, scope);
      },
      upstreamRetry: (...args) => inner.upstreamRetry(...args),
      tokenRefresh: (...args) => inner.tokenRefresh(...args),
      cacheLookup: (...args) => inner.cacheLookup(...args),
      breakerState: (...args) => inner.breakerState(...args),
      rejected: (...args) => inner.rejected(...args),
      pagingLoop: (...args) => inner.pagingLoop(...args),
      pagingBudgetSpent: (...args) => inner.pagingBudgetSpent(...args),
    };
  }

  plugin(): Plugin {
    return {
      // The GraphiQL page never gets here: Yoga answers it before any gateway plugin runs.
      onRequest: ({ request, url }) => {
        if (this.#options.skips ? this.#options.skips(url) : url.pathname !== GRAPHQL_PATH) return;
        const scope = this.#options.scopeOf?.(request);
        const entry: Entry = {
          scope,
          started: performance.now(),
          apps: [],
          upstreamCalls: 0,
          codes: new Set(),
        };
        this.#entries.set(request, entry);
        if (scope) this.#byScope.set(scope, entry);
      },
      onParams: ({ request, params }) => {
        const entry = this.#entries.get(request);
        if (!entry || typeof params.operationName !== 'string') return;
        entry.requestedName = params.operationName;
        entry.operationName = UNKNOWN_OPERATION; // until the document shows it defines that name
      },
      // The operation from the parsed document: known even when validation then fails.
      onParse: ({ context }) => {
        const entry = this.#entries.get((context as { request: Request }).request);
        if (!entry) return;
        return ({ result }) => {
          if (!(result instanceof Error) && 'definitions' in result) {
            const op = getOperationAST(result, entry.requestedName);
            if (op?.name) entry.operationName = op.name.value.slice(0, MAX_OPERATION_NAME);
            entry.operationType = op?.operation;
          }
        };
      },
      onExecute: ({ args }) => this.#apps(args),
      // A live stream's line is written when its response starts (status 200, the stream open, or
      // its refusal in errorCodes); `event-streams.ts` writes an `event stream closed` line at its end.
      onSubscribe: ({ args }) => this.#apps(args),
      onResultProcess: ({ request, result }) => {
        const entry = this.#entries.get(request);
        if (entry) collectResultCodes(result, entry.codes);
      },
      onResponse: ({ request, response }) => {
        const entry = this.#entries.get(request);
        if (!entry) return;
        this.#entries.delete(request);
        // The edge is the one source of refusals (401s included): anything else is a served line.
        const refusal = this.#options.refusalOf?.(request);
        // An answer without a result (406, 415) still says why: its status's code.
        if (!refusal && response.status >= 400 && entry.codes.size === 0)
          entry.codes.add(statusCode({ status: response.status }));
        if (refusal) this.#refused(entry, response.status, refusal);
        else this.#served(request, entry, response.status);
      },
    };
  }

  #apps(args: {
    contextValue: unknown;
    document: DocumentNode;
    operationName?: string | null | undefined;
    variableValues?: { readonly [name: string]: unknown } | null | undefined;
  }): void {
    const entry = this.#entries.get((args.contextValue as { request: Request }).request);
    if (!entry) return;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    // Only apps the key may use: any other `app` is the caller's text (a variable's value), which
    // a log line never carries; such a field answers ForbiddenError, in errorCodes.
    const allowed = (args.contextValue as { caller?: { apps: ReadonlySet<string> } }).caller?.apps;
    entry.apps = appsOf(args.document, args.operationName, variables)
      .filter((app) => allowed?.has(app) === true)
      .slice(0, MAX_APPS);
  }

  #line(entry: Entry, status: number): Record<string, unknown> {
    return {
      requestId: entry.scope?.requestId,
      status,
      durationMs: Math.round((performance.now() - entry.started) * 10) / 10,
    };
  }

  #served(request: Request, entry: Entry, status: number): void {
    const success = status >= 200 && status < 300 && entry.codes.size === 0;
    if (success && this.#sample < 1 && (this.#options.random ?? Math.random)() >= this.#sample) return;
    this.#logger.info(
      {
        ...this.#line(entry, status),
        operationName: entry.operationName ?? null,
        operationType: entry.operationType ?? null,
        apps: entry.apps,
        keyName: this.#options.keyName(request) ?? null,
        upstreamCalls: entry.upstreamCalls,
        errorCodes: [...entry.codes].slice(0, MAX_CODES),
      },
      'graphql request',
    );
  }

  #refused(entry: Entry, status: number, refusal: { reason: string; code: string }): void {
    const second = Math.floor((this.#options.now ?? Date.now)() / 1000);
    if (second !== this.#window.second) this.#flushSuppressed(second);
    if (this.#window.written >= this.#refusedPerSecond) {
      this.#window.suppressed += 1;
      // Says how many were dropped even if the flood stops now.
      this.#flushTimer ??= setTimeout(() => this.#flushSuppressed(this.#window.second + 1), 1_000).unref();
      return;
    }
    this.#window.written += 1;
    this.#logger.info(
      { ...this.#line(entry, status), errorCodes: [refusal.code], reason: refusal.reason },
      status === 401 ? 'refused API key' : 'refused request',
    );
  }

  #flushSuppressed(nextSecond: number): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const { suppressed, second } = this.#window;
    if (suppressed > 0)
      this.#logger.info(
        { suppressed, second: new Date(second * 1000).toISOString() },
        'refused requests suppressed',
      );
    this.#window = { second: nextSecond, written: 0, suppressed: 0 };
  }
}
