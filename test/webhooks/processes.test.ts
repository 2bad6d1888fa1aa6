import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, gqlAt, PROCESS_APP } from '../helpers/gateway-process.js';
import { type ProcessRig, startProcessRig } from '../helpers/ledger-processes.js';
import { type Receiver, startReceiver, verifyStandard } from '../helpers/webhook-receiver.js';

const API_KEY = `hooks-${randomUUID()}`;
const SECRET = `whsec-${randomUUID()}`;

const DELIVERIES = `query ($app: String!) {
  webhookDeliveries(app: $app) {
    ... on WebhookDeliveryConnection { edges { node { status attempts event { id type } } } }
  }
}`;

interface DeliveryRow {
  status: string;
  attempts: number;
  event: { id: string; type: string };
}

describe('a gateway killed with SIGKILL in mid-delivery', () => {
  let rig: ProcessRig;
  let receiver: Receiver;
  let gateway: GatewayProcess | undefined;
  beforeAll(async () => {
    rig = await startProcessRig('hook', 'gateway-hooks-', API_KEY);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await receiver?.close();
    await rig?.close();
  });

  it('delivers the event after a restart, with the same event id', async () => {
    const config = await rig.config(
      { dataDir: join(rig.dir, 'ledger'), sweepIntervalSeconds: 0 },
      {
        webhooks: [{ name: 'main', url: receiver.url, secret: { env: 'HOOK_SECRET' } }],
        extra: {
          webhooks: {
            timeoutMs: 1_000,
            leaseSeconds: 2,
            pollIntervalMs: 200,
            initialBackoffMs: 50,
            maxBackoffMs: 200,
          },
        },
      },
    );
    const env = { HOOK_SECRET: SECRET };
    // The receiver holds every request open: the attempt is in flight when the gateway dies.
    receiver.answer(() => 'hang');
    gateway = await rig.spawn(config, env);
    const answer = await rig.redeem(gateway.url, await rig.purchase(), 'p1');
    const grantId = answer.data?.redeemPurchase?.grant?.id;
    expect(grantId).toBeDefined();
    await receiver.until((r) => r.length >= 1);
    await gateway.stop('SIGKILL');
    const inFlight = receiver.received[0];
    expect(inFlight).toMatchObject({ type: 'GRANT_CREATED', attempt: 1, answered: 0 });

    receiver.answer(() => 200);
    gateway = await rig.spawn(config, env);
    // The dead process's lease lapses (2 s), then the new one delivers both events, in order.
    await receiver.until((r) => r.filter((x) => x.answered === 200).length >= 2);
    const ok = receiver.received.filter((x) => x.answered === 200);
    expect(ok.map((x) => x.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED']);
    expect(ok[0]?.id).toBe(inFlight?.id);
    expect(ok[0]?.attempt).toBeGreaterThanOrEqual(2);
    expect(ok.every((x) => verifyStandard(x, SECRET))).toBe(true);
    // The retry carries the in-flight attempt's webhook-id: a receiver de-duplicating by it sees one event.
    expect(ok[0]?.headers['webhook-id']).toBe(inFlight?.headers['webhook-id']);
    expect(ok.every((x) => x.body.grant?.id === grantId)).toBe(true);
    const listed = await gqlAt<{ webhookDeliveries: { edges: { node: DeliveryRow }[] } }>(
      gateway.url,
      API_KEY,
      DELIVERIES,
      { app: PROCESS_APP },
    );
    expect(listed.data?.webhookDeliveries.edges.map((e) => [e.node.event.type, e.node.status])).toEqual([
      ['GRANT_CREATED', 'DELIVERED'],
      ['GRANT_SETTLED', 'DELIVERED'],
    ]);
    await gateway.stop('SIGTERM');
  }, 60_000);
});
