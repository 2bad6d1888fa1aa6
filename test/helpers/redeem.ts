import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import type { Gateway } from '../../src/server/create-gateway.js';
import { ERROR_FIELDS, type GatewayHarness } from './gateway.js';
import type { LedgerBackend } from './ledger.js';

/** The redeemPurchase mutation with every member the tests read. */
export const REDEEM = `mutation ($input: RedeemPurchaseInput!) {
  redeemPurchase(input: $input) {
    __typename
    ... on RedeemPurchaseSuccess {
      alreadyRedeemed
      grant { id app store userId productId quantity status outcome price { amount currency }
        storeIds { purchaseToken purchaseId paymentSeq itemSeq paymentId storeCode originalPaymentId expiryTime }
        createdAt settledAt revokedAt }
    }
    ... on RedemptionInProgressError { grantId retryAfterSeconds }
    ... on LedgerUnavailableError { retryAfterSeconds }
    ... on GrantConflictError { grantId }
    ... on IdempotencyKeyConflictError { grantId }
    ... on PurchaseMismatchError { field }
    ${ERROR_FIELDS}
  }
}`;

export interface RedeemAnswer {
  __typename: string;
  alreadyRedeemed?: boolean;
  grant?: {
    id: string;
    store: string;
    userId: string;
    productId: string;
    quantity: number;
    status: string;
    outcome: string | null;
    price: { amount: string; currency: string } | null;
    storeIds: Record<string, string | null>;
    settledAt: string | null;
    revokedAt: string | null;
  };
  grantId?: string;
  retryAfterSeconds?: number;
  code?: string;
  field?: string;
}

export async function redeem(
  g: GatewayHarness,
  input: Record<string, unknown>,
  key?: string,
): Promise<RedeemAnswer> {
  const answer = await g.gql(REDEEM, { input }, key === undefined ? {} : { key });
  return answer.data.redeemPurchase as RedeemAnswer;
}

/** The redeemPurchase answer of `gateway` called in process (`yoga.fetch`) with API key `key`. */
export async function redeemThrough(gateway: Gateway, key: string, input: object): Promise<RedeemAnswer> {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: REDEEM, variables: { input } }),
  });
  const body = (await response.json()) as { data?: { redeemPurchase: RedeemAnswer } };
  if (!body.data) throw new Error(`no data: ${JSON.stringify(body)}`);
  return body.data.redeemPurchase;
}

/** A ledger for one gateway on `backend` (PostgreSQL: this file's schema, shared by every call). */
export function ledgerFor(backend: LedgerBackend): Promise<LedgerStorage> {
  return openLedgerStorage(backend.options);
}

/** Grant rows for one purchase key, read straight from the database. */
export async function grantRows(ledger: LedgerStorage, purchaseKey: string): Promise<number> {
  const rows = await ledger.db.query<{ n: string | number }>(
    'SELECT count(*) AS n FROM grants WHERE purchase_key = $1',
    [purchaseKey],
  );
  return Number(rows[0]?.n ?? 0);
}
