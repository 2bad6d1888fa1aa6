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

export type ContestantKind = 'rest' | 'naive' | 'gateway' | 'peer';
export type ScenarioName =
  | 'a-lookup'
  | 'b-batch50'
  | 'c-consume'
  | 'd-slow-store'
  | 'e-aliases20'
  | 'f-redeem';
export const ALL_SCENARIOS: readonly ScenarioName[] = [
  'a-lookup',
  'b-batch50',
  'd-slow-store',
  'c-consume',
  'e-aliases20',
  'f-redeem',
];

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

/** (e): 20 lookups, aliased in one GraphQL document, over 5 distinct purchases (each 4 times). */
const ALIASES = 20;
const ALIAS_TOKENS = 5;
function aliased(field: (i: number) => string, selection: string, tokenType = 'String!'): string {
  const vars = Array.from({ length: ALIAS_TOKENS }, (_, t) => `$t${t}: ${tokenType}`).join(', ');
  const fields = Array.from({ length: ALIASES }, (_, i) => `p${i}: ${field(i % ALIAS_TOKENS)} ${selection}`);
  return `query Aliases(${vars}) {\n  ${fields.join('\n  ')}\n}`;
}
const aliasVars = (tokens: readonly string[]) =>
  Object.fromEntries(tokens.slice(0, ALIAS_TOKENS).map((t, i) => [`t${i}`, t]));

const PEER_SELECTION = `{ __typename ... on PurchaseDetails { purchaseState consumptionState acknowledgeState quantity developerPayload purchaseTime } ... on StoreError { error { code message } } }`;
const PEER_LOOKUP = `query Lookup($productId: String!, $purchaseToken: String!) {
  purchase: getPurchaseDetails(clientId: "${DEMO.clientId}", productId: $productId, purchaseToken: $purchaseToken) ${PEER_SELECTION}
}`;
const GATEWAY_SELECTION = `{ __typename ... on Purchase { purchaseState consumptionState acknowledgementState quantity developerPayload purchasedAt entitlement { active reason } } ... on Error { code message } }`;
const NAIVE_SELECTION = `{ purchaseState consumptionState acknowledgementState quantity developerPayload purchasedAt entitlement { active reason } }`;

const GATEWAY_REDEEM = `mutation Redeem($userId: String!, $productId: String!, $purchaseToken: String!) {
  redeemPurchase(input: { app: "demo", userId: $userId, onestore: { productId: $productId, purchaseToken: $purchaseToken } }) {
    __typename
    ... on RedeemPurchaseSuccess { alreadyRedeemed grant { id productId quantity status } }
    ... on Error { code message }
  }
}`;

/**
 * The request of `scenario` for a contestant of `kind`; `batch` holds the 50 checks of (b) (its
 * first 5 purchases are the 5 tokens of (e)). Undefined when that kind has no such operation (the
 * peer has no checks, consume or ledger; the naive server has no ledger).
 */
export function scenarioRequest(
  kind: ContestantKind,
  scenario: ScenarioName,
  batch: readonly BatchCheck[],
): ScenarioRequest | undefined {
  const lookup = { productId: DEMO.productId, purchaseToken: DEMO.purchaseToken };
  const consume = { productId: DEMO.productId, purchaseToken: '__TOKEN__' };
  const tokens = batch.map((c) => c.purchaseToken);
  const isLookup = scenario === 'a-lookup' || scenario === 'd-slow-store';
  if (kind === 'rest') {
    if (isLookup) {
      return { method: 'POST', path: '/purchase', body: JSON.stringify(lookup), ...plain('purchaseState') };
    }
    if (scenario === 'b-batch50') {
      return { method: 'POST', path: '/check', body: JSON.stringify({ checks: batch }), ...plain('"name"') };
    }
    if (scenario === 'e-aliases20') {
      const refs = Array.from({ length: ALIASES }, (_, i) => batch[i % ALIAS_TOKENS]);
      return {
        method: 'POST',
        path: '/lookups',
        body: JSON.stringify({ lookups: refs }),
        ...plain('purchaseState'),
      };
    }
    if (scenario === 'f-redeem') {
      const body = JSON.stringify({ ...consume, userId: 'bench-user' });
      return { method: 'POST', path: '/redeem', body, ...fresh('"SETTLED"') };
    }
    return { method: 'POST', path: '/consume', body: JSON.stringify(consume), ...fresh('consumptionState') };
  }
  if (kind === 'peer') {
    if (isLookup) return gql(PEER_LOOKUP, lookup, plain('purchaseState'));
    if (scenario !== 'e-aliases20') return undefined;
    const q = aliased(
      (t) =>
        `getPurchaseDetails(clientId: "${DEMO.clientId}", productId: "${DEMO.productId}", purchaseToken: $t${t})`,
      PEER_SELECTION,
    );
    return gql(q, aliasVars(tokens), plain('purchaseState'));
  }
  if (scenario === 'e-aliases20') {
    const field = (t: number) =>
      kind === 'naive'
        ? `purchase(productId: "${DEMO.productId}", purchaseToken: $t${t})`
        : `purchase(app: "demo", productId: "${DEMO.productId}", purchaseToken: $t${t})`;
    const q = aliased(field, kind === 'naive' ? NAIVE_SELECTION : GATEWAY_SELECTION);
    return gql(q, aliasVars(tokens), plain('purchaseState'));
  }
  if (scenario === 'f-redeem') {
    if (kind !== 'gateway') return undefined;
    return gql(GATEWAY_REDEEM, { ...consume, userId: 'bench-user' }, fresh('"SETTLED"'));
  }
  const [q, b, c] =
    kind === 'naive'
      ? [NAIVE_LOOKUP, NAIVE_BATCH, NAIVE_CONSUME]
      : [GATEWAY_LOOKUP, GATEWAY_BATCH, GATEWAY_CONSUME];
  if (isLookup) return gql(q, lookup, plain('purchaseState'));
  if (scenario === 'b-batch50') return gql(b, { checks: batchInput(kind, batch) }, plain('"name"'));
  return gql(c, consume, fresh('"CONSUMED"'));
}

function gql(
  query: string,
  variables: Record<string, unknown>,
  check: Pick<ScenarioRequest, 'perRequestToken' | 'expect'>,
): ScenarioRequest {
  return { method: 'POST', path: '/graphql', body: graphql(query, variables), ...check };
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
