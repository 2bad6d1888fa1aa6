import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lifecycle } from '../../src/server/health.js';
import { maskedErrors, requestScopePlugin } from '../../src/server/request-scope.js';
import type { StoreLogger } from '../../src/stores/index.js';
import { APP, ERROR_FIELDS, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';

const PURCHASE = `query Read($app: String!, $productId: String!, $purchaseToken: String!) {
  purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) {
    __typename ... on Purchase { purchaseState } ${ERROR_FIELDS}
  }
}`;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const lines: Record<string, unknown>[] = [];
const logger: StoreLogger = { debug: (obj) => lines.push(obj), warn: (obj) => lines.push(obj) };
const lifecycle = new Lifecycle();
let g: GatewayHarness;

beforeAll(async () => {
  g = await startGateway({ gatewayOptions: { logger, lifecycle } });
});
afterAll(async () => {
  await g?.close();
  await provider.shutdown();
});

async function post(body: unknown, requestId?: string) {
  return fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${g.keys.rw}`,
      ...(requestId && { 'x-request-id': requestId }),
    },
    body: JSON.stringify(body),
  });
}

describe('request id', () => {
  it('is echoed, or made up when absent or unsafe, and carried by every store log line', async () => {
    const p = await purchase(g);
    await g.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      code: 'InternalError',
      count: 1,
    });
    const answer = await post({ query: PURCHASE, variables: { app: APP, ...p } }, 'req-123');
    expect(answer.headers.get('x-request-id')).toBe('req-123');
    expect(((await answer.json()) as { data: { purchase: unknown } }).data.purchase).toMatchObject({
      __typename: 'Purchase',
    });
    const storeLines = lines.filter((l) => l.endpoint === 'onestore.getPurchaseDetails');
    expect(storeLines.length).toBe(3); // two attempts + one retry warning
    expect(storeLines.every((l) => l.requestId === 'req-123')).toBe(true);
    const made = await post({ query: '{ __typename }' }, 'bad id with spaces');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is in the extensions of a masked (unexpected) error, and only there', async () => {
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { boom: String, fine: String }',
        resolvers: {
          Query: {
            boom: () => {
              throw new Error('secret detail');
            },
            fine: () => 'ok',
          },
        },
      }),
      maskedErrors,
      logging: false,
      plugins: [requestScopePlugin(10_000, new WeakMap())],
    });
    const ask = async (query: string) =>
      (await (
        await yoga.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'req-err' },
          body: JSON.stringify({ query }),
        })
      ).json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
    const masked = await ask('{ boom fine }');
    expect(masked.errors).toHaveLength(1);
    expect(masked.errors?.[0]?.message).toBe('Unexpected error.');
    expect(masked.errors?.[0]?.extensions?.requestId).toBe('req-err');
    expect(JSON.stringify(masked)).not.toContain('secret detail');
    // A client's own error (here a validation error) is not masked and gets no id.
    const invalid = await ask('{ nope }');
    expect(invalid.errors?.[0]?.extensions?.requestId).toBeUndefined();
  });
});

describe('tracing', () => {
  it('upstream calls are child spans of the request span, with no token or key in any attribute', async () => {
    exporter.reset();
    const p = await purchase(g);
    await post({ query: PURCHASE, variables: { app: APP, ...p } }, 'req-trace');
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.attributes['gateway.request_id'] === 'req-trace');
    expect(server?.name).toBe('POST /graphql');
    const upstream = spans.filter(
      (s) => s.spanContext().traceId === server?.spanContext().traceId && s !== server,
    );
    const read = upstream.find((s) => s.name === 'onestore.getPurchaseDetails');
    expect(read?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(read?.attributes['http.response.status_code']).toBe(200);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    expect(everything).not.toContain(p.purchaseToken);
    expect(everything).not.toContain(g.keys.rw);
  });
});

describe('health', () => {
  it('/healthz is always ok; /readyz says ready, names the ledger, and turns 503 when draining', async () => {
    expect((await fetch(`${g.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${g.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { config: 'loaded', ledger: 'in memory, opened on first use', draining: false },
    });
    lifecycle.draining = true;
    const draining = await fetch(`${g.url}/readyz`);
    expect(draining.status).toBe(503);
    expect((await fetch(`${g.url}/healthz`)).status).toBe(200);
    lifecycle.draining = false;
  });
});
