import { describe, expect, it } from 'vitest';
import { Bulkhead } from '../../src/stores/resilience/bulkhead.js';

/** The bulkhead's slots and bounded queue, with exact counts at each step (no timers involved). */
const settled = async <T>(promise: Promise<T>) => {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  promise.then(
    () => {
      state = 'resolved';
    },
    () => {
      state = 'rejected';
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('bulkhead queue limits', () => {
  it('runs maxConcurrent calls, queues maxQueue more and refuses the rest at once', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 2, maxQueue: 1 });
    const first = await b.acquire();
    const second = await b.acquire();
    expect([typeof first, typeof second]).toEqual(['function', 'function']);
    const third = b.acquire();
    expect(await settled(third)).toBe('pending');
    expect(await b.acquire()).toBeUndefined();
    expect(await b.acquire()).toBeUndefined();
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 2, queued: 1 });
    // A freed slot goes straight to the waiter: running stays at the cap, the queue empties.
    first?.();
    const release = await third;
    expect(typeof release).toBe('function');
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 2, queued: 0 });
    release?.();
    second?.();
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 0, queued: 0 });
  });

  it('waiters get slots in arrival order', async () => {
    const b = new Bulkhead('onestore', { maxConcurrent: 1, maxQueue: 3 });
    const holder = await b.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      b.acquire().then((release) => {
        order.push(n);
        release?.();
      }),
    );
    holder?.();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 0, queued: 0 });
  });

  it('a queue of 0 refuses every call past the cap', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 0 });
    const holder = await b.acquire();
    expect(await b.acquire()).toBeUndefined();
    holder?.();
    expect(typeof (await b.acquire())).toBe('function');
  });

  it('releasing twice frees one slot only', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 1 });
    const holder = await b.acquire();
    const waiter = b.acquire();
    holder?.();
    holder?.();
    await waiter;
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 1, queued: 0 });
  });

  it('a waiter whose deadline passes leaves the queue at once and never takes a slot', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 1 });
    const holder = await b.acquire();
    const controller = new AbortController();
    const waiter = b.acquire(controller.signal);
    expect(b.queued).toBe(1);
    const reason = new DOMException('deadline', 'TimeoutError');
    controller.abort(reason);
    await expect(waiter).rejects.toBe(reason);
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 1, queued: 0 });
    // Its queue place is free again, and the slot goes to the next waiter, not the one that left.
    const next = b.acquire();
    expect(b.queued).toBe(1);
    holder?.();
    expect(typeof (await next)).toBe('function');
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 1, queued: 0 });
  });

  it('an already aborted signal is refused without taking a slot', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 1 });
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(b.acquire(controller.signal)).rejects.toThrow('gone');
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 0, queued: 0 });
  });
});

describe('bulkhead tryAcquire', () => {
  it('takes a free slot at once, and leaves full, queued and aborted cases to acquire', async () => {
    const b = new Bulkhead('app:game', { maxConcurrent: 1, maxQueue: 1 });
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    expect(b.tryAcquire(aborted.signal)).toBeUndefined();
    expect(b.running).toBe(0);
    const release = b.tryAcquire();
    expect(typeof release).toBe('function');
    expect(b.tryAcquire()).toBeUndefined();
    const queued = b.acquire();
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 1, queued: 1 });
    release?.();
    // The slot went to the waiter, not back to tryAcquire.
    expect(b.tryAcquire()).toBeUndefined();
    const next = await queued;
    next?.();
    expect({ running: b.running, queued: b.queued }).toEqual({ running: 0, queued: 0 });
  });
});
