import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStorage, RedemptionService } from '../../src/redemption/service.js';
import { sendingTo } from '../helpers/events-webhooks.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gamebaseGrant } from '../helpers/ledger-grants.js';
import { ledgerFor } from '../helpers/redeem.js';
import { type Receiver, startReceiver, verifyStandard } from '../helpers/webhook-receiver.js';

const SECRET = `whsec-${randomUUID()}`;
const postgres = ledgerBackends().find((b) => b.name === 'postgres');

const newGrant = (key: string) => gamebaseGrant(APP, 'replica-player', key);

describe.skipIf(postgres?.skip ?? true)('two gateways on one PostgreSQL ledger', () => {
  const replicas: { g: GatewayHarness; ledger: LedgerStorage; service: RedemptionService }[] = [];
  let receiver: Receiver;
  beforeAll(async () => {
    if (!postgres) return;
    receiver = await startReceiver();
    for (let i = 0; i < 2; i++) {
      const ledger = await ledgerFor(postgres);
      const webhooks = {
        timeoutMs: 1_000,
        leaseSeconds: 2,
        pollIntervalMs: 100,
        initialBackoffMs: 50,
        maxBackoffMs: 200,
      };
      const g = await startGateway({
        gatewayOptions: { ledger },
        ...sendingTo(receiver, SECRET, { name: 'main' }, webhooks),
      });
      replicas.push({ g, ledger, service: await g.gateway.redemption() });
    }
  });
  afterAll(async () => {
    for (const r of replicas) {
      await r.g.close();
      await r.ledger.db.close();
    }
    await receiver?.close();
    await postgres?.cleanup();
  });

  it('deliver every event; a duplicate carries the same id and body; order per grant holds', async () => {
    // Grants written through both replicas at once; each grant's three events from one of them.
    const grantIds = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const { service } = replicas[i % 2] ?? {};
        if (!service) throw new Error('no replica');
        const key = `rep-${i}`;
        const claim = await service.storage.grants.claim(newGrant(key), service.owner, 60_000);
        if (!claim.claimed) throw new Error('not claimed');
        await service.storage.grants.settle(claim.grant.id, 'RECORDED');
        await service.storage.grants.revoke(APP, 'GAMEBASE', key, { source: 'test' }, new Date());
        return claim.grant.id;
      }),
    );
    const events = (await replicas[0]?.ledger.events.after(APP, null, 1000)) ?? [];
    expect(events).toHaveLength(120);
    await receiver.until(
      (r) => events.every((e) => r.some((x) => x.id === e.id && x.answered === 200)),
      30_000,
    );

    const bodies = new Map<string, string>();
    for (const x of receiver.received) {
      expect(verifyStandard(x, SECRET)).toBe(true);
      expect(x.headers['webhook-id']).toBe(x.id);
      expect(x.body.id).toBe(x.id);
      const seen = bodies.get(x.id);
      if (seen !== undefined) expect(x.rawBody).toBe(seen);
      bodies.set(x.id, x.rawBody);
    }
    expect(new Set(bodies.keys())).toEqual(new Set(events.map((e) => e.id)));
    for (const id of grantIds) {
      const delivered = receiver.received.filter((x) => x.body.grant?.id === id && x.answered === 200);
      const firstOf = (type: string) => delivered.findIndex((x) => x.type === type);
      expect(firstOf('GRANT_CREATED')).toBeLessThan(firstOf('GRANT_SETTLED'));
      expect(firstOf('GRANT_SETTLED')).toBeLessThan(firstOf('GRANT_REVOKED'));
    }
    // Every delivery row ended DELIVERED; the owner that delivered each is one of the two replicas.
    const rows = await replicas[0]?.ledger.db.query<{ status: string; lease_owner: string }>(
      'SELECT status, lease_owner FROM webhook_deliveries',
      [],
    );
    expect(rows?.every((r) => r.status === 'DELIVERED')).toBe(true);
    expect(rows).toHaveLength(120);
    const owners = new Set(rows?.map((r) => r.lease_owner));
    const workers = replicas.map((r) => r.g.gateway.webhooks.worker()?.owner);
    for (const owner of owners) expect(workers).toContain(owner);
  });
});
