import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntitlementCatalogue } from '../../src/config/entitlements.js';
import { ENTITLEMENT_EVENT_TYPES } from '../../src/events/types.js';
import type { LedgerEvent } from '../../src/ledger/index.js';
import { EntitlementEventWorker, type PlayerEntitlement, readPlayerFacts } from '../../src/players/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, nhnItem, nhnPayment } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/**
 * Issue 27, done when: "Entitlement events: one per change, in order per player, none when nothing
 * changed". Random sequences of redemptions (catalogue and other products), revocations, clock
 * advances and worker runs: at each run, each player's new ENTITLEMENT_* events are exactly the diff
 * of their computed set (the `player` computation at the worker's clock) since the run before, by
 * the rule docs/events.md states; a second run right after writes none.
 */

const DAY_MS = 86_400_000;

const CATALOGUE: EntitlementCatalogue = {
  pass: { products: [{ store: 'NHN_CLOUD', marketItemId: 'prop_pass_30d' }], grants: { days: 30 } },
  vip: { products: [{ store: 'NHN_CLOUD', marketItemId: 'prop_vip' }], grants: 'forever' },
};
const PRODUCTS = ['prop_pass_30d', 'prop_vip', 'prop_gems'] as const;

type Step =
  | { kind: 'redeem'; player: number; product: (typeof PRODUCTS)[number] }
  | { kind: 'revoke'; player: number; nth: number }
  | { kind: 'advance'; days: number }
  | { kind: 'run' }
  | { kind: 'runTwice' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('redeem' as const),
      player: fc.nat(1),
      product: fc.constantFrom(...PRODUCTS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('revoke' as const), player: fc.nat(1), nth: fc.nat(5) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'run' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'runTwice' as const }) },
);

interface Mark {
  active: boolean;
  expiresAt: Date | null;
}

const later = (a: Date | null, b: Date | null) => (a === null ? b !== null : b !== null && a > b);

