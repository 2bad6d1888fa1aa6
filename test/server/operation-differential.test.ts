import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Answer,
  type DemoGateway,
  type DemoGateways,
  STATE_CHANGING_ENDPOINTS,
  startDemoGateways,
} from '../helpers/demo-gateway.js';
import { combined, type ExampleOperation, exampleOperations } from '../helpers/example-operations.js';

/**
 * Differential test of operation selection: every example operation (schema/operations/, the
 * README's, GraphiQL's), run by name from multi-operation documents in random order, over POST and
 * GET, graphql-jit on and off, answers exactly what it answers alone with the jit off, against a
 * freshly reset sandbox and an empty ledger each time. A mutation never runs over GET, and the
 * metrics count each run under the operation that ran.
 *
 * Subscriptions (the live event stream) run too, deliberately: over server-sent events, after the
 * ledger was given a redemption's two events in process (`seedEvents`, whose store calls are not
 * counted as the run's); the answer compared is the first event the stream sends (GRANT_CREATED,
 * cursor `ev:1` as the ledger is emptied before each run), after which the client leaves and the
 * stream must close. GET serves them as it serves queries.
 *
 * Determinism: Date is frozen (vi.useFakeTimers, Date only) for the whole file, so the sandbox clock, the demo data's
 * times and the ledger's database clock are identical in every run. What stays random is what the
 * code draws at random on purpose (grant ids, request ids: crypto.randomUUID); each distinct UUID of
 * an answer is renamed by order of first appearance before comparing.
 */

const SEED = 20_260_301;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

type Method = 'POST' | 'GET';
interface Run {
  status: number;
  body: unknown;
  /** Operations the metrics counted for this run: `operation/type/result` → count. */
  counted: Record<string, number>;
  /** Upstream requests (any answer) to state-changing endpoints. */
  changeAttempts: number;
  upstream: Record<string, number>;
}

function canonical(body: unknown): unknown {
  const names = new Map<string, string>();
  const text = JSON.stringify(body).replace(UUID, (id) => {
    if (!names.has(id)) names.set(id, `uuid-${names.size + 1}`);
    return names.get(id) as string;
  });
  return JSON.parse(text);
}

const operations = exampleOperations();

