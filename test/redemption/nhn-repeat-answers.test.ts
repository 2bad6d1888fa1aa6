import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { type GatewayHarness, nhnItem, nhnPayment } from '../helpers/gateway.js';
import { ledgerBackends, sleep } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { grantStatuses, SHORT_LEASE, useLedgerGateway } from '../helpers/redemption-gateway.js';
import { nhnInput } from '../helpers/redemption-inputs.js';

/**
 * Review of issue 24 point 2 (NHN Cloud `refusedOnRepeat`): 5000 CONSUME_FAILED is uncertain to a
 * first consume because "consume failed" does not say "before any change". The same answer to the
 * repeat proves no more: a store whose consume path fails after committing (the reason 5000 is
 * uncertain at all) answers the repeat 5000 too while the fault lasts. The claim must not be dropped
 * as "never purchased" then: the payment is consumed, and every later redemption answers
 * ConsumedOutsideLedgerError, so the player paid and never gets the item.
 */

const backend = ledgerBackends()[0];
if (backend === undefined) throw new Error('no ledger backend');
let g: GatewayHarness;
let ledger: LedgerStorage;
let itemSeq = '';
const hooks = { gateway: { config: SHORT_LEASE }, clearFaults: true, startTimeoutMs: 60_000 };
useLedgerGateway(backend, hooks, async (started) => {
  ({ g, ledger } = started);
  itemSeq = await nhnItem(g, { marketItemId: 'repeat_5000' });
});

it('the store applies the consume and answers 5000 to it and to its repeat: the grant is not dropped (no player loses a paid item)', async () => {
  const pay = await nhnPayment(g, { itemSeq });
  const input = nhnInput(pay, itemSeq, pay.userKey);
  // The store's consume path fails after committing, for two calls (a short incident).
  await g.control('POST', '/faults', {
    endpoint: 'nhncloud.consume',
    phase: 'after',
    count: 2,
    resultCode: 5000,
  });
  const answers: string[] = [];
  answers.push((await redeem(g, input)).__typename);
  await sleep(1_100);
  answers.push((await redeem(g, input)).__typename);
  // The incident is over; the game backend (or the player's client) asks once more.
  await sleep(1_100);
  const last = await redeem(g, input);
  answers.push(last.__typename);
  const rows = await grantStatuses(ledger, pay.paymentSeq, 'NHN_CLOUD');
  // The payment was consumed by the first call: there must be a grant for it, never a final refusal.
  expect({ answers, rows }).toMatchObject({
    answers: ['RedemptionInProgressError', 'RedemptionInProgressError', 'RedeemPurchaseSuccess'],
    rows: ['SETTLED'],
  });
});

it("a stranger's wrong-token claim on an NHN payment does not turn the owner away while it is pending: the owner's own list proves the claim's token wrong", async () => {
  const pay = await nhnPayment(g, { itemSeq });
  const stranger = nhnInput(
    { ...pay, purchaseToken: 'bm90LXRoZS10b2tlbg' },
    itemSeq,
    `player-${randomUUID().slice(0, 8)}`,
  );
  expect(await redeem(g, stranger)).toMatchObject({ __typename: 'RedemptionInProgressError' });
  // The owner comes within the stranger's lease. Their unconsumed list shows the payment under
  // their token: the pending claim's token can never consume it. GrantConflictError says
  // "do not deliver" (docs/errors.md), a final answer to a player who paid.
  const owner = await redeem(g, nhnInput(pay, itemSeq, pay.userKey));
  expect(owner.__typename).not.toBe('GrantConflictError');
});

it('the store applies the consume and answers 429; the repeat in recovery is refused (1100): the claim is not dropped, as the first attempt may have landed', async () => {
  const pay = await nhnPayment(g, { itemSeq });
  const input = nhnInput(pay, itemSeq, pay.userKey);
  await g.control('POST', '/faults', { endpoint: 'nhncloud.consume', phase: 'after', count: 1, status: 429 });
  expect(await redeem(g, input)).toMatchObject({ __typename: 'RedemptionInProgressError' });
  // The repeat, after the lease: the list no longer shows the payment ('unknown'), and the store
  // refuses the repeat. That refusal is about the repeat only, not about the first attempt.
  await g.control('POST', '/faults', { endpoint: 'nhncloud.consume', count: 1, resultCode: 1100 });
  await sleep(1_100);
  const second = await redeem(g, input);
  const rows = await grantStatuses(ledger, pay.paymentSeq, 'NHN_CLOUD');
  expect({ second: second.__typename, rows }).toMatchObject({
    second: 'RedemptionInProgressError',
    rows: ['PENDING'],
  });
});
