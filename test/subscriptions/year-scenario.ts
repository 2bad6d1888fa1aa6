import { onestore } from '../../src/stores/index.js';

/**
 * Issue 26, first Done-when, ONE store part: a year of a ONE store SUBSCRIPTION and of a MONTHLY
 * (`auto`) product in sandbox time, as data. Each step happens at an instant after the scenario's
 * start (the sandbox clock is frozen and set to it); the game redeems at every renewal it learns of,
 * as a game backend would, and sometimes again within a period. The driver (year-driver.ts) plays the
 * steps against one sandbox and one or more gateways; the expected grants and events are built from
 * the same data (`expectedEvents`, `expectedGrants`), so a step added here changes both.
 *
 * What MONTHLY lacks (document 002, getRecurringPurchaseDetails): no paymentState, no pause fields,
 * no priceChange nor promotionPrice; its only changes are cancelRecurringPurchase / reactivate
 * (auto-payment off and back on) and a refund (lastPurchaseState 1). So the document has no grace,
 * hold, pause or price change for it, and the sandbox refuses those actions on `auto`: its year has
 * the auto-renewal turned off and back on instead, one refunded period, then expiry.
 */

export const DAY = 86_400_000;
/** The sandbox's default billing period (DEFAULT_PERIOD_MS). */
export const PERIOD = 30 * DAY;
/** A void is read by the sync once it is older than the store clock margin: a minute more. */
const SYNC_AFTER = onestore.STORE_CLOCK_MARGIN_MS + 60_000;

export type Kind = 'SUBSCRIPTION' | 'MONTHLY';

/** What the game's redemption at a step answers. */
export type Expected =
  /** RedeemPurchaseSuccess with that period's grant (1-based); `fresh`: alreadyRedeemed false. */
  | { period: number; fresh: boolean }
  /** InvalidPurchaseStateError with this message. */
  | { refused: string };

/**
 * A lifecycle event a step's reads tell (docs/events.md, "Lifecycle events"): its type and occurredAt
 * (ms from the scenario's start, the store's time), or `renewed`: SUBSCRIPTION_RENEWED of that period
 * (1-based), whose occurredAt is the period's start in `periods`.
 */
export type Tell = { type: string; at: number } | { renewed: number };

export type Step = {
  at: number;
  note: string;
  /** What the scheduler's reads at this instant tell before the step acts (after the clock move). */
  tells?: Tell[];
  /** What they tell after it (a redemption's new grant pulls a read: it sees what the store changed). */
  thenTells?: Tell[];
} & (
  | { do: 'buy' }
  /** Nothing but the clock: the gateway's own scheduled read (daily at least) sees what changed. */
  | { do: 'wait' }
  /** redeemPurchase; `copies` identical calls at once (default 1; replicas: spread over both). */
  | { do: 'redeem'; expect: Expected; copies?: number }
  /** A store-side change: a sandbox control action on the purchase. */
  | { do: 'act'; action: string; body?: Record<string, unknown> }
  /** The store refunds one period: `void {purchaseId}` of that period (1-based). */
  | { do: 'void'; period: number }
  /** The gateway's revocation sync (syncRevocations), which reads the voided list. */
  | { do: 'sync' }
);

/** One period as the sandbox keeps it (`periods` of the control API), its price a decimal string. */
export interface StorePeriod {
  start: number;
  end: number;
  price: string;
  state: 'paid' | 'refunded';
}

export interface YearScenario {
  kind: Kind;
  productId: string;
  /** The sandbox's product type. */
  type: 'subscription' | 'auto';
  steps: Step[];
  /** The store's periods the steps leave, in order: one grant is expected for each. */
  periods: StorePeriod[];
  /** The grant outcome of the first period and of the later ones. */
  outcomes: { first: string; later: string };
}

const redeem = (
  at: number,
  expect: Expected,
  note: string,
  copies?: number,
  tells?: Pick<Step, 'tells' | 'thenTells'>,
): Step => ({
  at,
  do: 'redeem',
  expect,
  note,
  ...(copies !== undefined && { copies }),
  ...tells,
});
const told = (type: string, at: number): Tell => ({ type: `SUBSCRIPTION_${type}`, at });
/** A renewal read before the redemption of its period. */
const renewal = (n: number): Pick<Step, 'tells'> => ({ tells: [{ renewed: n }] });
const fresh = (period: number) => ({ period, fresh: true });
const again = (period: number) => ({ period, fresh: false });

