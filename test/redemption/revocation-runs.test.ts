import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { StoreRegistry } from '../../src/entitlements/app-stores.js';
import { voidedSource } from '../../src/redemption/revocations.js';
import { type LedgerStorage, openLedgerStorage, RedemptionService } from '../../src/redemption/service.js';
import { type StoreObserver, silentObserver } from '../../src/stores/index.js';
import {
  documentExample,
  type FakeListStore,
  type ListCall,
  listPage,
  startFakeListStore,
  storeError,
} from '../helpers/fake-onestore-lists.js';
import { sleep } from '../helpers/ledger.js';

/**
 * The revocation sync's runs (issue 24, point 1): one run per app and market at a time, in process
 * and through the checkpoint's lease; a market or an app that fails or hangs delays none of the
 * others; a page budget per run, resumed by the next run. Over a fake ONE store, in process.
 */

const LOOP = { app: 'loop', clientId: 'com.example.loop' };
const NEXT = { app: 'next', clientId: 'com.example.next' };

interface Setup {
  store: FakeListStore;
  storage: LedgerStorage;
  services: RedemptionService[];
  registry: StoreRegistry;
  events: string[];
  lines: { obj: Record<string, unknown>; msg: string }[];
}

let setup: Setup | undefined;

async function start(
  answering: (call: ListCall) => ReturnType<typeof listPage> | undefined,
  options: { intervalMs?: number; pageBudget?: number; replicas?: number } = {},
): Promise<Setup> {
  const store = await startFakeListStore(answering);
  const config = resolveConfig(
    {
      apps: {
        [LOOP.app]: {
          onestore: {
            clientId: LOOP.clientId,
            clientSecret: { env: 'SECRET' },
            baseUrl: store.url,
            markets: ['MKT_ONE', 'MKT_GLB'],
          },
        },
        [NEXT.app]: {
          onestore: { clientId: NEXT.clientId, clientSecret: { env: 'SECRET' }, baseUrl: store.url },
        },
      },
      apiKeys: [{ name: 'ops', sha256: 'a'.repeat(64), apps: [LOOP.app], scopes: ['read'] }],
      breaker: { enabled: false },
      ...(options.pageBudget !== undefined && { listPageBudget: options.pageBudget }),
    },
    { SECRET: 'secret' },
  );
  const events: string[] = [];
  const lines: Setup['lines'] = [];
  const observer: StoreObserver = {
    ...silentObserver,
    pagingLoop: (s, e) => void events.push(`loop ${s} ${e}`),
    pagingBudgetSpent: (s, e) => void events.push(`budget ${s} ${e}`),
  };
  const log = {
    debug() {},
    info() {},
    warn: (obj: Record<string, unknown>, msg: string) => void lines.push({ obj, msg }),
  };
  const registry = new StoreRegistry(config, { observer, logger: log });
  const storage = await openLedgerStorage({});
  const settings = {
    leaseMs: 30_000,
    inProgressWaitMs: 0,
    sweepIntervalMs: 0,
    revocationSyncIntervalMs: options.intervalMs ?? 0,
    revocationOverlapMs: 86_400_000,
    pnsStoreDisagreesTtlMs: 0,
  };
  const services = Array.from(
    { length: options.replicas ?? 1 },
    () => new RedemptionService(storage, registry, settings, log),
  );
  setup = { store, storage, services, registry, events, lines };
  return setup;
}

afterEach(async () => {
  if (!setup) return;
  for (const service of setup.services) service.stop();
  await setup.registry.close();
  await setup.storage.db.close();
  await setup.store.close();
  setup = undefined;
});

const lastPage = (call: ListCall) => listPage(call.list, null);
const looping = (call: ListCall) =>
  call.clientId === LOOP.clientId && call.market === 'MKT_ONE' ? documentExample(call.list) : lastPage(call);

