import { isStoreError, UpstreamUncertainOutcomeError } from '../errors.js';

/**
 * Decodes the answer to a call. For a state change, an answer that does not decode (cut, empty, not
 * JSON, another shape) is uncertain: the store may have applied the change before its answer went
 * wrong. A read's decoding failure stays what it is (`UpstreamProtocolError`).
 */
export function decodeAnswer<T>(stateChanging: boolean, decode: () => T): T {
  if (!stateChanging) return decode();
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
