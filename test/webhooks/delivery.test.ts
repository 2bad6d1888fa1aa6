import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import type { LedgerStorage, RedemptionService } from '../../src/redemption/service.js';
import { webhookDocument } from '../../src/server/webhooks/payload.js';
import { redeemOne } from '../helpers/event-stream.js';
import { webhooksOnLedger } from '../helpers/events-webhooks.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gamebaseGrant } from '../helpers/ledger-grants.js';
import { type Receiver, verifySignature, verifyStandard } from '../helpers/webhook-receiver.js';

const SECRET = `whsec-${randomUUID()}`;
/** Short delays so retries happen within a test; the defaults are in docs/events.md. */
const FAST = {
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  pollIntervalMs: 100,
  timeoutMs: 1_000,
  leaseSeconds: 2,
};

const DELIVERIES = `query ($app: String!, $status: WebhookDeliveryStatus, $after: String, $first: Int) {
  webhookDeliveries(app: $app, status: $status, after: $after, first: $first) {
    __typename
    ... on WebhookDeliveryConnection {
      edges { cursor node { endpoint status attempts nextAttemptAt lastError lastStatus deliveredAt requeuedAt
        event { id type } } }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { code message }
  }
}`;

interface DeliveryNode {
  endpoint: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastStatus: number | null;
  deliveredAt: string | null;
  requeuedAt: string | null;
  event: { id: string; type: string };
}

