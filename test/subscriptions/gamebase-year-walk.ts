import { expect } from 'vitest';
import type { RedeemAnswer } from '../helpers/redeem.js';

/**
 * Issue 26, "Done when", Gamebase part: a year of a monthly AUTO_RENEWABLE subscription of Google
 * (GG) in sandbox time, walked as test/sandbox/gamebase-subscription-year.test.ts walks the sandbox
 * (renewals, one grace recovered, one hold recovered, one pause, one earlier period refunded, then a
 * cancel and expiry), with the game redeeming in every period, the clock frozen at each step and the
 * subscription scheduler run after every clock move and store step. Played in one process
 * (gamebase-year.test.ts, SQLite and PostgreSQL) and on two replicas SIGKILLed at random
 * (gamebase-year-replicas.test.ts); both assert exactly the same grants, answers and events.
 *
 * The refunded period (period 7, voided at day 336) keeps its grant: Gamebase gives the gateway no
 * evidence of an earlier period's refund (no voided list in its server API; Get Payment Transaction
 * answers the refunded payment 1100 INVALID_PARAMETERS, a parameter error that proves nothing; Get
 * Subscriptions Status reports the subscription, whose current period was not refunded).
 * docs/redemption.md, "Gamebase AUTO_RENEWABLE", says so.
 */

export const USER = 'GG@YEARUSER00001';
const PRODUCT = 'vip_monthly';
const DAY = 86_400_000;
const day = (t0: number, days: number) => new Date(t0 + days * DAY).toISOString();

/** What the walk needs from a test: the sandbox, the gateway(s) and the ledger's grants. */
export interface GamebaseYearWorld {
  app: string;
  /** The Gamebase appId of that app in the sandbox. */
  appId: string;
  /** The walk's day 0 (sandbox time, ms). */
  t0: number;
  /** Freezes the sandbox clock (and the gateways') at `ms`. */
  clock(ms: number): Promise<void>;
  /** Until every tracked subscription due now has been read by the scheduler. */
  settle(): Promise<void>;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** redeemPurchase until answered (a call lost to a kill is sent again). */
  redeem(input: Record<string, unknown>): Promise<RedeemAnswer>;
  /** A GraphQL query through a gateway: its `data`. */
  query(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** One statement on the ledger. */
  sql<R>(sql: string, params: unknown[]): Promise<R[]>;
  /** Whether `alreadyRedeemed` is compared (false where a call lost to a kill may have made the grant). */
  exactFresh: boolean;
}

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
  status: string;
}
interface View {
  id: string;
  originalPaymentId: string;
  periods: Period[];
}

interface GrantRow {
  id: string;
  purchase_key: string;
  status: string;
  revoked_at: unknown;
  store_ids: string | Record<string, string>;
}

const NO_ACCESS =
  'The subscription gives no access now (expired, on hold or paused): no paid period to grant.';

