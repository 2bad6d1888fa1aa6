import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BreakerRegistry,
  type ChangeAnswer,
  gamebase,
  isStoreError,
  nhncloud,
  onestore,
  provesNotApplied,
} from '../../src/stores/index.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  failure,
  type GamebaseApp,
  gamebaseClient,
  newGamebaseApp,
  newGamebasePayment,
  newNhnPayment,
  newOneStoreApp,
  newPurchase,
  nhnClient,
  type OneStoreApp,
  oneStoreClient,
} from '../helpers/stores.js';

/**
 * One test per row of each store's table "What an answer to a change proves" (docs/redemption.md):
 * the answer is put on the wire by the sandbox, the real client makes its error of it, and
 * `provesNotApplied` (what redemption and the mutations decide on) reads it. `NOT_APPLIED` rows end
 * in a refusal or a request never sent; `UNCERTAIN` rows in an UpstreamUncertainOutcomeError.
 *
 * The expected values are written out here from the documents (002's 표준응답코드 with their
 * statuses, 000's server codes, the Gamebase guide's Server table), not read from the code tables
 * under test: a table row changed to the wrong answer fails its test, and a code added to a table
 * without a row here fails the "every code has a row" test.
 */

const h = useSandbox();
let app: OneStoreApp;
let gb: GamebaseApp;
beforeAll(async () => {
  app = await newOneStoreApp(h);
  gb = await newGamebaseApp(h);
});
afterEach(async () => {
  await h.control('DELETE', '/faults');
});

const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);

/** What the client's error proves, checked against its kind. */
function proves(error: unknown): ChangeAnswer {
  expect(isStoreError(error)).toBe(true);
  const answer = provesNotApplied(error) ? 'NOT_APPLIED' : 'UNCERTAIN';
  expect(isStoreError(error) && error.kind === 'UncertainOutcomeError').toBe(answer === 'UNCERTAIN');
  return answer;
}

async function oneStoreConsume(answer: Record<string, unknown>, extra = {}): Promise<unknown> {
  const client = oneStoreClient(h, app, extra);
  try {
    const p = await newPurchase(h, app);
    await client.getAccessToken();
    // Token codes are answered twice: the client renews its token once and repeats the refused call.
    await fault({ endpoint: 'onestore.consumePurchase', count: 2, ...answer });
    return await failure(client.consumePurchase(p));
  } finally {
    await client.close();
  }
}