/** Every delivery of `endpoint` in `status`, all pages. */
export async function deliveries(
  g: GatewayHarness,
  endpoint: string,
  status?: string,
): Promise<DeliveryNode[]> {
  const out: DeliveryNode[] = [];
  let after: string | null = null;
  for (;;) {
    const answer = await g.gql(DELIVERIES, { app: APP, status, after, first: 100 });
    const field = answer.data.webhookDeliveries as {
      __typename: string;
      edges: { node: DeliveryNode }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    expect(field.__typename).toBe('WebhookDeliveryConnection');
    out.push(...field.edges.map((e) => e.node).filter((n) => n.endpoint === endpoint));
    if (!field.pageInfo.hasNextPage) return out;
    after = field.pageInfo.endCursor;
  }
}

const newGrant = (key: string) => gamebaseGrant(APP, 'hook-player', key);

/** A grant created, settled and revoked straight in the gateway's ledger: three events of one subject. */
async function grantLifecycle(service: RedemptionService, key: string): Promise<string> {
  const grants = service.storage.grants;
  const claim = await grants.claim(newGrant(key), service.owner, 60_000);
  if (!claim.claimed) throw new Error('not claimed');
  await grants.settle(claim.grant.id, 'RECORDED');
  await grants.revoke(APP, 'GAMEBASE', key, { source: 'test' }, new Date());
  return claim.grant.id;
}

const until = async (check: () => Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`webhooks on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let receiver: Receiver;
    let service: RedemptionService;
    webhooksOnLedger(backend, SECRET, { name: 'main' }, { ...FAST, retryForSeconds: 600 }, (started) => {
      ({ g, ledger, receiver, service } = started);
    });

    it('a gateway with nothing pending shows 0 for its pending gauges, not "no data" (issue 28)', async () => {
      // The first poll reports at the worker's start; before the fix an app that never had a pending
      // delivery had no sample at all.
      const sample = async () => (await (await fetch(`${g.url}/metrics`)).text()).split('\n');
      await until(async () =>
        (await sample()).includes(`gateway_webhook_pending_deliveries{app="${APP}"} 0`),
      );
      expect(await sample()).toContain(`gateway_webhook_oldest_pending_seconds{app="${APP}"} 0`);
    });

    it('a receiver gets every event, signed, with the body gatewayEvents shows', async () => {
      const grantId = await redeemOne(g, 'hook-player');
      await receiver.until((r) => r.filter((x) => x.body.grant?.id === grantId).length >= 2);
      const got = receiver.received.filter((x) => x.body.grant?.id === grantId);
      expect(got.map((x) => x.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED']);
      for (const x of got) {
        // Standard Webhooks, the default: the maintained library verifies it; webhook-id is the event id.
        expect(verifyStandard(x, SECRET)).toBe(true);
        expect(x.headers['webhook-id']).toBe(x.id);
        expect(x.signature).toBeUndefined();
        expect(x.body.id).toBe(x.id);
        expect(x.body.type).toBe(x.type);
        expect(x.attempt).toBe(1);
        // The body is the event exactly as the API shows it.
        const events = await ledger.events.after(APP, null, 1000);
        const seq = events.find((e) => e.id === x.id)?.seq ?? '0';
        const after = Number(seq) > 1 ? Buffer.from(`ev:${Number(seq) - 1}`).toString('base64url') : null;
        const api = await g.gql(webhookDocument(schema), { app: APP, after });
        const node = (api.data.gatewayEvents as { edges: { node: unknown }[] }).edges[0]?.node;
        expect(x.body).toEqual(node);
      }
      expect(got[1]?.body).toMatchObject({ grant: { id: grantId, status: 'SETTLED', outcome: 'CONSUMED' } });
      // Forged, tampered, replayed and unsigned requests fail the library's check.
      const first = got[0];
      if (!first) throw new Error('no delivery');
      expect(verifyStandard(first, `${SECRET}x`)).toBe(false);
      expect(verifyStandard({ ...first, rawBody: first.rawBody.replace('GRANT_', 'GRANT-') }, SECRET)).toBe(
        false,
      );
      const old = new Date(Date.now() - 600_000);
      const replayed = {
        ...first.headers,
        'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET, { format: 'raw' }).sign(first.id, old, first.rawBody),
      };
      expect(verifyStandard({ headers: replayed, rawBody: first.rawBody }, SECRET)).toBe(false);
      const { 'webhook-signature': _, ...unsigned } = first.headers;
      expect(verifyStandard({ headers: unsigned, rawBody: first.rawBody }, SECRET)).toBe(false);
      // Listed as delivered, once each.
      await until(async () => (await deliveries(g, 'main', 'PENDING')).length === 0);
      const delivered = (await deliveries(g, 'main', 'DELIVERED')).filter((d) =>
        got.some((x) => x.id === d.event.id),
      );
      expect(delivered.map((d) => [d.event.type, d.attempts, d.lastStatus, d.nextAttemptAt])).toEqual([
        ['GRANT_CREATED', 1, 200, null],
        ['GRANT_SETTLED', 1, 200, null],
      ]);
      const metrics = await (await fetch(`${g.url}/metrics`)).text();
      expect(metrics).toMatch(
        /gateway_webhook_deliveries_total\{app="game",endpoint="main",result="delivered"\} [1-9]/,
      );
      expect(metrics).toContain('gateway_webhook_delivery_lag_seconds_bucket');
    });

    it("a support grant's events carry the support grant, in order (issue 27)", async () => {
      const support = service.storage.grants.support;
      const created = await support.create({
        app: APP,
        userId: 'hook-player',
        entitlementId: 'vip',
        startsAt: new Date('2026-12-01T00:00:00.000Z'),
        until: null,
        reason: 'Goodwill',
        keyName: 'desk',
      });
      const at = new Date('2026-12-02T00:00:00.000Z');
      await support.revoke(APP, created.id, { keyName: 'desk', reason: 'Wrong player', at });
      const mine = (r: typeof receiver.received) =>
        r.filter((x) => (x.body.supportGrant as { id?: string } | null)?.id === created.id);
      await receiver.until((r) => mine(r).length >= 2);
      const got = mine(receiver.received);
      expect(got.map((x) => x.type)).toEqual(['SUPPORT_GRANT_CREATED', 'SUPPORT_GRANT_REVOKED']);
      expect(got.map((x) => x.body.grant)).toEqual([null, null]);
      expect(got[1]?.body.supportGrant).toEqual({
        id: created.id,
        app: APP,
        userId: 'hook-player',
        entitlement: 'vip',
        since: '2026-12-01T00:00:00.000Z',
        until: null,
        revokedAt: '2026-12-02T00:00:00.000Z',
        reason: 'Goodwill',
        keyName: 'desk',
        revokeReason: 'Wrong player',
        revokedByKey: 'desk',
      });
    });

    it('in order per grant, while the receiver fails attempts', async () => {
      // Every GRANT_SETTLED fails its first attempt; a quarter of the rest fail at random.
      receiver.answer((r) =>
        (r.type === 'GRANT_SETTLED' && r.attempt === 1) || Math.random() < 0.25 ? 500 : 200,
      );
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, i) => grantLifecycle(service, `order-${backend.name}-${i}`)),
      );
      await receiver.until((r) =>
        ids.every((id) => r.filter((x) => x.body.grant?.id === id && x.answered === 200).length === 3),
      );
      receiver.answer(() => 200);
      for (const id of ids) {
        const seen = receiver.received.filter((x) => x.body.grant?.id === id);
        expect(seen.filter((x) => x.answered === 200).map((x) => x.type)).toEqual([
          'GRANT_CREATED',
          'GRANT_SETTLED',
          'GRANT_REVOKED',
        ]);
        // No event of a grant is sent before the one before it was delivered.
        const deliveredAt = (type: string) => seen.findIndex((x) => x.type === type && x.answered === 200);
        const firstSent = (type: string) => seen.findIndex((x) => x.type === type);
        expect(firstSent('GRANT_SETTLED')).toBeGreaterThan(deliveredAt('GRANT_CREATED'));
        expect(firstSent('GRANT_REVOKED')).toBeGreaterThan(deliveredAt('GRANT_SETTLED'));
        // A retry carries the same event id and the next attempt number.
        const settled = seen.filter((x) => x.type === 'GRANT_SETTLED');
        expect(settled.length).toBeGreaterThanOrEqual(2);
        expect(settled.map((x) => x.attempt)).toEqual(settled.map((_, i) => i + 1));
        expect(new Set(settled.map((x) => x.id)).size).toBe(1);
      }
    });

    it('a receiver down for a while gets every event after it returns', async () => {
      await receiver.down();
      const ids = await Promise.all(
        Array.from({ length: 3 }, (_, i) => grantLifecycle(service, `down-${backend.name}-${i}`)),
      );
      // Attempts fail with the connection refused, and are retried.
      await until(async () =>
        (await deliveries(g, 'main', 'PENDING')).some(
          (d) => d.attempts >= 2 && d.lastError === 'ECONNREFUSED',
        ),
      );
      const before = receiver.received.length;
      await receiver.up();
      await receiver.until((r) =>
        ids.every((id) => r.filter((x) => x.body.grant?.id === id && x.answered === 200).length === 3),
      );
      const after = receiver.received.slice(before);
      for (const id of ids)
        expect(after.filter((x) => x.body.grant?.id === id).map((x) => x.type)).toEqual([
          'GRANT_CREATED',
          'GRANT_SETTLED',
          'GRANT_REVOKED',
        ]);
      await until(async () => (await deliveries(g, 'main', 'PENDING')).length === 0);
    });
  });
}

const REDELIVER = `mutation ($input: RedeliverEventInput!) {
  redeliverEvent(input: $input) {
    __typename
    ... on RedeliverEventSuccess { event { id type } deliveries { endpoint status requeuedAt attempts } }
    ... on InvalidInputError { field }
    ... on Error { code message }
  }
}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`dead letters and redelivery on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let receiver: Receiver;
    let service: RedemptionService;
    // The earlier scheme, kept for receivers already on it: the README's function verifies it.
    const dlq = { name: 'dlq', events: ['GRANT_CREATED', 'GRANT_SETTLED'], signature: 'gateway-v1' as const };
    webhooksOnLedger(backend, SECRET, dlq, { ...FAST, retryForSeconds: 1 }, (started) => {
      ({ g, ledger, receiver, service } = started);
    });

    const redeliver = async (input: Record<string, unknown>, key?: string) =>
      (await g.gql(REDELIVER, { input: { app: APP, ...input } }, key === undefined ? {} : { key })).data
        .redeliverEvent as Record<string, unknown>;

    it('failing past retryForSeconds is dead-lettered; redeliverEvent sends it again with the same id', async () => {
      receiver.answer(() => 503);
      const grantId = await grantLifecycle(service, `dead-${backend.name}`);
      // Only the types the endpoint takes get deliveries (GRANT_REVOKED gets none).
      await until(async () => (await deliveries(g, 'dlq', 'DEAD')).length === 2);
      const dead = await deliveries(g, 'dlq', 'DEAD');
      expect(dead.map((d) => [d.event.type, d.lastStatus, d.lastError, d.deliveredAt])).toEqual([
        ['GRANT_CREATED', 503, 'HTTP 503', null],
        ['GRANT_SETTLED', 503, 'HTTP 503', null],
      ]);
      expect(dead[0]?.attempts).toBeGreaterThanOrEqual(2);
      expect(await deliveries(g, 'dlq', 'PENDING')).toEqual([]);
      const metrics = await (await fetch(`${g.url}/metrics`)).text();
      expect(metrics).toContain(
        'gateway_webhook_deliveries_total{app="game",endpoint="dlq",result="dead"} 2',
      );
      expect(metrics).toMatch(
        /gateway_webhook_deliveries_total\{app="game",endpoint="dlq",result="failed"\} [1-9]/,
      );

      receiver.answer(() => 200);
      const settled = dead[1]?.event.id ?? '';
      const answer = await redeliver({ eventId: settled });
      expect(answer).toMatchObject({
        __typename: 'RedeliverEventSuccess',
        event: { id: settled, type: 'GRANT_SETTLED' },
        deliveries: [{ endpoint: 'dlq', status: 'PENDING' }],
      });
      expect((answer.deliveries as { requeuedAt: string | null }[])[0]?.requeuedAt).not.toBeNull();
      await receiver.until((r) => r.some((x) => x.id === settled && x.answered === 200));
      const got = receiver.received.filter((x) => x.id === settled && x.answered === 200);
      expect(got).toHaveLength(1);
      expect(got[0]?.body).toMatchObject({ id: settled, grant: { id: grantId, status: 'SETTLED' } });
      expect(verifySignature(got[0]?.signature, got[0]?.rawBody ?? '', SECRET)).toBe(true);
      expect(got[0]?.headers['webhook-signature']).toBeUndefined();
      // Forged, tampered and replayed requests fail the README's check.
      const first = got[0];
      if (!first) throw new Error('no delivery');
      expect(verifySignature(first.signature, first.rawBody, `${SECRET}x`)).toBe(false);
      expect(verifySignature(first.signature, first.rawBody.replace('SETTLED', 'SETTLEd'), SECRET)).toBe(
        false,
      );
      const old = Math.floor(Date.now() / 1000) - 600;
      const replayed = `t=${old},v1=${createHmac('sha256', SECRET).update(`${old}.${first.rawBody}`).digest('hex')}`;
      expect(verifySignature(replayed, first.rawBody, SECRET)).toBe(false);
      expect(verifySignature(undefined, first.rawBody, SECRET)).toBe(false);
      await until(async () => (await deliveries(g, 'dlq', 'DELIVERED')).length === 1);
      expect((await deliveries(g, 'dlq', 'DEAD')).map((d) => d.event.type)).toEqual(['GRANT_CREATED']);

      // Named endpoint: also an event type the endpoint does not take (an explicit request).
      const revoked = (await ledger.events.after(APP, null, 1000)).find(
        (e) => e.type === 'GRANT_REVOKED' && e.subject === grantId,
      );
      const explicit = await redeliver({ eventId: revoked?.id, endpoint: 'dlq' });
      expect(explicit).toMatchObject({ deliveries: [{ endpoint: 'dlq', status: 'PENDING', attempts: 0 }] });
      await receiver.until((r) => r.some((x) => x.id === revoked?.id && x.answered === 200));
      // Without an endpoint: only those that take its type, as configured now.
      expect(await redeliver({ eventId: revoked?.id })).toMatchObject({
        __typename: 'RedeliverEventSuccess',
        deliveries: [],
      });
    });

    it("refuses an unknown event, another app's event, an unknown endpoint and malformed input", async () => {
      const event = (await ledger.events.after(APP, null, 1)).at(0);
      expect(await redeliver({ eventId: randomUUID() })).toMatchObject({ __typename: 'NotFoundError' });
      expect(await redeliver({ eventId: 'not an id!' })).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.eventId',
      });
      expect(await redeliver({ eventId: event?.id, endpoint: 'nope' })).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.endpoint',
      });
      expect(await redeliver({ app: 'other', eventId: event?.id }, g.keys.other)).toMatchObject({
        __typename: 'NotFoundError',
      });
      const badCursor = await g.gql(DELIVERIES, { app: APP, after: 'bm90LWEtY3Vyc29y' });
      expect(badCursor.data.webhookDeliveries).toMatchObject({ __typename: 'InvalidInputError' });
      const page = await g.gql(DELIVERIES, { app: APP, first: 1 });
      const first = page.data.webhookDeliveries as { pageInfo: { hasNextPage: boolean; endCursor: string } };
      expect(first.pageInfo.hasNextPage).toBe(true);
      const next = await g.gql(DELIVERIES, { app: APP, first: 1, after: first.pageInfo.endCursor });
      expect(next.data.webhookDeliveries).toMatchObject({ __typename: 'WebhookDeliveryConnection' });
    });
  });
}
