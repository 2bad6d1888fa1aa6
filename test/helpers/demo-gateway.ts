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
}

export interface DemoGateways {
  mode: SandboxMode;
  jitOn: DemoGateway;
  jitOff: DemoGateway;
  /** Demo data again, zero counters, and an empty ledger: every run starts from the same state. */
  reset(): Promise<void>;
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
    },
    send: async (on, request) => {
      const { method, query, operationName, variables } = request;
      let response: Response;
      if (method === 'GET') {
        const params = new URLSearchParams({ query });
        if (operationName !== undefined) params.set('operationName', operationName);
        if (variables !== undefined) params.set('variables', JSON.stringify(variables));
        response = await on.gateway.fetch(`http://gateway/graphql?${params}`, {
          headers: { ...headers, [CSRF_HEADERS[0] as string]: '1' },
        });
      } else {
        response = await on.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query, operationName, variables }),
        });
      }
      return { status: response.status, body: await response.json() };
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
