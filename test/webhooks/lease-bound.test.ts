import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooksSection } from '../../src/config/webhooks.js';
import { openLedgerDb } from '../../src/ledger/index.js';
import { type LedgerStorage, ledgerStorage } from '../../src/redemption/service.js';
import { WebhookSender } from '../../src/server/webhooks/sender.js';
import { WebhookWorker } from '../../src/server/webhooks/worker.js';

// Review finding: the body was rendered after the claim and the POST could then outlast the lease,
// so another replica could send the event, and the grant's next one, while this POST still ran.
describe('a webhook attempt stays inside its lease', () => {
  let storage: LedgerStorage;
  let posts = 0;
  const server = createServer((_req, res) => {
    posts += 1;
    res.writeHead(204).end();
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    storage = ledgerStorage(await openLedgerDb({}), {
      endpointsFor: () => ['hook'],
      endpointsOf: () => ['hook'],
    });
  });
  afterAll(async () => {
    await storage?.db.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a body that took too much of the lease is not sent: the attempt fails as "lease" and is retried later', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const settings = {
      ...webhooksSection.parse({ leaseSeconds: 1, timeoutMs: 900, initialBackoffMs: 60_000 }),
      endpoints: [
        {
          app: 'game',
          name: 'hook',
          url,
          secret: 's'.repeat(16),
          signature: 'standard' as const,
          events: [],
          environments: ['PRODUCTION' as const],
        },
      ],
    };
    const sender = new WebhookSender(settings.timeoutMs);
    const worker = new WebhookWorker({
      deliveries: storage.deliveries,
      embedded: true,
      events: storage.events,
      settings,
      // 200 ms of rendering leaves 800 ms of the 1 s lease: less than the 900 ms a POST may take.
      render: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return JSON.stringify({ id: event.id });
      },
      sender,
    });
    await storage.events.record({ app: 'game', type: 'GRANT_CREATED', subject: 'g1', data: {} });
    worker.start();
    await expect
      .poll(
        async () =>
          (await storage.deliveries.list('game', 'PENDING', { first: 10 })).deliveries[0]?.lastError,
      )
      .toBe('lease: LeaseTooShortError');
    await worker.stop();
    await sender.close();
    expect(posts).toBe(0);
  });
});
