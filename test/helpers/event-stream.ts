import { expect } from 'vitest';
import { APP, type GatewayHarness, purchase } from './gateway.js';
import { redeem } from './redeem.js';
import type { GraphQLPayload } from './sse.js';

/** What the live-stream tests (test/events/stream*.test.ts) share. */

export const STREAM = `subscription Stream($app: String!, $after: String, $types: [GatewayEventType!]) {
  gatewayEvents(app: $app, after: $after, types: $types) {
    id type cursor app grant { id status productId }
  }
}`;

const LIST = `query ($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 100) {
    ... on GatewayEventConnection { edges { node { id type cursor } } pageInfo { endCursor } }
  }
}`;

export interface StreamedEvent {
  id: string;
  type: string;
  cursor: string;
  app: string;
  grant: { id: string; status: string; productId: string } | null;
}

/**
 * The next `count` events of a stream (`T`: what its subscription selects), failing on anything else
 * and on a wait for one longer than `timeoutMs` (default 5 s, the reader's).
 */
export async function take<T = StreamedEvent>(
  // An SseReader (sse.ts) or a WsReader (ws-stream.ts).
  reader: { payload(timeoutMs?: number): Promise<GraphQLPayload | 'complete'> },
  count: number,
  timeoutMs = 5_000,
): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const payload = await reader.payload(timeoutMs);
    if (payload === 'complete' || payload.errors) throw new Error(`unexpected ${JSON.stringify(payload)}`);
    out.push(payload.data?.gatewayEvents as T);
  }
  return out;
}

/** Redeems a new ONE store purchase of app A for `userId`; answers the grant id. */
export async function redeemOne(g: GatewayHarness, userId: string): Promise<string> {
  const p = await purchase(g, { quantity: 1 });
  const input = { app: APP, userId, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } };
  let done = await redeem(g, input);
  // Under a short request deadline (stream.test.ts: 1 s) a slow machine can answer
  // RedemptionInProgress (the redemption goes on) or StoreUnavailable (the deadline cut the store
  // call): both say "try again", and the same call again is what a client does.
  const retried = ['RedemptionInProgressError', 'StoreUnavailableError'];
  for (let i = 0; i < 100 && retried.includes(String(done.__typename)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    done = await redeem(g, input);
  }
  expect(done.__typename).toBe('RedeemPurchaseSuccess');
  return done.grant?.id as string;
}

/** App A's events after `after`, as the gatewayEvents query lists them. */
export async function listed(
  g: GatewayHarness,
  after?: string,
): Promise<{ id: string; type: string; cursor: string }[]> {
  const answer = await g.gql(LIST, { app: APP, ...(after && { after }) });
  const field = answer.data.gatewayEvents as {
    edges: { node: { id: string; type: string; cursor: string } }[];
  };
  return field.edges.map((e) => e.node);
}

/** Waits until `check` holds (the server notices a closed connection asynchronously). */
export async function until(check: () => boolean, what: string): Promise<void> {
  // 5 s: on a loaded machine (the suite runs three files at a time on two cores) 2 s was seen short.
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The one error of a refusal before streaming (errors, no data). */
export function refusal(payload: GraphQLPayload | 'complete') {
  if (payload === 'complete') throw new Error('completed without a refusal');
  expect(payload.data ?? null).toBeNull();
  expect(payload.errors).toHaveLength(1);
  return payload.errors?.[0];
}
