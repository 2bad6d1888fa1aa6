import { describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../src/ledger/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { APP, type GatewayHarness, OTHER_APP } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 27, support actions: a key with the `support` scope (and no other) gives a player an
 * entitlement of the catalogue (grantEntitlement) and revokes store or support grants (revokeGrant),
 * each recorded with the key's name and reason, told as an event, and counted by `player`.
 */

const CATALOGUE = {
  vip: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'vip_30d' }], grants: { days: 30 } },
  no_ads: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'no_ads' }], grants: 'forever' },
};
const KEYS = { support: 'support-key-1', read: 'read-key-1', write: 'write-key-1' };
const API_KEYS = [
  { name: 'desk', sha256: sha256Hex(KEYS.support), apps: [APP], scopes: ['support'] },
  { name: 'reader', sha256: sha256Hex(KEYS.read), apps: [APP], scopes: ['read'] },
  { name: 'backend', sha256: sha256Hex(KEYS.write), apps: [APP], scopes: ['read', 'write'] },
];
const DAY = 86_400_000;
/** The gateway's (sandbox's) clock, frozen here for exact figures. */
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const SUPPORT_GRANT =
  'id app userId entitlement since until revokedAt reason keyName revokeReason revokedByKey';
const GRANT = `mutation ($input: GrantEntitlementInput!) {
  grantEntitlement(input: $input) {
    __typename
    ... on GrantEntitlementSuccess { supportGrant { ${SUPPORT_GRANT} } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const REVOKE = `mutation ($input: RevokeGrantInput!) {
  revokeGrant(input: $input) {
    __typename
    ... on RevokeGrantSuccess {
      grant { id revokedAt revocation { source keyName reason } }
      supportGrant { ${SUPPORT_GRANT} }
    }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const PLAYER = `query ($app: String!, $userId: String!) {
  player(app: $app, userId: $userId) {
    __typename
    ... on Player {
      entitlements { id active since expiresAt periodType store productId source grantId willRenew }
      supportGrants { id entitlement since until revokedAt reason keyName revokeReason revokedByKey }
      events(first: 10) { ... on GatewayEventConnection { edges { node {
        type grant { id } supportGrant { id revokedAt }
      } } } }
    }
    ... on Error { code message }
  }
}`;

/** A SETTLED Gamebase grant of `productId` for `userId`, made at `at` (straight into the ledger). */
async function insertGrant(db: LedgerDb, id: string, userId: string, productId: string, at: number) {
  const pg = db.kind === 'postgres';
  await db.query(
    `INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
       action, status, created_at, settled_at, outcome)
     VALUES ($1, $2, 'GAMEBASE', $1, $3, $4, 1, ${pg ? `jsonb_build_object('paymentSeq', $1::text)` : `json_object('paymentSeq', $1)`},
       'f', 'NONE', 'SETTLED', $5, $5, 'RECORDED')`,
    [id, APP, userId, productId, pg ? new Date(at) : at],
  );
}

type Answer = Record<string, unknown>;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`support actions on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    useLedgerGateway(
      backend,
      // The entitlement events worker is off: these lists are the support actions' own events (their
      // ENTITLEMENT_* events: test/players/entitlement-events.test.ts).
      {
        gateway: {
          appEntitlements: CATALOGUE,
          config: { apiKeys: API_KEYS, entitlementEvents: { enabled: false } },
        },
      },
      (started) => {
        ({ g, ledger } = started);
        g.h.sandbox.clock.set(T0);
        g.h.sandbox.clock.freeze(true);
      },
    );

    const grantAs = (key: string, input: Record<string, unknown>) =>
      g.gql(GRANT, { input: { app: APP, ...input } }, { key });

    it('grants vip for 7 days with a reason: recorded with the key name, told as SUPPORT_GRANT_CREATED', async () => {
      const answer = await grantAs(KEYS.support, {
        userId: 'p-vip',
        entitlement: 'vip',
        until: iso(T0 + 7 * DAY),
        reason: 'Compensation for the outage of 6 December',
      });
      const created = answer.data.grantEntitlement as { supportGrant: { id: string } };
      expect(created).toEqual({
        __typename: 'GrantEntitlementSuccess',
        supportGrant: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          app: APP,
          userId: 'p-vip',
          entitlement: 'vip',
          since: iso(T0),
          until: iso(T0 + 7 * DAY),
          revokedAt: null,
          reason: 'Compensation for the outage of 6 December',
          keyName: 'desk',
          revokeReason: null,
          revokedByKey: null,
        },
      });
      const events = await ledger.events.after(APP, null, 100);
      const mine = events.filter((e) => e.subject === created.supportGrant.id);
      expect(mine.map((e) => e.type)).toEqual(['SUPPORT_GRANT_CREATED']);
      const rows = await ledger.db.query<{ key_name: string; reason: string; entitlement_id: string }>(
        'SELECT key_name, reason, entitlement_id FROM support_grants WHERE id = $1',
        [created.supportGrant.id],
      );
      expect(rows).toEqual([
        { key_name: 'desk', reason: 'Compensation for the outage of 6 December', entitlement_id: 'vip' },
      ]);
    });

    const revokeAs = (key: string, input: Record<string, unknown>) =>
      g.gql(REVOKE, { input: { app: APP, ...input } }, { key });
    const player = async (userId: string, key = KEYS.support) =>
      (await g.gql(PLAYER, { app: APP, userId }, { key })).data.player as Answer;
    const eventsOf = async (subject: string) =>
      (await ledger.events.after(APP, null, 500)).filter((e) => e.subject === subject).map((e) => e.type);

    it('player: the support grant is vip, active until exactly +7 days, source SUPPORT; revoked, it ends then', async () => {
      const granted = await grantAs(KEYS.support, {
        userId: 'p-week',
        entitlement: 'vip',
        until: iso(T0 + 7 * DAY),
        reason: 'Lost purchase, ticket 4411',
      });
      const id = (granted.data.grantEntitlement as { supportGrant: { id: string } }).supportGrant.id;
      const supportGrant = {
        id,
        entitlement: 'vip',
        since: iso(T0),
        until: iso(T0 + 7 * DAY),
        revokedAt: null,
        reason: 'Lost purchase, ticket 4411',
        keyName: 'desk',
        revokeReason: null,
        revokedByKey: null,
      };
      expect(await player('p-week')).toEqual({
        __typename: 'Player',
        entitlements: [
          {
            id: 'vip',
            active: true,
            since: iso(T0),
            expiresAt: iso(T0 + 7 * DAY),
            periodType: 'DAYS',
            store: null,
            productId: null,
            source: 'SUPPORT',
            grantId: id,
            willRenew: false,
          },
        ],
        supportGrants: [supportGrant],
        events: {
          edges: [
            { node: { type: 'SUPPORT_GRANT_CREATED', grant: null, supportGrant: { id, revokedAt: null } } },
          ],
        },
      });

      g.h.sandbox.clock.advance(DAY);
      try {
        const revoked = await revokeAs(KEYS.support, { id, reason: 'Purchase found after all' });
        const revokedGrant = {
          ...supportGrant,
          app: APP,
          userId: 'p-week',
          revokedAt: iso(T0 + DAY),
          revokeReason: 'Purchase found after all',
          revokedByKey: 'desk',
        };
        expect(revoked.data.revokeGrant).toEqual({
          __typename: 'RevokeGrantSuccess',
          grant: null,
          supportGrant: revokedGrant,
        });
        const after = await player('p-week');
        expect(after.entitlements).toEqual([
          {
            id: 'vip',
            active: false,
            since: iso(T0),
            expiresAt: iso(T0 + DAY),
            periodType: 'DAYS',
            store: null,
            productId: null,
            source: 'SUPPORT',
            grantId: id,
            willRenew: false,
          },
        ]);
        expect(
          (after.events as { edges: { node: { type: string } }[] }).edges.map((e) => e.node.type),
        ).toEqual(['SUPPORT_GRANT_REVOKED', 'SUPPORT_GRANT_CREATED']);
        // A retry: the typed error, and no second event.
        const again = await revokeAs(KEYS.support, { id, reason: 'Purchase found after all' });
        expect(again.data.revokeGrant).toEqual({
          __typename: 'GrantAlreadyRevokedError',
          code: 'GRANT_ALREADY_REVOKED',
          message: 'This grant was revoked before; nothing changed.',
        });
        expect(await eventsOf(id)).toEqual(['SUPPORT_GRANT_CREATED', 'SUPPORT_GRANT_REVOKED']);
      } finally {
        g.h.sandbox.clock.set(T0);
      }
    });

    it('until absent: forever; a support grant merges with a store pass, the later end wins', async () => {
      const forever = await grantAs(KEYS.support, {
        userId: 'p-mix',
        entitlement: 'no_ads',
        reason: 'Goodwill',
      });
      const foreverId = (forever.data.grantEntitlement as { supportGrant: { id: string; until: null } })
        .supportGrant;
      expect(foreverId.until).toBeNull();
      // A 30-day vip pass bought 10 days ago (ends at T0 + 20 days), and support's vip to T0 + 40 days.
      await insertGrant(ledger.db, 'mix-pass', 'p-mix', 'vip_30d', T0 - 10 * DAY);
      const week = await grantAs(KEYS.support, {
        userId: 'p-mix',
        entitlement: 'vip',
        until: iso(T0 + 40 * DAY),
        reason: 'Extension',
      });
      const weekId = (week.data.grantEntitlement as { supportGrant: { id: string } }).supportGrant.id;
      expect((await player('p-mix')).entitlements).toEqual([
        {
          id: 'no_ads',
          active: true,
          since: iso(T0),
          expiresAt: null,
          periodType: 'FOREVER',
          store: null,
          productId: null,
          source: 'SUPPORT',
          grantId: foreverId.id,
          willRenew: false,
        },
        {
          id: 'vip',
          active: true,
          since: iso(T0 - 10 * DAY),
          expiresAt: iso(T0 + 40 * DAY),
          periodType: 'DAYS',
          store: null,
          productId: null,
          source: 'SUPPORT',
          grantId: weekId,
          willRenew: false,
        },
      ]);
    });

    it("revokes a store grant: the ledger's revocation names SUPPORT, the key and the reason; GRANT_REVOKED once", async () => {
      await insertGrant(ledger.db, 'store-pass', 'p-store', 'vip_30d', T0 - DAY);
      const revoked = await revokeAs(KEYS.support, { id: 'store-pass', reason: 'Chargeback fraud' });
      expect(revoked.data.revokeGrant).toEqual({
        __typename: 'RevokeGrantSuccess',
        grant: {
          id: 'store-pass',
          revokedAt: iso(T0),
          revocation: { source: 'SUPPORT', keyName: 'desk', reason: 'Chargeback fraud' },
        },
        supportGrant: null,
      });
      expect(await eventsOf('store-pass')).toEqual(['GRANT_REVOKED']);
      // The pass ran one day, then the revocation cut it.
      expect((await player('p-store')).entitlements).toEqual([
        {
          id: 'vip',
          active: false,
          since: iso(T0 - DAY),
          expiresAt: iso(T0),
          periodType: 'DAYS',
          store: 'GAMEBASE',
          productId: 'vip_30d',
          source: 'GRANT',
          grantId: 'store-pass',
          willRenew: false,
        },
      ]);
      const again = await revokeAs(KEYS.support, { id: 'store-pass', reason: 'Chargeback fraud' });
      expect(again.data.revokeGrant).toMatchObject({ __typename: 'GrantAlreadyRevokedError' });
      expect(await eventsOf('store-pass')).toEqual(['GRANT_REVOKED']);
    });

    it('every error of the two mutations, each before any write', async () => {
      const before = (await ledger.events.after(APP, null, 500)).length;
      const cases: [Record<string, unknown>, Answer][] = [
        [
          { userId: 'p-err', entitlement: 'gold', reason: 'x' },
          {
            __typename: 'UnknownEntitlementError',
            code: 'UNKNOWN_ENTITLEMENT',
            message: "The app's catalogue has no entitlement with this id.",
          },
        ],
        [
          { userId: 'p-err', entitlement: 'vip', until: iso(T0 - 1000), reason: 'x' },
          {
            __typename: 'InvalidInputError',
            code: 'INVALID_INPUT',
            field: 'input.until',
            message: 'input.until must be in the future.',
          },
        ],
        [
          { userId: 'p-err', entitlement: 'vip', until: iso(T0), reason: 'x' },
          {
            __typename: 'InvalidInputError',
            code: 'INVALID_INPUT',
            field: 'input.until',
            message: 'input.until must be in the future.',
          },
        ],
        ...['', '   ', 'r'.repeat(501)].map((reason): [Record<string, unknown>, Answer] => [
          { userId: 'p-err', entitlement: 'vip', reason },
          {
            __typename: 'InvalidInputError',
            code: 'INVALID_INPUT',
            field: 'input.reason',
            message: 'input.reason must be 1-500 characters: not blank, no control characters.',
          },
        ]),
      ];
      for (const [input, expected] of cases)
        expect((await grantAs(KEYS.support, input)).data.grantEntitlement, JSON.stringify(input)).toEqual(
          expected,
        );
      expect(
        (await grantAs(KEYS.support, { userId: 'p-err', entitlement: 'vip', reason: 'r'.repeat(500) })).data
          .grantEntitlement,
      ).toMatchObject({ __typename: 'GrantEntitlementSuccess' });
      expect(
        (await revokeAs(KEYS.support, { id: '00000000-0000-0000-0000-000000000000', reason: 'x' })).data
          .revokeGrant,
      ).toEqual({
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        message: 'The ledger has no grant or support grant with this id for this app.',
      });
      expect((await revokeAs(KEYS.support, { id: 'some-id', reason: '' })).data.revokeGrant).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'input.reason',
      });
      // Another app's support grant and store grant are as unknown as missing ones.
      const foreign = await ledger.grants.support.create({
        app: OTHER_APP,
        userId: 'p-err',
        entitlementId: 'vip',
        startsAt: new Date(T0),
        until: null,
        reason: 'x',
        keyName: 'other-desk',
      });
      await insertGrant(ledger.db, 'foreign-pass', 'p-err', 'vip_30d', T0);
      await ledger.db.query('UPDATE grants SET app = $1 WHERE id = $2', [OTHER_APP, 'foreign-pass']);
      for (const id of [foreign.id, 'foreign-pass']) {
        const refused = await revokeAs(KEYS.support, { id, reason: 'x' });
        expect(refused.data.revokeGrant).toMatchObject({ __typename: 'NotFoundError' });
      }
      expect((await ledger.grants.support.findById(OTHER_APP, foreign.id))?.revokedAt).toBeNull();
      expect((await ledger.grants.findById('foreign-pass'))?.revokedAt).toBeNull();
      // Only the 500-character grant (and the other app's, straight in the ledger) wrote an event.
      expect((await ledger.events.after(APP, null, 500)).length).toBe(before + 1);
      expect((await ledger.events.after(OTHER_APP, null, 500)).map((e) => e.type)).toEqual([
        'SUPPORT_GRANT_CREATED',
      ]);
    });

    it('scopes: only a support key may grant or revoke; it reads players, events and deliveries, not grants', async () => {
      const forbidden = (scope: string) => ({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
        message: `This API key lacks the "${scope}" scope.`,
      });
      await insertGrant(ledger.db, 'scoped-pass', 'p-scope', 'vip_30d', T0);
      for (const key of [KEYS.read, KEYS.write]) {
        const granted = await grantAs(key, { userId: 'p-scope', entitlement: 'vip', reason: 'x' });
        expect(granted.data.grantEntitlement).toEqual(forbidden('support'));
        const revoked = await revokeAs(key, { id: 'scoped-pass', reason: 'x' });
        expect(revoked.data.revokeGrant).toEqual(forbidden('support'));
      }
      expect(await eventsOf('scoped-pass')).toEqual([]);
      expect(await player('p-scope', KEYS.support)).toMatchObject({ __typename: 'Player' });
      const reads = await g.gql(
        `query ($app: String!) {
          gatewayEvents(app: $app, types: [SUPPORT_GRANT_CREATED], first: 1) {
            __typename ... on GatewayEventConnection { edges { node { type supportGrant { keyName } } } }
          }
          webhookDeliveries(app: $app, status: DEAD) { __typename }
          grants(app: $app, userId: "p-scope") { __typename ... on Error { message } }
        }`,
        { app: APP },
        { key: KEYS.support },
      );
      expect(reads.data).toEqual({
        gatewayEvents: {
          __typename: 'GatewayEventConnection',
          edges: [{ node: { type: 'SUPPORT_GRANT_CREATED', supportGrant: { keyName: 'desk' } } }],
        },
        webhookDeliveries: { __typename: 'WebhookDeliveryConnection' },
        grants: { __typename: 'ForbiddenError', message: 'This API key lacks the "read" scope.' },
      });
      const event = (await ledger.events.after(APP, null, 1))[0];
      const redelivered = await g.gql(
        'mutation ($input: RedeliverEventInput!) { redeliverEvent(input: $input) { __typename } }',
        { input: { app: APP, eventId: event?.id } },
        { key: KEYS.support },
      );
      expect(redelivered.data.redeliverEvent).toEqual({ __typename: 'RedeliverEventSuccess' });
    });
  });
}
