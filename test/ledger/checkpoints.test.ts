import { describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../src/ledger/index.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { ledgerDbOn } from '../helpers/ledger-db.js';

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`CheckpointStore on ${backend.name}`, () => {
    let checkpoints: CheckpointStore;
    ledgerDbOn(backend, (db) => {
      checkpoints = new CheckpointStore(db);
    });

    it('gives the lease to one owner at a time, not again to its holder, and frees it on release', async () => {
      expect(await checkpoints.get('app', 'onestore.voided')).toBeNull();
      const racers = await Promise.all(
        ['a', 'b', 'c', 'd'].map((o) => checkpoints.acquire('app', 'onestore.voided', o, 60_000)),
      );
      const winners = racers.filter((c) => c !== null);
      expect(winners).toHaveLength(1);
      const owner = winners[0]?.leaseOwner ?? '';
      const other = owner === 'a' ? 'b' : 'a';
      expect(await checkpoints.acquire('app', 'onestore.voided', other, 60_000)).toBeNull();
      // Its holder neither: a process is one owner, and a second run of it (a timer tick while the
      // last run still reads) must not walk beside the first (issue 24).
      expect(await checkpoints.acquire('app', 'onestore.voided', owner, 60_000)).toBeNull();
      // Another source or app is another lease.
      expect(await checkpoints.acquire('app', 'nhncloud.voided', other, 60_000)).not.toBeNull();
      await checkpoints.releaseLease('app', 'onestore.voided', other); // not its lease: no effect
      expect((await checkpoints.get('app', 'onestore.voided'))?.leaseOwner).toBe(owner);
      await checkpoints.releaseLease('app', 'onestore.voided', owner);
      expect(await checkpoints.get('app', 'onestore.voided')).toMatchObject({
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      expect((await checkpoints.acquire('app', 'onestore.voided', other, 60_000))?.leaseOwner).toBe(other);
    });

    it('a save with renewMs keeps the lease of a run that makes progress', async () => {
      expect(await checkpoints.acquire('app4', 'src', 'me', 300)).not.toBeNull();
      const progress = { windowStart: null, windowEnd: null, continuationKey: 'k' };
      for (let i = 0; i < 4; i++) {
        await sleep(150);
        expect(await checkpoints.save('app4', 'src', 'me', progress, 300)).toBe(true);
      }
      // 600 ms after it was taken for 300 ms, the lease is still held.
      expect(await checkpoints.acquire('app4', 'src', 'other', 60_000)).toBeNull();
      // A save without renewMs leaves it to expire.
      expect(await checkpoints.save('app4', 'src', 'me', progress)).toBe(true);
      await sleep(400);
      expect((await checkpoints.acquire('app4', 'src', 'other', 60_000))?.leaseOwner).toBe('other');
    });

    it('lets another owner in once the lease expired, and the old owner can no longer save', async () => {
      expect(await checkpoints.acquire('app2', 'src', 'old', 120)).not.toBeNull();
      expect(await checkpoints.acquire('app2', 'src', 'new', 60_000)).toBeNull();
      await sleep(200);
      const progress = { windowStart: null, windowEnd: null, continuationKey: 'k' };
      expect(await checkpoints.save('app2', 'src', 'old', progress)).toBe(false);
      expect((await checkpoints.acquire('app2', 'src', 'new', 60_000))?.leaseOwner).toBe('new');
      expect(await checkpoints.save('app2', 'src', 'old', progress)).toBe(false);
    });

    it('saves progress only for the holder; completedUntil never moves back', async () => {
      await checkpoints.acquire('app3', 'src', 'me', 60_000);
      const windowStart = new Date('2026-01-01T00:00:00.000Z');
      const windowEnd = new Date('2026-01-02T00:00:00.000Z');
      const later = new Date('2026-01-01T00:00:00.000Z');
      expect(
        await checkpoints.save('app3', 'src', 'me', { windowStart, windowEnd, continuationKey: 'ck-1' }),
      ).toBe(true);
      expect(await checkpoints.get('app3', 'src')).toMatchObject({
        windowStart,
        windowEnd,
        continuationKey: 'ck-1',
        completedUntil: null,
      });
      const done = { windowStart: null, windowEnd: null, continuationKey: null };
      expect(await checkpoints.save('app3', 'src', 'me', { ...done, completedUntil: later })).toBe(true);
      expect(await checkpoints.save('app3', 'src', 'me', { ...done, completedUntil: new Date(0) })).toBe(
        true,
      );
      expect(await checkpoints.save('app3', 'src', 'me', done)).toBe(true);
      expect(await checkpoints.get('app3', 'src')).toMatchObject({ ...done, completedUntil: later });
      expect(await checkpoints.save('app3', 'src', 'intruder', { ...done, continuationKey: 'x' })).toBe(
        false,
      );
      expect(await checkpoints.save('app3', 'nope', 'me', done)).toBe(false);
      // A window that ends before it starts is refused by the database.
      await expect(
        checkpoints.save('app3', 'src', 'me', {
          windowStart: windowEnd,
          windowEnd: windowStart,
          continuationKey: null,
        }),
      ).rejects.toThrow(/check constraint/i);
    });
  });
}
