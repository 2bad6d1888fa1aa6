import { GraphQLError } from 'graphql';
import { type Plugin, useErrorHandler, type YogaLogger } from 'graphql-yoga';
import type { RequestScope } from '../stores/index.js';

/** Where unexpected-error lines go: pino's `error`, or anything shaped like it. */
export interface ErrorLogger {
  error(obj: Record<string, unknown>, msg: string): void;
}

/** What a line says of an error: its class, code and frames, never a message. */
export interface DescribedError {
  type: string;
  code?: string | number;
  /** PostgreSQL's name of the server function that raised it (`string_to_uuid`): names the fault without its value. */
  routine?: string;
  /** The `cause` chain, outermost first, each by class and code. */
  causes?: Omit<DescribedError, 'causes' | 'stack'>[];
  /** The stack's frames (`    at …` lines) without its first lines, which repeat the message. */
  stack?: string;
}

/** Frames in one line, and causes followed. */
const MAX_FRAMES = 20;
const MAX_CAUSES = 4;
/** A class name, code or routine that is a word (`LedgerFault`, `22P02`, `ECONNRESET`), at most 64 characters. */
const WORD = /^[\w.-]{1,64}$/;

/**
 * The request id of each error seen in an execution result, read when Yoga logs the error: Yoga
 * hands its logger the error alone. Held weakly, so an error never logged leaves nothing behind.
 */
const requestIds = new WeakMap<object, string>();

const word = (value: unknown): string | undefined =>
  typeof value === 'string' && WORD.test(value) ? value : undefined;

/** Class, code and routine of one error, each only when it is a word (a message never is one). */
function facts(error: unknown): Omit<DescribedError, 'causes' | 'stack'> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code, routine } = error as { code?: unknown; routine?: unknown };
  const described: Omit<DescribedError, 'causes' | 'stack'> = { type: word(error.name) ?? 'Error' };
  if (typeof code === 'number' && Number.isFinite(code)) described.code = code;
  else if (word(code) !== undefined) described.code = word(code);
  if (word(routine) !== undefined) described.routine = word(routine);
  return described;
}

/** `error.stack` without the message: V8 starts it with `name: message` (as many lines as the message has). */
function frames(error: Error): string | undefined {
  if (typeof error.stack !== 'string') return undefined;
  const lines = error.stack.split('\n').slice(error.message.split('\n').length);
  const kept = lines.filter((line) => /^\s+at /.test(line)).slice(0, MAX_FRAMES);
  return kept.length > 0 ? kept.join('\n') : undefined;
}

/**
 * An error as a log line may carry it: the class, code (SQLSTATE, a Node code) and frames of the
 * error a resolver threw (under graphql-js's wrapper), and the class and code of each cause; never
 * a message, which a driver fills with what it could not read (pg: `invalid input syntax for type
 * uuid: "…"`) and graphql-js with the request's values.
 */
export function describeError(error: unknown): DescribedError {
  let thrown = error;
  while (thrown instanceof GraphQLError && thrown.originalError) thrown = thrown.originalError;
  const described: DescribedError = facts(thrown);
  if (!(thrown instanceof Error)) return described;
  const causes: Omit<DescribedError, 'causes' | 'stack'>[] = [];
  for (let cause = thrown.cause; cause !== undefined && causes.length < MAX_CAUSES; ) {
    causes.push(facts(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (causes.length > 0) described.causes = causes;
  const stack = frames(thrown);
  if (stack !== undefined) described.stack = stack;
  return described;
}

/**
 * Notes the request id of every error of an execution result (a live stream's events included),
 * before Yoga masks and logs the unexpected ones. Placed among the gateway's plugins, which run
 * before Yoga's masking.
 */
export function unexpectedErrorRequests(scopeOf: (request: Request) => RequestScope | undefined): Plugin {
  return useErrorHandler(({ errors, context, phase }) => {
    if (phase !== 'execution') return;
    const request = (context as { contextValue?: { request?: Request } }).contextValue?.request;
    const requestId = request && scopeOf(request)?.requestId;
    if (requestId === undefined) return;
    for (const error of errors) requestIds.set(error, requestId);
  });
}

const silent = () => undefined;

/**
 * Yoga's `logging`: each error Yoga logs (an unexpected one it masked as `Unexpected error.`) is one
 * JSON line `unexpected error` at `error` level, with the request id when the error came from an
 * execution and {@link describeError}'s fields as `err`, once however often Yoga reports it. Yoga
 * writes nothing else worth a line (its `debug` traces the request phases). Without a logger,
 * nothing at all: Yoga's default logger prints the plain-text stack, message and cause on the console.
 */
export function yogaLogger(logger: ErrorLogger | undefined): YogaLogger {
  if (!logger) return { debug: silent, info: silent, warn: silent, error: silent };
  const logged = new WeakSet<object>();
  return {
    debug: silent,
    info: silent,
    warn: silent,
    error: (...args: unknown[]) => {
      for (const arg of args) {
        if (typeof arg === 'object' && arg !== null) {
          if (logged.has(arg)) continue;
          logged.add(arg);
        }
        const requestId = typeof arg === 'object' && arg !== null ? requestIds.get(arg) : undefined;
        logger.error({ ...(requestId && { requestId }), err: describeError(arg) }, 'unexpected error');
      }
    },
  };
}
