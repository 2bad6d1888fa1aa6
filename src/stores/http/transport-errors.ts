/**
 * Whether a failed attempt could have reached the store. Only failures that happen before a byte
 * of the request left this process count as "not sent"; anything else is "maybe sent", because a
 * state-changing call must then be treated as possibly applied.
 */
export interface TransportFailure {
  readonly sent: 'no' | 'maybe';
  /** A stable, secret-free code for logs and errors, e.g. `ECONNREFUSED`. */
  readonly code: string;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function classifyTransportError(err: unknown): TransportFailure {
  const code = errorCode(err);
  if (code !== undefined && NOT_SENT_CODES.has(code)) return { sent: 'no', code };
  // Happy-eyeballs connects report an AggregateError whose members carry the real codes.
  if (err instanceof AggregateError) {
    const codes = err.errors.map(errorCode);
    if (codes.length > 0 && codes.every((c) => c !== undefined && NOT_SENT_CODES.has(c))) {
      return { sent: 'no', code: codes[0] ?? 'CONNECT_FAILED' };
    }
  }
  return { sent: 'maybe', code: code !== undefined && /^[A-Z0-9_]+$/.test(code) ? code : 'TRANSPORT_ERROR' };
}
