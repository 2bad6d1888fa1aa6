import type { z } from 'zod';
import { StoreApiError, UpstreamUncertainOutcomeError } from '../errors.js';
import { decodeResult, envelopeHttpError, envelopeSucceeded } from '../http/envelope.js';
import type { HttpResponse } from '../http/http-client.js';
import { decodeJson } from '../http/json.js';
import { describeResultCode } from './codes.js';
import { envelopeSchema } from './schemas.js';

/**
 * Decodes Gamebase's `{header, result}` envelope. Gamebase answers HTTP 200 for its own errors, so
 * a header that is not a success (see `envelopeSucceeded`) becomes a {@link StoreApiError} carrying
 * the result code; an internal-error code on a consume is an {@link UpstreamUncertainOutcomeError}, since the
 * store may have applied it before failing. The `result` of a successful answer is checked against
 * `schema`.
 */
export function decodeEnvelope<S extends z.ZodType>(
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
  schema: S,
): z.output<S> {
  if (response.status < 200 || response.status >= 300)
    throw envelopeHttpError('gamebase', endpoint, response, stateChanging);
  const ctx = { store: 'gamebase' as const, endpoint };
  const envelope = decodeJson(ctx, response, envelopeSchema);
  const { resultCode } = envelope.header;
  if (!envelopeSucceeded(envelope.header)) {
    const { code, internal } = describeResultCode(resultCode);
    const message = `${endpoint}: ${code} (resultCode ${resultCode})`;
    if (internal && stateChanging) {
      throw new UpstreamUncertainOutcomeError({
        ...ctx,
        code,
        httpStatus: response.status,
        message: `${message}; the consume may have been applied`,
      });
    }
    throw new StoreApiError({
      ...ctx,
      code,
      resultCode,
      retryable: internal,
      httpStatus: response.status,
      message,
    });
  }
  return decodeResult(ctx, response.status, schema, envelope.result);
}
