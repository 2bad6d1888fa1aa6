import type { z } from 'zod';
import { StoreApiError } from '../errors.js';
import { decodeResult, envelopeHttpError, envelopeSucceeded } from '../http/envelope.js';
import type { HttpResponse } from '../http/http-client.js';
import { decodeJson } from '../http/json.js';
import { describeResultCode } from './codes.js';
import { envelopeSchema } from './schemas.js';

/**
 * Decodes NHN's `{header, result}` envelope. NHN answers HTTP 200 for its own errors, so a header
 * that is not a success (`isSuccessful` false, or a non-zero `resultCode`: see `envelopeSucceeded`)
 * becomes a {@link StoreApiError} carrying the result code; the `result` of a successful answer is
 * checked against `schema`.
 */
export function decodeEnvelope<S extends z.ZodType>(
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
  schema: S,
): z.output<S> {
  if (response.status < 200 || response.status >= 300)
    throw envelopeHttpError('nhncloud', endpoint, response, stateChanging);
  const ctx = { store: 'nhncloud' as const, endpoint };
  const envelope = decodeJson(ctx, response, envelopeSchema);
  const { resultCode } = envelope.header;
  if (!envelopeSucceeded(envelope.header)) {
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
  return decodeResult(ctx, response.status, schema, envelope.result);
}
