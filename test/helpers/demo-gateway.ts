import type { GatewayConfig } from '../../src/config/load.js';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';
import { CSRF_HEADERS } from '../../src/server/security.js';

/**
 * Sandbox mode's demo data (what the README's and GraphiQL's examples are written against) behind
 * two gateways, graphql-jit on and off, sharing one in-memory ledger. Each gateway has its own
 * metrics registry so a test can read the operation labels it counted.
 */

/** Store endpoints that change state upstream: none may be reached by a GET. */
export const STATE_CHANGING_ENDPOINTS = [
  'onestore.acknowledgePurchase',
  'onestore.consumePurchase',
  'onestore.cancelRecurringPurchase',
  'onestore.reactivateRecurringPurchase',
  'onestore.cancelSubscription',
  'onestore.reactivateSubscription',
  'onestore.deferSubscription',
  'nhncloud.consume',
  'gamebase.consume',
] as const;

export interface DemoGateway {
  gateway: Gateway;
  metrics: GatewayMetrics;
  jit: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface GraphQLRequest {
  method: 'POST' | 'GET';
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  /**
   * A subscription: asked for as server-sent events; the answer's body is the first `next`
   * payload (an event, or the refusal), after which the stream is cancelled as a client leaving.
   */
  stream?: boolean;
}

export interface DemoGateways {
  mode: SandboxMode;
  jitOn: DemoGateway;
  jitOff: DemoGateway;
  /** Demo data again, zero counters, and an empty ledger (events numbered from 1 again): every run starts from the same state. */
  reset(): Promise<void>;
  /**
   * Redeems the demo Gamebase gems in process (no GraphQL operation is counted), so the ledger holds
   * GRANT_CREATED and GRANT_SETTLED for a stream to replay; then zeroes the sandbox counters, so
   * what a run counts afterwards is its own.
   */
  seedEvents(): Promise<void>;
  /** One request to `/graphql`, in process (`gateway.fetch`). */
  send(on: DemoGateway, request: GraphQLRequest): Promise<Answer>;
  /** Requests the sandbox counted per endpoint since the last reset (only the non-zero ones). */
  upstream(): Record<string, number>;
  /** State-changing store calls answered 200 since the last reset (a 401 before a token renewal changes nothing). */
  stateChanges(): number;
  /** `gateway_graphql_operations_total` as `operation/type/result` → count. */
  operationCounts(on: DemoGateway): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The first `next` payload of a server-sent event stream; then the stream is cancelled. */
async function firstStreamed(response: Response): Promise<unknown> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('a stream without a body');
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const match = /event: next\ndata: (.*)\n\n/.exec(text);
      if (match?.[1]) return JSON.parse(match[1]) as unknown;
      const { done, value } = await reader.read();
      if (done) throw new Error(`stream ended before an event: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
}

export async function startDemoGateways(): Promise<DemoGateways> {
  const mode = await startSandboxMode();
  const ledger: LedgerStorage = await openLedgerStorage({});
  // No timers: a sweep or a revocation sync between two runs would call the sandbox on its own.
  // Token limit raised: it counts a whole document, so one holding many example operations would be
  // refused although each passes alone (limits.test.ts checks each alone against the defaults).
  const config: GatewayConfig = {
    ...mode.config,
    ledger: { ...mode.config.ledger, sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 },
    limits: { ...mode.config.limits, maxTokens: 50_000 },
  };
  const make = (jit: boolean): DemoGateway => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    return { gateway: createGateway(config, { ...mode.options, jit, metrics, ledger }), metrics, jit };
  };
  const jitOn = make(true);
  const jitOff = make(false);
  const headers = { authorization: `Bearer ${mode.apiKey}`, accept: 'application/graphql-response+json' };

  return {
    mode,
    jitOn,
    jitOff,
    reset: async () => {
      const response = await fetch(`${mode.sandbox.url}/sandbox/v1/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ demo: true }),
      });
      if (response.status !== 200) throw new Error(`sandbox reset: ${response.status}`);
      await ledger.db.query('DELETE FROM grants');
      await ledger.db.query('DELETE FROM sync_checkpoints');
      await ledger.db.query('DELETE FROM webhook_deliveries');
      await ledger.db.query('DELETE FROM events');
      await ledger.db.query("DELETE FROM sqlite_sequence WHERE name = 'events'");
    },
    seedEvents: async () => {
      const service = await jitOff.gateway.redemption();
      await service.redeem({
        app: 'demo',
        userId: 'AS@DEMOUSER0001',
        target: {
          store: 'GAMEBASE',
          paymentSeq: '2026112310000001',
          purchaseToken: 'demo-gb-token-gem100-1',
          productId: 'gem_100',
        },
      });
      const response = await fetch(`${mode.sandbox.url}/sandbox/v1/stats`, { method: 'DELETE' });
      if (response.status !== 200 && response.status !== 204)
        throw new Error(`sandbox stats reset: ${response.status}`);
    },
    send: async (on, request) => {
      const { method, query, operationName, variables } = request;
      const accept = request.stream ? { accept: 'text/event-stream' } : {};
      let response: Response;
      if (method === 'GET') {
        const params = new URLSearchParams({ query });
        if (operationName !== undefined) params.set('operationName', operationName);
        if (variables !== undefined) params.set('variables', JSON.stringify(variables));
        response = await on.gateway.fetch(`http://gateway/graphql?${params}`, {
          headers: { ...headers, ...accept, [CSRF_HEADERS[0] as string]: '1' },
        });
      } else {
        response = await on.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { ...headers, ...accept, 'content-type': 'application/json' },
          body: JSON.stringify({ query, operationName, variables }),
        });
      }
      return {
        status: response.status,
        body: request.stream ? await firstStreamed(response) : await response.json(),
      };
    },
    upstream: () => {
      const out: Record<string, number> = {};
      for (const [name, entry] of Object.entries(mode.sandbox.stats().endpoints))
        if (entry.total > 0) out[name] = entry.total;
      return out;
    },
    stateChanges: () => {
      const { endpoints } = mode.sandbox.stats();
      return STATE_CHANGING_ENDPOINTS.reduce((sum, name) => sum + (endpoints[name]?.byStatus['200'] ?? 0), 0);
    },
    operationCounts: async (on) => {
      const out: Record<string, number> = {};
      for (const { labels, value } of (await on.metrics.operations.get()).values)
        if (value > 0) out[`${labels.operation}/${labels.type}/${labels.result}`] = value;
      return out;
    },
    close: async () => {
      await jitOn.gateway.dispose();
      await jitOff.gateway.dispose();
      await ledger.db.close();
      await mode.sandbox.close();
    },
  };
}
