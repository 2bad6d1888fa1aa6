import { beforeEach, expect } from 'vitest';
import type { HttpAnswer, SandboxHarness } from '../helpers/sandbox.js';
import {
  type App,
  arr,
  type BuySpec,
  buy,
  call,
  createApp,
  obj,
  type Purchase,
  pathOf,
  tokenOf,
} from './helpers.js';

/** A fixed start, so periods fall on exact instants: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const PERIOD = 30 * 86_400_000;

/**
 * Set-up and calls of the subscription life tests: each test starts at T0 with a fresh app; every
 * store call takes a fresh token (the clock jumps months) and speaks MKT_GLB, whose times are plain
 * UTC epoch milliseconds, so expected times are the sandbox's own.
 */
export function subscriptionLife(h: SandboxHarness) {
  let app: App;
  beforeEach(async () => {
    // A stopped clock, so the instants asserted are exact.
    await h.control('POST', '/clock', { set: T0, frozen: true });
    app = await createApp(h);
  });
  const at = (ms: number): void => h.sandbox.clock.set(ms);
  const token = () => tokenOf(h, app, 'MKT_GLB');

  return {
    at,
    app: () => app,
    /** A subscription (default) or monthly product bought at the sandbox's now, acknowledged, MKT_GLB. */
    buy: (spec: BuySpec = {}): Promise<Purchase> =>
      buy(h, app, {
        type: 'subscription',
        productId: 'premium',
        acknowledged: true,
        market: 'MKT_GLB',
        ...spec,
      }),
    /** getSubscriptionDetail (or getRecurringPurchaseDetails for `auto`) as the store answers it. */
    async detail(
      p: Purchase,
      type: 'subscription' | 'auto' = 'subscription',
    ): Promise<Record<string, unknown>> {
      const answer = await call(h, 'GET', pathOf(app, p, type), { token: await token(), market: 'MKT_GLB' });
      expect(answer.status).toBe(200);
      return obj(answer.json);
    },
    /** A control action that must succeed; answers the record the control API answers. */
    act: (p: Purchase | string, action: string, body?: Record<string, unknown>) =>
      h.control('POST', `/onestore/purchases/${typeof p === 'string' ? p : p.purchaseToken}/${action}`, body),
    /** A control action the sandbox must refuse (400 with a message). */
    async refused(p: Purchase, action: string, body?: Record<string, unknown>): Promise<void> {
      const answer: HttpAnswer = await h.http(
        'POST',
        `/sandbox/v1/onestore/purchases/${p.purchaseToken}/${action}`,
        {
          headers: { 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        },
      );
      expect(answer.status).toBe(400);
      expect(typeof obj(obj(answer.json).error).message).toBe('string');
    },
    /** The stored periods of a purchase (control API). */
    async periods(p: Purchase): Promise<Record<string, unknown>[]> {
      return arr((await h.control('GET', `/onestore/purchases/${p.purchaseToken}`)).periods).map(obj);
    },
    /** getVoidedPurchases of the app under MKT_GLB. */
    async voided(): Promise<unknown[]> {
      const answer = await call(h, 'GET', `/v7/apps/${app.clientId}/voided-purchases`, {
        token: await token(),
        market: 'MKT_GLB',
      });
      expect(answer.status).toBe(200);
      return arr(obj(answer.json).voidedPurchaseList);
    },
  };
}
