import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Reply } from '../http-io.js';

/**
 * Result codes of the Gamebase error-code guide ("Server" table) that these three APIs answer with.
 * The guide gives descriptions, not names, for the Common and Gateway codes; the messages below are
 * those descriptions.
 */
export const GAMEBASE_CODES = {
  0: 'SUCCESS',
  [-4000001]: 'Called API with invalid parameter type.',
  [-4010001]: 'Called invalid App ID.',
  [-4010004]: 'Called invalid secret key.',
  [-4040202]: 'Called undefined API.',
  [-4060001]: 'Set invalid content-type in the HTTP header.',
  [-4150001]: 'Delivered invalid json data format.',
  1100: 'Missing required parameter or sent invalid parameter',
  5000: 'CONSUME FAILED',
  5018: 'Payment already consumed',
} as const;

export type GamebaseCode = keyof typeof GAMEBASE_CODES;

/** A documented failure, thrown by the checks and turned into the envelope by the handler. */
export class GamebaseFailure extends Error {
  constructor(readonly code: GamebaseCode) {
    super(String(code));
  }
}

const TRANSACTION_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * "By setting a transaction ID at the HTTP header ... the Gamebase server delivers results with
 * corresponding TransactionId set at the response HTTP Header and Response Body Header"; when none
 * is sent, "return value that is created within Gamebase".
 */
export function transactionIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-tcgb-transaction-id'];
  return typeof sent === 'string' && TRANSACTION_ID.test(sent) ? sent : randomUUID();
}

/**
 * "As a response to all API requests, HTTP 200 OK is delivered": success or not, the header says.
 * A failure carries no `result`, as the guide's failure example shows.
 */
export function gamebaseEnvelope(
  transactionId: string,
  resultCode: number,
  resultMessage: string,
  result?: unknown,
): Reply {
  const header = { transactionId, isSuccessful: resultCode === 0, resultCode, resultMessage };
  return {
    status: 200,
    headers: { 'x-tcgb-transaction-id': transactionId },
    body: result === undefined ? { header } : { header, result },
  };
}

export function gamebaseFailure(code: number, transactionId: string = randomUUID()): Reply {
  const message = (GAMEBASE_CODES as Record<number, string>)[code] ?? 'UNKNOWN ERROR';
  return gamebaseEnvelope(transactionId, code, message);
}

/** Response times as the guide's examples write them: ISO 8601 at +09:00 ("2020-06-02T13:38:56+09:00"). */
export function kstIso(ms: number): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}