describe('one run per app and market', () => {
  it('ticks faster than the store answers start no second walk beside the running one', async () => {
    const { store, services } = await start(looping, { intervalMs: 20 });
    store.delayMs = 100;
    const [service] = services;
    await service?.start([LOOP.app, NEXT.app]);
    const passes = () => store.of(LOOP.clientId, 'MKT_ONE').filter((c) => c.continuationKey === null).length;
    for (let waited = 0; passes() < 3 && waited < 10_000; waited += 20) await sleep(20);
    service?.stop();
    expect(passes()).toBeGreaterThanOrEqual(3);
    // About 15 ticks per pass of two 100 ms answers: none started a walk beside the running one.
    expect([...store.maxInFlight.values()]).toEqual([1, 1, 1]);
    expect(store.of(LOOP.clientId, 'MKT_ONE').length).toBeLessThanOrEqual(2 * passes());
  });

  it('two runs of one app asked at once in one process: one reads, the other reports ran: false', async () => {
    const { store, services } = await start(lastPage);
    const sync = services[0]?.revocations;
    const [a, b] = await Promise.all([sync?.syncApp(NEXT.app), sync?.syncApp(NEXT.app)]);
    expect([a?.ran, b?.ran].sort()).toEqual([false, true]);
    expect(store.of(NEXT.clientId, 'MKT_ONE')).toHaveLength(1);
  });

  it('two replicas on one ledger: the lease lets one of them read', async () => {
    const { store, services } = await start(lastPage, { replicas: 2 });
    const runs = await Promise.all(services.map((s) => s.revocations.syncApp(NEXT.app)));
    expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(store.of(NEXT.clientId, 'MKT_ONE')).toHaveLength(1);
  });
});

describe('a market or an app that hangs or fails delays none of the others', () => {
  it("MKT_GLB and the next app are read while MKT_ONE's answer is still awaited", async () => {
    const { store, services } = await start(lastPage);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    store.hold = (call) => (call.clientId === LOOP.clientId && call.market === 'MKT_ONE' ? gate : undefined);
    const pass = services[0]?.syncRevocations([LOOP.app, NEXT.app]);
    for (let waited = 0; store.answered < 2 && waited < 5_000; waited += 10) await sleep(10);
    expect(store.of(LOOP.clientId, 'MKT_GLB')).toHaveLength(1);
    expect(store.of(NEXT.clientId, 'MKT_ONE')).toHaveLength(1);
    expect(store.answered).toBe(2);
    open();
    const results = await pass;
    expect(results?.map((r) => [r.app, r.ran, r.failed.length, r.completedUntil !== null])).toEqual([
      [LOOP.app, true, 0, true],
      [NEXT.app, true, 0, true],
    ]);
  });

  it('a market that fails is listed with its error, on the mutation path too, after the others ran', async () => {
    const { store, services, events, lines } = await start(looping);
    const service = services[0];
    const [loop] = (await service?.syncRevocations([LOOP.app])) ?? [];
    expect(loop?.failed.map((f) => [f.market, (f.error as { code?: string }).code])).toEqual([
      ['MKT_ONE', 'CONTINUATION_LOOP'],
    ]);
    expect(events).toEqual(['loop onestore onestore.getVoidedPurchases']);
    expect(lines.map((l) => l.msg)).toEqual([
      'the store repeated a continuationKey: walk ended',
      'revocation sync of one market failed; the next run retries',
    ]);
    store.calls.length = 0;
    const again = await service?.syncApp(LOOP.app);
    expect(again?.failed).toEqual([
      {
        market: 'MKT_ONE',
        error: expect.objectContaining({
          endpoint: 'onestore.getVoidedPurchases',
          code: 'CONTINUATION_LOOP',
        }),
      },
    ]);
    expect(store.of(LOOP.clientId, 'MKT_GLB')).toHaveLength(1);
    // The looping key is not kept: the next run reads the window from its start.
    const saved = await service?.storage.checkpoints.get(LOOP.app, voidedSource('MKT_ONE'));
    expect(saved).toMatchObject({ continuationKey: null, leaseOwner: null });
  });
});

