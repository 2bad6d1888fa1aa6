import type { z } from 'zod';
import {
  type StoreError,
  type StoreName,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../errors.js';
import type { HttpResponse } from './http-client.js';
import { header } from './json.js';
import { parseRetryAfter } from './retry.js';
import { invalidInput, type UrlContext } from './safe-path.js';

/**
 * Shared by the two stores that wrap every answer in `{header, result}` with HTTP 200 (NHN Cloud IAP
 * and Gamebase). A non-2xx answer is not their protocol: a proxy or the platform speaking. Neither
 * documents a maintenance answer, so only a 429, or a 503 that carries `Retry-After`, is read as "not
 * processed, come back later"; any other 5xx on a consume is uncertain.
 */
export function envelopeHttpError(
  store: StoreName,
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
): StoreError {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
  const init = {
    store,
    endpoint,
    code: `HTTP_${status}`,
    httpStatus: status,
    retryAfterMs,
    message: `${endpoint}: unexpected HTTP ${status}`,
  };
  if (status === 429 || (status === 503 && retryAfterMs !== undefined))
    return new UpstreamUnavailableError(init);
  if (status >= 500) {
    return stateChanging
      ? new UpstreamUncertainOutcomeError({
          ...init,
          message: `${endpoint}: HTTP ${status}; the consume may have been applied`,
        })
      : new UpstreamUnavailableError(init);
  }
  return new UpstreamProtocolError(init);
}

/**
 * Success needs both header fields: `isSuccessful` true and `resultCode` 0, the one code both
 * documents call success ("0: 성공적으로 완료한 결제 건"). A header whose two fields disagree is read
 * as the failure its code names, never as a success: a consume must not be taken as done on half
 * of the evidence.
 */
export function envelopeSucceeded(header: { isSuccessful: boolean; resultCode: number }): boolean {
  return header.isSuccessful && header.resultCode === 0;
}

/** The envelope's `result` checked against `schema`; a mismatch names at most five paths, never values. */
export function decodeResult<S extends z.ZodType>(
  ctx: { store: StoreName; endpoint: string },
  status: number,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const paths = result.error.issues
    .slice(0, 5)
    .map((issue) => ['result', ...issue.path.map(String)].join('.'));
  throw new UpstreamProtocolError({
    ...ctx,
    code: 'UNEXPECTED_SHAPE',
    httpStatus: status,
    message: `${ctx.endpoint}: unexpected response shape at ${paths.join(', ')}`,
  });
}

/** Payment tokens of NHN Cloud and Gamebase are base64 / base64url text (their examples hold `/`, `=`, `_`, `-`). */
export function paymentTokenText(ctx: UrlContext, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 2048 ||
    !/^[A-Za-z0-9+/=_.-]+$/.test(value)
  ) {
    throw invalidInput(ctx, 'purchaseToken', 'must be 1-2048 base64 characters');
  }
  return value;
}
