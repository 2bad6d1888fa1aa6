import { describe, expect, it } from 'vitest';
import { LedgerUnavailable } from '../../src/ledger/index.js';
import {
  type LedgerStorage,
  openLedgerStorage,
  type RedemptionService,
} from '../../src/redemption/service.js';
import { LedgerState } from '../../src/server/ledger-state.js';

/** A started service as the state sees it: its storage, and whether `stop()` ran. */
function fakeService(storage: LedgerStorage) {
  const service = {
    storage,
    stopped: 0,
    stop: () => {
      service.stopped += 1;
    },
  };
  return service as typeof service & RedemptionService;
}

describe('LedgerState, the gateway’s one handle on its ledger', () => {
  it('opens the default ledger on first use, once for callers at the same time, then starts what waits on it', async () => {
    const storage = await openLedgerStorage({});
    let opens = 0;
    const started: RedemptionService[] = [];
    const state = new LedgerState({
      open: async () => {
        opens += 1;
        return storage;
      },
      start: async (s) => fakeService(s),
    });
    state.whenOpen((service) => started.push(service));
    state.begin();
    expect(opens).toBe(0);
    expect(state.describe()).toBe('in memory, opened on first use');
    const [a, b] = await Promise.all([state.redemption(), state.storage()]);
    expect(opens).toBe(1);
    expect(b).toBe(storage);
    expect(started).toEqual([a]);
    expect(state.describe()).toBe('sqlite');
    expect(state.writeProblem()).toBeNull();
    await state.close();
    expect((a as ReturnType<typeof fakeService>).stopped).toBe(1);
    // The gateway opened it, so it closed it.
    await expect(storage.db.query('SELECT 1', [])).rejects.toThrow();
  });

  it('a failed open is LedgerUnavailable, and the next call opens again', async () => {
    const storage = await openLedgerStorage({});
    let attempts = 0;
    const state = new LedgerState({
      open: async () => storage,
      start: async (s) => {
        attempts += 1;
        if (attempts === 1) throw new Error('database down');
        return fakeService(s);
      },
    });
    await expect(state.redemption()).rejects.toBeInstanceOf(LedgerUnavailable);
    expect(state.describe()).toBe('in memory, opened on first use');
    expect((await state.redemption()).storage).toBe(storage);
    expect(attempts).toBe(2);
    await state.close();
  });

  it('a given ledger opens at begin(), reads as recovering until its start-up is done, and stays open at close', async () => {
    const storage = await openLedgerStorage({});
    let recovered: () => void = () => undefined;
    const recovery = new Promise<void>((resolve) => {
      recovered = resolve;
    });
    let opens = 0;
    const state = new LedgerState({
      given: storage.db,
      open: async () => {
        opens += 1;
        return storage;
      },
      start: async (s) => {
        await recovery;
        return fakeService(s);
      },
    });
    state.begin();
    expect(opens).toBe(1);
    expect(state.describe()).toBe('sqlite (recovering)');
    recovered();
    await state.redemption();
    expect(opens).toBe(1);
    expect(state.describe()).toBe('sqlite');
    await state.close();
    expect(await storage.db.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
    await storage.db.close();
  });
});
