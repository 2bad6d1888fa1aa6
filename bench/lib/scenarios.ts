/**
 * The four scenarios, as each kind of contestant is asked them: the floor has REST paths, the naive
 * GraphQL server and the gateway have their own schemas, so each gets its own query text asking for
 * the same facts. Every GraphQL request sends the document with variables (one document string per
 * scenario, as a game backend does).
 */

export const DEMO = {
  app: 'demo',
  apiKey: 'bench-key',
  clientId: 'com.example.demo.game',
  clientSecret: 'sandbox-demo-secret',
  appSeq: '1000272',
  productId: 'gem_100',
  /** A demo purchase: purchased, not consumed. */
  purchaseToken: 'DEMOINAPP00000000001',
} as const;

export type ContestantKind = 'rest' | 'naive' | 'gateway';
export type ScenarioName = 'a-lookup' | 'b-batch50' | 'c-consume' | 'd-slow-store';

export interface ScenarioRequest {
  method: 'POST';
  path: string;
  body: string;
  /** Body holds `__TOKEN__`, replaced per request by a fresh purchase token. */
  perRequestToken: boolean;
  /** A cheap check of one answer, so a contestant that fails fast cannot win. */
  expect: (answer: string) => boolean;
}

export interface BatchCheck {
  productId: string;
  purchaseToken: string;
}

const GATEWAY_LOOKUP = `query Lookup($productId: String!, $purchaseToken: String!) {
  purchase(app: "demo", productId: $productId, purchaseToken: $purchaseToken) {
    __typename
    ... on Purchase { purchaseState consumptionState acknowledgementState quantity developerPayload purchasedAt entitlement { active reason } }
    ... on Error { code message }
  }
}`;

const GATEWAY_BATCH = `query Check($checks: [EntitlementCheckInput!]!) {
  checkEntitlements(app: "demo", checks: $checks) {
    __typename
    ... on EntitlementCheckList {
      checks { index active purchase { __typename ... on Purchase { purchaseState consumptionState item { __typename ... on Item { name marketItemId } } } ... on Error { code } } }
    }
    ... on Error { code message }
  }
}`;

const GATEWAY_CONSUME = `mutation Consume($productId: String!, $purchaseToken: String!) {
  consumePurchase(input: { app: "demo", onestore: { productId: $productId, purchaseToken: $purchaseToken } }) {
    __typename
    ... on ConsumePurchaseSuccess { purchase { consumptionState entitlement { active reason } } }
    ... on Error { code message }
  }
}`;

const NAIVE_LOOKUP = `query Lookup($productId: String!, $purchaseToken: String!) {
  purchase(productId: $productId, purchaseToken: $purchaseToken) {
    purchaseState consumptionState acknowledgementState quantity developerPayload purchasedAt entitlement { active reason }
  }
}`;

const NAIVE_BATCH = `query Check($checks: [CheckInput!]!) {
  checkEntitlements(checks: $checks) { index active purchase { purchaseState consumptionState item { name marketItemId } } }
}`;

const NAIVE_CONSUME = `mutation Consume($productId: String!, $purchaseToken: String!) {
  consumePurchase(productId: $productId, purchaseToken: $purchaseToken) { consumptionState entitlement { active reason } }
}`;

const graphql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
const noErrors = (answer: string) => !answer.includes('"errors"');

/** The request of `scenario` for a contestant of `kind`; `batch` holds the 50 checks of (b). */
export function scenarioRequest(
  kind: ContestantKind,
  scenario: ScenarioName,
  batch: readonly BatchCheck[],
): ScenarioRequest {
  const lookup = { productId: DEMO.productId, purchaseToken: DEMO.purchaseToken };
  const consume = { productId: DEMO.productId, purchaseToken: '__TOKEN__' };
  const isLookup = scenario === 'a-lookup' || scenario === 'd-slow-store';
  if (kind === 'rest') {
    if (isLookup) {
      return { method: 'POST', path: '/purchase', body: JSON.stringify(lookup), ...plain('purchaseState') };
    }
    if (scenario === 'b-batch50') {
      return { method: 'POST', path: '/check', body: JSON.stringify({ checks: batch }), ...plain('"name"') };
    }
    return { method: 'POST', path: '/consume', body: JSON.stringify(consume), ...fresh('consumptionState') };
  }
  const [q, b, c] =
    kind === 'naive'
      ? [NAIVE_LOOKUP, NAIVE_BATCH, NAIVE_CONSUME]
      : [GATEWAY_LOOKUP, GATEWAY_BATCH, GATEWAY_CONSUME];
  if (isLookup)
    return { method: 'POST', path: '/graphql', body: graphql(q, lookup), ...plain('purchaseState') };
  if (scenario === 'b-batch50') {
    return {
      method: 'POST',
      path: '/graphql',
      body: graphql(b, { checks: batchInput(kind, batch) }),
      ...plain('"name"'),
    };
  }
  return { method: 'POST', path: '/graphql', body: graphql(c, consume), ...fresh('"CONSUMED"') };
}

function plain(needle: string) {
  return { perRequestToken: false, expect: (a: string) => a.includes(needle) && noErrors(a) };
}
function fresh(needle: string) {
  return { perRequestToken: true, expect: (a: string) => a.includes(needle) && noErrors(a) };
}

function batchInput(kind: ContestantKind, batch: readonly BatchCheck[]) {
  return kind === 'gateway' ? batch.map((c) => ({ store: 'ONESTORE', ...c })) : batch;
}

/** 50 checks over 40 distinct purchases: entries 40..49 repeat entries 0, 4, 8, … 36. */
export function batchChecks(tokens: readonly string[]): BatchCheck[] {
  const distinct = tokens.slice(0, 40).map((purchaseToken) => ({ productId: DEMO.productId, purchaseToken }));
  if (distinct.length < 40) throw new Error('scenario (b) needs 40 purchases');
  const repeats = Array.from({ length: 10 }, (_, i) => distinct[i * 4]).filter((c) => c !== undefined);
  return [...distinct, ...repeats];
}
