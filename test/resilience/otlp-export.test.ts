import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../src/server/tracing.js';
import { APP, ERROR_FIELDS, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';

/**
 * Traces as an OTLP/HTTP collector receives them, through the code path of `main.ts`
 * (`startTracing` with OTEL_EXPORTER_OTLP_ENDPOINT set). @opentelemetry/exporter-trace-otlp-http
 * posts OTLP JSON to `<endpoint>/v1/traces`.
 */

type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean };
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: AnyValue }[];
  status?: { code?: number };
}
interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: AnyValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

const received: { path: string; contentType: string; body: OtlpRequest }[] = [];
let collector: Server;
let tracing: Tracing | undefined;
let g: GatewayHarness;
const saved = { ...process.env };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

beforeAll(async () => {
  collector = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({
      path: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      body: JSON.parse(body.toString('utf8')) as OtlpRequest,
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  collector.listen(0, '127.0.0.1');
  await once(collector, 'listening');
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  // The exporter reads its endpoint from the environment itself, as in production.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  tracing = await startTracing({ ...process.env, OTEL_SERVICE_NAME: 'gateway-under-test' });
  g = await startGateway();
});
afterAll(async () => {
  await g?.close();
  await tracing?.shutdown();
  collector?.close();
  process.env = saved;
});

const attrs = (span: OtlpSpan | undefined) =>
  Object.fromEntries(
    (span?.attributes ?? []).map(({ key, value }) => [
      key,
      value.intValue !== undefined ? Number(value.intValue) : (value.stringValue ?? value.boolValue),
    ]),
  );

const LOOKUP = `query Lookup($app: String!, $p: String!, $t: String!) {
  purchase(app: $app, productId: $p, purchaseToken: $t) { __typename ${ERROR_FIELDS} } }`;

describe('OTLP export', () => {
  it('the collector receives server spans with the HTTP and GraphQL conventions, and the store spans', async () => {
    expect(tracing).toBeDefined();
    const bought = await purchase(g);
    const ok = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${g.keys.rw}`,
        'x-request-id': 'otlp-ok',
      },
      body: JSON.stringify({
        query: LOOKUP,
        variables: { app: APP, p: bought.productId, t: bought.purchaseToken },
      }),
    });
    expect(ok.status).toBe(200);
    const refused = await fetch(`${g.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'otlp-401' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(refused.status).toBe(401);
    await tracing?.shutdown(); // flushes the batch to the collector
    tracing = undefined;

    expect(received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    const resources = received.flatMap((r) => r.body.resourceSpans);
    expect(attrs({ attributes: resources[0]?.resource.attributes ?? [] } as OtlpSpan)['service.name']).toBe(
      'gateway-under-test',
    );
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const byRequest = (id: string) => spans.find((s) => attrs(s)['gateway.request_id'] === id);

    const server = byRequest('otlp-ok');
    expect(server?.name).toBe('POST /graphql');
    expect(server?.kind).toBe(2); // SPAN_KIND_SERVER
    expect(attrs(server)).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'Lookup',
      'graphql.operation.type': 'query',
    });
    expect(server?.status?.code ?? 0).toBe(0); // unset

    const store = spans.find(
      (s) => s.traceId === server?.traceId && s.name === 'onestore.getPurchaseDetails',
    );
    expect(store?.parentSpanId).toBe(server?.spanId);
    expect(attrs(store)['http.response.status_code']).toBe(200);

    const denied = byRequest('otlp-401');
    expect(attrs(denied)).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.response.status_code': 401,
      'error.type': '401',
    });
    expect(attrs(denied)['graphql.operation.name']).toBeUndefined();
    expect(denied?.status?.code).toBe(2); // STATUS_CODE_ERROR

    const everything = JSON.stringify(received);
    expect(everything).not.toContain(bought.purchaseToken);
    expect(everything).not.toContain(g.keys.rw);
  });
});
