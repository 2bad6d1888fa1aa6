import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import { type GatewayError, GatewayRequestError } from './errors.js';

/** How a client reaches the gateway. */
export interface GatewayClientOptions {
  /** The gateway's base URL; `/graphql` is resolved against it. No default. */
  baseUrl: string;
  /** An API key of the gateway (sent as `Authorization: Bearer`). No default. */
  apiKey: string;
  /** Milliseconds one HTTP call may take before it is aborted. Default 10,000. */
  timeoutMs?: number;
  /** Attempts after the first for `redeemPurchase` only. Default 4. */
  redeemRetries?: number;
  /** First backoff of a redeem retry in milliseconds, doubled per attempt (capped at 10 s). Default 250. */
  retryDelayMs?: number;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** Per call. */
export interface CallOptions {
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Aborts the call. */
  signal?: AbortSignal;
}

export type Send = <Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  options?: CallOptions,
) => Promise<Result>;

export const DEFAULT_TIMEOUT_MS = 10_000;

const printed = new WeakMap<DocumentNode, string>();

/** The document's text, printed once. */
export function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** POST /graphql, one operation; never retries (a retry of a mutation is the caller's decision). */
export function createSend(options: GatewayClientOptions): Send {
  const endpoint = new URL('/graphql', options.baseUrl);
  const fetchFn = options.fetch ?? globalThis.fetch;
  return async function send<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
    call: CallOptions = {},
  ): Promise<Result> {
    // Not AbortSignal.any/timeout: Node 20.0–20.2 lack `any`, and the timer is cleared when the call ends.
    const controller = new AbortController();
    const ms = call.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort(new Error(`no answer in ${ms} ms`)), ms);
    const cancel = () => controller.abort(call.signal?.reason);
    if (call.signal?.aborted) cancel();
    call.signal?.addEventListener('abort', cancel, { once: true });
    const signal = controller.signal;
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${options.apiKey}`,
        },
        body: JSON.stringify({ query: source(document as DocumentNode), variables }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      // The caller's own abort is not a gateway failure: it propagates as it is.
      if (call.signal?.aborted) throw error;
      throw new GatewayRequestError(0, [{ message: error instanceof Error ? error.message : String(error) }]);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', cancel);
    }
    let body: { data?: unknown; errors?: GatewayError[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new GatewayRequestError(response.status, [{ message: 'the answer was not JSON' }]);
    }
    if (body.errors?.length || body.data === undefined || body.data === null)
      throw new GatewayRequestError(response.status, body.errors ?? []);
    // The document's result type describes exactly what the server selected.
    return body.data as Result;
  };
}