/** The event types a change from `before` to `after` must give (docs/events.md, "Entitlement events"). */
function expectedTypes(
  before: ReadonlyMap<string, Mark>,
  after: readonly PlayerEntitlement[],
): [string, string][] {
  const out: [string, string][] = [];
  for (const e of after) {
    const p = before.get(e.id);
    if (p === undefined || !p.active) {
      if (e.active) out.push(['ENTITLEMENT_GRANTED', e.id]);
    } else if (e.active) {
      if (p.expiresAt !== null && e.since > p.expiresAt)
        out.push(['ENTITLEMENT_EXPIRED', e.id], ['ENTITLEMENT_GRANTED', e.id]);
      else if (later(e.expiresAt, p.expiresAt)) out.push(['ENTITLEMENT_EXTENDED', e.id]);
      else if (later(p.expiresAt, e.expiresAt)) out.push(['ENTITLEMENT_REVOKED', e.id]);
    } else {
      const early = p.expiresAt === null || (e.expiresAt !== null && e.expiresAt < p.expiresAt);
      out.push([early ? 'ENTITLEMENT_REVOKED' : 'ENTITLEMENT_EXPIRED', e.id]);
    }
  }
  return out;
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`entitlement events, property, on ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    const items = new Map<string, string>();
    useLedgerGateway(
      backend,
      {
        gateway: {
          appEntitlements: CATALOGUE,
          // The gateway's own worker off: the property drives one of its own, run only by the steps.
          config: { ledger: { revocationSyncIntervalSeconds: 0 }, entitlementEvents: { enabled: false } },
        },
      },
      async (started) => {
        g = started.g;
        ledger = started.ledger;
        for (const marketItemId of PRODUCTS) items.set(marketItemId, await nhnItem(g, { marketItemId }));
      },
    );

    it('one event per change, in order per player, none when nothing changed', async () => {
      let lastNow = 0;
      const worker = new EntitlementEventWorker({
        store: ledger.entitlements,
        events: ledger.events,
        catalogueOf: () => CATALOGUE,
        now: () => {
          lastNow = g.now();
          return lastNow;
        },
        pollIntervalMs: 0,
        batchSize: 3,
      });
      let seen: string | null = null;
      const typesSeen = new Map<string, number>();
      /** The ENTITLEMENT_* events written since the last call, of `players` only, in seq order. */
      const newEvents = async (players: readonly string[]): Promise<LedgerEvent[]> => {
        const events = await ledger.events.after(APP, seen, 10_000, ENTITLEMENT_EVENT_TYPES);
        seen = events.at(-1)?.seq ?? seen;
        const subjects = new Set(players.map((p) => `player:${p}`));
        const mine = events.filter((e) => subjects.has(e.subject));
        for (const e of mine) typesSeen.set(e.type, (typesSeen.get(e.type) ?? 0) + 1);
        return mine;
      };

      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
          g.h.sandbox.clock.reset();
          const players = [0, 1].map(() => `pp-${randomUUID().slice(0, 12)}`);
          const owned: string[][] = [[], []];
          const before = players.map(() => new Map<string, Mark>());
          await worker.runDue(); // what earlier runs left due, before this run's players exist
          await newEvents(players);

          const check = async () => {
            await worker.runDue();
            const now = new Date(lastNow);
            const facts = await readPlayerFacts(ledger.grants.players, APP, players, CATALOGUE, now);
            const events = await newEvents(players);
            players.forEach((userId, i) => {
              const computed = facts.get(userId)?.entitlements ?? [];
              const mine = events.filter((e) => e.subject === `player:${userId}`);
              // One per change, in the rule's order (entitlement id order), nothing else.
              expect(mine.map((e) => [e.type, (e.data.entitlement as PlayerEntitlement).id])).toEqual(
                expectedTypes(before[i] as Map<string, Mark>, computed),
              );
              // Each event carries the entitlement as computed, and the state it changed from.
              for (const e of mine) {
                const entitlement = e.data.entitlement as PlayerEntitlement;
                expect(entitlement).toEqual(computed.find((c) => c.id === entitlement.id));
                expect(e.data.previous ?? null).toEqual(before[i]?.get(entitlement.id) ?? null);
                expect(e.data.userId).toBe(userId);
              }
              before[i] = new Map(computed.map((c) => [c.id, { active: c.active, expiresAt: c.expiresAt }]));
            });
            // In order per player: seq order is the order written.
            const seqs = events.map((e) => Number(e.seq));
            expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          };

          for (const s of steps) {
            if (s.kind === 'redeem') {
              const itemSeq = items.get(s.product) as string;
              const pay = await nhnPayment(g, { itemSeq, userKey: players[s.player] });
              const answer = await redeem(g, {
                app: APP,
                userId: players[s.player],
                nhncloud: { paymentSeq: pay.paymentSeq, itemSeq, purchaseToken: pay.purchaseToken },
              });
              expect(answer.__typename).toBe('RedeemPurchaseSuccess');
              owned[s.player]?.push(pay.paymentSeq);
            } else if (s.kind === 'revoke') {
              const mine = owned[s.player] ?? [];
              const key = mine[s.nth % Math.max(1, mine.length)];
              if (key !== undefined)
                await ledger.grants.revoke(APP, 'NHN_CLOUD', key, { source: 'property' }, new Date(g.now()));
            } else if (s.kind === 'advance') {
              g.h.sandbox.clock.advance(s.days * DAY_MS);
            } else if (s.kind === 'run') {
              await check();
            } else {
              await check();
              // Right after: nothing changed, nothing written.
              await worker.runDue();
              expect(await newEvents(players)).toEqual([]);
            }
          }
          await check();
        }),
        {
          seed: 2_027,
          numRuns: 30,
          // Sequences that reach every kind of change, besides the random ones.
          examples: [
            [
              [
                { kind: 'redeem', player: 0, product: 'prop_pass_30d' },
                { kind: 'run' },
                { kind: 'redeem', player: 0, product: 'prop_pass_30d' },
                { kind: 'runTwice' },
                { kind: 'advance', days: 61 },
                { kind: 'run' },
              ],
            ],
            [
              [
                { kind: 'redeem', player: 1, product: 'prop_vip' },
                { kind: 'redeem', player: 1, product: 'prop_gems' },
                { kind: 'run' },
                { kind: 'revoke', player: 1, nth: 0 },
                { kind: 'run' },
              ],
            ],
          ],
        },
      );
      // The sequences reached every kind of change (the seed is fixed: a change of the generator that
      // stops reaching one shows here).
      expect([...typesSeen.keys()].sort()).toEqual([...ENTITLEMENT_EVENT_TYPES].sort());
      g.h.sandbox.clock.reset();
    }, 240_000);
  });
}
