/**
 * What a game backend's code looks like with the generated client: typed documents from
 * src/client/generated, sent with `print` + fetch. No client library beyond `graphql`.
 *
 *   npx tsx test/client/example-client.ts http://localhost:4000 demo-key
 *
 * runs it against a gateway in sandbox mode (`npm start`) and prints the typed results.
 */
import { pathToFileURL } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import {
  CheckEntitlementsDocument,
  type CheckEntitlementsQuery,
  ConsumePurchaseDocument,
  type ConsumePurchaseMutation,
  type EntitlementCheckInput,
  VerifyPurchaseDocument,
  type VerifyPurchaseQuery,
} from '../../src/client/generated/graphql.js';

/** The gateway answered without `data`, or with request-level `errors` (bad key, invalid query). */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(`gateway request failed (HTTP ${status}): ${errors.map((e) => e.message).join('; ') || 'no data'}`);
    this.name = 'GatewayRequestError';
  }
}

interface GraphQLResponse {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface GatewayClient {
  /** Runs one generated operation; the result type follows from the document. */
  request<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result>;
}

/** A minimal typed client: POST /graphql with the API key, one printed document per operation. */
export function createGatewayClient(
  baseUrl: string,
  apiKey: string,
  fetchFn: typeof fetch = fetch,
): GatewayClient {
  const printed = new WeakMap<DocumentNode, string>();
  const source = (document: DocumentNode): string => {
    let text = printed.get(document);
    if (text === undefined) {
      text = print(document);
      printed.set(document, text);
    }
    return text;
  };
  const endpoint = new URL('/graphql', baseUrl);
  return {
    async request<Result, Variables extends Record<string, unknown>>(
      document: TypedDocumentNode<Result, Variables>,
      variables: Variables,
    ): Promise<Result> {
      const response = await fetchFn(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${apiKey}`,
        },
        body: JSON.stringify({ query: source(document), variables }),
      });
      const text = await response.text();
      let body: GraphQLResponse;
      try {
        body = JSON.parse(text) as GraphQLResponse;
      } catch {
        throw new GatewayRequestError(response.status, [{ message: `not JSON: ${text.slice(0, 200)}` }]);
      }
      // Errors about the gateway itself are request-level; store outcomes are union members in data.
      if (body.errors?.length || body.data === undefined || body.data === null)
        throw new GatewayRequestError(response.status, body.errors ?? []);
      // The document's result type describes exactly what the server selected.
      return body.data as Result;
    },
  };
}

export interface ExampleResult {
  verified: VerifyPurchaseQuery['purchase'];
  checks: CheckEntitlementsQuery['checkEntitlements'];
  consumed: ConsumePurchaseMutation['consumePurchase'];
  /** The same purchase read again after the consume. */
  reverified: VerifyPurchaseQuery['purchase'];
}

/** The demo data's gem purchase, waiting to be consumed (src/sandbox/demo.ts). */
export const DEMO_GEMS = {
  productId: 'gem_100',
  purchaseToken: 'DEMOINAPP00000000001',
  developerPayload: 'order-1001',
} as const;

/** One batch: the unconsumed gems, a consumed purchase, an active subscription, an NHN payment, a fake token. */
export const DEMO_CHECKS: EntitlementCheckInput[] = [
  { store: 'ONESTORE', productId: DEMO_GEMS.productId, purchaseToken: DEMO_GEMS.purchaseToken },
  { store: 'ONESTORE', productId: 'gem_500', purchaseToken: 'DEMOINAPP00000000003' },
  {
    store: 'ONESTORE',
    kind: 'SUBSCRIPTION',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000001',
  },
  {
    store: 'NHN_CLOUD',
    paymentSeq: '2016122110023124',
    purchaseToken: 'demo-token-gas-1',
    userKey: 'tester',
  },
  { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'NOSUCHTOKEN000000001' },
];

/**
 * The game backend's story for one purchase: verify it, check a batch of entitlements, deliver and
 * consume the gems, and read the purchase again.
 */
export async function runExample(client: GatewayClient, app = 'demo'): Promise<ExampleResult> {
  const { productId, purchaseToken, developerPayload } = DEMO_GEMS;
  const { purchase: verified } = await client.request(VerifyPurchaseDocument, {
    app,
    productId,
    purchaseToken,
  });
  if (verified.__typename === 'Purchase' && !verified.entitlement.active) {
    throw new Error(`the demo purchase is not active (${verified.entitlement.reason}): restart the sandbox`);
  }
  const { checkEntitlements: checks } = await client.request(CheckEntitlementsDocument, {
    app,
    checks: DEMO_CHECKS,
  });
  const { consumePurchase: consumed } = await client.request(ConsumePurchaseDocument, {
    input: { app, onestore: { productId, purchaseToken, developerPayload } },
  });
  const { purchase: reverified } = await client.request(VerifyPurchaseDocument, {
    app,
    productId,
    purchaseToken,
  });
  return { verified, checks, consumed, reverified };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url = 'http://localhost:4000', apiKey = 'demo-key'] = process.argv.slice(2);
  const result = await runExample(createGatewayClient(url, apiKey));
  console.log(JSON.stringify(result, null, 2));
}
