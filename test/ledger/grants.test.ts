import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GrantNotFoundError, GrantStore, type LedgerDb, type NewGrant } from '../../src/ledger/index.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { ledgerDbOn } from '../helpers/ledger-db.js';

function newGrant(overrides: Partial<NewGrant> = {}): NewGrant {
  return {
    app: 'game-a',
    store: 'ONESTORE',
    purchaseKey: `token-${randomUUID()}`,
    userId: 'user-1',
    productId: 'gem_100',
    quantity: 1,
    storeIds: { purchaseToken: 'tok', orderId: 'ORD-1' },
    fingerprint: 'fp-1',
    idempotencyKey: null,
    action: 'CONSUME',
    ...overrides,
  };
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`GrantStore on ${backend.name}`, () => {
    let db: LedgerDb;
    let grants: GrantStore;
    ledgerDbOn(backend, (opened) => {
      db = opened;
      grants = new GrantStore(db);
    });

    it('claims a purchase as PENDING with a lease on the database clock, mapped to camelCase', async () => {
      const input = newGrant({ quantity: 3, idempotencyKey: `key-${randomUUID()}` });
      const result = await grants.claim(input, 'replica-1', 60_000);
      if (!result.claimed) throw new Error('expected a claim');
      const { grant } = result;
      expect(grant).toMatchObject({ ...input, status: 'PENDING', leaseOwner: 'replica-1', attempts: 1 });
      expect(grant.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(grant.createdAt).toBeInstanceOf(Date);
      expect(grant.leaseExpiresAt).toBeInstanceOf(Date);
      const leaseMs = (grant.leaseExpiresAt?.getTime() ?? 0) - grant.createdAt.getTime();
      expect(leaseMs).toBeGreaterThan(59_000);
      expect(leaseMs).toBeLessThan(61_000);
      expect(grant.settledAt).toBeNull();
      expect(grant.revokedAt).toBeNull();
      expect(await grants.findById(grant.id)).toEqual(grant);
      expect(await grants.findByPurchase(input.app, input.store, input.purchaseKey)).toEqual(grant);
      expect(await grants.findByIdempotencyKey(input.app, input.idempotencyKey ?? '')).toEqual(grant);
    });

    it('lets exactly one of 200 concurrent claims of one purchase win', async () => {
      const purchaseKey = `race-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          grants.claim(newGrant({ purchaseKey, userId: `user-${i}` }), `replica-${i}`, 60_000),
        ),
      );
      const winners = results.filter((r) => r.claimed);
      expect(winners).toHaveLength(1);
      const losers = results.filter((r) => !r.claimed);
      expect(new Set(losers.map((r) => (r.claimed ? '' : `${r.conflictOn}:${r.existing.id}`)))).toEqual(
        new Set([`purchase:${winners[0]?.claimed ? winners[0].grant.id : ''}`]),
      );
      const rows = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM grants WHERE app = $1 AND store = $2 AND purchase_key = $3',
        ['game-a', 'ONESTORE', purchaseKey],
      );
      expect(Number(rows[0]?.n)).toBe(1);
    });

    it('tells a reused idempotency key from a purchase conflict', async () => {
      const key = `key-${randomUUID()}`;
      const first = await grants.claim(newGrant({ idempotencyKey: key }), 'r1', 60_000);
      expect(first.claimed).toBe(true);
      // Same key, another purchase: the key's row, flagged as an idempotency-key conflict.
      const reuse = await grants.claim(newGrant({ idempotencyKey: key, fingerprint: 'fp-2' }), 'r2', 60_000);
      expect(reuse).toMatchObject({ claimed: false, conflictOn: 'idempotencyKey' });
      // Same key in another app is another key.
      const otherApp = await grants.claim(newGrant({ app: 'game-b', idempotencyKey: key }), 'r2', 60_000);
      expect(otherApp.claimed).toBe(true);
      // Same purchase under another key (or none): a purchase conflict.
      if (!first.claimed) throw new Error('unreachable');
      const { purchaseKey, id } = first.grant;
      const asR3 = (overrides: Partial<NewGrant>) => grants.claim(newGrant(overrides), 'r3', 60_000);
      const again = await asR3({ purchaseKey, idempotencyKey: `key-${randomUUID()}` });
      expect(again).toMatchObject({ claimed: false, conflictOn: 'purchase', existing: { id } });
      // Same purchase, same key: the key wins (a retry of the same request).
      const retry = await asR3({ purchaseKey, idempotencyKey: key });
      expect(retry).toMatchObject({ claimed: false, conflictOn: 'idempotencyKey', existing: { id } });
      // The same purchase key at another store is another purchase.
      const otherStore = await asR3({ store: 'NHN_CLOUD', purchaseKey });
      expect(otherStore.claimed).toBe(true);
    });

    it('hands a PENDING grant over only after its lease expired, once', async () => {
      const claim = await grants.claim(newGrant(), 'owner-a', 150);
      if (!claim.claimed) throw new Error('expected a claim');
      expect(await grants.takeOver(claim.grant.id, 'owner-b', 60_000)).toBeNull();
      await sleep(250);
      const racers = await Promise.all(
        ['owner-b', 'owner-c', 'owner-d'].map((o) => grants.takeOver(claim.grant.id, o, 60_000)),
      );
      const taken = racers.filter((g) => g !== null);
      expect(taken).toHaveLength(1);
      expect(taken[0]?.attempts).toBe(2);
      expect(['owner-b', 'owner-c', 'owner-d']).toContain(taken[0]?.leaseOwner);
      // force ignores a live lease (embedded start-up) but never a settled grant.
      const forced = await grants.takeOver(claim.grant.id, 'owner-e', 60_000, { force: true });
      expect(forced).toMatchObject({ leaseOwner: 'owner-e', attempts: 3 });
      await grants.settle(claim.grant.id, 'CONSUMED');
      expect(await grants.takeOver(claim.grant.id, 'owner-f', 100, { force: true })).toBeNull();
      expect(await grants.takeOver(randomUUID(), 'owner-f', 100)).toBeNull();
    });

    it('settles once, merging store ids; settling again changes nothing', async () => {
      const claim = await grants.claim(newGrant(), 'owner-a', 60_000);
      if (!claim.claimed) throw new Error('expected a claim');
      const settled = await grants.settle(claim.grant.id, 'CONSUMED', { orderId: 'ORD-2', paymentId: 'P-9' });
      expect(settled).toMatchObject({ status: 'SETTLED', outcome: 'CONSUMED', leaseExpiresAt: null });
      expect(settled.leaseOwner).toBe('owner-a');
      expect(settled.settledAt).toBeInstanceOf(Date);
      expect(settled.storeIds).toEqual({ purchaseToken: 'tok', orderId: 'ORD-2', paymentId: 'P-9' });
      const again = await grants.settle(claim.grant.id, 'ACKNOWLEDGED', { orderId: 'other' });
      expect(again).toEqual(settled);
      await expect(grants.settle(randomUUID(), 'CONSUMED')).rejects.toBeInstanceOf(GrantNotFoundError);
    });

    it('releases only for the lease owner, and the purchase can then be claimed again', async () => {
      const input = newGrant();
      const claim = await grants.claim(input, 'owner-a', 60_000);
      if (!claim.claimed) throw new Error('expected a claim');
      expect(await grants.release(claim.grant.id, 'owner-b')).toBe(false);
      expect(await grants.release(claim.grant.id, 'owner-a')).toBe(true);
      expect(await grants.release(claim.grant.id, 'owner-a')).toBe(false);
      expect(await grants.findById(claim.grant.id)).toBeNull();
      const reclaim = await grants.claim(input, 'owner-b', 60_000);
      expect(reclaim.claimed).toBe(true);
      if (!reclaim.claimed) return;
      await grants.settle(reclaim.grant.id, 'CONSUMED');
      expect(await grants.release(reclaim.grant.id, 'owner-b')).toBe(false);
    });

    it('lists expired PENDING grants for the sweeper, or all of them with includeLive', async () => {
      // Settle what earlier tests left pending so only this test's grants are PENDING.
      for (const g of await grants.pending({ limit: 500, includeLive: true }))
        await grants.settle(g.id, 'TEST');
      const short = await grants.claim(newGrant(), 'sweep-a', 100);
      const live = await grants.claim(newGrant(), 'sweep-b', 60_000);
      const done = await grants.claim(newGrant(), 'sweep-c', 100);
      if (!short.claimed || !live.claimed || !done.claimed) throw new Error('expected claims');
      await grants.settle(done.grant.id, 'CONSUMED');
      await sleep(200);
      expect((await grants.pending({ limit: 10 })).map((g) => g.id)).toEqual([short.grant.id]);
      expect((await grants.pending({ limit: 10, includeLive: true })).map((g) => g.id)).toEqual([
        short.grant.id,
        live.grant.id,
      ]);
      expect(await grants.pending({ limit: 1, includeLive: true })).toHaveLength(1);
      await expect(grants.pending({ limit: 0 })).rejects.toBeInstanceOf(RangeError);
    });

    it('revokes once: the first revocation wins', async () => {
      const input = newGrant({ store: 'NHN_CLOUD', purchaseKey: `seq-${randomUUID()}` });
      const claim = await grants.claim(input, 'owner-a', 60_000);
      if (!claim.claimed) throw new Error('expected a claim');
      const at = new Date('2026-05-01T12:34:56.789Z');
      const revoked = await grants.revoke(
        input.app,
        input.store,
        input.purchaseKey,
        { reason: 'REFUND' },
        at,
      );
      expect(revoked).toMatchObject({ id: claim.grant.id, revokedAt: at, revocation: { reason: 'REFUND' } });
      const second = await grants.revoke(
        input.app,
        input.store,
        input.purchaseKey,
        { reason: 'OTHER' },
        new Date(),
      );
      expect(second).toBeNull();
      expect((await grants.findById(claim.grant.id))?.revocation).toEqual({ reason: 'REFUND' });
      expect(await grants.revoke(input.app, input.store, 'no-such-purchase', { reason: 'X' }, at)).toBeNull();
    });

    it('leaves uniqueness and value checks to the database', async () => {
      await expect(grants.claim(newGrant({ quantity: 0 }), 'o', 1000)).rejects.toThrow(/check constraint/i);
      await expect(grants.claim(newGrant(), 'o', 0)).rejects.toBeInstanceOf(RangeError);
    });
  });
}
