import {
  StoreApiError,
  type StoreError,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../errors.js';
import type { HttpResponse } from '../http/http-client.js';
import { header, tryParseJson } from '../http/json.js';
import { parseRetryAfter } from '../http/retry.js';
import { isOneStoreErrorCode, ONESTORE_ERROR_CODES } from './codes.js';
import { oneStoreChangeAnswer } from './evidence.js';
import { errorBodySchema } from './schemas.js';

/**
 * Turns a non-2xx ONE store answer into the one matching {@link StoreError}. The only place where
 * ONE store error payloads are interpreted.
 *
 * On a state-changing call, an answer that the change table (`oneStoreChangeAnswer`) does not read
 * as a refusal is an uncertain outcome: a 429, maintenance, a 5xx, an unknown code or a body that is
 * not the standard one may come from a store that had already applied the change.
 */
export function oneStoreErrorFromResponse(
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
): StoreError {
  const status = response.status;
  const retryAfterMs = parseRetryAfter(header(response, 'retry-after'));
  const parsed = errorBodySchema.safeParse(tryParseJson(response));
  const code = parsed.success ? parsed.data.error.code : `HTTP_${status}`;
  const known = isOneStoreErrorCode(code) ? ONESTORE_ERROR_CODES[code] : undefined;
  const description = known === undefined ? '' : ` ${known.message}`;
  const init = {
    store: 'onestore' as const,
    endpoint,
    code,
    httpStatus: status,
    retryAfterMs,
    message: `${endpoint}: ${code} (HTTP ${status}).${description}`,
  };

  if (stateChanging && oneStoreChangeAnswer(status, parsed.success ? code : undefined) === 'UNCERTAIN') {
    return new UpstreamUncertainOutcomeError({
      ...init,
      message: `${endpoint}: ${code} (HTTP ${status}); the change may or may not have been applied`,
    });
  }
  if (code === 'ServiceMaintenance' || status === 429 || status >= 500)
    return new UpstreamUnavailableError(init);
  if (!parsed.success) {
    return new UpstreamProtocolError({
      ...init,
      message: `${endpoint}: unexpected HTTP ${status} without a standard error body`,
    });
  }
  return new StoreApiError({ ...init, retryable: known?.retryable ?? false });
}
