import { resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { documentExample, type FakeListStore, type ListCall, listPage } from './fake-onestore-lists.js';

/**
 * A gateway over a fake ONE store's lists (`fake-onestore-lists.ts`) for the paging tests: app `loop`
 * (MKT_ONE and MKT_GLB) and app `next`, one API key for both, an in-memory ledger, and every log
 * line kept.
 */

export const LOOP = { app: 'loop', clientId: 'com.example.loop' };
export const NEXT = { app: 'next', clientId: 'com.example.next' };
const KEY = 'paging-loops-key';
export const ENDPOINT = 'onestore.getVoidedPurchases';

/** The document's example for app `loop` in MKT_ONE; one last page everywhere else. */
export function documentAnswers(call: ListCall) {
  if (call.clientId === LOOP.clientId && call.market === 'MKT_ONE') return documentExample(call.list);
  return listPage(call.list, null);
}

export interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

export function gatewayOver(store: FakeListStore, extra: Record<string, unknown> = {}) {
  const lines: Line[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    lines.push({ level, obj, msg });
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
      apiKeys: [
        { name: 'ops', sha256: sha256Hex(KEY), apps: [LOOP.app, NEXT.app], scopes: ['read', 'write'] },
      ],
      breaker: { enabled: false },
      rateLimits: { enabled: false },
      // On the unfixed code a looping walk runs until the request's deadline: keep that short.
      requestDeadlineMs: 2_000,
      upstreamDeadlineMs: 1_000,
      ...extra,
      ledger: { revocationSyncIntervalSeconds: 0, ...(extra.ledger as object | undefined) },
    },
    { SECRET: 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=' },
  );
  const gateway = createGateway(config, {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn') },
  });
  return { gateway, lines };
}

export async function gql(gateway: Gateway, query: string, variables: object = {}) {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  // Every answer of these tests is a typed result: a top-level error is a failure (the bench uses it too).
  if (body.errors !== undefined) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
}

export async function metric(gateway: Gateway, name: string, labels: string): Promise<number> {
  const text = await (await gateway.fetch('http://gateway/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

export const loopError = (endpoint: string) => ({
  __typename: 'StoreProtocolError',
  code: 'STORE_PROTOCOL_ERROR',
  message: `The store answered ${endpoint} outside its documented protocol.`,
  errorStore: 'ONESTORE',
  storeCode: 'CONTINUATION_LOOP',
});
