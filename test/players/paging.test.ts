import { describe, expect, it } from 'vitest';
import type { LedgerDb } from '../../src/ledger/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { countStatements } from '../helpers/ledger-statements.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 27: `player` for a player with 10,000 grants answers one ledger statement per page, on the
 * grants' user index; 100 players in one request cost one statement per kind of read, not 100.
 */

const CATALOGUE = {
  gems_day: { products: [{ store: 'GAMEBASE', gamebaseProductId: 'gem_100' }], grants: { days: 1 } },
};
const WHALE = 'whale';
const GRANTS = 10_000;
const PLAYERS = 100;
/** The grants' times: one a second, the first at BASE (ledger times are whole milliseconds). */
const BASE = Date.UTC(2026, 10, 1);

/** `count` SETTLED Gamebase grants of `userId`, one a second from `from`, in one statement. */
async function insertGrants(db: LedgerDb, userId: string, count: number, from: number): Promise<void> {
  const pg = db.kind === 'postgres';
  const at = pg ? `($3::timestamptz + i * interval '1 second')` : `($3 + i * 1000)`;
  await db.query(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $2)
     INSERT INTO grants (id, app, store, purchase_key, user_id, product_id, quantity, store_ids, fingerprint,
       action, status, created_at, settled_at, outcome)
     SELECT $4 || '-' || i, $1, 'GAMEBASE', $4 || '-' || i, $4, 'gem_100', 1,
       ${pg ? `jsonb_build_object('paymentSeq', $4 || '-' || i)` : `json_object('paymentSeq', $4 || '-' || i)`},
       'f', 'NONE', 'SETTLED', ${at}, ${at}, 'RECORDED'
     FROM n`,
    [APP, count, pg ? new Date(from) : from, userId],
  );
}

const PAGE = `query ($app: String!, $userId: String!, $after: String) {
  player(app: $app, userId: $userId) {
    ... on Player { grants(first: 100, after: $after) {
      ... on GrantConnection { edges { node { id createdAt } } pageInfo { hasNextPage endCursor } } } }
  }
}`;

const BATCH = `query ($app: String!, $userIds: [String!]!) {
  players(app: $app, userIds: $userIds) {
    __typename
    ... on QueryPlayersSuccess { data {
      userId
      entitlements { id active since expiresAt }
      subscriptions { state }
      grants(first: 5) { ... on GrantConnection { edges { node { id } } pageInfo { hasNextPage } } }
      events(first: 5) { ... on GatewayEventConnection { edges { node { type grant { id } } } } }
    } }
  }
}`;

const iso = (ms: number) => new Date(ms).toISOString();

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`player reads on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    let counter: ReturnType<typeof countStatements>;
    useLedgerGateway(backend, { gateway: { appEntitlements: CATALOGUE } }, async (started) => {
      ({ g, ledger } = started);
      await insertGrants(ledger.db, WHALE, GRANTS, BASE);
      for (let p = 0; p < PLAYERS; p++) {
        await insertGrants(ledger.db, `player-${p}`, 2, BASE + p * 10_000);
        const grant = await ledger.grants.findById(`player-${p}-1`);
        if (grant === null) throw new Error('inserted grant not found');
        await ledger.events.record({ app: APP, type: 'GRANT_SETTLED', subject: grant.id, data: { grant } });
      }
      counter = countStatements(ledger.db);
    });

    it('10,000 grants: 100 pages, newest first, each one statement on the user index', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < GRANTS / 100; page++) {
        let answer: Record<string, unknown> = {};
        const sent = await counter.during(async () => {
          answer = (await g.gql(PAGE, { app: APP, userId: WHALE, after })).data;
        });
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatch(/FROM grants\s+WHERE app = \$1 AND user_id = \$2/);
        const grants = (
          answer.player as {
            grants: {
              edges: { node: { id: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          }
        ).grants;
        ids.push(...grants.edges.map((e) => e.node.id));
        expect(grants.pageInfo.hasNextPage).toBe(page < GRANTS / 100 - 1);
        after = grants.pageInfo.endCursor;
      }
      expect(ids).toEqual(Array.from({ length: GRANTS }, (_, i) => `${WHALE}-${GRANTS - 1 - i}`));
    });

    it("the page's statement reads the grants' user index, not the table", async () => {
      const explain = ledger.db.kind === 'postgres' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
      const { PlayerReads } = await import('../../src/ledger/index.js');
      const reads = new PlayerReads(ledger.db, ledger.events);
      let plan = '';
      const db = ledger.db;
      const query = db.query.bind(db);
      Object.assign(db, {
        query: async <R>(sql: string, params?: readonly unknown[]) => {
          if (sql.includes('UNION ALL') || sql.includes('page_index')) {
            const rows = await query<Record<string, unknown>>(`${explain} ${sql}`, params);
            plan = rows.map((r) => Object.values(r).join(' ')).join('\n');
          }
          return query<R>(sql, params);
        },
      });
      try {
        await reads.grantPages(APP, [{ userId: WHALE, first: 100 }]);
      } finally {
        Object.assign(db, { query });
      }
      expect(plan).toMatch(/grants_user/);
    });

    it('the entitlement of 10,000 one-day grants: stacked, one run of 10,000 days from the first', async () => {
      const sent = await counter.during(async () => {
        const data = (
          await g.gql(
            `query ($app: String!) { player(app: $app, userId: "${WHALE}") { ... on Player { entitlements { id active since expiresAt } } } }`,
            { app: APP },
          )
        ).data;
        expect(data.player).toEqual({
          entitlements: [
            {
              id: 'gems_day',
              // Active until 2054: 10,000 one-day passes queue one after another from 2026-11-01.
              active: true,
              since: iso(BASE),
              expiresAt: iso(BASE + GRANTS * 86_400_000),
            },
          ],
        });
      });
      // The catalogue's grants, the subscriptions' grants, their tracked rows and the support grants.
      expect(sent).toHaveLength(4);
      expect(sent.filter((sql) => sql.includes('FROM support_grants'))).toHaveLength(1);
    });

    it('100 players in one request: one statement per kind of read (6), each player answered', async () => {
      const userIds = Array.from({ length: PLAYERS }, (_, p) => `player-${p}`);
      let data: Record<string, unknown> = {};
      const sent = await counter.during(async () => {
        data = (await g.gql(BATCH, { app: APP, userIds })).data;
      });
      // Catalogue grants, subscription grants, tracked rows, support grants, grant pages, event pages.
      expect(sent).toHaveLength(6);
      expect(
        sent.filter((sql) => /FROM support_grants\s+WHERE app = \$1 AND user_id IN/.test(sql)),
      ).toHaveLength(1);
      expect(sent.filter((sql) => sql.includes('UNION ALL'))).toHaveLength(2);
      expect(sent.filter((sql) => sql.includes('FROM tracked_subscriptions'))).toHaveLength(1);
      const players = (data.players as { data: Record<string, unknown>[] }).data;
      expect(players).toHaveLength(PLAYERS);
      players.forEach((player, p) => {
        const first = BASE + p * 10_000;
        expect(player).toEqual({
          userId: `player-${p}`,
          entitlements: [
            { id: 'gems_day', active: false, since: iso(first), expiresAt: iso(first + 2 * 86_400_000) },
          ],
          subscriptions: [],
          grants: {
            edges: [{ node: { id: `player-${p}-1` } }, { node: { id: `player-${p}-0` } }],
            pageInfo: { hasNextPage: false },
          },
          events: { edges: [{ node: { type: 'GRANT_SETTLED', grant: { id: `player-${p}-1` } } }] },
        });
      });
    });

    it('101 players are refused before any ledger read', async () => {
      const userIds = Array.from({ length: PLAYERS + 1 }, (_, p) => `player-${p}`);
      let data: Record<string, unknown> = {};
      const sent = await counter.during(async () => {
        data = (await g.gql(`${BATCH}`, { app: APP, userIds })).data;
      });
      expect(sent).toEqual([]);
      expect(data.players).toMatchObject({ __typename: 'InvalidInputError' });
    });
  });
}
