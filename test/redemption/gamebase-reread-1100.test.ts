import { expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import type { GatewayHarness } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { grantStatuses, SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';
import { gamebaseInput } from '../helpers/redemption-inputs.js';
import { newGamebasePayment } from '../helpers/stores.js';

/**
 * Gamebase re-reads (review 3, "for the lead to judge"): Get Payment Transaction answering 1100
 * INVALID_PARAMETERS after an uncertain consume was read as "refunded", and the claim dropped. The
 * error-code guide names 1100 a parameter error, nothing more; a store that answers it for the token
 * of a payment that is consumed now (by our own consume, whose answer was lost) would make the player
 * lose what they paid for: the payment is consumed, and every later redemption is refused.
 */

const backend = ledgerBackends()[0];
if (backend === undefined) throw new Error('no ledger backend');
let g: GatewayHarness;
let ledger: LedgerStorage;
useLedgerGateway(
  backend,
  { gateway: { config: SHORT_LEASE }, clearFaults: true, startTimeoutMs: 60_000 },
  (s) => {
    ({ g, ledger } = s);
  },
);

const statuses = (paymentSeq: string) => grantStatuses(ledger, paymentSeq, 'GAMEBASE');

it('the consume is applied and its answer lost; re-reads answer 1100: the claim stays, and settles on 5018 to the repeat', async () => {
  const pay = await newGamebasePayment(g.h, g.gamebase);
  const input = gamebaseInput(pay, pay.userId);
  // The consume lands and its answer is cut: the read after it cannot tell (isConsumable false).
  await g.control('POST', '/faults', { endpoint: 'gamebase.consume', phase: 'after', count: 1, cut: true });
  const first = await redeem(g, input);
  expect({ first: first.__typename, rows: await statuses(pay.paymentSeq) }).toEqual({
    first: 'RedemptionInProgressError',
    rows: ['PENDING'],
  });
  // From now on the store answers 1100 to Get Payment Transaction of the (consumed) payment's token.
  await g.control('POST', '/faults', {
    endpoint: 'gamebase.paymentTransaction',
    count: 10,
    resultCode: 1100,
  });
  // After the lease, the retry recovers the claim: the re-read (1100) cannot tell, so the same
  // consume is sent again; the store answers 5018, and the read that could contradict it answers
  // 1100 again: no contradiction, settled. (Read as "refunded", the claim was dropped here.)
  await sleep(1_100);
  const last = await redeem(g, input);
  expect({ last: last.__typename, rows: await statuses(pay.paymentSeq) }).toEqual({
    last: 'RedeemPurchaseSuccess',
    rows: ['SETTLED'],
  });
});