/**
 * The sandbox fails "the payment due now" (grace, hold), and on the very instant a payment is due its
 * clock renews first: a failure is played 1 ms before the renewal it stands for. Out of grace the
 * billing date stays (the failed one, GRACE); out of hold the new period starts at the recovery.
 */
const GRACE = 2 * PERIOD - 1;
/** Recovered out of hold 10 days after the due date: the later billing dates move by 10 days. */
const H = 10 * DAY;

/**
 * 12 paid periods: 1-2; a grace at the third renewal, recovered within 3 days (period 3 keeps the
 * billing date); 4 (a price change to 1500 announced and agreed in it); 5 charged 1500; the sixth
 * renewal fails straight into hold (the access ends), recovered after 10 days: not recovering would
 * expire the subscription 30 days later, ending the year at 5 periods, and the held days are not
 * paid, so no grant covers them; 6-7, a pause of 30 days reserved in 7 (paused: no period, no
 * grant); 8 at the auto-resume; 9-12; period 4 refunded while 9 runs; the player cancels in 12 and it
 * expires at its end.
 */
export const SUBSCRIPTION_YEAR: YearScenario = {
  kind: 'SUBSCRIPTION',
  productId: 'year_pass',
  type: 'subscription',
  steps: [
    { at: 0, do: 'buy', note: 'bought' },
    redeem(0, fresh(1), 'first period'),
    redeem(10 * DAY, again(1), 'the player comes back in the same period'),
    redeem(PERIOD, fresh(2), 'renewed', 2, renewal(2)),
    {
      at: GRACE,
      do: 'act',
      action: 'grace',
      note: 'the third payment fails: grace (결제유예)',
      thenTells: [told('GRACE_STARTED', GRACE)],
    },
    redeem(2 * PERIOD + DAY, again(2), 'in grace: access kept, still the second period'),
    { at: 2 * PERIOD + 3 * DAY, do: 'act', action: 'recover', note: 'the payment goes through' },
    // The read comes with the new period's grant: its settle pulls the read, which sees the recovery.
    redeem(2 * PERIOD + 3 * DAY, fresh(3), 'recovered out of grace', 1, {
      thenTells: [told('RECOVERED', 2 * PERIOD + 3 * DAY), { renewed: 3 }],
    }),
    redeem(3 * PERIOD, fresh(4), 'renewed', 1, renewal(4)),
    {
      at: 3 * PERIOD + 5 * DAY,
      do: 'act',
      action: 'priceChange',
      body: { price: '1500' },
      note: 'price change',
    },
    {
      at: 3 * PERIOD + 6 * DAY,
      do: 'act',
      action: 'agreePriceChange',
      note: 'the player agrees',
      // The daily read at this instant, before the agreement: the change announced the day before.
      tells: [told('PRICE_CHANGE_PENDING', 3 * PERIOD + 5 * DAY)],
    },
    {
      at: 3 * PERIOD + 7 * DAY,
      do: 'wait',
      note: 'the next daily read',
      tells: [told('PRICE_CHANGE_AGREED', 3 * PERIOD + 7 * DAY)],
    },
    redeem(4 * PERIOD, fresh(5), 'renewed at the new price', 1, renewal(5)),
    {
      at: GRACE + 3 * PERIOD - 1,
      do: 'act',
      action: 'hold',
      note: 'the sixth payment fails: hold (계정보류)',
    },
    // ON_HOLD's occurredAt is the expiry the store keeps: the end of access, 1 ms before the failure.
    redeem(5 * PERIOD + DAY, { refused: 'The subscription is not active (on_hold).' }, 'on hold', 1, {
      tells: [told('ON_HOLD', GRACE + 3 * PERIOD - 2)],
    }),
    { at: 5 * PERIOD + H, do: 'act', action: 'recover', note: 'paid 10 days late' },
    redeem(5 * PERIOD + H, fresh(6), 'recovered out of hold', 1, {
      thenTells: [told('RECOVERED', 5 * PERIOD + H), { renewed: 6 }],
    }),
    redeem(6 * PERIOD + H, fresh(7), 'renewed', 2, renewal(7)),
    { at: 6 * PERIOD + H + 5 * DAY, do: 'act', action: 'pause', body: { days: 30 }, note: 'pause reserved' },
    redeem(6 * PERIOD + H + 6 * DAY, again(7), 'pause reserved: the period still runs'),
    redeem(7 * PERIOD + H + DAY, { refused: 'The subscription is not active (paused).' }, 'paused', 1, {
      tells: [told('PAUSED', 7 * PERIOD + H)],
    }),
    redeem(8 * PERIOD + H, fresh(8), 'resumed by itself at the end of the pause', 1, {
      tells: [told('RESUMED', 8 * PERIOD + H), { renewed: 8 }],
    }),
    redeem(9 * PERIOD + H, fresh(9), 'renewed', 1, renewal(9)),
    { at: 9 * PERIOD + H + 2 * DAY, do: 'void', period: 4, note: 'the store refunds period 4' },
    { at: 9 * PERIOD + H + 2 * DAY + SYNC_AFTER, do: 'sync', note: 'revocation sync' },
    redeem(10 * PERIOD + H, fresh(10), 'renewed', 1, renewal(10)),
    redeem(11 * PERIOD + H, fresh(11), 'renewed', 2, renewal(11)),
    redeem(12 * PERIOD + H, fresh(12), 'renewed', 1, renewal(12)),
    { at: 12 * PERIOD + H + 5 * DAY, do: 'act', action: 'cancel', note: 'the player cancels (reserved)' },
    redeem(12 * PERIOD + H + 6 * DAY, again(12), 'cancel reserved: paid until the end of 12', 1, {
      tells: [told('RENEWAL_CANCELLED', 12 * PERIOD + H + 5 * DAY)],
    }),
    redeem(13 * PERIOD + H, { refused: 'The subscription is not active (expired).' }, 'expired', 1, {
      tells: [told('EXPIRED', 13 * PERIOD + H)],
    }),
  ],
  periods: [
    { start: 0, end: PERIOD, price: '1000', state: 'paid' },
    { start: PERIOD, end: GRACE, price: '1000', state: 'paid' },
    { start: GRACE, end: GRACE + PERIOD, price: '1000', state: 'paid' },
    { start: GRACE + PERIOD, end: GRACE + 2 * PERIOD, price: '1000', state: 'refunded' },
    { start: GRACE + 2 * PERIOD, end: GRACE + 3 * PERIOD - 1, price: '1500', state: 'paid' },
    ...[5, 6, 8, 9, 10, 11, 12].map((n) => ({
      start: n * PERIOD + H,
      end: (n + 1) * PERIOD + H,
      price: '1500',
      state: 'paid' as const,
    })),
  ],
  outcomes: { first: 'RECORDED', later: 'RECORDED' },
};

