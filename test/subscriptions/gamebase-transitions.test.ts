import { describe, expect, it } from 'vitest';
import type { gamebase } from '../../src/stores/index.js';
import { type GamebaseRead, gamebaseState, gamebaseTransitions } from '../../src/subscriptions/index.js';

/** The Gamebase rule (docs/events.md): what a status read tells against the one before. */

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const READ = new Date(T0 + 20 * DAY);

function status(over: Partial<gamebase.SubscriptionStatus> = {}): gamebase.SubscriptionStatus {
  return {
    userId: 'GG@USER',
    paymentSeq: '2026010110000001',
    accessToken: 'token-1',
    paymentId: 'GPA.1',
    originalPaymentId: 'GPA.1',
    purchaseTime: new Date(T0).toISOString(),
    expiryTime: new Date(T0 + 30 * DAY).toISOString(),
    renewTime: null,
    referenceStatus: 'PURCHASED',
    purchaseTimeMs: T0,
    expiryTimeMs: T0 + 30 * DAY,
    renewTimeMs: null,
    referenceStatusText: 'PURCHASED',
    ...over,
  } as gamebase.SubscriptionStatus;
}
const read = (over: Partial<gamebase.SubscriptionStatus> = {}, at = READ): GamebaseRead => {
  const s = status(over);
  return { status: s, state: gamebaseState(s, at) };
};
const told = (prev: GamebaseRead | null, next: GamebaseRead) =>
  gamebaseTransitions(prev, next, READ).map((t) => [t.type, t.occurredAt.getTime() - T0]);

describe('gamebaseTransitions', () => {
  it('the first read is the baseline; the same read again tells nothing', () => {
    expect(told(null, read())).toEqual([]);
    expect(told(read(), read())).toEqual([]);
  });

  it('pause (Google PAUSED), then resumed with a new period', () => {
    const paused = read({ referenceStatus: 'PAUSED' });
    expect(told(read(), paused)).toEqual([['SUBSCRIPTION_PAUSED', 20 * DAY]]);
    const renewed = {
      paymentId: 'GPA.1..1',
      renewTimeMs: T0 + 19 * DAY,
      referenceStatus: 'RENEWED' as const,
    };
    expect(told(paused, read(renewed))).toEqual([
      ['SUBSCRIPTION_RESUMED', 20 * DAY],
      ['SUBSCRIPTION_RENEWED', 19 * DAY],
    ]);
  });

  it('renewal off (CANCELED_SUBSCRIPTION) and back on (RESTARTED)', () => {
    const off = read({ referenceStatus: 'CANCELED_SUBSCRIPTION' });
    expect(told(read(), off)).toEqual([['SUBSCRIPTION_RENEWAL_CANCELLED', 20 * DAY]]);
    expect(told(off, read({ referenceStatus: 'RESTARTED' }))).toEqual([
      ['SUBSCRIPTION_RENEWAL_RESTORED', 20 * DAY],
    ]);
  });

  it('REVOKED is over: EXPIRED at its expiry', () => {
    expect(told(read(), read({ referenceStatus: 'REVOKED', expiryTimeMs: T0 + 12 * DAY }))).toEqual([
      ['SUBSCRIPTION_EXPIRED', 12 * DAY],
    ]);
  });

  it('a store without referenceStatus: only renewals and the expiry are told', () => {
    const other = { referenceStatus: null, referenceStatusText: null };
    const before = read(other, new Date(T0 + DAY));
    expect(told(before, read({ ...other, paymentId: 'A.2', purchaseTimeMs: T0 + 30 * DAY }))).toEqual([
      ['SUBSCRIPTION_RENEWED', 20 * DAY],
    ]);
    expect(told(before, read({ ...other, expiryTimeMs: T0 + 15 * DAY }))).toEqual([
      ['SUBSCRIPTION_EXPIRED', 15 * DAY],
    ]);
  });
});
