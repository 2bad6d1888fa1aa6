import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import type { TickFigures } from '../../src/subscriptions/index.js';
import { LIFECYCLE_EVENT_TYPES } from '../../src/vocabulary/event-types.js';
import { APP, act, type GatewayHarness, purchase, record } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';

/** The set-up the tracked-subscription tests share (issue 26, "Tracked subscriptions"). */

/** A fixed start on the sandbox clock, so every instant asserted is exact: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const DAY = 86_400_000;
/** The sandbox's period of a subscription or monthly product. */
export const PERIOD = 30 * DAY;
/** The scheduler's margin after an announced time (config default `marginSeconds: 60`). */
export const MARGIN = 60_000;

/** A gateway whose scheduler has no timer (the tests tick it) and whose ledger loops are off; MKT_GLB times are plain UTC. */
export const TRACKING = {
  market: 'MKT_GLB' as const,
  config: {
    subscriptionTracking: { tickSeconds: 0 },
    ledger: { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 },
  },
};

export type Kind = 'SUBSCRIPTION' | 'MONTHLY';
const PRODUCT: Record<Kind, { productId: string; type: 'subscription' | 'auto' }> = {
  SUBSCRIPTION: { productId: 'premium', type: 'subscription' },
  MONTHLY: { productId: 'vip', type: 'auto' },
};

/** The sandbox clock stopped at `ms`. */
export async function startAt(g: GatewayHarness, ms: number): Promise<void> {
  await g.control('POST', '/clock', { set: ms, frozen: true });
}

export const at = (g: GatewayHarness, ms: number): void => g.h.sandbox.clock.set(ms);

/** A subscription (or monthly product) bought now in MKT_GLB, acknowledged, and redeemed: tracked from its settle. */
export async function subscribed(g: GatewayHarness, kind: Kind = 'SUBSCRIPTION', productId?: string) {
  const product = { ...PRODUCT[kind], ...(productId && { productId }) };
  const p = await purchase(g, { ...product, market: 'MKT_GLB', acknowledged: true });
  return {
    token: p.purchaseToken,
    productId: product.productId,
    ...(await redeemed(g, p.purchaseToken, product.productId, kind)),
  };
}

/** Redeems a token: its grant settles and its tracking starts. */
export async function redeemed(g: GatewayHarness, token: string, productId: string, kind: Kind) {
  const userId = `player-${randomUUID().slice(0, 8)}`;
  const answer = await redeem(g, { app: APP, userId, onestore: { productId, purchaseToken: token, kind } });
  expect(answer.__typename).toBe('RedeemPurchaseSuccess');
  return { userId };
}

/** Every due row read by the gateway's scheduler. */
export async function tick(g: GatewayHarness): Promise<TickFigures> {
  return (await g.gateway.subscriptionScheduler()).runDue();
}

/** The sandbox's current period (its last purchaseId) of a token. */
export async function lastPurchaseId(g: GatewayHarness, token: string): Promise<string> {
  const periods = (await record(g, token)).periods as { purchaseId: string }[];
  return periods.at(-1)?.purchaseId ?? '';
}

export { act };

export interface Told {
  type: string;
  /** ms after T0. */
  occurred: number;
  /** ms after T0. */
  observed: number;
  previousStatus: unknown;
  status: unknown;
  purchaseId?: unknown;
}

const LIFECYCLE: ReadonlySet<string> = new Set(LIFECYCLE_EVENT_TYPES);

/** The lifecycle events of one subscription, in order, times as offsets from T0. */
export async function toldAbout(ledger: LedgerStorage, token: string): Promise<Told[]> {
  const events = await ledger.events.after(APP, null, 500);
  return events
    .filter((e) => e.subject === token && LIFECYCLE.has(e.type))
    .map((e) => {
      const data = e.data as {
        previousStatus?: unknown;
        purchaseId?: unknown;
        subscription?: { status?: unknown };
      };
      return {
        type: e.type,
        occurred: e.occurredAt.getTime() - T0,
        observed: e.observedAt.getTime() - T0,
        previousStatus: data.previousStatus,
        status: data.subscription?.status,
        ...(data.purchaseId !== undefined && { purchaseId: data.purchaseId }),
      };
    });
}

/** The events of one token as [type, occurred offset in days + ms] pairs: what most tests compare. */
export async function timeline(ledger: LedgerStorage, token: string): Promise<[string, number][]> {
  return (await toldAbout(ledger, token)).map((t) => [t.type, t.occurred]);
}
