import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineExceededError, UpstreamUnavailableError } from '../../src/stores/errors.js';
import { CallSignal } from '../../src/stores/http/call-signal.js';
import { HttpClient } from '../../src/stores/http/http-client.js';
import { Bulkhead } from '../../src/stores/resilience/bulkhead.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { type CreatedPurchase, newOneStoreApp, newPurchase, type OneStoreApp } from '../helpers/stores.js';

describe('CallSignal: the deadline and the caller signal of one upstream call', () => {
  it("a caller's abort comes first and keeps its reason; the deadline passing later only marks timedOut", async () => {
    const caller = new AbortController();
    const signal = new CallSignal(20, caller.signal);
    let told = 0;
    signal.listen(() => {
      told += 1;
    });
    const reason = new Error('caller gave up');
    caller.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(signal.timedOut).toBe(false);
    // Made after the abort: already aborted, with the same reason.
    expect(signal.signal.aborted).toBe(true);
    expect(signal.signal.reason).toBe(reason);
    await sleep(40);
    expect(signal.timedOut).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(told).toBe(1);
    signal.dispose();
  });

  it('the deadline aborts with a TimeoutError, telling the listener and a real signal made before', async () => {
    const signal = new CallSignal(10);
    const real = signal.signal;
    const aborted = new Promise<void>((resolve) => signal.listen(resolve));
    await aborted;
    expect(signal.timedOut).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(real.aborted).toBe(true);
    expect(real.reason).toBe(signal.reason);
  });

  it('an already aborted caller signal aborts at once; dispose stops the timer and the following', async () => {
    const early = new CallSignal(10_000, AbortSignal.abort());
    expect(early.aborted).toBe(true);
    expect(early.timedOut).toBe(false);
    early.dispose();
    const caller = new AbortController();
    const late = new CallSignal(10, caller.signal);
    late.dispose();
    caller.abort();
    await sleep(30);
    expect(late.aborted).toBe(false);
    expect(late.timedOut).toBe(false);
  });
  it('a caller signal shared by many calls in flight collects no listener per call', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    const caller = new AbortController();
    const calls = Array.from({ length: 30 }, () => new CallSignal(10_000, caller.signal));
    await sleep(10);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
    caller.abort();
    expect(calls.every((c) => c.aborted && !c.timedOut)).toBe(true);
    for (const c of calls) c.dispose();
  });
});

describe("a request's deadline on the slow paths of a call", () => {
  const h = useSandbox();
  let app: OneStoreApp;
  let purchase: CreatedPurchase;
  beforeAll(async () => {
    app = await newOneStoreApp(h);
    purchase = await newPurchase(h, app);
  });
  afterAll(async () => {
    await h.control('DELETE', '/faults');
  });
  const read = (client: HttpClient, deadlineInMs: number) =>
    client.execute({
      endpoint: 'onestore.getPurchaseDetails',
      method: 'GET',
      url: new URL(
        `/v7/apps/${app.clientId}/purchases/inapp/products/${purchase.productId}/${purchase.purchaseToken}`,
        h.url,
      ),
      headers: { accept: 'application/json' },
      safeToRetry: true,
      scope: { requestId: 'test', deadlineAt: performance.now() + deadlineInMs },
    });

  it('a call queued for a bulkhead slot ends when the deadline passes, and takes no slot', async () => {
    const bulkhead = new Bulkhead('app:test', { maxConcurrent: 1, maxQueue: 5 });
    const client = new HttpClient({ store: 'onestore', bulkheads: [bulkhead] });
    const holder = await bulkhead.acquire();
    const err = await read(client, 30).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(bulkhead.queued).toBe(0);
    holder?.();
    expect(bulkhead.running).toBe(0);
    await client.close();
  });

  it('the wait before a retry ends when the deadline passes', async () => {
    await h.control('DELETE', '/stats');
    await h.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 503, count: 1 });
    const client = new HttpClient({
      store: 'onestore',
      retry: { baseDelayMs: 2_000, maxDelayMs: 2_000, random: () => 0.99 },
    });
    const err = await read(client, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    // The first attempt was answered (503); the deadline passed during the wait, before a second.
    expect(await h.count('onestore.getPurchaseDetails')).toBe(1);
    await client.close();
  });
});
