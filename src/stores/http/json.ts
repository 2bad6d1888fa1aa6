import type { z } from 'zod';
import { type StoreName, UpstreamProtocolError } from '../errors.js';
import type { HttpResponse } from './http-client.js';

export interface DecodeContext {
  readonly store: StoreName;
  readonly endpoint: string;
}

function protocolError(
  ctx: DecodeContext,
  status: number,
  code: string,
  what: string,
): UpstreamProtocolError {
  return new UpstreamProtocolError({
    store: ctx.store,
    endpoint: ctx.endpoint,
    code,
    httpStatus: status,
    message: `${ctx.endpoint}: ${what} (HTTP ${status})`,
  });
}

/**
 * Answers for the Content-Type values seen so far: a store sends the same one or two on every
 * answer, and parsing them is most of this check's cost. The store controls these strings, so the
 * map stops growing at {@link MAX_MEDIA_TYPES} (later values are parsed each time).
 */
const MEDIA_TYPES = new Map<string, boolean>();
export const MAX_MEDIA_TYPES = 64;

export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const known = MEDIA_TYPES.get(contentType);
  if (known !== undefined) return known;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const json = mediaType === 'application/json' || mediaType.endsWith('+json');
  if (MEDIA_TYPES.size < MAX_MEDIA_TYPES) MEDIA_TYPES.set(contentType, json);
  return json;
}

/** How many Content-Type answers are remembered (for the bound's test). */
export function rememberedMediaTypes(): number {
  return MEDIA_TYPES.size;
}

/** Parses a JSON body, or `undefined` when it is empty, not JSON or declared as something else. */
export function tryParseJson(response: HttpResponse): unknown {
  if (response.body.length === 0 || !isJsonMediaType(header(response, 'content-type'))) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Decodes a JSON body and checks it against `schema`. HTML error pages, empty bodies, malformed JSON
 * and wrong shapes all become {@link UpstreamProtocolError}; the message names the offending field
 * paths but never quotes the body, which may hold purchase tokens.
 */
export function decodeJson<S extends z.ZodType>(
  ctx: DecodeContext,
  response: HttpResponse,
  schema: S,
): z.output<S> {
  if (response.body.length === 0)
    throw protocolError(ctx, response.status, 'EMPTY_BODY', 'empty response body');
  if (!isJsonMediaType(header(response, 'content-type'))) {
    throw protocolError(ctx, response.status, 'NOT_JSON', 'response is not JSON');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw protocolError(ctx, response.status, 'INVALID_JSON', 'response body is not valid JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const paths = result.error.issues
      .slice(0, 5)
      .map((issue) => (issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')));
    throw protocolError(
      ctx,
      response.status,
      'UNEXPECTED_SHAPE',
      `unexpected response shape at ${paths.join(', ')}`,
    );
  }
  return result.data;
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
