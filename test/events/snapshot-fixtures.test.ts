import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { SNAPSHOTS } from '../../src/ledger/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { fullSelection } from '../../src/server/webhooks/payload.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor } from '../helpers/redeem.js';

/**
 * Issue 24, point 8, the net under it: rows of every kind of event as the ledger stored them before
 * snapshot versions (frozen in fixtures/event-snapshots-v1.json) render with today's schema and
 * codec, every field a webhook body carries. A non-null field added to Grant, Purchase, Subscription
 * or Money without a snapshot upgrade (src/ledger/snapshot.ts) fails here.
 */

interface Fixture {
  type: string;
  subject: string;
  data: object;
}
const FIXTURES = (
  JSON.parse(readFileSync(new URL('fixtures/event-snapshots-v1.json', import.meta.url), 'utf8')) as {
    events: Fixture[];
  }
).events;

const eventType = schema.getType('GatewayEvent');
if (!isObjectType(eventType)) throw new Error('no GatewayEvent type');
const EVERY_FIELD = `query ($app: String!) {
  gatewayEvents(app: $app, first: 100) {
    __typename
    ... on GatewayEventConnection { edges { node { ${fullSelection(eventType)} } } }
    ... on Error { code }
  }
}`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`events stored before snapshot versions, on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    beforeAll(async () => {
      ledger = await ledgerFor(backend);
      // The webhook body's selection is large; the cost limit is for callers, not for this check.
      g = await startGateway({ gatewayOptions: { ledger }, config: { limits: { maxCost: 1_000_000 } } });
    });
    afterAll(async () => {
      await g?.close();
      await ledger?.db.close();
      await backend.cleanup();
    });

    it(`render with every field, brought up to version ${SNAPSHOTS.version}`, async () => {
      const d = ledger.db.dialect;
      for (const f of FIXTURES)
        await ledger.db.query(
          `INSERT INTO events (id, app, type, subject, occurred_at, data) VALUES ($1, $2, $3, $4, ${d.nowMs}, ${d.json('$5')})`,
          [randomUUID(), APP, f.type, f.subject, JSON.stringify(f.data)],
        );
      const answer = await g.gql(EVERY_FIELD, { app: APP });
      expect(answer.body.errors?.map((e) => e.message)).toBeUndefined();
      const nodes = (answer.data.gatewayEvents as { edges: { node: Record<string, unknown> }[] }).edges.map(
        (e) => e.node,
      );
      expect(nodes.map((n) => n.type)).toEqual(FIXTURES.map((f) => f.type));
      // Rows from before observed times: observedAt is occurredAt, requestedAt unknown.
      for (const n of nodes) expect([n.observedAt, n.requestedAt]).toEqual([n.occurredAt, null]);
      expect(nodes[0]?.grant).toMatchObject({ status: 'SETTLED', outcome: 'CONSUMED' });
      expect(nodes[1]?.purchase).toMatchObject({ consumptionState: 'CONSUMED' });
      expect(nodes[2]?.price).toEqual({ amount: '1000', amountMicros: null, currency: 'KRW' });
      expect(nodes[3]?.subscription).toMatchObject({ status: 'CANCEL_RESERVED', autoRenewing: false });
      // Fields added in issue 26 that the stored snapshot lacks: read from what it holds, or null.
      expect(nodes[3]?.subscription).toMatchObject({
        willRenew: false,
        periodType: 'NORMAL',
        countryCode: null,
        billingIssueSince: null,
        priceChange: null,
        promotion: null,
      });
    });
  });
}