const EVENTS = `query ($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 100) {
    ... on GatewayEventConnection {
      edges { node { type occurredAt observedAt previousStatus purchaseId
        gamebaseSubscription { originalPaymentId } grant { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface EventNode {
  type: string;
  occurredAt: string;
  observedAt: string;
  previousStatus: string | null;
  purchaseId: string | null;
  gamebaseSubscription: { originalPaymentId: string | null } | null;
  grant: { id: string } | null;
}

/** The app's events in order, each with its subject (a grant's id; a Gamebase subscription's key). */
async function events(world: GamebaseYearWorld) {
  const all: (EventNode & { subject: string })[] = [];
  let after: string | null = null;
  for (;;) {
    const page = (await world.query(EVENTS, { app: world.app, after })).gatewayEvents as {
      edges: { node: EventNode }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    for (const { node } of page.edges)
      all.push({
        ...node,
        subject: node.grant?.id ?? `GG:${node.gamebaseSubscription?.originalPaymentId ?? ''}`,
      });
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}

/** Plays the year and asserts every answer, grant and event. */
export async function playGamebaseYear(world: GamebaseYearWorld): Promise<void> {
  const withoutFresh = (a: unknown[]) => (world.exactFresh ? a : a.slice(0, 3));
  const settle = () => world.settle();
  // Frozen: a read's time (occurredAt of what Google's status carries no time for) is the step's.
  const at = async (days: number) => {
    await world.clock(world.t0 + days * DAY);
    await settle();
  };
  await at(0);
  const s = await world.control<View>('POST', '/gamebase/subscriptions', {
    appId: world.appId,
    userId: USER,
    gamebaseProductId: PRODUCT,
    price: '9900',
    currency: 'KRW',
    purchaseTime: world.t0,
  });
  const act = async (action: string, body: Record<string, unknown> = {}) => {
    const changed = await world.control<View>('POST', `/gamebase/subscriptions/${s.id}/${action}`, body);
    await settle();
    return changed;
  };
  const view = () => world.control<View>('GET', `/gamebase/subscriptions/${s.id}`);
  const first = s.periods[0] as Period;
  const inputOf = (p: Period) => ({
    app: world.app,
    userId: USER,
    gamebase: { paymentSeq: p.paymentSeq, purchaseToken: p.accessToken, productId: PRODUCT },
  });
  /** What the game sees at `d`: it redeems with the first purchase's pair, or the current period's. */
  const answers: [number, string, string | undefined, boolean | undefined][] = [];
  const redeemAt = async (d: number, pair: 'first' | 'current' = 'first'): Promise<RedeemAnswer> => {
    await at(d);
    const periods = (await view()).periods;
    const p = pair === 'first' ? first : (periods[periods.length - 1] as Period);
    const answer = await world.redeem(inputOf(p));
    await settle();
    answers.push([
      d,
      answer.__typename,
      answer.grant?.storeIds.paymentId ?? undefined,
      answer.alreadyRedeemed,
    ]);
    return answer;
  };
  const refusedAt = async (d: number, message: string) => {
    expect(await redeemAt(d)).toMatchObject({ __typename: 'InvalidPurchaseStateError', message });
  };

  await redeemAt(1); // period 1, days 0-30
  await redeemAt(31, 'current'); // period 2 paid at day 30
  await at(59);
  await act('grace'); // the day-60 renewal fails: grace until day 62
  await redeemAt(60.5); // in grace: period 2's grant
  await at(61);
  await act('renew'); // recovered: period 3, days 61-91
  await redeemAt(61.5);
  await at(90);
  await act('hold'); // on hold from day 90
  await refusedAt(92, NO_ACCESS);
  await at(95);
  await act('renew'); // recovered: period 4, days 95-125
  await redeemAt(96, 'current');
  await at(100);
  await act('pause', { days: 30 }); // paused days 125-155, then period 5, days 155-185
  await redeemAt(101); // pause scheduled: still period 4
  await refusedAt(126, NO_ACCESS);
  await redeemAt(156);
  for (const d of [186, 216, 246, 276, 306, 336]) await redeemAt(d, d % 60 === 6 ? 'current' : 'first');
  const refunded = (await view()).periods[6] as Period; // period 7, paid at day 215
  await act('void', { paymentSeq: refunded.paymentSeq });
  await redeemAt(337);
  // The refunded period's own pair: Get Payment Transaction answers 1100, which the gateway reads as not found.
  expect(await world.redeem(inputOf(refunded))).toMatchObject({ __typename: 'NotFoundError' });
  await act('cancel');
  await at(338); // the next daily read sees it
  await redeemAt(364); // cancelled, paid until day 365: period 11's grant
  await refusedAt(366, NO_ACCESS);

  const o = s.originalPaymentId;
  const id = (n: number) => (n === 0 ? o : `${o}..${n - 1}`);
  const ok = 'RedeemPurchaseSuccess';
  const no = 'InvalidPurchaseStateError';
  expect(answers.map(withoutFresh)).toEqual(
    [
      [1, ok, id(0), false],
      [31, ok, id(1), false],
      [60.5, ok, id(1), true],
      [61.5, ok, id(2), false],
      [92, no, undefined, undefined],
      [96, ok, id(3), false],
      [101, ok, id(3), true],
      [126, no, undefined, undefined],
      [156, ok, id(4), false],
      [186, ok, id(5), false],
      [216, ok, id(6), false],
      [246, ok, id(7), false],
      [276, ok, id(8), false],
      [306, ok, id(9), false],
      [336, ok, id(10), false],
      [337, ok, id(10), true],
      [364, ok, id(10), true],
      [366, no, undefined, undefined],
    ].map(withoutFresh),
  );

  // The ledger: exactly the 11 paid periods, each once, with the expiry the store gave at redemption.
  const rows = await world.sql<GrantRow>(
    'SELECT id, purchase_key, status, revoked_at, store_ids FROM grants WHERE user_id = $1 ORDER BY created_at, id',
    [USER],
  );
  const ids = (r: GrantRow) => (typeof r.store_ids === 'string' ? JSON.parse(r.store_ids) : r.store_ids);
  expect(
    rows.map((r) => [r.purchase_key, r.status, r.revoked_at, ids(r).paymentId, ids(r).expiryTime]),
  ).toEqual([
    [`GG:${id(0)}`, 'SETTLED', null, id(0), day(world.t0, 30)],
    [`GG:${id(1)}`, 'SETTLED', null, id(1), day(world.t0, 60)],
    [`GG:${id(2)}`, 'SETTLED', null, id(2), day(world.t0, 91)],
    [`GG:${id(3)}`, 'SETTLED', null, id(3), day(world.t0, 125)],
    [`GG:${id(4)}`, 'SETTLED', null, id(4), day(world.t0, 185)],
    [`GG:${id(5)}`, 'SETTLED', null, id(5), day(world.t0, 215)],
    // Period 7 was refunded at day 336: no evidence reaches the gateway (see the comment above).
    [`GG:${id(6)}`, 'SETTLED', null, id(6), day(world.t0, 245)],
    [`GG:${id(7)}`, 'SETTLED', null, id(7), day(world.t0, 275)],
    [`GG:${id(8)}`, 'SETTLED', null, id(8), day(world.t0, 305)],
    [`GG:${id(9)}`, 'SETTLED', null, id(9), day(world.t0, 335)],
    [`GG:${id(10)}`, 'SETTLED', null, id(10), day(world.t0, 365)],
  ]);
  expect((await view()).periods.map((p) => p.status)).toEqual([
    ...Array(6).fill('purchased'),
    'refunded',
    ...Array(4).fill('purchased'),
  ]);

  // The lifecycle events, subject the subscription's key: [type, occurredAt, observedAt (days),
  // previousStatus, purchaseId (RENEWED: the new period's paymentId)]. Grace, hold, pause and the
  // renewal's end come from Google's referenceStatus, at the read (it carries no time for them);
  // RENEWED at the period's renewTime, EXPIRED at the expiry.
  const subject = `GG:${o}`;
  const all = await events(world);
  const told = all
    .filter((e) => e.subject === subject)
    .map((e) => {
      return [
        e.type.replace('SUBSCRIPTION_', ''),
        (Date.parse(e.occurredAt) - world.t0) / DAY,
        (Date.parse(e.observedAt) - world.t0) / DAY,
        e.previousStatus,
        e.purchaseId,
      ];
    });
  const renewed = (period: number, paid: number, read: number, was = 'ACTIVE') => [
    'RENEWED',
    paid,
    read,
    was,
    id(period - 1),
  ];
  expect(told).toEqual([
    renewed(2, 30, 31),
    ['GRACE_STARTED', 60.5, 60.5, 'ACTIVE', null],
    ['RECOVERED', 61.5, 61.5, 'IN_GRACE_PERIOD', null],
    renewed(3, 61, 61.5, 'IN_GRACE_PERIOD'),
    ['ON_HOLD', 92, 92, 'ACTIVE', null],
    ['RECOVERED', 96, 96, 'ON_HOLD', null],
    renewed(4, 95, 96, 'ON_HOLD'),
    ['PAUSED', 126, 126, 'PAUSE_RESERVED', null],
    ['RESUMED', 156, 156, 'PAUSED', null],
    renewed(5, 155, 156, 'PAUSED'),
    ...[6, 7, 8, 9, 10, 11].map((n) => renewed(n, 185 + (n - 6) * 30, 186 + (n - 6) * 30)),
    ['RENEWAL_CANCELLED', 338, 338, 'ACTIVE', null],
    ['EXPIRED', 365, 366, 'CANCEL_RESERVED', null],
  ]);
  // Every event of the walk in commit order: a renewal is read before the game redeems its period
  // (the read at the clock move), out of grace, hold and pause with the recovery or resume first.
  const grantIds = rows.map((r) => r.id);
  const grantEvents = (n: number) => [`GRANT_CREATED ${n}`, `GRANT_SETTLED ${n}`];
  expect(
    all
      .filter((e) => e.subject === subject || grantIds.includes(e.subject))
      .map((e) =>
        e.subject === subject
          ? e.type.replace('SUBSCRIPTION_', '')
          : `${e.type} ${grantIds.indexOf(e.subject) + 1}`,
      ),
  ).toEqual([
    ...grantEvents(1),
    'RENEWED',
    ...grantEvents(2),
    'GRACE_STARTED',
    'RECOVERED',
    'RENEWED',
    ...grantEvents(3),
    'ON_HOLD',
    'RECOVERED',
    'RENEWED',
    ...grantEvents(4),
    'PAUSED',
    'RESUMED',
    ...[5, 6, 7, 8, 9, 10, 11].flatMap((n) => ['RENEWED', ...grantEvents(n)]),
    'RENEWAL_CANCELLED',
    'EXPIRED',
  ]);
  // No event for the refund of period 7: Gamebase gives no evidence of it (see the top comment).
  expect(all.filter((e) => e.type === 'SUBSCRIPTION_PERIOD_REFUNDED' || e.type === 'GRANT_REVOKED')).toEqual(
    [],
  );
}
