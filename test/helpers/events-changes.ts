import type { LedgerStorage } from '../../src/redemption/service.js';
import { type GatewayHarness, nhnPayment, type Payment, record } from './gateway.js';
import { sleep } from './ledger.js';

/** Changes made through the gateway whose events and change intents the tests then read. */

/** A new NHN Cloud payment of app A for `itemSeq`, and the consume input naming it. */
export async function nhnPaid(
  g: GatewayHarness,
  itemSeq: string,
): Promise<{ pay: Payment; nhncloud: { paymentSeq: string; itemSeq: string; purchaseToken: string } }> {
  const pay = await nhnPayment(g, { itemSeq });
  return { pay, nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken } };
}

/**
 * Sends a ONE store consume (`send`) that the store applies and whose answer is lost (the connection
 * dropped after `latencyMs`), while the read after it (which would settle it at once: consumePurchase
 * reads the purchase after an answer that proves nothing) is refused too: the store answers 503 once
 * the consume is applied, until the answer would be sent. Resolves to the answer, faults cleared.
 */
export async function consumeAnswerLost<T>(
  g: GatewayHarness,
  purchaseToken: string,
  latencyMs: number,
  send: () => Promise<T>,
): Promise<T> {
  await g.control('POST', '/faults', {
    endpoint: 'onestore.consumePurchase',
    phase: 'after',
    count: 1,
    drop: true,
    latencyMs,
  });
  const answer = send();
  while ((await record(g, purchaseToken)).consumptionState !== 1) await sleep(10);
  await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 503, count: 20 });
  const answered = await answer;
  await g.control('DELETE', '/faults');
  return answered;
}

/** The change intents of `subject` in the ledger: the column `column` of each. */
export function intentsOf<C extends 'type' | 'last_error'>(
  ledger: LedgerStorage,
  column: C,
  subject: string,
): Promise<Record<C, string | null>[]> {
  return ledger.db.query<Record<C, string | null>>(
    `SELECT ${column} FROM change_intents WHERE subject = $1`,
    [subject],
  );
}
