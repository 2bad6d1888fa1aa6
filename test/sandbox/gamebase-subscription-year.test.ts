import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { arr, expectNhn, obj } from './helpers.js';

/**
 * A year of a monthly Gamebase AUTO_RENEWABLE subscription in sandbox time, as the scenario
 * scripts it (Gamebase has no price change): renewals, one grace recovered, one hold recovered, one
 * pause, one earlier period refunded, then a cancel and expiry. Asserts every paid period exactly
 * (paymentSeq per period, paymentId `<original>..<n>`, when each was paid) and what Gamebase reports
 * at each step.
 */

const h = useSandbox({ reset: true });

const APP = 'YEARAPP1';
const SECRET = 'year-secret';
const HEADERS = { 'content-type': 'application/json; charset=UTF-8', 'x-secret-key': SECRET };
const USER = 'GG@YEARUSER00001';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

interface Period {
  paymentSeq: string;
  accessToken: string;
  paymentId: string;
  purchaseTimeIso: string;
  status: string;
}
interface View {
  id: string;
  phase: string;
  referenceStatus: string;
  originalPaymentId: string;
  expiryTimeIso: string;
  periods: Period[];
}

const at = (days: number) => h.control('POST', '/clock', { set: T0 + days * DAY });
/** To the second: an action takes the clock's now, a few ms after the test set it. */
const day = (days: number) => new Date(T0 + days * DAY).toISOString().slice(0, 19);
const second = (iso: string) => iso.slice(0, 19);

async function listed(): Promise<string[]> {
  const answer = await h.http('POST', `/tcgb-inapp/v1.3/apps/${APP}/active-subscriptions`, {
    headers: HEADERS,
    body: JSON.stringify({ userId: USER, packageName: 'com.example.game' }),
  });
  return arr(expectNhn(answer, 0).result).map((e) => String(obj(e).referenceStatus));
}

describe('a year of a monthly Gamebase subscription', () => {
  it('pays exactly the expected periods and reports each step', async () => {
    await h.control('POST', '/gamebase/apps', { appId: APP, secretKey: SECRET });
    await at(0);
    const s = await h.control<View>('POST', '/gamebase/subscriptions', {
      appId: APP,
      userId: USER,
      gamebaseProductId: 'vip_monthly',
      price: '9900',
      currency: 'KRW',
      purchaseTime: T0,
    });
    const act = (action: string, body: Record<string, unknown> = {}) =>
      h.control<View>('POST', `/gamebase/subscriptions/${s.id}/${action}`, body);
    const view = () => h.control<View>('GET', `/gamebase/subscriptions/${s.id}`);
    const steps: [number, string[]][] = [];
    const note = async (d: number) => {
      await at(d);
      steps.push([d, await listed()]);
    };

    await note(31); // period 2 paid at day 30
    await at(59);
    await act('grace'); // the day-60 renewal fails: grace until day 62
    await note(60.5);
    await at(61);
    await act('renew'); // recovered: period 3, days 61-91
    await note(61.5);
    await at(90);
    await act('hold'); // on hold from day 90
    await note(92);
    await at(95);
    await act('renew'); // recovered: period 4, days 95-125
    await note(96);
    await at(100);
    await act('pause', { days: 30 }); // paused days 125-155, then period 5, days 155-185
    await note(126);
    await note(156);
    await note(336); // periods 6-11 paid at days 185, 215, 245, 275, 305, 335
    const mid = await view();
    const refunded = mid.periods[6] as Period; // period 7, paid at day 215
    await act('void', { paymentSeq: refunded.paymentSeq });
    await note(337);
    await act('cancel');
    await note(364);
    await note(366); // period 11 ends at day 365: expired

    expect(steps).toEqual([
      [31, ['RENEWED']],
      [60.5, ['IN_GRACE']],
      [61.5, ['RECOVERED']],
      [92, []],
      [96, ['RECOVERED']],
      [126, []],
      [156, ['RENEWED']],
      [336, ['RENEWED']],
      [337, ['RENEWED']],
      [364, ['CANCELED_SUBSCRIPTION']],
      [366, []],
    ]);
    const end = await view();
    expect(end.phase).toBe('expired');
    expect(end.referenceStatus).toBe('EXPIRED');
    expect(second(end.expiryTimeIso)).toBe(day(365));
    expect(end.periods.map((p) => [second(p.purchaseTimeIso), p.paymentId, p.status])).toEqual([
      [day(0), s.originalPaymentId, 'purchased'],
      [day(30), `${s.originalPaymentId}..0`, 'purchased'],
      [day(61), `${s.originalPaymentId}..1`, 'purchased'],
      [day(95), `${s.originalPaymentId}..2`, 'purchased'],
      [day(155), `${s.originalPaymentId}..3`, 'purchased'],
      [day(185), `${s.originalPaymentId}..4`, 'purchased'],
      [day(215), `${s.originalPaymentId}..5`, 'refunded'],
      [day(245), `${s.originalPaymentId}..6`, 'purchased'],
      [day(275), `${s.originalPaymentId}..7`, 'purchased'],
      [day(305), `${s.originalPaymentId}..8`, 'purchased'],
      [day(335), `${s.originalPaymentId}..9`, 'purchased'],
    ]);
    expect(new Set(end.periods.map((p) => p.paymentSeq)).size).toBe(11);
  });
});