/**
 * 12 paid periods of a monthly product (each `[start, start + PERIOD - 1]`, its expiryTime): the
 * player turns auto-payment off in period 3 and back on 3 days later; period 2 is refunded while 6
 * runs; the player turns it off in 12 for good and it expires at its end.
 */
export const MONTHLY_YEAR: YearScenario = {
  kind: 'MONTHLY',
  productId: 'year_monthly',
  type: 'auto',
  steps: [
    { at: 0, do: 'buy', note: 'bought' },
    redeem(0, fresh(1), 'first period: the gateway acknowledges it'),
    redeem(10 * DAY, again(1), 'the player comes back in the same period'),
    redeem(PERIOD, fresh(2), 'renewed', 2, renewal(2)),
    redeem(2 * PERIOD, fresh(3), 'renewed', 1, renewal(3)),
    { at: 2 * PERIOD + 5 * DAY, do: 'act', action: 'cancel', note: 'auto-payment turned off' },
    redeem(2 * PERIOD + 6 * DAY, again(3), 'cancel reserved: paid until the end of 3', 1, {
      tells: [told('RENEWAL_CANCELLED', 2 * PERIOD + 5 * DAY)],
    }),
    { at: 2 * PERIOD + 8 * DAY, do: 'act', action: 'restore', note: 'auto-payment back on' },
    {
      at: 2 * PERIOD + 9 * DAY,
      do: 'wait',
      note: 'the next daily read',
      tells: [told('RENEWAL_RESTORED', 2 * PERIOD + 9 * DAY)],
    },
    ...[3, 4, 5].map((n) => redeem(n * PERIOD, fresh(n + 1), 'renewed', 1, renewal(n + 1))),
    { at: 5 * PERIOD + 2 * DAY, do: 'void', period: 2, note: 'the store refunds period 2' },
    { at: 5 * PERIOD + 2 * DAY + SYNC_AFTER, do: 'sync', note: 'revocation sync' },
    redeem(6 * PERIOD, fresh(7), 'renewed', 2, renewal(7)),
    ...[7, 8, 9, 10, 11].map((n) => redeem(n * PERIOD, fresh(n + 1), 'renewed', 1, renewal(n + 1))),
    { at: 11 * PERIOD + 5 * DAY, do: 'act', action: 'cancel', note: 'auto-payment turned off for good' },
    redeem(11 * PERIOD + 6 * DAY, again(12), 'cancel reserved: paid until the end of 12', 1, {
      tells: [told('RENEWAL_CANCELLED', 11 * PERIOD + 5 * DAY)],
    }),
    // EXPIRED at the expiry the store kept: the last millisecond of period 12.
    redeem(
      12 * PERIOD,
      { refused: 'The monthly product is not active (its paid time ran out).' },
      'expired',
      1,
      { tells: [told('EXPIRED', 12 * PERIOD - 1)] },
    ),
  ],
  periods: Array.from({ length: 12 }, (_, n) => ({
    start: n * PERIOD,
    end: (n + 1) * PERIOD - 1,
    price: '1000',
    state: n === 1 ? 'refunded' : 'paid',
  })),
  outcomes: { first: 'ACKNOWLEDGED', later: 'ACKNOWLEDGED_BEFORE' },
};

