import { GraphQLError } from 'graphql';
import { LedgerUnavailable } from '../../ledger/index.js';
import { GatewayError, InvalidInputError, RateLimitedError } from './error-classes.js';

/**
 * Why a live stream was not opened. A subscription has no result union to put an error in before
 * its first event, so a refusal is a GraphQL error of the request (GraphQL over SSE: one `next`
 * event holding `errors`, then `complete`), with the type's name and code in `extensions`.
 */

/** The API key has `eventStreams.maxPerKey` streams open already. */
export class TooManyStreamsError extends Error {
  override readonly name = 'TooManyStreamsError';
  readonly code = 'TOO_MANY_STREAMS';
  constructor(readonly limit: number) {
    super(
      `This API key has ${limit} event streams open, the most it may have (eventStreams.maxPerKey); close one first.`,
    );
  }
}

/** The gateway is shutting down (or was disposed): it opens no new stream. */
export class StreamsClosedError extends Error {
  override readonly name = 'StreamsClosedError';
  readonly code = 'SHUTTING_DOWN';
  constructor() {
    super('This gateway is shutting down; reconnect with your last cursor.');
  }
}

/** The request does not accept server-sent events, the only way the gateway streams. */
export class StreamNotAcceptedError extends Error {
  override readonly name = 'StreamNotAcceptedError';
  readonly code = 'NOT_ACCEPTABLE';
  constructor() {
    super('Subscriptions are served as server-sent events: send Accept: text/event-stream.');
  }
}

/**
 * The GraphQL error a refusal before streaming is answered with, or null when `error` is not one
 * (it is then left to masking). Messages of these classes carry no secret or token by design.
 */
/** The client went away while its stream was opening; nobody reads the answer, it only ends the work. */
export class StreamAbandonedError extends Error {
  override readonly name = 'StreamAbandonedError';
  readonly code = 'CLIENT_GONE';
  constructor() {
    super('The client closed the request before the stream opened.');
  }
}

export function streamRefusal(error: unknown): GraphQLError | null {
  const typed = (type: string, code: string, message: string, more: Record<string, unknown> = {}) =>
    new GraphQLError(message, { extensions: { code, type, ...more } });
  if (error instanceof GatewayError) {
    const more: Record<string, unknown> = {};
    if (error instanceof InvalidInputError) more.field = error.field;
    if (error instanceof RateLimitedError) more.retryAfterSeconds = error.retryAfterSeconds;
    return typed(error.constructor.name, error.code, error.message, more);
  }
  if (error instanceof LedgerUnavailable)
    return typed('LedgerUnavailableError', error.code, error.message, {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  if (
    error instanceof TooManyStreamsError ||
    error instanceof StreamsClosedError ||
    error instanceof StreamNotAcceptedError ||
    error instanceof StreamAbandonedError
  )
    return typed(error.name, error.code, error.message);
  return null;
}
