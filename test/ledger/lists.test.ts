import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Grant,
  GrantStore,
  InvalidCursorError,
  InvalidPageSizeError,
  type NewGrant,
} from '../../src/ledger/index.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerDbOn } from '../helpers/ledger-db.js';

const grantFor = (userId: string): NewGrant => ({
  app: 'game-l',
  store: 'ONESTORE',
  purchaseKey: `token-${randomUUID()}`,
  userId,
  productId: 'gem_100',
  quantity: 1,
  storeIds: {},
  fingerprint: 'fp',
  idempotencyKey: null,
  action: 'ACKNOWLEDGE',
});

/** Follows endCursor to the end, checking the page shape on the way. */
async function collect(
  fetchPage: (
    after: string | undefined,
  ) => Promise<{ grants: Grant[]; hasNextPage: boolean; endCursor: string | null }>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 1; pages < 100; pages++) {
    const page = await fetchPage(after);
    ids.push(...page.grants.map((g) => g.id));
    if (!page.hasNextPage) return { ids, pages };
    expect(page.endCursor).not.toBeNull();
    after = page.endCursor ?? undefined;
  }
  throw new Error('pagination did not end');
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`grant lists on ${backend.name}`, () => {
    let grants: GrantStore;
    const mine: Grant[] = [];

    ledgerDbOn(backend, async (db) => {
      grants = new GrantStore(db);
      // Concurrent claims, so many share a created_at millisecond and the id must break ties.
      const results = await Promise.all(
        Array.from({ length: 23 }, () => grants.claim(grantFor('u-list'), 'o', 60_000)),
      );
      for (const r of results) if (r.claimed) mine.push(r.grant);
      await grants.claim(grantFor('someone-else'), 'o', 60_000);
    });

    it("pages a user's grants newest first, each exactly once", async () => {
      expect(mine).toHaveLength(23);
      const expected = [...mine]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
        .map((g) => g.id);
      const { ids, pages } = await collect((after) =>
        grants.listByUser('game-l', 'u-list', { first: 5, after }),
      );
      expect(pages).toBe(5);
      expect(ids).toEqual(expected);
      const all = await grants.listByUser('game-l', 'u-list', { first: 23 });
      expect(all).toMatchObject({ hasNextPage: false });
      expect(all.grants).toHaveLength(23);
      expect(await grants.listByUser('game-l', 'nobody', { first: 5 })).toEqual({
        grants: [],
        hasNextPage: false,
        endCursor: null,
      });
    });

    it('pages revoked grants oldest first from `since`', async () => {
      const base = Date.parse('2026-03-01T00:00:00.000Z');
      // Pairs share a revocation instant, to exercise the id tie-breaker.
      for (const [i, g] of mine.slice(0, 12).entries()) {
        const at = new Date(base + Math.floor(i / 2) * 1000);
        await grants.revoke(g.app, g.store, g.purchaseKey, { reason: `r${i}` }, at);
      }
      const since = new Date(base + 2000);
      const expected = (await Promise.all(mine.slice(4, 12).map((g) => grants.findById(g.id))))
        .filter((g) => g !== null)
        .sort(
          (a, b) => (a.revokedAt?.getTime() ?? 0) - (b.revokedAt?.getTime() ?? 0) || (a.id < b.id ? -1 : 1),
        )
        .map((g) => g.id);
      expect(expected).toHaveLength(8);
      const { ids, pages } = await collect((after) =>
        grants.listRevoked('game-l', since, { first: 3, after }),
      );
      expect(pages).toBe(3);
      expect(ids).toEqual(expected);
      expect((await grants.listRevoked('other-app', since, { first: 3 })).grants).toEqual([]);
    });

    it('refuses a bad or foreign cursor with InvalidCursorError, and a bad page size', async () => {
      const userPage = await grants.listByUser('game-l', 'u-list', { first: 2 });
      const userCursor = userPage.endCursor ?? '';
      const forged = Buffer.from(JSON.stringify({ l: 'user', t: 'yesterday', i: 'x' })).toString('base64url');
      for (const bad of ['', 'not a cursor!', 'AAAA', Buffer.from('[1,2]').toString('base64url'), forged]) {
        await expect(grants.listByUser('game-l', 'u-list', { first: 2, after: bad })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      }
      await expect(
        grants.listRevoked('game-l', new Date(0), { first: 2, after: userCursor }),
      ).rejects.toThrow(InvalidCursorError);
      await expect(grants.listByUser('game-l', 'u-list', { first: 0 })).rejects.toBeInstanceOf(
        InvalidPageSizeError,
      );
      await expect(grants.listByUser('game-l', 'u-list', { first: 501 })).rejects.toBeInstanceOf(
        InvalidPageSizeError,
      );
    });
  });
}
