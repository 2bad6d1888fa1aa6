import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builder } from '../../src/graphql/builder.js';
import { GrantType } from '../../src/graphql/types/grant.js';
import { SNAPSHOT_UPGRADES, SnapshotCodec } from '../../src/ledger/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 24, point 8: a stored event always renders, though the API's types grow. This file adds a
 * non-null field to Grant the way a later release would (`channel: String!`, before the schema is
 * built: the gateway's modules are imported below, after it), with the snapshot upgrade that release
 * would add (older grant snapshots get `channel: "UNKNOWN"`). Events stored before it, rows written
 * with the old shapes (no version: before versions; version 2: today's), render through
 * `gatewayEvents` and as webhook bodies.
 */

interface WithChannel {
  channel?: string;
}
builder.objectField(GrantType, 'channel', (t) =>
  t.string({
    nullable: false,
    description: 'Added after events were stored (test only).',
    resolve: (grant) => (grant as WithChannel).channel as string,
  }),
);
const { APP, startGateway } = await import('../helpers/gateway.js');
const { openLedgerStorage } = await import('../../src/redemption/service.js');
type GatewayHarness = Awaited<ReturnType<typeof startGateway>>;

const withChannel = new SnapshotCodec([
  ...SNAPSHOT_UPGRADES,
  {
    to: SNAPSHOT_UPGRADES.length + 2,
    adds: 'grant.channel (test): UNKNOWN before it was kept',
    upgrade: (data) =>
      typeof data.grant === 'object' && data.grant !== null && !('channel' in data.grant)
        ? { ...data, grant: { ...data.grant, channel: 'UNKNOWN' } }
        : data,
  },
]);

/** A GRANT_SETTLED event's data as the ledger wrote it before snapshot versions (main before issue 24). */
function oldGrantSnapshot(id: string): string {
  const at = { $date: '2026-01-02T03:04:05.678Z' };
  return JSON.stringify({
    grant: {
      id,
      app: APP,
      store: 'ONESTORE',
      purchaseKey: `tok-${id.slice(0, 8)}`,
      userId: 'player-old',
      productId: 'gem_100',
      quantity: 1,
      storeIds: {
        purchaseToken: `tok-${id.slice(0, 8)}`,
        productId: 'gem_100',
        kind: 'CONSUMABLE',
        purchaseId: 'p-1',
      },
      fingerprint: 'f'.repeat(64),
      idempotencyKey: null,
      action: 'CONSUME',
      status: 'SETTLED',
      leaseOwner: 'gw-old',
      leaseExpiresAt: null,
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      createdAt: at,
      settledAt: at,
      outcome: 'CONSUMED',
      revokedAt: null,
      revocation: null,
    },
  });
}

const GRANT_EVENTS = `query ($app: String!) {
  gatewayEvents(app: $app, types: [GRANT_SETTLED]) {
    __typename
    ... on GatewayEventConnection { edges { node { id type observedAt grant { id status outcome channel } } } }
    ... on Error { code }
  }
}`;
const REDELIVER = `mutation ($input: RedeliverEventInput!) {
  redeliverEvent(input: $input) { __typename ... on Error { code message } }
}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a field added to Grant after events were stored, on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
      ledger = await openLedgerStorage(backend.options, { snapshots: withChannel });
      g = await startGateway({
        gatewayOptions: { ledger },
        appWebhooks: [{ name: 'main', url: receiver.url, secret: { env: 'HOOK_SECRET' } }],
        env: { HOOK_SECRET: `whsec-${randomUUID()}` },
        config: { webhooks: { initialBackoffMs: 50, maxBackoffMs: 200, pollIntervalMs: 100 } },
      });
      await g.gateway.redemption();
    });
    afterAll(async () => {
      await g?.close();
      await receiver?.close();
      await ledger?.db.close();
      await backend.cleanup();
    });

    /** A row as an earlier release wrote it: `version` null before versions, else the version it wrote. */
    const storeOld = async (version: number | null): Promise<string> => {
      const d = ledger.db.dialect;
      const id = randomUUID();
      await ledger.db.query(
        `INSERT INTO events (id, app, type, subject, occurred_at, data, data_version)
         VALUES ($1, $2, 'GRANT_SETTLED', $3, ${d.nowMs}, ${d.json('$4')}, $5)`,
        [id, APP, id, oldGrantSnapshot(id), version],
      );
      return id;
    };

    it('renders through gatewayEvents and as the webhook body, the new field from the upgrade', async () => {
      const beforeVersions = await storeOld(null);
      const version2 = await storeOld(2);
      const answer = await g.gql(GRANT_EVENTS, { app: APP });
      expect(answer.body.errors?.map((e) => e.message)).toBeUndefined();
      const nodes = (
        answer.data.gatewayEvents as { edges: { node: { id: string; grant: unknown } }[] }
      ).edges.map((e) => e.node);
      for (const id of [beforeVersions, version2])
        expect(nodes.find((n) => n.id === id)?.grant).toEqual({
          id: expect.any(String),
          status: 'SETTLED',
          outcome: 'CONSUMED',
          channel: 'UNKNOWN',
        });
      for (const eventId of [beforeVersions, version2]) {
        const queued = await g.gql(REDELIVER, { input: { app: APP, eventId, endpoint: 'main' } });
        expect(queued.data.redeliverEvent).toEqual({ __typename: 'RedeliverEventSuccess' });
      }
      await receiver.until((got) => [beforeVersions, version2].every((id) => got.some((r) => r.id === id)));
      for (const id of [beforeVersions, version2]) {
        const body = receiver.received.find((r) => r.id === id)?.body as { grant: Record<string, unknown> };
        expect(body.grant).toMatchObject({ status: 'SETTLED', channel: 'UNKNOWN' });
      }
    });

    it('without its upgrade the same rows would not render: the codec is what keeps them readable', async () => {
      // The mechanism, shown the other way round: read with today's codec, the old grant lacks the field.
      const id = await storeOld(null);
      const plain = new SnapshotCodec(SNAPSHOT_UPGRADES);
      const [row] = await ledger.db.query<{ data: unknown }>(
        `SELECT ${ledger.db.kind === 'postgres' ? 'data::text AS data' : 'data'} FROM events WHERE id = $1`,
        [id],
      );
      const text = String(row?.data);
      expect(plain.decode<{ grant: WithChannel }>(text, null).grant.channel).toBeUndefined();
      // Today's own upgrade (version 2): a grant snapshot from before migration 5 gets storeApp null.
      expect(plain.decode<{ grant: { storeApp?: unknown } }>(text, null).grant.storeApp).toBeNull();
      expect(withChannel.decode<{ grant: WithChannel }>(text, null).grant.channel).toBe('UNKNOWN');
      expect(
        withChannel.decode<{ grant: WithChannel }>(text, withChannel.version).grant.channel,
      ).toBeUndefined();
    });
  });
}