async function streamsClosed(on: DemoGateway): Promise<void> {
  for (let i = 0; i < 100 && on.gateway.eventStreams.size > 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(on.gateway.eventStreams.size, 'streams left open').toBe(0);
}
let d: DemoGateways;
/** `name/method` → the answer of the operation alone, jit off. */
const alone = new Map<string, Run>();

async function run(on: DemoGateway, op: ExampleOperation, method: Method, query: string): Promise<Run> {
  await d.reset();
  const stream = op.type === 'subscription';
  if (stream) await d.seedEvents();
  const before = await d.operationCounts(on);
  const answer: Answer = await d.send(on, {
    method,
    query,
    operationName: op.name,
    ...(op.variables !== undefined && { variables: op.variables }),
    ...(stream && { stream }),
  });
  // The client left after the first event: the stream must be gone, not waiting for the next one.
  if (stream) await streamsClosed(on);
  const after = await d.operationCounts(on);
  const counted: Record<string, number> = {};
  for (const [key, value] of Object.entries(after))
    if (value !== (before[key] ?? 0)) counted[key] = value - (before[key] ?? 0);
  const upstream = d.upstream();
  const changeAttempts = STATE_CHANGING_ENDPOINTS.reduce((sum, name) => sum + (upstream[name] ?? 0), 0);
  return { status: answer.status, body: canonical(answer.body), counted, changeAttempts, upstream };
}

beforeAll(async () => {
  d = await startDemoGateways();
  // Frozen at the real time: a clock far from it would make the timers armed from Date overflow.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  for (const op of operations)
    for (const method of ['POST', 'GET'] as const)
      alone.set(`${op.name}/${method}`, await run(d.jitOff, op, method, op.text));
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  await d?.close();
});

describe('operation selection, differential', () => {
  it('has every example operation, uniquely named', () => {
    expect(operations.length).toBe(35);
    expect(new Set(operations.map((op) => op.name)).size).toBe(35);
    expect(operations.filter((op) => op.type === 'subscription').map((op) => op.name)).toEqual([
      'StreamGatewayEvents',
      'Readme6',
      'WatchGrantEvents',
    ]);
    expect(operations.filter((op) => op.type === 'mutation').map((op) => op.name)).toEqual([
      'AcknowledgePurchase',
      'CancelSubscription',
      'ConsumePurchase',
      'DeferSubscription',
      'ReactivateSubscription',
      'RedeemPurchase',
      'Readme2',
      'Readme3',
      'Readme5',
      'RedeemGamebaseGems',
      'ConsumeGems',
      'GraphiQL_CancelSubscription',
    ]);
  });

  it('alone, each operation answers without a GraphQL error over POST, and a mutation is refused over GET', () => {
    for (const op of operations) {
      const post = alone.get(`${op.name}/POST`) as Run;
      expect(post.status, op.name).toBe(200);
      expect((post.body as { errors?: unknown }).errors, op.name).toBeUndefined();
      expect(Object.entries(post.counted), op.name).toEqual([
        [expect.stringMatching(new RegExp(`^${op.name}/${op.type}/(ok|typed_error)$`)), 1],
      ]);
      const get = alone.get(`${op.name}/GET`) as Run;
      if (op.type === 'mutation') {
        expect(get.status, op.name).toBe(405);
        expect(get.upstream, op.name).toEqual({});
        expect(get.counted, op.name).toEqual({});
      } else {
        expect(get.body, op.name).toEqual(post.body);
        expect(get.changeAttempts, op.name).toBe(0);
      }
      if (op.type === 'subscription') {
        // The seeded redemption's first event, the same whichever example asked for it.
        expect(post.body, op.name).toMatchObject({
          data: { gatewayEvents: { type: 'GRANT_CREATED', grant: { productId: 'gem_100' } } },
        });
        const cursor = (post.body as { data: { gatewayEvents: { cursor?: string } } }).data.gatewayEvents
          .cursor;
        if (cursor !== undefined) expect(Buffer.from(cursor, 'base64url').toString(), op.name).toBe('ev:1');
        expect(post.upstream, `${op.name}: a stream calls no store`).toEqual({});
      }
    }
  });

  it('combined in random documents and run in random order, every operation answers as it does alone', async () => {
    const combos = [
      { on: () => d.jitOn, method: 'POST' },
      { on: () => d.jitOn, method: 'GET' },
      { on: () => d.jitOff, method: 'POST' },
      { on: () => d.jitOff, method: 'GET' },
    ] as const;
    const n = operations.length;
    const indices = operations.map((_, i) => i);
    const plan = fc.record({
      // Every operation, in a random order, cut into documents of 2 to 6 operations.
      order: fc.shuffledSubarray(indices, { minLength: n }),
      sizes: fc.array(fc.integer({ min: 2, max: 6 }), { minLength: n, maxLength: n }),
      // Picks the next (operation, method, jit) run within each document.
      picks: fc.array(fc.nat(), { minLength: n * combos.length, maxLength: n * combos.length }),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(plan, async ({ order, sizes, picks }) => {
        const documents: ExampleOperation[][] = [];
        for (let i = 0, s = 0; i < n; s++) {
          const size = sizes[s] ?? 2;
          documents.push(order.slice(i, i + size).map((j) => operations[j] as ExampleOperation));
          i += size;
        }
        let k = 0;
        for (const ops of documents) {
          const query = combined(ops);
          const pending = ops.flatMap((op) => combos.map((combo) => ({ op, combo })));
          while (pending.length > 0) {
            const [next] = pending.splice((picks[k++] ?? 0) % pending.length, 1);
            if (!next) break;
            const { op, combo } = next;
            const got = await run(combo.on(), op, combo.method, query);
            runs++;
            const what = `${op.name} by ${combo.method}, jit ${combo.on().jit ? 'on' : 'off'}, in ${ops.map((o) => o.name).join(' ')}`;
            const expected = alone.get(`${op.name}/${combo.method}`) as Run;
            expect(got.status, what).toBe(expected.status);
            expect(got.body, what).toEqual(expected.body);
            expect(got.counted, what).toEqual(expected.counted);
            if (combo.method === 'GET') expect(got.changeAttempts, what).toBe(0);
          }
        }
      }),
      { seed: SEED, numRuns: 2, endOnFailure: true },
    );
    // 35 operations (18 from schema/operations, 7 README, 10 GraphiQL) × 4 (POST and GET, jit on and off) per generated plan.
    expect(runs).toBe(2 * 35 * 4);
  }, 120_000);
});
