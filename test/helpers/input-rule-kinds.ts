import type { ArgumentLeaf, TextRule } from './invalid-inputs.js';
import { forged } from './invalid-inputs.js';
import { T } from './text-rules.js';

/**
 * The kinds of argument rule test/helpers/input-rules.ts gives each argument leaf, and the rules
 * several operations share.
 */

/**
 * Where the valid side of the list windows and page sizes is tested: the boundary tests
 * list-window-skew and list-boundaries (since/until and the ONE store list cursors) and
 * relay-cursors (after and first), all in test/gateway/.
 */
export const PAGING = 'test/gateway/list-window-skew.test.ts, list-boundaries.test.ts, relay-cursors.test.ts';

/** What the valid side reads from its harness: names the config holds, cursors the API gave out. */
export interface Fixtures {
  apps: string[];
  endpoints: string[];
  markets: string[];
  cursors: { grants: string[]; events: string[]; deliveries: string[] };
}

export type Rule = (
  | { text: TextRule }
  | { int: [number, number] }
  /** `future`: later than now (a support grant's until); the others, the list windows' rules. */
  | { time: 'since' | 'until' | 'notFuture' | 'future' }
  /** Refused cursors; `valid`: cursors the API gave out, which it must take back. */
  | { cursor: string[]; emptyIsFirstPage?: boolean; valid?: (f: Fixtures) => string[] }
  /**
   * An enum: besides a non-member (refused by GraphQL itself), members the gateway refuses here;
   * `configured`: members valid only when the config holds them (read from the fixtures).
   */
  | { refused: string[]; configured?: 'markets' }
) & {
  /** Where the valid values of this argument are tested instead of here. */
  elsewhere?: string;
};

export interface Op {
  /**
   * Valid arguments, per leaf when an input holds alternatives (onestore / nhncloud / gamebase),
   * or per value (`checks.store: NHN_CLOUD` needs an NHN Cloud check).
   */
  base: (path: string, value?: unknown) => Record<string, unknown>;
  rules: Record<string, Rule>;
  /** The operation calls a store: a valid request must reach it. */
  store?: true;
  /**
   * A leaf whose rule depends on the store its input names: the other stores' rules, each with the
   * path `base` takes to build that store's arguments (the leaf's own rule is for `base(path)`).
   */
  variants?: Record<string, { base: string; rule: Rule }[]>;
  /** For a leaf whose absence needs another argument instead: the valid arguments without it. */
  without?: Record<string, Record<string, unknown>>;
  /** Where the result union is, below `data`, when not at the field itself. */
  at?: (leaf: ArgumentLeaf, base: Record<string, unknown>) => (string | number)[];
  select?: string;
  /** The API key the operation needs: `support` (the support actions). Default: the read-write key. */
  key?: 'support';
}

/** The harness key that may run `op`. */
export const keyFor = (op: Op, keys: { rw: string; support: string }) =>
  op.key === 'support' ? keys.support : keys.rw;

export const app = { text: T.app };
export const first: Rule = { int: [1, 100], elsewhere: PAGING };
export const market: Rule = { refused: ['MKT_GLB'], configured: 'markets' };
export const noEnum = { refused: [] };
/** Cursors of other lists or out of range, and ONE store list cursors carrying what the store refuses. */
export const oneListCursors = (now: number) => [
  forged(JSON.stringify(['a\u0000b', 0, null, null])),
  forged(JSON.stringify(['\ud800', 0, null, null])),
  forged(JSON.stringify(['k'.repeat(257), 0, null, null])),
  forged(JSON.stringify([null, 101, null, null])),
  forged(JSON.stringify([null, 0, now + 86_400_000, null])),
  forged(JSON.stringify([null, 0, null, now + 86_400_000])),
  forged(JSON.stringify([null, 0, now - 1000, now - 2000])),
  forged('ev:1'),
];
export const eventCursors: Rule = {
  cursor: [forged('ev:0'), forged('ev:-1'), forged('wd:1:crm'), 'ev:1'],
  valid: (f) => f.cursors.events,
};
export const deliveryCursors: Rule = {
  cursor: [forged('wd:0:crm'), forged('wd:1:CRM'), forged('ev:1')],
  valid: (f) => f.cursors.deliveries,
};
export const grantCursors = [
  forged('{"l":"other","t":"2026-01-01T00:00:00.000Z","i":"x"}'),
  forged('{}'),
  '%%',
];
export const list = (now: number): Rule => ({
  cursor: oneListCursors(now),
  emptyIsFirstPage: true,
  elsewhere: PAGING,
});
/** A ONE store list's window: its valid side is fix/paging2's. */
export const window = {
  since: { time: 'since', elsewhere: PAGING },
  until: { time: 'until', elsewhere: PAGING },
} as const;
