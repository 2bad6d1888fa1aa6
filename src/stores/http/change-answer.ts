import { isStoreError, UpstreamUncertainOutcomeError } from '../errors.js';

/**
 * Decodes the answer to a state change: one that does not decode (cut, empty, not JSON, another
 * shape) is uncertain, as the store may have applied the change before its answer went wrong. Reads
 * do not come here (no closure on their path): their decoding failure stays `UpstreamProtocolError`.
 */
export function decodeChangeAnswer<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'UpstreamProtocolError') throw error;
    throw new UpstreamUncertainOutcomeError({
      store: error.store,
      endpoint: error.endpoint,
      code: error.code,
      httpStatus: error.httpStatus,
      message: `${error.message}; the change may or may not have been applied`,
      cause: error,
    });
  }
}
