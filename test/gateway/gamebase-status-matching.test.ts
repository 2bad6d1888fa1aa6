import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/graphql/errors/error-classes.js';
import { loadStatuses, type StatusKey } from '../../src/graphql/types/gamebase-subscription-status.js';
import { GamebaseClient } from '../../src/stores/gamebase/index.js';

/**
 * Get Subscriptions Status answers are matched to the payments asked by paymentSeq, because the
 * guide's own example answers other paymentSeqs in another order. Over HTTP against a Gamebase that
 * answers like that example: a batch whose answers name none of the asked payments is asked again
 * one payment at a time (a lone payment takes a lone answer); a payment simply left out is NotFoundError.
 */

interface Asked {
  payments: { paymentSeq: string; accessToken: string }[];
}

let server: Server;
let url = '';
const calls: string[][] = [];
/** paymentSeqs the fake Gamebase never answers. */
const unknown = new Set(['3000000000000003']);

const entry = (paymentSeq: string) => ({
  userId: 'QXG774PMRZMWR3BR',
  paymentSeq,
  accessToken: `t-${paymentSeq}`,
  paymentId: 'GPA.3333-7714-3477-48799..5',
  originalPaymentId: 'GPA.3333-7714-3477-48799',
  purchaseTime: '2022-05-16T09:59:27+09:00',
  expiryTime: '2023-08-24T12:48:45+09:00',
  renewTime: '2023-08-24T12:48:45+09:00',
  referenceStatus: 'RENEWED',
});

async function bodyOf(req: IncomingMessage): Promise<Asked> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Asked;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const { payments } = await bodyOf(req);
    calls.push(payments.map((p) => p.paymentSeq));
    // Like the guide's example: each known payment answered as its latest period (paymentSeq + 9), reversed.
    const result = payments
      .filter((p) => !unknown.has(p.paymentSeq))
      .map((p) => entry(String(BigInt(p.paymentSeq) + 9n)))
      .reverse();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ header: { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' }, result }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('loadStatuses', () => {
  it('asks unplaceable answers again one by one, and a payment left out is NotFoundError', async () => {
    const client = new GamebaseClient({ appId: 'C3JmSctU', secretKey: 'IgsaAP', baseUrl: url });
    const gb = { client, appId: 'C3JmSctU', environment: 'PRODUCTION' as const };
    const key = (paymentSeq: string): StatusKey => ({ app: 'game', gb, paymentSeq, purchaseToken: 'abc' });
    const keys = [key('1000000000000001'), key('2000000000000002'), key('3000000000000003')];
    const answers = await loadStatuses(keys, { scope: undefined, upstreamConcurrency: 2 });
    expect(answers.map((a) => (a instanceof Error ? a.constructor.name : a.paymentSeq))).toEqual([
      '1000000000000010',
      '2000000000000011',
      'NotFoundError',
    ]);
    expect(answers[2]).toBeInstanceOf(NotFoundError);
    // The batch, then each unplaced payment alone.
    expect(calls).toEqual([
      ['1000000000000001', '2000000000000002', '3000000000000003'],
      ['1000000000000001'],
      ['2000000000000002'],
      ['3000000000000003'],
    ]);
    await client.close();
  });
});