describe('a page budget per run', () => {
  it('a run stops at the budget with its key saved, and the next run resumes there', async () => {
    // An endless list of distinct keys until `last`, then the last page.
    let last = Number.POSITIVE_INFINITY;
    const chain = (call: ListCall) => {
      const n = call.continuationKey === null ? 0 : Number(call.continuationKey.slice(1));
      return listPage(call.list, n + 1 >= last ? null : `k${n + 1}`);
    };
    const { store, services, events } = await start(chain, { pageBudget: 3 });
    const sync = services[0]?.revocations;
    const first = await sync?.syncApp(NEXT.app);
    expect(first).toMatchObject({ ran: true, pages: 3, completedUntil: null, failed: [] });
    expect(events).toEqual(['budget onestore onestore.getVoidedPurchases']);
    const saved = await services[0]?.storage.checkpoints.get(NEXT.app, voidedSource('MKT_ONE'));
    expect(saved).toMatchObject({ continuationKey: 'k3', completedUntil: null });

    last = 5;
    store.calls.length = 0;
    const second = await sync?.syncApp(NEXT.app);
    expect(store.of(NEXT.clientId, 'MKT_ONE').map((c) => c.continuationKey)).toEqual(['k3', 'k4']);
    expect(second).toMatchObject({ ran: true, pages: 2, completedUntil: expect.any(Date) });
  });
});

describe('a continuationKey the client will not send back', () => {
  it('does not stall the market for good: once the store answers well again, the next run reads it', async () => {
    // Page 1 hands out a key with a space: outside the client's rule (1-256 printable ASCII), so the
    // client would refuse to send it. The walk ends there and no checkpoint keeps the key.
    let broken = true;
    const answering = (call: ListCall) =>
      broken && call.continuationKey === null ? listPage(call.list, 'next page') : listPage(call.list, null);
    const { store, services } = await start(answering);
    const sync = services[0]?.revocations;
    const first = await sync?.syncApp(NEXT.app);
    expect(first?.failed.map((f) => [f.market, (f.error as { code?: string }).code])).toEqual([
      ['MKT_ONE', 'CONTINUATION_KEY_REFUSED'],
    ]);
    const saved = await services[0]?.storage.checkpoints.get(NEXT.app, voidedSource('MKT_ONE'));
    expect(saved).toMatchObject({ continuationKey: null, completedUntil: null });
    broken = false;
    store.calls.length = 0;
    const second = await sync?.syncApp(NEXT.app);
    expect(store.of(NEXT.clientId, 'MKT_ONE').length, 'list calls of the second run').toBeGreaterThan(0);
    expect(second).toMatchObject({ failed: [], completedUntil: expect.any(Date) });
  });

  it('a key an older gateway saved, which the client refuses, is not resumed from', async () => {
    const { store, services } = await start(lastPage);
    const service = services[0];
    const checkpoints = service?.storage.checkpoints;
    const source = voidedSource('MKT_ONE');
    await checkpoints?.acquire(NEXT.app, source, 'old-gateway', 1);
    const now = Date.now();
    const window = { windowStart: new Date(now - 3_600_000), windowEnd: new Date(now - 60_000) };
    await checkpoints?.save(NEXT.app, source, 'old-gateway', { ...window, continuationKey: 'next page' }, 1);
    await checkpoints?.releaseLease(NEXT.app, source, 'old-gateway');
    const run = await service?.revocations.syncApp(NEXT.app);
    expect(run).toMatchObject({ ran: true, failed: [], completedUntil: expect.any(Date) });
    expect(store.of(NEXT.clientId, 'MKT_ONE').map((c) => c.continuationKey)).toEqual([null]);
  });
});

describe("the sync's own window and a store clock behind the gateway's", () => {
  it('ends its window a margin back, so a store 5 s behind takes its endTime', async () => {
    // The store's clock (times of MKT_ONE in Korean wall-clock millis) runs 5 s behind: it refuses an
    // endTime after its own now, as the document says it does.
    const storeNow = (market: string) => Date.now() - 5_000 + (market === 'MKT_ONE' ? 9 * 3_600_000 : 0);
    const behind = (call: ListCall) =>
      call.endTime != null && call.endTime > storeNow(call.market)
        ? storeError('InvalidRequest', 400)
        : lastPage(call);
    const { store, services } = await start(behind);
    const run = await services[0]?.revocations.syncApp(NEXT.app);
    expect(run).toMatchObject({ ran: true, failed: [], completedUntil: expect.any(Date) });
    const [call] = store.of(NEXT.clientId, 'MKT_ONE');
    expect(call?.endTime).toEqual(expect.any(Number));
    expect((run?.completedUntil?.getTime() ?? 0) + 9 * 3_600_000).toBe(call?.endTime);
  });
});
