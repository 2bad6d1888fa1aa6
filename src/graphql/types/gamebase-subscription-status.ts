import type { GamebaseApp } from '../../entitlements/app-stores.js';
import { gamebase } from '../../stores/index.js';
import type { GatewayContext } from '../context.js';
import { NotFoundError } from '../errors/error-classes.js';
import { storeCall } from '../errors/store-error-map.js';
import { mapLimited } from '../request-loader.js';

type Status = gamebase.SubscriptionStatus;

/** One subscription payment whose state is asked; `gb` is the app's Gamebase, as `authorize` handed it. */
export interface StatusKey {
  readonly app: string;
  readonly gb: GamebaseApp;
  readonly paymentSeq: string;
  readonly purchaseToken: string;
}

/** What of the request the loader uses: its scope and its concurrency bound. */
type Calls = Pick<GatewayContext, 'scope' | 'upstreamConcurrency'>;

const NOT_FOUND = 'Gamebase knows no subscription payment with this paymentSeq and token.';

/**
 * Get Subscriptions Status takes up to 10 payments per call: the keys of one tick are sent per app
 * in chunks of 10. The guide does not say how an answer maps to what was asked (its example answers
 * other paymentSeqs, in another order), so an answer is matched by its paymentSeq; a key no answer
 * names is asked again alone, and a lone key takes a lone answer whatever its paymentSeq. A payment
 * still unanswered is NotFoundError.
 */
export async function loadStatuses(keys: readonly StatusKey[], ctx: Calls): Promise<(Status | Error)[]> {
  const byApp = new Map<string, StatusKey[]>();
  for (const key of keys) byApp.set(key.app, [...(byApp.get(key.app) ?? []), key]);
  const chunks = [...byApp.values()].flatMap((appKeys) => {
    const out: StatusKey[][] = [];
    for (let i = 0; i < appKeys.length; i += gamebase.STATUS_BATCH_MAX)
      out.push(appKeys.slice(i, i + gamebase.STATUS_BATCH_MAX));
    return out;
  });
  const answers = new Map<StatusKey, Status | Error>();
  const results = await mapLimited(chunks, ctx.upstreamConcurrency, (chunk) => askChunk(chunk, ctx));
  results.forEach((result, i) => {
    for (const key of chunks[i] ?? [])
      answers.set(key, result instanceof Error ? result : (result.get(key) ?? new NotFoundError(NOT_FOUND)));
  });
  return keys.map((key) => answers.get(key) ?? new NotFoundError(NOT_FOUND));
}

async function askChunk(chunk: readonly StatusKey[], ctx: Calls): Promise<Map<StatusKey, Status>> {
  const first = chunk[0];
  if (!first) return new Map();
  const answered = await storeCall(() =>
    first.gb.client.subscriptionsStatus(
      { payments: chunk.map(({ paymentSeq, purchaseToken }) => ({ paymentSeq, purchaseToken })) },
      { scope: ctx.scope },
    ),
  );
  const found = new Map<StatusKey, Status>();
  if (chunk.length === 1 && answered.length === 1 && answered[0]) {
    found.set(first, answered[0]);
    return found;
  }
  for (const key of chunk) {
    const match = answered.find((a) => a.paymentSeq === key.paymentSeq);
    if (match) found.set(key, match);
  }
  const unmatched = chunk.filter((key) => !found.has(key));
  // Only when the answer held entries this reading could not place: otherwise they were left out.
  if (unmatched.length > 0 && answered.length > found.size && chunk.length > 1) {
    for (const key of unmatched) {
      const alone = await askChunk([key], ctx);
      const status = alone.get(key);
      if (status) found.set(key, status);
    }
  }
  return found;
}
