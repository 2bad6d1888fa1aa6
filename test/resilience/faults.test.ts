import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { APP, ERROR_FIELDS, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';

/**
 * Fault scenarios against the sandbox with the breaker on: reads succeed through retries or fail
 * fast with a typed error, no request outlives its deadline, and no state change is sent twice.
 * The sandbox's `rate` faults are scripted (every fifth matching request), so every figure below,
 * and the metrics the last test reads after all the scenarios ran in order, is exact.
 */
const DEADLINE_MS = 1_000;
/** Generous bound for "no request outlives the deadline": timing is not what these tests measure. */
const BOUND_MS = DEADLINE_MS + 1_000;

const PURCHASE = `query Read($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
}`;
const CONSUME = `mutation Consume($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} }
}`;
const consumeInput = (p: { productId: string; purchaseToken: string }) => ({
  input: { app: APP, onestore: { productId: p.productId, purchaseToken: p.purchaseToken } },
});

let g: GatewayHarness;
const metrics = new GatewayMetrics({ processMetrics: false });

beforeAll(async () => {
  g = await startGateway({
    config: {
      requestDeadlineMs: DEADLINE_MS,
      breaker: { consecutiveFailures: 3, openMs: 300, minimumCalls: 1_000 },
    },
    gatewayOptions: { metrics },
  });
});
beforeEach(async () => {
  await g.control('DELETE', '/faults');
  await g.control('POST', '/maintenance', { on: false, store: 'all' });
  // Let any breaker opened by the test before reach half-open, then close it with a good probe.
  await new Promise((resolve) => setTimeout(resolve, 350));
  const warm = await purchase(g);
  await g.gql(PURCHASE, { app: APP, ...warm });
  await g.gql(CONSUME, consumeInput(await purchase(g)));
  await g.resetStats();
});
afterAll(async () => {
  await g?.close();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Makes the sandbox's `rate` fault rules hit exactly the n-th, 2n-th, ... matching request from now on. */
function everyNth(harness: GatewayHarness, n: number): void {
  let seen = 0;
  harness.h.sandbox.core.faults.random = () => {
    seen += 1;
    return seen % n === 0 ? 0 : 0.999;
  };
}

const typename = (answer: { data: Record<string, unknown> }, field: string) =>
  (answer.data[field] as { __typename: string }).__typename;

describe('faults on reads', () => {
  /**
   * Reads `count` new purchases with the read fault `fault` on every fifth store read: each is
   * answered a Purchase. Resolves to the sandbox's counts of the store reads.
   */
  async function readAll(count: number, fault: Record<string, unknown>) {
    const purchases = await Promise.all(Array.from({ length: count }, () => purchase(g)));
    everyNth(g, 5);
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', ...fault });
    const kinds: string[] = [];
    for (const p of purchases) kinds.push(typename(await g.gql(PURCHASE, { app: APP, ...p }), 'purchase'));
    expect(kinds).toEqual(Array(count).fill('Purchase'));
    return (await g.h.stats()).endpoints['onestore.getPurchaseDetails'];
  }

  it('20% injected 5xx: every read succeeds through a retry', async () => {
    const reads = await readAll(30, { code: 'InternalError', rate: 0.2 });
    // Attempts 5, 10, ... 35 failed and were repeated once each: 30 + 7 store reads.
    expect(reads).toEqual({ total: 37, byStatus: { '200': 30, '500': 7 } });
  });

  it('a latency spike longer than the deadline: StoreUnavailableError within the deadline', async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', latencyMs: 5_000 });
    const { value, ms } = await timed(() => g.gql(PURCHASE, { app: APP, ...p }));
    expect(value.data.purchase).toMatchObject({
      __typename: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('dropped connections on 20% of reads: reads succeed through retries', async () => {
    const reads = await readAll(10, { drop: true, rate: 0.2 });
    expect(reads).toEqual({ total: 12, byStatus: { '200': 10, dropped: 2 } });
  });
});

describe('faults on state changes: never repeated', () => {
  it('20% 5xx, dropped connections and a latency spike on consume: one store call per mutation', async () => {
    const purchases = await Promise.all(Array.from({ length: 12 }, () => purchase(g)));
    everyNth(g, 5);
    await g.control('POST', '/faults', {
      endpoint: 'onestore.consumePurchase',
      code: 'InternalError',
      rate: 0.2,
    });
    await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', drop: true, count: 2 });
    const kinds: string[] = [];
    for (const p of purchases.slice(0, 10)) {
      kinds.push(typename(await g.gql(CONSUME, consumeInput(p)), 'consumePurchase'));
    }
    // Two drops, then the 5xx on the 5th and 10th: a state change that may have applied is
    // uncertain, never repeated, and never refused by the breaker here (no three failures in a row).
    const U = 'UncertainOutcomeError';
    const S = 'ConsumePurchaseSuccess';
    expect(kinds).toEqual([U, U, S, S, U, S, S, S, S, U]);
    // Each mutation reached the store exactly once.
    expect((await g.h.stats()).endpoints['onestore.consumePurchase']).toEqual({
      total: 10,
      byStatus: { '200': 6, '500': 2, dropped: 2 },
    });
    await g.control('DELETE', '/faults');
    await g.control('POST', '/faults', { endpoint: 'onestore.consumePurchase', latencyMs: 2_000 });
    for (const p of purchases.slice(10)) {
      const { value, ms } = await timed(() => g.gql(CONSUME, consumeInput(p)));
      kinds.push(typename(value, 'consumePurchase'));
      expect(ms).toBeLessThan(BOUND_MS);
    }
    // Both slow consumes were sent and timed out; the second is the third write failure in a row
    // (after the 5xx on the 10th), which opens the write breaker for the next call.
    expect(kinds.slice(10)).toEqual([U, U]);
    // Each mutation reached the store at most once (an open breaker sends nothing at all).
    // The sandbox drops a delayed consume whose client went away before it read the body, so the
    // slow ones may not be counted at all; what matters is that none was sent twice.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await g.count('onestore.consumePurchase')).toBeLessThanOrEqual(12);
  });
});

describe('circuit breaker', () => {
  const readPurchase = async (p: { productId: string; purchaseToken: string }) =>
    (await g.gql(PURCHASE, { app: APP, ...p })).data.purchase;

  it('maintenance opens it at once; calls then fail fast without reaching the store; a probe closes it', async () => {
    const p = await purchase(g);
    await g.control('POST', '/maintenance', { on: true, store: 'onestore' });
    expect(await readPurchase(p)).toMatchObject({
      __typename: 'StoreUnavailableError',
      storeCode: 'ServiceMaintenance',
    });
    // The maintenance answer carries no Retry-After here, so the read tried three times.
    const before = await g.count('onestore.getPurchaseDetails');
    expect(before).toBe(3);
    const fast = await timed(() => g.gql(PURCHASE, { app: APP, ...p }));
    expect(fast.value.data.purchase).toMatchObject({
      __typename: 'StoreUnavailableError',
      storeCode: 'CIRCUIT_OPEN',
    });
    expect(await g.count('onestore.getPurchaseDetails')).toBe(before);
    const ready = (await (await fetch(`${g.url}/readyz`)).json()) as {
      checks: { breakers: Record<string, string> };
    };
    expect(ready.checks.breakers['onestore.read']).toBe('open');
    await g.control('POST', '/maintenance', { on: false, store: 'onestore' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await readPurchase(p)).toEqual({ __typename: 'Purchase', purchaseState: 'PURCHASED' });
  });

  it('opens after consecutive failures and answers retryAfterSeconds', async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 502 });
    for (let i = 0; i < 3; i += 1) {
      expect(await readPurchase(p)).toMatchObject({
        __typename: 'StoreUnavailableError',
        storeCode: 'HTTP_502',
      });
    }
    // Three reads of three attempts each; the third failed read opened the circuit.
    const sent = await g.count('onestore.getPurchaseDetails');
    expect(sent).toBe(9);
    expect(await readPurchase(p)).toMatchObject({ storeCode: 'CIRCUIT_OPEN', retryAfterSeconds: 1 });
    expect(await g.count('onestore.getPurchaseDetails')).toBe(sent);
  });
});

describe('circuit breaker on the failure ratio', () => {
  it('half of the window failing opens it, with no three failures in a row', async () => {
    const b = await startGateway({
      config: {
        breaker: { consecutiveFailures: 1_000, failureRatio: 0.5, minimumCalls: 10, openMs: 60_000 },
      },
    });
    try {
      const ps = await Promise.all(Array.from({ length: 11 }, () => purchase(b)));
      everyNth(b, 2);
      await b.control('POST', '/faults', {
        endpoint: 'onestore.consumePurchase',
        code: 'InternalError',
        rate: 0.5,
      });
      const codes: string[] = [];
      for (const p of ps) {
        const answer = await b.gql(CONSUME, consumeInput(p));
        codes.push((answer.data.consumePurchase as { storeCode?: string }).storeCode ?? 'ok');
      }
      // Every second consume fails (a 5xx on a state change is uncertain); the tenth call fills the
      // window at 5 of 10 and opens the circuit, so the eleventh is refused without being sent.
      const ok = 'ok';
      const failed = 'InternalError';
      expect(codes).toEqual([ok, failed, ok, failed, ok, failed, ok, failed, ok, failed, 'CIRCUIT_OPEN']);
      expect((await b.h.stats()).endpoints['onestore.consumePurchase']).toEqual({
        total: 10,
        byStatus: { '200': 5, '500': 5 },
      });
      const ready = (await (await fetch(`${b.url}/readyz`)).json()) as {
        checks: { breakers: Record<string, string> };
      };
      expect(ready.checks.breakers['onestore.write']).toBe('open');
    } finally {
      await b.close();
    }
  });
});

describe('bulkhead', () => {
  it('past the per-app cap and queue a call fails fast with StoreUnavailableError', async () => {
    const b = await startGateway({
      config: { bulkhead: { perApp: { maxConcurrent: 1, maxQueue: 1 } } },
    });
    try {
      const ps = await Promise.all(Array.from({ length: 4 }, () => purchase(b)));
      await b.gql(PURCHASE, { app: APP, ...ps[0] }); // token fetched once, outside the race
      await b.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', latencyMs: 300 });
      const answers = await Promise.all(ps.map((p) => b.gql(PURCHASE, { app: APP, ...p })));
      const codes = answers.map((a) => (a.data.purchase as { storeCode?: string }).storeCode ?? 'ok');
      expect(codes.filter((c) => c === 'BULKHEAD_FULL')).toHaveLength(2);
      expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
      expect(await b.count('onestore.getPurchaseDetails')).toBe(3);
    } finally {
      await b.close();
    }
  });
});

describe('/metrics after the scenarios', () => {
  it('exposes operations, upstream statuses, retries, token refreshes, cache lookups and breaker state', async () => {
    const text = await (await fetch(`${g.url}/metrics`)).text();
    const value = (line: RegExp) => {
      const found = text.split('\n').find((l) => line.test(l));
      return found === undefined ? undefined : Number(found.split(' ').at(-1));
    };
    // Each figure follows from the scenarios above, run in order. Reads: 9 warm-ups (one per
    // test), 30 + 10 fault reads and the read after maintenance are ok; the latency spike,
    // maintenance (2) and the consecutive-failure test (4) end in typed errors.
    expect(value(/^gateway_graphql_operations_total\{operation="Read",type="query",result="ok"\}/)).toBe(50);
    expect(
      value(/^gateway_graphql_operations_total\{operation="Read",type="query",result="typed_error"\}/),
    ).toBe(7);
    // Consumes: 9 warm-ups and the 6 that succeeded among the faults.
    expect(
      value(/^gateway_graphql_operations_total\{operation="Consume",type="mutation",result="ok"\}/),
    ).toBe(15);
    const reads = (status: string) =>
      value(
        new RegExp(
          `^gateway_upstream_requests_total\\{store="onestore",endpoint="onestore.getPurchaseDetails",status="${status}"\\}`,
        ),
      );
    expect(reads('500')).toBe(7);
    // 50 reads; the 21 consumes (9 warm-ups, 12 under faults) each read the purchase before the
    // consume; the 15 successful ones each read it again for their event, and the 4 uncertain consume
    // answers (2 drops, 2 InternalError) are each settled by a read of the purchase (the 2 slow
    // consumes spent the request's deadline: their read is never sent).
    expect(reads('200')).toBe(90);
    expect(reads('502')).toBe(9);
    expect(reads('503')).toBe(3);
    expect(
      value(
        /^gateway_upstream_retries_total\{store="onestore",endpoint="onestore.getPurchaseDetails",reason="HTTP_500"\}/,
      ),
    ).toBe(7);
    // One token for the whole file: one miss, then a hit for each of the other 92 store calls, for
    // the 21 reads before a consume, and for the 6 reads after an uncertain consume (the 2 after a
    // slow one take a token, then find the request's deadline spent).
    expect(value(/^gateway_token_refreshes_total\{store="onestore",outcome="success"\}/)).toBe(1);
    expect(value(/^gateway_cache_lookups_total\{cache="token",result="hit"\}/)).toBe(119);
    expect(value(/^gateway_cache_lookups_total\{cache="token",result="miss"\}/)).toBe(1);
    // The read breaker opened twice (maintenance, consecutive 502s) and each time a probe closed it
    // again (the last one in this test's warm-up): closed now, 0. The write breaker opened once.
    expect(value(/^gateway_breaker_state\{group="onestore.read"\}/)).toBe(0);
    const transitions = (group: string, state: string) =>
      value(new RegExp(`^gateway_breaker_transitions_total\\{group="${group}",state="${state}"\\}`));
    expect(transitions('onestore.read', 'open')).toBe(2);
    expect(transitions('onestore.read', 'half-open')).toBe(2);
    expect(transitions('onestore.read', 'closed')).toBe(3);
    expect(transitions('onestore.write', 'open')).toBe(1);
    // The two reads refused while it was open; no write was refused.
    expect(value(/^gateway_upstream_rejections_total\{reason="breaker",name="onestore.read"\}/)).toBe(2);
    expect(
      value(/^gateway_upstream_rejections_total\{reason="breaker",name="onestore.write"\}/),
    ).toBeUndefined();
    expect(text).toMatch(/^gateway_graphql_operation_duration_seconds_bucket\{/m);
    expect(text).toMatch(/^gateway_upstream_request_duration_seconds_bucket\{/m);
    // No purchase token or key ever becomes a label.
    expect(text).not.toMatch(/purchaseToken|Bearer|secret-/);
  });
});
