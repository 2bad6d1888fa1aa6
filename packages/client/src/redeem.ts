import { randomUUID } from 'node:crypto';
import { GatewayRequestError } from './errors.js';
import {
  RedeemPurchaseDocument,
  type RedeemPurchaseInput,
  type RedeemPurchaseMutation,
} from './generated/graphql.js';
import type { CallOptions, GatewayClientOptions, Send } from './http.js';

export type RedeemResult = RedeemPurchaseMutation['redeemPurchase'];

/** Answers that say "the same call again later": the redemption goes on or a dependency was out. */
const AGAIN = new Set(['RedemptionInProgressError', 'LedgerUnavailableError', 'StoreUnavailableError']);

const MAX_DELAY_MS = 10_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * redeemPurchase with an idempotency key made once (unless the input brings one) and sent on every
 * attempt, so a retry after a lost answer returns the same grant instead of a second one. Retried: no
 * answer, 5xx, 429, and the union members that say to try again; anything else is returned or thrown.
 */
export async function redeemWithRetries(
  send: Send,
  options: GatewayClientOptions,
  input: RedeemPurchaseInput,
  call: CallOptions = {},
): Promise<RedeemResult> {
  const withKey = { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() };
  const retries = options.redeemRetries ?? 4;
  const base = options.retryDelayMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    const backoff = Math.min(base * 2 ** attempt, MAX_DELAY_MS);
    try {
      const { redeemPurchase } = await send(RedeemPurchaseDocument, { input: withKey }, call);
      if (attempt >= retries || !AGAIN.has(redeemPurchase.__typename)) return redeemPurchase;
      const asked =
        'retryAfterSeconds' in redeemPurchase ? Number(redeemPurchase.retryAfterSeconds) * 1000 : 0;
      await sleep(Math.min(Math.max(backoff, asked), MAX_DELAY_MS), call.signal);
    } catch (error) {
      if (!(error instanceof GatewayRequestError && error.transient) || attempt >= retries) throw error;
      await sleep(backoff, call.signal);
    }
  }
}
