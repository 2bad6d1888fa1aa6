/** One GraphQL error as the gateway sends it. */
export interface GatewayError {
  message: string;
  extensions?: Record<string, unknown>;
}

/**
 * The gateway answered without `data` or with request-level `errors` (bad key, invalid query, rate
 * limit, overload). Store outcomes are not errors: they are union members in `data`.
 */
export class GatewayRequestError extends Error {
  constructor(
    /** The HTTP status; 0 when the request got no answer (network error or timeout). */
    readonly status: number,
    readonly errors: readonly GatewayError[],
  ) {
    super(`gateway request failed (HTTP ${status}): ${errors.map((e) => e.message).join('; ') || 'no data'}`);
    this.name = 'GatewayRequestError';
  }

  /** Worth the same request again later: no answer, a 5xx or a 429 says nothing about the outcome. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}
