import { z } from 'zod';
import {
  type ChangeAnswer,
  StoreApiError,
  type StoreError,
  type StoreName,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../errors.js';
import { decodeChangeAnswer } from './change-answer.js';
import { HttpClient, type HttpResponse } from './http-client.js';
import { decodeJson, header } from './json.js';
import { parseRetryAfter } from './retry.js';
import { buildUrl, parseBaseUrl, type UrlContext } from './safe-path.js';
import type { StoreCall, StoreClientOptions } from './store-call.js';

/**
 * The wire shared by the two stores that wrap every answer in `{header, result}` with HTTP 200
 * (NHN Cloud IAP and Gamebase): one transport, one decoder; each store brings its address, its
 * headers and its result-code table.
 */

/** Gamebase echoes `X-TCGB-Transaction-Id` as `transactionId`; NHN sends none. */
const envelopeSchema = z.object({
  header: z.object({
    transactionId: z.string().nullish(),
    isSuccessful: z.boolean(),
    resultCode: z.int(),
    resultMessage: z.string().nullish(),
  }),
  result: z.unknown().optional(),
});

/** What a store's code table says of a result code that is not success. */
export interface ResultCodeInfo {
  /** The code's name, or the number in string form when the table does not know it. */
  code: string;
  /** The store's own failure: worth a later retry for reads, an unknown outcome for a state change. */
  internal: boolean;
}

export interface EnvelopeStore {
  store: StoreName;
  /** The store's address (already defaulted by the client). */
  baseUrl: string;
  /** Sent on every call (content type, credentials). Never logged. */
  headers: Readonly<Record<string, string>>;
  describeResultCode: (resultCode: number) => ResultCodeInfo;
  /** What a failed result code answered to a state change proves: the store's change table. */
  changeAnswer: (resultCode: number) => ChangeAnswer;
}

/** Calls one envelope store: checked URL, the shared HTTP client (deadline, retries, breakers), decoding. */
export class EnvelopeTransport {
  readonly #spec: EnvelopeStore;
  readonly #baseUrl: URL;
  readonly #http: HttpClient;

  constructor(spec: EnvelopeStore, options: StoreClientOptions) {
    this.#spec = spec;
    this.#baseUrl = parseBaseUrl(spec.baseUrl);
    this.#http = new HttpClient({
      ...options.http,
      store: spec.store,
      pools: options.pools,
      logger: options.logger,
    });
  }

  /** The context input checks and URL building report errors in. */
  ctx(endpoint: string): UrlContext {
    return { store: this.#spec.store, endpoint };
  }

  async call<S extends z.ZodType>(call: StoreCall<S>): Promise<z.output<S>> {
    const url = buildUrl(this.ctx(call.endpoint), this.#baseUrl, call.parts, call.query);
    const response = await this.#http.execute({
      endpoint: call.endpoint,
      method: call.method,
      url,
      headers: { ...this.#spec.headers },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      safeToRetry: !call.stateChanging,
      signal: call.signal,
      scope: call.scope,
    });
    if (!call.stateChanging) return decodeEnvelope(this.#spec, call.endpoint, response, false, call.schema);
    return decodeChangeAnswer(() => decodeEnvelope(this.#spec, call.endpoint, response, true, call.schema));
  }

  /** Closes the keep-alive sockets this transport opened. */
  close(): Promise<void> {
    return this.#http.close();
  }
}

/**
 * A header that is not a success (`isSuccessful` false, or a non-zero `resultCode`: see
 * `envelopeSucceeded`) becomes a {@link StoreApiError} carrying the result code, except on a state
 * change where the store's change table does not read the code as a refusal: that is an
 * {@link UpstreamUncertainOutcomeError}, as the store may have applied it before failing. The
 * `result` of a successful answer is checked against `schema`.
 */
function decodeEnvelope<S extends z.ZodType>(
  spec: EnvelopeStore,
  endpoint: string,
  response: HttpResponse,
  stateChanging: boolean,
  schema: S,
): z.output<S> {
  if (response.status < 200 || response.status >= 300)
    throw envelopeHttpError(spec.store, endpoint, response, stateChanging);
  const ctx = { store: spec.store, endpoint };
  const envelope = decodeJson(ctx, response, envelopeSchema);
  const { resultCode } = envelope.header;
  if (!envelopeSucceeded(envelope.header)) {
    const { code, internal } = spec.describeResultCode(resultCode);
    const message = `${endpoint}: ${code} (resultCode ${resultCode})`;
    // `isSuccessful` true says the change went through: with a failure code the header contradicts
    // itself and proves nothing, whatever the code would prove alone.
    const uncertain = envelope.header.isSuccessful || spec.changeAnswer(resultCode) === 'UNCERTAIN';
    if (stateChanging && uncertain) {
      throw new UpstreamUncertainOutcomeError({
        ...ctx,
        code,
        resultCode,
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

/**
 * A non-2xx answer is not the envelope stores' protocol: a proxy or the platform speaking. Neither
 * store documents one, so none proves that a consume was refused: on a state change every one is
 * uncertain (a 429 or a 503 with `Retry-After` included). On a read, a 429 or a 5xx is "unavailable,
 * come back later" and anything else a protocol error.
 */
function envelopeHttpError(
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
  if (stateChanging) {
    return new UpstreamUncertainOutcomeError({
      ...init,
      message: `${endpoint}: HTTP ${status}; the consume may have been applied`,
    });
  }
  if (status === 429 || status >= 500) return new UpstreamUnavailableError(init);
  return new UpstreamProtocolError(init);
}

/**
 * Success needs both header fields: `isSuccessful` true and `resultCode` 0, the one code both
 * documents call success ("0: 성공적으로 완료한 결제 건"). A header whose two fields disagree is never
 * a success (a consume must not be taken as done on half of the evidence) nor, on a state change, a
 * refusal: it is uncertain there, and a read's failure its code names.
 */
function envelopeSucceeded(header: { isSuccessful: boolean; resultCode: number }): boolean {
  return header.isSuccessful && header.resultCode === 0;
}

/** The envelope's `result` checked against `schema`; a mismatch names at most five paths, never values. */
function decodeResult<S extends z.ZodType>(
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
