import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreLogger } from '../../src/stores/index.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const SECRET = `whsec-${randomUUID()}`;

describe('webhook logs', () => {
  let g: GatewayHarness;
  let receiver: Receiver;
  const lines: string[] = [];
  const log: StoreLogger = {
    debug: (obj, msg) => lines.push(JSON.stringify({ ...obj, msg })),
    warn: (obj, msg) => lines.push(JSON.stringify({ ...obj, msg })),
  };
  beforeAll(async () => {
    receiver = await startReceiver();
    g = await startGateway({
      gatewayOptions: { logger: log },
      appWebhooks: [
        { name: 'main', url: `${receiver.url}/secret-path?token=abc`, secret: { env: 'HOOK_SECRET' } },
      ],
      env: { HOOK_SECRET: SECRET },
      config: {
        webhooks: {
          initialBackoffMs: 50,
          maxBackoffMs: 100,
          pollIntervalMs: 100,
          timeoutMs: 1_000,
          leaseSeconds: 2,
        },
      },
    });
  });
  afterAll(async () => {
    await g?.close();
    await receiver?.close();
  });

  it('name the receiver host of a failed attempt, never its path, the secret or the body', async () => {
    receiver.answer((r) => (r.attempt === 1 ? 500 : 200));
    const service = await g.gateway.redemption();
    const event = await service.storage.events.record({
      app: APP,
      type: 'PURCHASE_CONSUMED',
      subject: 'payment-77',
      data: {
        store: 'NHN_CLOUD',
        paymentSeq: 'payment-77',
        itemSeq: '1',
        price: { amount: '1000', currency: 'KRW', amountMicros: null },
      },
    });
    await receiver.until((r) => r.some((x) => x.id === event.id && x.answered === 200));
    const failed = lines.filter((l) => l.includes('webhook attempt failed'));
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0] ?? '{}')).toMatchObject({
      app: APP,
      endpoint: 'main',
      host: new URL(receiver.url).host,
      eventId: event.id,
      attempt: 1,
      error: 'HTTP 500',
    });
    const all = lines.join('\n');
    for (const secret of [SECRET, 'secret-path', 'token=abc', 'payment-77', '1000'])
      expect(all).not.toContain(secret);
    const delivered = receiver.received.find((x) => x.answered === 200);
    expect(delivered?.body).toMatchObject({
      type: 'PURCHASE_CONSUMED',
      store: 'NHN_CLOUD',
      paymentSeq: 'payment-77',
      price: { amount: '1000', currency: 'KRW' },
      grant: null,
    });
  });
});
