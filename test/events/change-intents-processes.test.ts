import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, gqlAt, PROCESS_APP } from '../helpers/gateway-process.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { type ProcessRig, startProcessRig } from '../helpers/ledger-processes.js';
import { createOwnDatabase } from '../helpers/own-database.js';

/**
 * Issue 24, point 6: a consume made through the gateway whose process is SIGKILLed before its event
 * is written. The window is made by the sandbox, not by timing: either the store applies the consume
 * and holds its answer (the call is in flight), or it answers the consume and holds the gateway's
 * read of the purchase that the event carries (the store has answered, the event is not written:
 * it is written after that read, which the test kills inside of). Restarted on the same ledger, the
 * gateway finds the change's intent and completes it from a read of the store: the event exists
 * exactly once, saying when the change was asked and when it was observed.
 */

const API_KEY = `intent-${randomUUID()}`;
const postgres = ledgerBackends().find((b) => b.name === 'postgres');

const CONSUME = `mutation ($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ... on Error { code } }
}`;
const EVENTS = `query ($app: String!) {
  gatewayEvents(app: $app, types: [PURCHASE_CONSUMED]) {
    __typename
    ... on GatewayEventConnection {
      edges { node { id type occurredAt observedAt requestedAt store productId purchase { purchaseToken consumptionState } } }
    }
  }
}`;

interface EventNode {
  id: string;
  occurredAt: string;
  observedAt: string;
  requestedAt: string | null;
  store: string;
  productId: string;
  purchase: { purchaseToken: string; consumptionState: string } | null;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function consumedEvents(url: string, purchaseToken: string): Promise<EventNode[]> {
  const answer = await gqlAt<{ gatewayEvents: { edges: { node: EventNode }[] } }>(url, API_KEY, EVENTS, {
    app: PROCESS_APP,
  });
  return (answer.data?.gatewayEvents.edges ?? [])
    .map((e) => e.node)
    .filter((n) => n.purchase?.purchaseToken === purchaseToken);
}

type Window = 'consume in flight' | 'answered, event not written';

/** Consumes through `first`, kills it inside `window`, restarts on the same ledger; returns the restarted one. */
async function killInWindow(
  s: ProcessRig,
  window: Window,
  config: string,
  env: Record<string, string>,
): Promise<{ second: GatewayProcess; purchaseToken: string; killedAt: number; askedAt: number }> {
  const first = await s.spawn(config, env);
  const purchaseToken = await s.purchase();
  await s.h.control('DELETE', '/stats');
  await s.h.control(
    'POST',
    '/faults',
    window === 'consume in flight'
      ? { endpoint: 'onestore.consumePurchase', phase: 'after', latencyMs: 3_000, count: 1 }
      : // The consume is held a little, so the read after it can be slowed once the read before it
        // (consumePurchase reads the purchase first) has been answered.
        { endpoint: 'onestore.consumePurchase', latencyMs: 500, count: 1 },
  );
  const askedAt = Date.now();
  const input = { app: PROCESS_APP, onestore: { productId: 'gem_100', purchaseToken } };
  const lost = gqlAt(first.url, API_KEY, CONSUME, { input }).catch(() => null);
  if (window === 'answered, event not written') {
    await until(
      async () => (await s.h.count('onestore.getPurchaseDetails')) === 1,
      'the read before the consume',
    );
    await s.h.control('POST', '/faults', {
      endpoint: 'onestore.getPurchaseDetails',
      latencyMs: 3_000,
      count: 1,
    });
  }
  if (window === 'consume in flight') {
    // The store's record turns consumed when the consume is handled; its answer is held 3 s.
    await until(
      async () =>
        (await s.h.control<{ consumptionState: number }>('GET', `/onestore/purchases/${purchaseToken}`))
          .consumptionState === 1,
      'the consume to be applied',
    );
  } else {
    // The consume's answer has gone out (the sandbox counts an answer when it sends it); the read
    // the event carries is held 3 s, longer than the gateway's upstream deadline (1.5 s) lets it wait.
    await until(async () => (await s.h.count('onestore.consumePurchase')) === 1, 'the consume answer');
  }
  await first.stop('SIGKILL');
  const killedAt = Date.now();
  expect(await lost).toBeNull();
  await s.h.control('DELETE', '/faults');
  const second = await s.spawn(config, env);
  return { second, purchaseToken, killedAt, askedAt };
}

for (const window of ['consume in flight', 'answered, event not written'] as const) {
  describe(`a gateway SIGKILLed with a consume's event unwritten (${window})`, () => {
    let s: ProcessRig;
    beforeAll(async () => {
      s = await startProcessRig('intent', 'gateway-intents-', API_KEY);
    });
    afterAll(async () => {
      await s?.close();
    });

    it('embedded ledger: the restart completes the intent from a read; PURCHASE_CONSUMED exists exactly once, with its times', async () => {
      const config = await s.config({ dataDir: join(s.dir, 'ledger'), sweepIntervalSeconds: 1 });
      const { second, purchaseToken, killedAt, askedAt } = await killInWindow(s, window, config, {});
      try {
        const events = await consumedEvents(second.url, purchaseToken);
        expect(events).toHaveLength(1);
        const [event] = events;
        expect(event).toMatchObject({
          store: 'ONESTORE',
          productId: 'gem_100',
          purchase: { purchaseToken, consumptionState: 'CONSUMED' },
        });
        // Asked before the kill; observed by the restarted process's read, after it.
        const requested = Date.parse(event?.requestedAt ?? '');
        const observed = Date.parse(event?.observedAt ?? '');
        expect(requested).toBeGreaterThanOrEqual(askedAt - 1_000);
        expect(requested).toBeLessThanOrEqual(killedAt);
        expect(observed).toBeGreaterThan(killedAt);
        // Further sweeps find nothing left to do: still one event.
        await new Promise((r) => setTimeout(r, 2_500));
        expect(await consumedEvents(second.url, purchaseToken)).toHaveLength(1);
        expect(await s.h.count('onestore.consumePurchase')).toBe(1);
      } finally {
        await second.stop('SIGKILL');
      }
    }, 60_000);

    it.skipIf(postgres?.skip ?? true)(
      'PostgreSQL ledger: the intent is due once its lease ends; the sweeper completes it, one event',
      async () => {
        const own = await createOwnDatabase('ledger_intent');
        try {
          const config = await s.config({ leaseSeconds: 2, sweepIntervalSeconds: 1 });
          const { second, purchaseToken, killedAt } = await killInWindow(s, window, config, {
            DATABASE_URL: own.url,
          });
          try {
            await until(
              async () => (await consumedEvents(second.url, purchaseToken)).length > 0,
              'the sweeper to complete the intent',
            );
            await new Promise((r) => setTimeout(r, 2_500));
            const events = await consumedEvents(second.url, purchaseToken);
            expect(events).toHaveLength(1);
            expect(Date.parse(events[0]?.observedAt ?? '')).toBeGreaterThan(killedAt);
            expect(await s.h.count('onestore.consumePurchase')).toBe(1);
          } finally {
            await second.stop('SIGKILL');
          }
        } finally {
          await own.drop();
        }
      },
      90_000,
    );
  });
}
