import { Agent } from 'undici';

/** What one attempt came to: `delivered` on a 2xx, else why not (never the receiver's body). */
export interface AttemptResult {
  delivered: boolean;
  /** The receiver's HTTP status, when it answered. */
  status: number | null;
  /** `HTTP 503`, `timeout`, or the socket error's code (`ECONNREFUSED` ...); null when delivered. */
  error: string | null;
}

/** Longest part of a receiver's answer read (then dropped): it is never stored or logged. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs webhook bodies over a keep-alive pool of its own. Redirects are not followed: a 3xx is a
 * failed attempt, like any other non-2xx answer, a timeout or a connection error.
 */
export class WebhookSender {
  readonly #agent: Agent;

  constructor(private readonly timeoutMs: number) {
    this.#agent = new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    try {
      const target = new URL(url);
      const answer = await this.#agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await answer.body.dump({ limit: MAX_ANSWER_BYTES }).catch(() => undefined);
      const delivered = answer.statusCode >= 200 && answer.statusCode < 300;
      return { delivered, status: answer.statusCode, error: delivered ? null : `HTTP ${answer.statusCode}` };
    } catch (error) {
      return { delivered: false, status: null, error: describe(error) };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** A short, secret-free reason: a timeout, or the error's code or class name (never its message, which may hold the URL). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  const code = (error as { code?: unknown }).code;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  if (typeof causeCode === 'string') return causeCode;
  return typeof code === 'string' ? code : error.name;
}
