/**
 * A game backend's use of the installed client, run by test/client/packed-client.test.ts from a fresh
 * project where the packed package is installed:
 *
 *   node main.js <gateway URL> <API key> <webhook secret> <URL that lists the receiver's deliveries>
 *
 * redeems a purchase twice (the first answer lost: one retry, same key), consumes once (not retried),
 * reads the redemption's events from a stream cut after one event (resumed) and verifies the
 * webhook deliveries of the same events (Standard Webhooks and gateway-v1), one line per step.
 */
import {
  createGatewayClient,
  type GatewayEvent,
  GatewayRequestError,
  type RedeemResult,
  verifyWebhook,
  WebhookSignatureError,
} from '@entitlement-gateway/client';

const [baseUrl = '', apiKey = '', secret = '', deliveriesUrl = ''] = process.argv.slice(2);
const client = createGatewayClient({ baseUrl, apiKey, timeoutMs: 10_000 });

const input = {
  app: 'demo',
  userId: 'AS@DEMOUSER0001',
  gamebase: { paymentSeq: '2026112310000001', purchaseToken: 'demo-gb-token-gem100-1' },
};

function grantOf(result: RedeemResult) {
  if (result.__typename !== 'RedeemPurchaseSuccess') throw new Error(`not redeemed: ${result.__typename}`);
  return { alreadyRedeemed: result.alreadyRedeemed, grant: result.grant };
}

/**
 * A fetch that loses the gateway's first answer after the gateway has acted on the request, as a
 * dropped connection would; it records each request's idempotency key.
 */
const keys: (string | null)[] = [];
const loseFirstAnswer: typeof fetch = async (request, init) => {
  const response = await fetch(request, init);
  const body = JSON.parse(String(init?.body)) as { variables?: { input?: { idempotencyKey?: string } } };
  keys.push(body.variables?.input?.idempotencyKey ?? null);
  if (keys.length === 1) throw new TypeError('fetch failed');
  return response;
};
const lossy = createGatewayClient({ baseUrl, apiKey, retryDelayMs: 50, fetch: loseFirstAnswer });

const first = grantOf(await lossy.redeemPurchase(input));
console.log(`redeem attempts: ${keys.length} sameKey=${keys[0] !== null && keys[0] === keys[1]}`);
const { grant } = first;
console.log(
  `redeem (first answer lost): alreadyRedeemed=${first.alreadyRedeemed} ${grant.store} ${grant.productId} x${grant.quantity} ${grant.status} ${grant.price?.amount} ${grant.price?.currency}`,
);
const second = grantOf(await client.redeemPurchase(input));
console.log(
  `redeem again: alreadyRedeemed=${second.alreadyRedeemed} sameGrant=${second.grant.id === grant.id}`,
);

// Any other mutation is sent once: its lost answer is the caller's to resolve.
keys.length = 0;
const gems = { productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000001' };
try {
  await lossy.consumePurchase({ input: { app: 'demo', onestore: gems } });
  console.log('consume: answered');
} catch (error) {
  const status = error instanceof GatewayRequestError ? error.status : 'other error';
  console.log(`consume: status=${status} attempts=${keys.length}`);
}

/**
 * A fetch whose first event stream drops right after its first event, as a network cut would: the
 * client must subscribe again from that event's cursor, missing and repeating nothing.
 */
let streams = 0;
const cutFirstStream: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const sse = response.headers.get('content-type')?.startsWith('text/event-stream');
  if (!sse || !response.body || streams++ > 0) return response;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      text += decoder.decode(value, { stream: true });
      const first = text.indexOf('event: next');
      const end = first < 0 ? -1 : text.indexOf('\n\n', first);
      if (end < 0) return;
      controller.enqueue(new TextEncoder().encode(text.slice(0, end + 2)));
      controller.close();
      await reader.cancel();
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
};

// From the app's first event: the redemption's events are already committed.
const streaming = createGatewayClient({ baseUrl, apiKey, fetch: cutFirstStream });
const streamed: GatewayEvent[] = [];
for await (const event of streaming.events({ app: 'demo' }, { reconnectDelayMs: 100 })) {
  if (event.grant?.id === grant.id) streamed.push(event);
  if (streamed.length === 2) break;
}
console.log(
  `stream: ${streamed.map((e) => `${e.type}(${e.grant?.status})`).join(' ')} over ${streams} connections`,
);

interface Delivery {
  headers: Record<string, string>;
  rawBody: string;
  /** The same body signed by the gateway's `gateway-v1` scheme (an endpoint set to it). */
  gatewayV1: string;
}
let deliveries: Delivery[] = [];
for (let i = 0; i < 300 && deliveries.length < 2; i++) {
  const all = (await (await fetch(deliveriesUrl)).json()) as Delivery[];
  // The grant's own events (GRANT_*): the player's ENTITLEMENT_GRANTED names the grant too, as its grantId.
  deliveries = all.filter(
    (d) =>
      d.rawBody.includes(grant.id) && verifyWebhook(d.rawBody, d.headers, secret).type.startsWith('GRANT_'),
  );
  if (deliveries.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
}
const verified = deliveries.map((d) => verifyWebhook(d.rawBody, d.headers, secret));
console.log(
  `webhook: ${verified.map((e) => `${e.type} id=${e.id === streamed.find((s) => s.type === e.type)?.id ? 'streamed' : 'other'}`).join(' ')}`,
);

const v1 = deliveries.map((d) => verifyWebhook(d.rawBody, { 'gateway-signature': d.gatewayV1 }, secret).type);
console.log(`gateway-v1: ${v1.join(' ')}`);

const [delivery] = deliveries;
try {
  if (delivery) verifyWebhook(delivery.rawBody.replace(grant.id, 'forged'), delivery.headers, secret);
  console.log('tampered: accepted');
} catch (error) {
  console.log(`tampered: ${error instanceof WebhookSignatureError ? error.name : 'other error'}`);
}
