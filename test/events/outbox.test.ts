import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, GrantStore, type LedgerDb } from '../../src/ledger/index.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/ledger/snapshot.js';
import { onestore } from '../../src/stores/index.js';
import { APP, act, type GatewayHarness, purchase } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { gatewayOnLedger } from '../helpers/ledger-gateway.js';
import { gamebaseGrant } from '../helpers/ledger-grants.js';
import { redeem } from '../helpers/redeem.js';

const EVENTS = `query ($app: String!, $after: String, $types: [GatewayEventType!]) {
  gatewayEvents(app: $app, after: $after, types: $types) {
    __typename
    ... on GatewayEventConnection {
      edges { cursor node { id type app occurredAt cursor productId market store subscriptionKind
        grant { id status outcome revokedAt storeIds { purchaseToken purchaseId } }
        purchase { productId purchaseState consumptionState acknowledgementState } } }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { message code }
  }
}`;

interface EventNode {
  id: string;
  type: string;
  cursor: string;
  grant: { id: string; status: string; outcome: string | null; revokedAt: string | null } | null;
  purchase: { purchaseState: string; consumptionState: string } | null;
  [key: string]: unknown;
}

async function events(g: GatewayHarness, variables: Record<string, unknown> = {}) {
  const answer = await g.gql(EVENTS, { app: APP, ...variables });
  const field = answer.data.gatewayEvents as {
    __typename: string;
    edges?: { cursor: string; node: EventNode }[];
    pageInfo?: { endCursor: string | null };
    message?: string;
  };
  return field;
}

const nodes = async (g: GatewayHarness, variables: Record<string, unknown> = {}) =>
  ((await events(g, variables)).edges ?? []).map((e) => e.node);

describe('snapshot codec', () => {
  it('restores Dates and leaves strings that look like times alone', () => {
    const at = new Date('2026-11-30T12:34:56.789Z');
    const back = decodeSnapshot<{ at: Date; text: string; nested: { at: Date | null }[] }>(
      encodeSnapshot({ at, text: '2026-11-30T12:34:56.789Z', nested: [{ at }, { at: null }] }),
    );
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.getTime()).toBe(at.getTime());
    expect(back.text).toBe('2026-11-30T12:34:56.789Z');
    expect(back.nested[0]?.at).toEqual(at);
    expect(back.nested[1]?.at).toBeNull();
  });
});