describe('ONE store (document 002): consume, acknowledge and the subscription changes', () => {
  // Document 002's standard codes: a 4xx refuses the request; InternalError (500, "an undefined
  // error") and ServiceMaintenance (503) may follow a change already applied.
  const ONESTORE: [code: string, proves: ChangeAnswer][] = [
    ['AccessBlocked', 'NOT_APPLIED'],
    ['AccessTokenExpired', 'NOT_APPLIED'],
    ['BadRequest', 'NOT_APPLIED'],
    ['DeveloperPayloadNotMatch', 'NOT_APPLIED'],
    ['InternalError', 'UNCERTAIN'],
    ['InvalidAccessToken', 'NOT_APPLIED'],
    ['InvalidAuthorizationHeader', 'NOT_APPLIED'],
    ['InvalidConsumeState', 'NOT_APPLIED'],
    ['InvalidContentType', 'NOT_APPLIED'],
    ['InvalidPurchaseState', 'NOT_APPLIED'],
    ['InvalidRequest', 'NOT_APPLIED'],
    ['MethodNotAllowed', 'NOT_APPLIED'],
    ['NoSuchData', 'NOT_APPLIED'],
    ['RequiredValueNotExist', 'NOT_APPLIED'],
    ['ResourceNotFound', 'NOT_APPLIED'],
    ['ServiceMaintenance', 'UNCERTAIN'],
    ['UnauthorizedAccess', 'NOT_APPLIED'],
  ];

  it('every standard code of the code table has a row here', () => {
    expect(Object.keys(onestore.ONESTORE_ERROR_CODES).sort()).toEqual(ONESTORE.map(([c]) => c).sort());
  });

  it.each(ONESTORE)('standard code %s: %s', async (code, expected) => {
    const error = await oneStoreConsume({ code });
    expect(error).toMatchObject({ store: 'onestore', code });
    expect(proves(error)).toBe(expected);
  });

  it.each([
    ['HTTP 429 (an HTML page)', { status: 429 }, 'HTTP_429'],
    ['HTTP 429 with a standard code', { code: 'InvalidRequest', status: 429 }, 'InvalidRequest'],
    ['503 + Retry-After (an HTML page)', { status: 503, retryAfterSeconds: 30 }, 'HTTP_503'],
    ['another 5xx (502)', { status: 502 }, 'HTTP_502'],
    ['a documented refusal code at a 5xx status', { code: 'InvalidRequest', status: 500 }, 'InvalidRequest'],
    ['an unknown code at 400', { code: 'SomethingNew', status: 400 }, 'SomethingNew'],
    ['a 4xx without the standard body (an HTML 404)', { status: 404 }, 'HTTP_404'],
    ['a 3xx (never followed)', { status: 302 }, 'HTTP_302'],
    ['a 200 that is not JSON', { status: 200 }, 'NOT_JSON'],
    ['a cut 200', { phase: 'after', cut: true }, 'INVALID_JSON'],
    ['a dropped connection after handling', { phase: 'after', drop: true }, undefined],
  ])('%s: UNCERTAIN', async (_row, answer, code) => {
    const error = await oneStoreConsume(answer);
    if (code !== undefined) expect(error).toMatchObject({ code });
    expect(proves(error)).toBe('UNCERTAIN');
  });

  it('no answer within the deadline: UNCERTAIN', async () => {
    const error = await oneStoreConsume({ phase: 'after', latencyMs: 1_000 }, { http: { deadlineMs: 200 } });
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(proves(error)).toBe('UNCERTAIN');
  });

  it('never sent: the token endpoint refused (NoSuchData), 0 consumes: NOT_APPLIED', async () => {
    const client = oneStoreClient(h, app);
    try {
      const p = await newPurchase(h, app);
      await fault({ endpoint: 'onestore.token', code: 'NoSuchData' });
      await h.control('DELETE', '/stats');
      const error = await failure(client.consumePurchase(p));
      expect(error).toMatchObject({ endpoint: 'onestore.token', code: 'NoSuchData' });
      expect(proves(error)).toBe('NOT_APPLIED');
      expect(await h.count('onestore.consumePurchase')).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('never sent: an input outside the document, a refused connection, an open circuit: NOT_APPLIED', async () => {
    const client = oneStoreClient(h, app);
    const p = await newPurchase(h, app);
    const badInput = await failure(client.consumePurchase({ ...p, purchaseToken: 'x'.repeat(21) }));
    expect(badInput).toMatchObject({ kind: 'InvalidInputError' });
    expect(proves(badInput)).toBe('NOT_APPLIED');
    await client.close();

    const closed = oneStoreClient(h, app, { baseUrl: 'http://127.0.0.1:1' });
    const refused = await failure(closed.consumePurchase(p));
    expect(refused).toMatchObject({ endpoint: 'onestore.token', code: 'ECONNREFUSED' });
    expect(proves(refused)).toBe('NOT_APPLIED');
    await closed.close();

    const breakers = new BreakerRegistry({ consecutiveFailures: 1, openMs: 60_000 });
    const guarded = oneStoreClient(h, app, { http: { breakers } });
    await fault({ endpoint: 'onestore.consumePurchase', code: 'InternalError', count: 1 });
    expect(proves(await failure(guarded.consumePurchase(p)))).toBe('UNCERTAIN');
    const open = await failure(guarded.consumePurchase(p));
    expect(open).toMatchObject({ kind: 'StoreUnavailableError', code: 'CIRCUIT_OPEN' });
    expect(proves(open)).toBe('NOT_APPLIED');
    await guarded.close();
  });
});

/**
 * The tests the two envelope stores share, in this order: every code of the store's table has a
 * row; each row's code proves what the row says; each of `uncertain` (an answer and its label) is
 * UNCERTAIN.
 */
function envelopeConsumeTests(
  store: 'nhncloud' | 'gamebase',
  codeTable: object,
  rows: [code: number, proves: ChangeAnswer][],
  consume: (answer: Record<string, unknown>) => Promise<unknown>,
  uncertain: [row: string, answer: Record<string, unknown>][],
): void {
  it('every code of the code table has a row here', () => {
    expect(Object.keys(codeTable).map(Number).sort()).toEqual(rows.map(([c]) => c).sort());
  });

  it.each(rows)('resultCode %s: %s', async (code, expected) => {
    const error = await consume({ resultCode: Number(code) });
    expect(error).toMatchObject({ store, resultCode: Number(code) });
    expect(proves(error)).toBe(expected);
  });

  it.each(uncertain)('%s: UNCERTAIN', async (_row, answer) => {
    expect(proves(await consume(answer))).toBe('UNCERTAIN');
  });
}

describe('NHN Cloud (document 000): consume', () => {
  const consume = async (answer: Record<string, unknown>, extra = {}): Promise<unknown> => {
    const client = nhnClient(h, extra);
    try {
      const p = await newNhnPayment(h);
      await fault({ endpoint: 'nhncloud.consume', count: 1, ...answer });
      return await failure(client.consume(p));
    } finally {
      await client.close();
    }
  };

  // Document 000, server codes: 1100 / 2111 / 2112 refuse the request, 5018 says consumed before
  // (this request changed nothing); 5000 says only "Consume 실패".
  const NHN: [code: number, proves: ChangeAnswer][] = [
    [1100, 'NOT_APPLIED'],
    [2111, 'NOT_APPLIED'],
    [2112, 'NOT_APPLIED'],
    [5000, 'UNCERTAIN'],
    [5018, 'NOT_APPLIED'],
  ];

  envelopeConsumeTests('nhncloud', nhncloud.NHNCLOUD_RESULT_CODES, NHN, consume, [
    ['an unknown resultCode (9999)', { resultCode: 9999 }],
    ['HTTP 429', { status: 429 }],
    ['503 + Retry-After', { status: 503, retryAfterSeconds: 30 }],
    ['another 5xx (502)', { status: 502 }],
    ['a 4xx page (404)', { status: 404 }],
    ['a cut 200', { phase: 'after', cut: true }],
    ['a dropped connection after handling', { phase: 'after', drop: true }],
  ]);

  it('no answer within the deadline: UNCERTAIN', async () => {
    const error = await consume({ phase: 'after', latencyMs: 1_000 }, { http: { deadlineMs: 200 } });
    expect(proves(error)).toBe('UNCERTAIN');
  });
});

describe('Gamebase (error-code guide, Server table): Consume', () => {
  const consume = async (answer: Record<string, unknown>): Promise<unknown> => {
    const client = gamebaseClient(h, gb);
    try {
      const p = await newGamebasePayment(h, gb);
      await fault({ endpoint: 'gamebase.consume', count: 1, ...answer });
      return await failure(client.consume(p));
    } finally {
      await client.close();
    }
  };

  // The guide's Server table: the common codes and 1100, 5018, 5032, -4001002 refuse the request;
  // 5000 CONSUME_FAILED and 9999 UNKNOWN_ERROR do not say the consume was not applied.
  const GAMEBASE: [code: number, proves: ChangeAnswer][] = [
    ...[-4000001, -4000002, -4000003, -4000004, -4000005, -4000006, -4000007, -4000008].map(
      (c) => [c, 'NOT_APPLIED'] as [number, ChangeAnswer],
    ),
    ...[-4010001, -4010002, -4010003, -4010004, -4010202].map(
      (c) => [c, 'NOT_APPLIED'] as [number, ChangeAnswer],
    ),
    ...[-4060001, -4060002, -4060003, -4150001].map((c) => [c, 'NOT_APPLIED'] as [number, ChangeAnswer]),
    [-4040201, 'NOT_APPLIED'],
    [-4040202, 'NOT_APPLIED'],
    [-4120201, 'NOT_APPLIED'],
    [-4001002, 'NOT_APPLIED'],
    [1100, 'NOT_APPLIED'],
    [5000, 'UNCERTAIN'],
    [5018, 'NOT_APPLIED'],
    [5032, 'NOT_APPLIED'],
    [9999, 'UNCERTAIN'],
  ];

  envelopeConsumeTests('gamebase', gamebase.GAMEBASE_RESULT_CODES, GAMEBASE, consume, [
    ['an internal range code (-5000001)', { resultCode: -5000001 }],
    ['an unknown resultCode (12345)', { resultCode: 12345 }],
    ['HTTP 429', { status: 429 }],
    ['503 + Retry-After', { status: 503, retryAfterSeconds: 30 }],
    ['a cut 200', { phase: 'after', cut: true }],
    ['a dropped connection after handling', { phase: 'after', drop: true }],
  ]);
});
