import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import { demoKeyVerifies, waitFor } from '../helpers/pns.js';
import { type SandboxHarness, startHarness } from '../helpers/sandbox.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A receiver that records every POST and answers each with the next status of `statuses` (then 200). */
async function receiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = statuses.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pns`;
  return {
    url,
    received,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sandbox: ONE store payment notifications', () => {
  let h: SandboxHarness;
  let r: Awaited<ReturnType<typeof receiver>>;
  const clientId = 'com.example.pns';
  beforeAll(async () => {
    h = await startHarness();
    r = await receiver();
    expect(
      await h.control('POST', '/onestore/apps', { clientId, clientSecret: 's', notificationUrl: r.url }),
    ).toEqual({ clientId, clientSecret: 's', notificationUrl: r.url });
  });
  beforeEach(async () => {
    r.received.length = 0;
    r.statuses.length = 0;
    await h.control('DELETE', '/stats');
  });
  afterAll(async () => {
    await r?.close();
    await h?.close();
  });

  it('posts a signed COMPLETED message when the control API makes a purchase, and CANCELED when it voids it', async () => {
    const p = await h.control<{ purchaseToken: string; purchaseId: string; purchaseTime: number }>(
      'POST',
      '/onestore/purchases',
      { clientId, productId: 'gem_100', type: 'inapp', developerPayload: 'order-7', price: '1200' },
    );
    await waitFor(() => r.received.length === 1);
    await h.control('POST', `/onestore/purchases/${p.purchaseToken}/void`);
    await waitFor(() => r.received.length === 2);
    // Voiding again changes nothing in the store, so nothing is sent.
    await h.control('POST', `/onestore/purchases/${p.purchaseToken}/void`);
    await waitFor(() => h.sandbox.stats().notifications.delivered === 2);
    const [completed, cancelled] = r.received;
    expect(completed?.headers['content-type']).toBe('application/json');
    expect(completed?.headers.authorization).toBeUndefined();
    expect(completed?.body).toEqual({
      msgVersion: '3.1.0D',
      clientId,
      productId: 'gem_100',
      messageType: 'SINGLE_PAYMENT_TRANSACTION',
      purchaseId: p.purchaseId,
      developerPayload: 'order-7',
      // MKT_ONE times are UTC+09 wall-clock milliseconds on the wire.
      purchaseTimeMillis: p.purchaseTime + 9 * 3_600_000,
      purchaseState: 'COMPLETED',
      price: '1200',
      priceCurrencyCode: 'KRW',
      productName: 'gem_100',
      paymentTypeList: [{ paymentMethod: 'DCB', amount: '1200' }],
      billingKey: expect.stringMatching(/^[0-9A-F]{64}$/),
      isTestMdn: true,
      environment: 'SANDBOX',
      marketCode: 'MKT_ONE',
      signature: expect.any(String),
    });
    expect(cancelled?.body).toMatchObject({ purchaseId: p.purchaseId, purchaseState: 'CANCELED' });
    for (const message of [completed, cancelled]) {
      expect(demoKeyVerifies(message?.body ?? {})).toBe(true);
      // Any change to a signed field breaks the signature.
      expect(demoKeyVerifies({ ...message?.body, price: '1' })).toBe(false);
    }
    expect(h.sandbox.stats().notifications).toEqual({ sent: 2, delivered: 2, failed: 0, attempts: 2 });
    // Notifications are no store requests.
    expect(h.sandbox.stats().total).toBe(0);
  });

  it('the demo data shows the public key (demo only) the messages verify with', async () => {
    const demo = await h.control<{ onestore: { pns: { licensePublicKey: string } } }>('GET', '/demo');
    expect(demo.onestore.pns.licensePublicKey).toBe(DEMO_PNS_PUBLIC_KEY);
  });

  it('retries a 503 and then delivers; gives up after three attempts; a 400 is not retried', async () => {
    r.statuses.push(503);
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
    await waitFor(() => h.sandbox.stats().notifications.delivered === 1);
    expect(h.sandbox.stats().notifications).toEqual({ sent: 1, delivered: 1, failed: 0, attempts: 2 });

    r.statuses.push(500, 502, 503);
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
    await waitFor(() => h.sandbox.stats().notifications.failed === 1);
    expect(h.sandbox.stats().notifications).toEqual({ sent: 2, delivered: 1, failed: 1, attempts: 5 });

    r.statuses.push(400);
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
    await waitFor(() => h.sandbox.stats().notifications.failed === 2);
    expect(h.sandbox.stats().notifications).toEqual({ sent: 3, delivered: 1, failed: 2, attempts: 6 });
  });

  it('answers the control API at once, whatever the receiver does', async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/never-answers`;
    await h.control('POST', `/onestore/apps/${clientId}/notifications`, { url });
    const started = performance.now();
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
    expect(performance.now() - started).toBeLessThan(500);
    expect(h.sandbox.stats().notifications).toMatchObject({ sent: 1, delivered: 0 });
    // Closed: the attempt in flight fails, the retries find nobody, and the notification is given up.
    slow.closeAllConnections();
    slow.close();
    await waitFor(() => h.sandbox.stats().notifications.failed === 1);
    expect(h.sandbox.stats().notifications).toEqual({ sent: 1, delivered: 0, failed: 1, attempts: 3 });
    await h.control('POST', `/onestore/apps/${clientId}/notifications`, { url: r.url });
  });

  it('sends nothing for monthly products and subscriptions, nor for an app without a URL', async () => {
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'vip', type: 'auto' });
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'pro', type: 'subscription' });
    expect(await h.control('POST', `/onestore/apps/${clientId}/notifications`, { url: null })).toEqual({
      clientId,
      notificationUrl: null,
    });
    await h.control('POST', '/onestore/purchases', { clientId, productId: 'gem_100', type: 'inapp' });
    expect(h.sandbox.stats().notifications).toEqual({ sent: 0, delivered: 0, failed: 0, attempts: 0 });
    await h.control('POST', `/onestore/apps/${clientId}/notifications`, { url: r.url });
  });

  it('refuses a notification URL that is not http(s), and an unknown app', async () => {
    const bad = await h.http('POST', `/sandbox/v1/onestore/apps/${clientId}/notifications`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://example.com/' }),
    });
    expect(bad.status).toBe(400);
    const unknown = await h.http('POST', '/sandbox/v1/onestore/apps/nope/notifications', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: r.url }),
    });
    expect(unknown.status).toBe(404);
  });
});
