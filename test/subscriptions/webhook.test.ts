import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendingTo } from '../helpers/events-webhooks.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gatewayOnLedger } from '../helpers/ledger-gateway.js';
import { type Receiver, startReceiver, verifyStandard } from '../helpers/webhook-receiver.js';
import { at, lastPurchaseId, MARGIN, PERIOD, startAt, subscribed, T0, TRACKING, tick } from './tracking.js';

/** A lifecycle event goes out as a signed webhook like every event of the outbox (issue 26). */

const SECRET = `whsec-${randomUUID()}`;
const FAST = {
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  pollIntervalMs: 100,
  timeoutMs: 1_000,
  leaseSeconds: 2,
};

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`lifecycle webhooks on ${backend.name}`, () => {
    let receiver: Receiver;
    let g: GatewayHarness;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });
    gatewayOnLedger(
      backend,
      () => {
        const hooks = sendingTo(receiver, SECRET, { name: 'life', events: ['SUBSCRIPTION_RENEWED'] }, FAST);
        return { ...hooks, market: TRACKING.market, config: { ...TRACKING.config, ...hooks.config } };
      },
      (started) => {
        g = started.g;
      },
    );

    it('SUBSCRIPTION_RENEWED reaches the endpoint that takes it, with the period and the previous status', async () => {
      await startAt(g, T0);
      const { token } = await subscribed(g);
      await tick(g);
      at(g, T0 + PERIOD + MARGIN);
      await tick(g);
      await receiver.until((got) => got.some((r) => r.type === 'SUBSCRIPTION_RENEWED'), 10_000);
      const renewed = receiver.received.filter((r) => r.type === 'SUBSCRIPTION_RENEWED');
      expect(renewed).toHaveLength(1);
      const [hook] = renewed;
      expect(hook && verifyStandard(hook, SECRET)).toBe(true);
      expect(hook?.body).toMatchObject({
        type: 'SUBSCRIPTION_RENEWED',
        occurredAt: new Date(T0 + PERIOD).toISOString(),
        observedAt: new Date(T0 + PERIOD + MARGIN).toISOString(),
        requestedAt: null,
        purchaseId: await lastPurchaseId(g, token),
        previousStatus: 'ACTIVE',
        subscription: { purchaseToken: token, status: 'ACTIVE' },
      });
      // The endpoint takes SUBSCRIPTION_RENEWED only: the grant events went elsewhere (nowhere).
      expect(receiver.received.map((r) => r.type)).toEqual(['SUBSCRIPTION_RENEWED']);
    });
  });
}
