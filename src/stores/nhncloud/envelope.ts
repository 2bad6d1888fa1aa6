import type { z } from 'zod';
import {
  StoreApiError,
  type StoreError,
  StoreUnavailableError,
  UncertainOutcomeError,
  UpstreamProtocolError,
} from '../errors.js';
import type { HttpResponse } from '../http/http-client.js';
import { decodeJson, header } from '../http/json.js';
import { parseRetryAfter } from '../http/retry.js';
import { describeResultCode } from './codes.js';
import { envelopeSchema } from './schemas.js';

/**
 * Decodes NHN's `{header, result}` envelope. NHN answers HTTP 200 for its own errors, so
 * `isSuccessful: false` becomes a {@link StoreApiError} carrying the result code; the `result` of a
 * successful answer is checked against `schema`.
 */
export function decodeEnvelope<S extends z.ZodType>(
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
  schema: S,
): z.output<S> {
  if (response.status < 200 || response.status >= 300) throw nhnHttpError(endpoint, response, stateChanging);
  const ctx = { store: 'nhncloud' as const, endpoint };
  const envelope = decodeJson(ctx, response, envelopeSchema);
  const { isSuccessful, resultCode } = envelope.header;
  if (!isSuccessful) {
    const { code, retryable } = describeResultCode(resultCode);
    throw new StoreApiError({
      store: 'nhncloud',
      endpoint,
      code,
      resultCode,
      retryable,
      httpStatus: response.status,
      message: `${endpoint}: ${code} (resultCode ${resultCode})`,
    });
  }
  const result = schema.safeParse(envelope.result);
  if (!result.success) {
    const paths = result.error.issues
      .slice(0, 5)
      .map((issue) => ['result', ...issue.path.map(String)].join('.'));
    throw new UpstreamProtocolError({
      ...ctx,
      code: 'UNEXPECTED_SHAPE',
      httpStatus: response.status,
      message: `${endpoint}: unexpected response shape at ${paths.join(', ')}`,
    });
  }
  return result.data;
}

/**
 * A non-2xx answer is not NHN's protocol (which answers 200 with an envelope): a proxy or the
 * platform speaking. NHN documents no maintenance answer, so only a 503 that carries
 * `Retry-After` is read as "not processed, come back later"; any other 5xx on a consume is uncertain.
 */
function nhnHttpError(endpoint: string, response: HttpResponse, stateChanging: boolean): StoreError {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
  const init = {
    store: 'nhncloud' as const,
    endpoint,
    code: `HTTP_${status}`,
    httpStatus: status,
    retryAfterMs,
    message: `${endpoint}: unexpected HTTP ${status}`,
  };
  if (status === 429 || (status === 503 && retryAfterMs !== undefined))
    return new StoreUnavailableError(init);
  if (status >= 500) {
    return stateChanging
      ? new UncertainOutcomeError({
          ...init,
          message: `${endpoint}: HTTP ${status}; the consume may have been applied`,
        })
      : new StoreUnavailableError(init);
  }
  return new UpstreamProtocolError(init);
}
