import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../src/stores/errors.js';
import { type BreakerStateName, type StoreObserver, silentObserver } from '../../src/stores/observer.js';
import { CircuitBreaker, type Permit, resolveBreakerOptions } from '../../src/stores/resilience/breaker.js';
import { Bulkhead } from '../../src/stores/resilience/bulkhead.js';
import { BreakerRegistry, type GuardedResponse, guardedCall } from '../../src/stores/resilience/guard.js';

/**
 * The breaker on a fake clock: every opening path (consecutive failures, failure ratio,
 * maintenance), the half-open probe and reopening, with exact times left.
 */
const OPTIONS = resolveBreakerOptions({
  consecutiveFailures: 3,
  failureRatio: 0.5,
  minimumCalls: 10,
  windowMs: 10_000,
  openMs: 5_000,
  maxOpenMs: 60_000,
});

function fakeClock(start = 1_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function breaker(options = OPTIONS) {
  const clock = fakeClock();
  const changes: BreakerStateName[] = [];
  const b = new CircuitBreaker('onestore.read', options, clock.now, (state) => changes.push(state));
  /** One call through the breaker, ending as `outcome`. */
  const call = (outcome: 'ok' | 'fail') => {
    const permit = b.tryAcquire();
    expect(permit.ok).toBe(true);
    if (outcome === 'ok') b.success(permit);
    else b.failure(permit);
  };
  return { b, clock, changes, call };
}

const refused = (permit: Permit) => (permit.ok ? undefined : permit.retryAfterMs);

describe('opening on consecutive failures', () => {
  it('opens on the third failure in a row, not before, and a success resets the count', () => {
    const { b, changes, call } = breaker();
    call('fail');
    call('fail');
    call('ok');
    call('fail');
    call('fail');
    expect(b.state).toBe('closed');
    call('fail');
    expect(b.state).toBe('open');
    expect(changes).toEqual(['open']);
  });

  it('an open circuit refuses calls with the exact time left', () => {
    const { b, clock, call } = breaker();
    for (let i = 0; i < 3; i += 1) call('fail');
    expect(refused(b.tryAcquire())).toBe(5_000);
    clock.advance(1_999);
    expect(refused(b.tryAcquire())).toBe(3_001);
    clock.advance(3_000);
    expect(refused(b.tryAcquire())).toBe(1);
    expect(b.state).toBe('open');
  });
});

describe('opening on the failure ratio', () => {
  // Consecutive failures never reach 3 here: only the ratio can open the circuit.
  const alternate = (call: (o: 'ok' | 'fail') => void, calls: number) => {
    for (let i = 0; i < calls; i += 1) call(i % 2 === 0 ? 'ok' : 'fail');
  };

  it('opens once the window holds minimumCalls and half of them failed', () => {
    const { b, changes, call } = breaker();
    alternate(call, 9);
    expect(b.state).toBe('closed');
    call('fail'); // 10 calls, 5 failed: 0.5 >= 0.5
    expect(b.state).toBe('open');
    expect(changes).toEqual(['open']);
    expect(refused(b.tryAcquire())).toBe(5_000);
  });

  it('stays closed below the ratio', () => {
    const { b, call } = breaker();
    for (let i = 0; i < 30; i += 1) call(i % 3 === 2 ? 'fail' : 'ok'); // one in three fails
    expect(b.state).toBe('closed');
  });

  it('stays closed below minimumCalls however many fail', () => {
    const { b, call } = breaker(resolveBreakerOptions({ ...OPTIONS, consecutiveFailures: 1_000 }));
    for (let i = 0; i < 9; i += 1) call('fail');
    expect(b.state).toBe('closed');
    call('fail');
    expect(b.state).toBe('open');
  });

  it('forgets calls older than the window', () => {
    const { b, clock, call } = breaker(resolveBreakerOptions({ ...OPTIONS, consecutiveFailures: 1_000 }));
    for (let i = 0; i < 9; i += 1) call('fail');
    clock.advance(10_000);
    // Counting the nine old failures this would be 10 of 19 and open; within the window it is 1 of 10.
    for (let i = 0; i < 9; i += 1) call('ok');
    call('fail');
    expect(b.state).toBe('closed');
  });

  it('counts calls spread over the window', () => {
    const { b, clock, call } = breaker();
    for (let i = 0; i < 10; i += 1) {
      call(i % 2 === 0 ? 'ok' : 'fail');
      clock.advance(999); // ten calls over 9.99 s: all inside the 10 s window
    }
    expect(b.state).toBe('open');
  });
});

describe('half-open probe and reopening', () => {
  function opened() {
    const t = breaker();
    for (let i = 0; i < 3; i += 1) t.call('fail');
    t.clock.advance(5_000);
    return t;
  }

  it('after openMs it is half-open and lets exactly one probe through', () => {
    const { b, changes } = opened();
    expect(b.state).toBe('half-open');
    const probe = b.tryAcquire();
    expect(probe).toEqual({ ok: true, probe: true });
    expect(changes).toEqual(['open', 'half-open']);
    // While the probe is out, other calls are refused with half the open time (at least 1 s).
    expect(refused(b.tryAcquire())).toBe(2_500);
    expect(refused(b.tryAcquire())).toBe(2_500);
    b.success(probe);
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    expect(b.tryAcquire()).toEqual({ ok: true, probe: false });
  });

  it('a failed probe opens it again for openMs', () => {
    const { b, clock, changes } = opened();
    const probe = b.tryAcquire();
    clock.advance(700);
    b.failure(probe);
    expect(b.state).toBe('open');
    expect(changes).toEqual(['open', 'half-open', 'open']);
    expect(refused(b.tryAcquire())).toBe(5_000);
    clock.advance(5_000);
    expect(b.tryAcquire()).toEqual({ ok: true, probe: true });
  });

  it('a probe whose caller gave up leaves it half-open and frees the probe slot', () => {
    const { b, changes } = opened();
    const probe = b.tryAcquire();
    b.neutral(probe);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toEqual({ ok: true, probe: true });
    expect(changes).toEqual(['open', 'half-open']);
  });

  it('only the probe closes it: a call let through while closed succeeding during the probe does not', () => {
    const t = breaker();
    const early = t.b.tryAcquire();
    for (let i = 0; i < 3; i += 1) t.call('fail');
    t.clock.advance(5_000);
    const probe = t.b.tryAcquire();
    t.b.success(early);
    expect(t.b.state).toBe('half-open');
    t.b.failure(probe);
    expect(t.b.state).toBe('open');
    expect(t.changes).toEqual(['open', 'half-open', 'open']);
  });

  it('after closing, the old failures do not count towards the next opening', () => {
    const { b, call } = opened();
    b.success(b.tryAcquire());
    call('fail');
    call('fail');
    expect(b.state).toBe('closed');
    call('fail');
    expect(b.state).toBe('open');
  });
});

describe('maintenance opens it at once', () => {
  it("for the store's Retry-After", () => {
    const { b, changes } = breaker();
    b.failure(b.tryAcquire(), { forMs: 30_000 });
    expect(b.state).toBe('open');
    expect(changes).toEqual(['open']);
    expect(refused(b.tryAcquire())).toBe(30_000);
  });

  it('for openMs when the store sent no usable Retry-After', () => {
    const { b } = breaker();
    b.failure(b.tryAcquire(), { forMs: undefined });
    expect(refused(b.tryAcquire())).toBe(5_000);
  });

  it('for at most maxOpenMs', () => {
    const { b, clock } = breaker();
    b.failure(b.tryAcquire(), { forMs: 3_600_000 });
    expect(refused(b.tryAcquire())).toBe(60_000);
    clock.advance(60_000);
    expect(b.state).toBe('half-open');
  });

  it('a call let through before it opened that succeeds late does not close it', () => {
    const { b, changes } = breaker();
    const inFlight = b.tryAcquire();
    b.failure(b.tryAcquire(), { forMs: 30_000 });
    b.success(inFlight); // answered before the maintenance began, arriving after it opened
    expect(b.state).toBe('open');
    expect(refused(b.tryAcquire())).toBe(30_000);
    expect(changes).toEqual(['open']);
  });

  it('a shorter open never cuts a longer maintenance short', () => {
    const { b, clock } = breaker();
    const first = b.tryAcquire();
    const second = b.tryAcquire();
    b.failure(first, { forMs: 30_000 });
    clock.advance(1_000);
    b.failure(second); // a call sent before the circuit opened fails late
    expect(refused(b.tryAcquire())).toBe(29_000);
  });
});

describe('the guard on a fake clock', () => {
  const isMaintenance = (r: GuardedResponse) => r.status === 503 && r.headers['retry-after'] !== undefined;
  const call = { endpoint: 'onestore.getPurchaseDetails', method: 'GET', safeToRetry: true };

  it('a 503 with Retry-After opens the group at once; the next call is not sent', async () => {
    const clock = fakeClock();
    const states: string[] = [];
    const rejected: string[] = [];
    const observer: StoreObserver = {
      ...silentObserver,
      breakerState: (group, state) => void states.push(`${group}:${state}`),
      rejected: (reason, name) => void rejected.push(`${reason}:${name}`),
    };
    const breakers = new BreakerRegistry(OPTIONS, observer, clock.now);
    const g = { store: 'onestore' as const, breakers, bulkheads: [], observer, isMaintenance };
    const signal = { aborted: false, signal: new AbortController().signal };
    let sent = 0;
    const run = async (): Promise<GuardedResponse> => {
      sent += 1;
      return { status: 503, headers: { 'retry-after': '20' }, body: Buffer.alloc(0) };
    };
    const answer = await guardedCall(g, call, signal, run);
    expect(answer.status).toBe(503);
    expect(breakers.states()).toEqual({ 'onestore.read': 'open' });
    clock.advance(4_000);
    const refusedCall = guardedCall(g, call, signal, run);
    await expect(refusedCall).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await expect(refusedCall).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterMs: 16_000 });
    expect(sent).toBe(1);
    expect(states).toEqual(['onestore.read:closed', 'onestore.read:open']);
    expect(rejected).toEqual(['breaker:onestore.read']);
    // Reads, writes and the token endpoint fail for different reasons: the write group is untouched.
    const write = { endpoint: 'onestore.consumePurchase', method: 'POST', safeToRetry: false };
    const ok = async (): Promise<GuardedResponse> => ({ status: 200, headers: {}, body: Buffer.alloc(0) });
    expect((await guardedCall(g, write, signal, ok)).status).toBe(200);
    expect(breakers.states()).toEqual({ 'onestore.read': 'open', 'onestore.write': 'closed' });
  });

  it('a probe refused by a full bulkhead is not counted and frees the probe for the next call', async () => {
    const clock = fakeClock();
    const rejected: string[] = [];
    const observer: StoreObserver = {
      ...silentObserver,
      rejected: (reason, name) => void rejected.push(`${reason}:${name}`),
    };
    const breakers = new BreakerRegistry(OPTIONS, observer, clock.now);
    const bulkhead = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 0 });
    const g = { store: 'onestore' as const, breakers, bulkheads: [bulkhead], observer, isMaintenance };
    const signal = { aborted: false, signal: new AbortController().signal };
    const fail = async (): Promise<GuardedResponse> => ({ status: 500, headers: {}, body: Buffer.alloc(0) });
    for (let i = 0; i < 3; i += 1) await guardedCall(g, call, signal, fail);
    clock.advance(5_000);
    const holder = await bulkhead.acquire();
    const full = guardedCall(g, call, signal, fail);
    await expect(full).rejects.toMatchObject({ code: 'BULKHEAD_FULL', retryAfterMs: 1_000 });
    expect(rejected).toEqual(['bulkhead:app:game']);
    expect(breakers.states()).toEqual({ 'onestore.read': 'half-open' });
    holder?.();
    const ok = async (): Promise<GuardedResponse> => ({ status: 200, headers: {}, body: Buffer.alloc(0) });
    expect((await guardedCall(g, call, signal, ok)).status).toBe(200);
    expect(breakers.states()).toEqual({ 'onestore.read': 'closed' });
  });
});