const newGrant = (key: string) => gamebaseGrant('game-e', 'u1', key);

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`events outbox on ${backend.name}`, () => {
    let db: LedgerDb;
    let grants: GrantStore;
    let store: EventStore;
    beforeAll(async () => {
      db = await backend.open();
      store = new EventStore(db, {
        endpointsFor: (_app, type) => (type === 'GRANT_SETTLED' ? ['hook'] : []),
      });
      grants = new GrantStore(db, store);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('writes one event per change, none for a change that changed nothing, in commit order', async () => {
      const woken: string[] = [];
      const listener = (app: string) => woken.push(app);
      store.feed.on('committed', listener);
      const claim = await grants.claim(newGrant('seq-1'), 'owner', 60_000);
      if (!claim.claimed) throw new Error('not claimed');
      const again = await grants.claim(newGrant('seq-1'), 'owner', 60_000);
      expect(again.claimed).toBe(false);
      await grants.settle(claim.grant.id, 'RECORDED');
      await grants.settle(claim.grant.id, 'RECORDED');
      await grants.revoke('game-e', 'GAMEBASE', 'seq-1', { source: 'test' }, new Date());
      await grants.revoke('game-e', 'GAMEBASE', 'seq-1', { source: 'test' }, new Date());
      const pending = await grants.claim(newGrant('seq-2'), 'owner', 60_000);
      if (!pending.claimed) throw new Error('not claimed');
      expect(await grants.release(pending.grant.id, 'owner')).toBe(true);
      store.feed.off('committed', listener);

      const all = await store.after('game-e', null, 100);
      expect(all.map((e) => e.type)).toEqual([
        'GRANT_CREATED',
        'GRANT_SETTLED',
        'GRANT_REVOKED',
        'GRANT_CREATED',
        'GRANT_DROPPED',
      ]);
      expect(woken).toEqual(['game-e', 'game-e', 'game-e', 'game-e', 'game-e']);
      expect(new Set(all.map((e) => e.id)).size).toBe(5);
      const seqs = all.map((e) => Number(e.seq));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      const settled = all[1]?.data as { grant: { status: string; settledAt: Date } };
      expect(settled.grant.status).toBe('SETTLED');
      expect(settled.grant.settledAt).toBeInstanceOf(Date);
      // Resuming after the second event gives exactly the rest.
      const rest = await store.after('game-e', all[1]?.seq ?? null, 100);
      expect(rest.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
      expect(await store.after('game-e', null, 100, ['GRANT_DROPPED'])).toHaveLength(1);
      // Only the subscribed type got a delivery row, in the same transaction as its event.
      const deliveries = await db.query<{ endpoint: string; event_seq: string | number; status: string }>(
        'SELECT endpoint, event_seq, status FROM webhook_deliveries',
        [],
      );
      expect(deliveries.map((d) => [d.endpoint, String(d.event_seq), d.status])).toEqual([
        ['hook', all[1]?.seq, 'PENDING'],
      ]);
    });

    it('a purchase refunded while its grant is pending: settled then revoked, or dropped, never revoked before settled', async () => {
      const types = async (subject: string) =>
        (await store.after('game-e', null, 500)).filter((e) => e.subject === subject).map((e) => e.type);
      // The store change happened after all (a lost answer): the receiver delivers, then claws back.
      const late = await grants.claim(newGrant('seq-refund-1'), 'owner', 60_000);
      if (!late.claimed) throw new Error('not claimed');
      expect(
        await grants.revoke('game-e', 'GAMEBASE', 'seq-refund-1', { source: 'test' }, new Date()),
      ).not.toBeNull();
      const settled = await grants.settle(late.grant.id, 'RECORDED');
      expect(settled.revokedAt).not.toBeNull();
      expect(await types(late.grant.id)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED', 'GRANT_REVOKED']);
      // The store made no change: nothing was granted, so nothing is revoked.
      const never = await grants.claim(newGrant('seq-refund-2'), 'owner', 60_000);
      if (!never.claimed) throw new Error('not claimed');
      await grants.revoke('game-e', 'GAMEBASE', 'seq-refund-2', { source: 'test' }, new Date());
      expect(await grants.release(never.grant.id, 'owner')).toBe(true);
      expect(await types(never.grant.id)).toEqual(['GRANT_CREATED', 'GRANT_DROPPED']);
    });

    it('rolls the event back with its change', async () => {
      const before = (await store.after('game-e', null, 500)).length;
      await expect(
        store.write(async (_q, record) => {
          await record({ app: 'game-e', type: 'GRANT_CREATED', subject: 'x', data: {} });
          throw new Error('change failed');
        }),
      ).rejects.toThrow('change failed');
      expect(await store.after('game-e', null, 500)).toHaveLength(before);
    });
  });
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`gatewayEvents through the gateway on ${backend.name}`, () => {
    let g: GatewayHarness;
    gatewayOnLedger(backend, {}, (started) => {
      g = started.g;
    });

    it('a redemption and a revocation become GRANT_CREATED, GRANT_SETTLED, GRANT_REVOKED, the grant as the API shows it', async () => {
      const start = (await events(g)).pageInfo?.endCursor ?? null;
      const p = await purchase(g, { quantity: 1 });
      const done = await redeem(g, {
        app: APP,
        userId: 'player-ev',
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      });
      expect(done.__typename).toBe('RedeemPurchaseSuccess');
      await act(g, p.purchaseToken, 'void');
      // The sync's window ends STORE_CLOCK_MARGIN_MS back: let the void age that long.
      g.h.sandbox.clock.advance(onestore.STORE_CLOCK_MARGIN_MS);
      const sync = await g.gql(`mutation ($app: String!) { syncRevocations(app: $app) { __typename } }`, {
        app: APP,
      });
      expect(sync.body.errors).toBeUndefined();
      const seen = await nodes(g, start === null ? {} : { after: start });
      expect(seen.map((e) => e.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED', 'GRANT_REVOKED']);
      expect(seen.map((e) => e.grant?.id)).toEqual([done.grant?.id, done.grant?.id, done.grant?.id]);
      expect(seen[0]?.grant).toMatchObject({ status: 'PENDING', outcome: null });
      expect(seen[1]?.grant).toMatchObject({ status: 'SETTLED', outcome: 'CONSUMED' });
      expect(seen[2]?.grant?.revokedAt).not.toBeNull();
      expect(seen.every((e) => e.cursor.length > 0 && e.store === null && e.purchase === null)).toBe(true);
    });

    it('an acknowledge through the gateway is PURCHASE_ACKNOWLEDGED with the purchase read again, one read in all', async () => {
      const p = await purchase(g, { productId: 'sword_skin' });
      const start = (await events(g)).pageInfo?.endCursor ?? null;
      await g.resetStats();
      const answer = await g.gql(
        `mutation ($input: AcknowledgePurchaseInput!) { acknowledgePurchase(input: $input) {
          __typename ... on AcknowledgePurchaseSuccess { purchase { acknowledgementState } } } }`,
        { input: { app: APP, productId: p.productId, purchaseToken: p.purchaseToken } },
      );
      expect(answer.data.acknowledgePurchase).toMatchObject({
        purchase: { acknowledgementState: 'ACKNOWLEDGED' },
      });
      // The payload's re-read and the event's are one call (the request's loader).
      expect(await g.count('onestore.getPurchaseDetails')).toBe(1);
      const seen = await nodes(g, start === null ? {} : { after: start });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        type: 'PURCHASE_ACKNOWLEDGED',
        store: 'ONESTORE',
        market: 'MKT_ONE',
        productId: 'sword_skin',
        grant: null,
      });
      expect(seen[0]?.purchase).toMatchObject({ purchaseState: 'PURCHASED' });
    });

    it('refuses a cursor it did not issue, with no ledger read', async () => {
      const answer = await events(g, { after: 'not-a-cursor' });
      expect(answer).toMatchObject({ __typename: 'InvalidInputError' });
    });
  });
}