export const YEARS: readonly YearScenario[] = [SUBSCRIPTION_YEAR, MONTHLY_YEAR];

/**
 * An event as the test compares it: its type, the period (1-based) of the grant it carries or, for
 * SUBSCRIPTION_RENEWED, of its purchaseId (0: none), and for a lifecycle event its occurredAt (ms
 * from the scenario's start: the store's time).
 */
export interface ExpectedEvent {
  type: string;
  period: number;
  at?: number;
}

/**
 * The app's events about the scenario's subscription, in order: the one place the expected list is
 * built. Per step: the lifecycle events of the read at its instant (`tells`), the step's own (a new
 * grant's GRANT_CREATED and GRANT_SETTLED; the sync's GRANT_REVOKED and SUBSCRIPTION_PERIOD_REFUNDED
 * of each period voided since), then those of the read after it (`thenTells`).
 */
export function expectedEvents(s: YearScenario): ExpectedEvent[] {
  const events: ExpectedEvent[] = [];
  const voided: number[] = [];
  const tell = (tells: Tell[] | undefined) => {
    for (const t of tells ?? [])
      events.push(
        'renewed' in t
          ? { type: 'SUBSCRIPTION_RENEWED', period: t.renewed, at: s.periods[t.renewed - 1]?.start ?? NaN }
          : { type: t.type, period: 0, at: t.at },
      );
  };
  for (const step of s.steps) {
    tell(step.tells);
    switch (step.do) {
      case 'redeem':
        if ('period' in step.expect && step.expect.fresh) {
          const { period } = step.expect;
          events.push({ type: 'GRANT_CREATED', period }, { type: 'GRANT_SETTLED', period });
        }
        break;
      case 'void':
        voided.push(step.period);
        break;
      case 'sync':
        for (const period of voided.splice(0))
          events.push({ type: 'GRANT_REVOKED', period }, { type: 'SUBSCRIPTION_PERIOD_REFUNDED', period });
        break;
      case 'buy':
      case 'act':
      case 'wait':
        break;
    }
    tell(step.thenTells);
  }
  return events;
}

/** One grant per store period, in period order: its outcome and whether its period was refunded. */
export function expectedGrants(s: YearScenario): { period: number; outcome: string; revoked: boolean }[] {
  return s.periods.map((p, n) => ({
    period: n + 1,
    outcome: n === 0 ? s.outcomes.first : s.outcomes.later,
    revoked: p.state === 'refunded',
  }));
}
