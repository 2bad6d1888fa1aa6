/**
 * A game backend's use of the installed client, run by test/client/packed-client.test.ts from a fresh
 * project where the packed package is installed:
 *
 *   node main.js <gateway URL> <API key> <webhook secret> <URL that lists the receiver's deliveries>
 *
 * redeems a purchase twice, reads the redemption's events from the live stream and verifies the
 * webhook deliveries of the same events, printing one line per step.
 */
import {
  createGatewayClient,
  type GatewayEvent,
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

const first = grantOf(await client.redeemPurchase(input));
const { grant } = first;
console.log(
  `redeem: alreadyRedeemed=${first.alreadyRedeemed} ${grant.store} ${grant.productId} x${grant.quantity} ${grant.status} ${grant.price?.amount} ${grant.price?.currency}`,
);
const second = grantOf(await client.redeemPurchase(input));
console.log(
  `redeem again: alreadyRedeemed=${second.alreadyRedeemed} sameGrant=${second.grant.id === grant.id}`,
);

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
}
let deliveries: Delivery[] = [];
for (let i = 0; i < 300 && deliveries.length < 2; i++) {
  const all = (await (await fetch(deliveriesUrl)).json()) as Delivery[];
  deliveries = all.filter((d) => d.rawBody.includes(grant.id));
  if (deliveries.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
}
const verified = deliveries.map((d) => verifyWebhook(d.rawBody, d.headers, secret));
console.log(
  `webhook: ${verified.map((e) => `${e.type} id=${e.id === streamed.find((s) => s.type === e.type)?.id ? 'streamed' : 'other'}`).join(' ')}`,
);

const [delivery] = deliveries;
try {
  if (delivery) verifyWebhook(delivery.rawBody.replace(grant.id, 'forged'), delivery.headers, secret);
  console.log('tampered: accepted');
} catch (error) {
  console.log(`tampered: ${error instanceof WebhookSignatureError ? error.name : 'other error'}`);
}
