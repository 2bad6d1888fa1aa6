import { LIFECYCLE_EVENT_TYPES } from '../../src/vocabulary/event-types.js';
import type { RedeemAnswer } from '../helpers/redeem.js';
import {
  type Expected,
  type ExpectedEvent,
  expectedEvents,
  expectedGrants,
  type Step,
  type StorePeriod,
  type YearScenario,
} from './year-scenario.js';

/**
 * Plays a year scenario (year-scenario.ts) against one sandbox and the gateways of a test, and
 * reads back what the ledger holds, in the form the expectations are written in.
 */

/** What the driver needs from a test: the sandbox's clock and control API, and the gateway(s). */
export interface YearWorld {
  /** Sets the frozen sandbox clock (and whatever follows it) to `ms`. */
  clock(ms: number): Promise<void>;
  /** A sandbox control-API call that must succeed. */
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** redeemPurchase `copies` times at once; each answer as the game ends up with it. */
  redeem(input: Record<string, unknown>, copies: number): Promise<RedeemAnswer[]>;
  /** syncRevocations of the app, until a run of it completed. */
  sync(): Promise<void>;
  /** A GraphQL query through a gateway: its `data`. */
  query(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * Until every tracked subscription due now has been read by the subscription scheduler, as the
   * gateway runs it (its timer, or runDue in process): each transition is observed at the instant the
   * scenario is at, before the next store step or clock move.
   */
  settle(): Promise<void>;
}

export interface YearSetup {
  /** The gateway app. */
  app: string;
  /** The ONE store clientId of that app in the sandbox. */
  clientId: string;
  /** The scenario's start (sandbox time, ms): every step's `at` is after it. */
  t0: number;
  userId: string;
}

type RedeemStep = Step & { do: 'redeem' };

export interface YearRun {
  scenario: YearScenario;
  setup: YearSetup;
  purchaseToken: string;
  /** Each redeem step with the answers its calls got. */
  redeemed: { step: RedeemStep; answers: RedeemAnswer[] }[];
}

interface StoreRecord {
  purchaseToken: string;
  periods: { purchaseId: string; start: number; end: number; price: { amount: string }; state: string }[];
}

const LIFECYCLE: ReadonlySet<string> = new Set(LIFECYCLE_EVENT_TYPES);

const record = (world: YearWorld, token: string) =>
  world.control<StoreRecord>('GET', `/onestore/purchases/${token}`);

/** Plays every step in order, the clock set to each step's instant first. */
export async function playYear(s: YearScenario, world: YearWorld, setup: YearSetup): Promise<YearRun> {
  let purchaseToken = '';
  const redeemed: YearRun['redeemed'] = [];
  const input = () => ({
    app: setup.app,
    userId: setup.userId,
    onestore: { productId: s.productId, purchaseToken, kind: s.kind },
  });
  for (const step of s.steps) {
    await world.clock(setup.t0 + step.at);
    // What the clock move changed is read before the step acts (a renewal before its redemption).
    await world.settle();
    switch (step.do) {
      case 'buy': {
        const body = { clientId: setup.clientId, productId: s.productId, type: s.type };
        purchaseToken = (await world.control<StoreRecord>('POST', '/onestore/purchases', body)).purchaseToken;
        break;
      }
      case 'redeem':
        redeemed.push({ step, answers: await world.redeem(input(), step.copies ?? 1) });
        break;
      case 'act':
        await world.control('POST', `/onestore/purchases/${purchaseToken}/${step.action}`, step.body ?? {});
        break;
      case 'void': {
        const period = (await record(world, purchaseToken)).periods[step.period - 1];
        if (!period) throw new Error(`${step.note}: no period ${step.period}`);
        await world.control('POST', `/onestore/purchases/${purchaseToken}/void`, {
          purchaseId: period.purchaseId,
        });
        break;
      }
      case 'sync':
        await world.sync();
        break;
      case 'wait':
        break;
    }
    await world.settle();
  }
  return { scenario: s, setup, purchaseToken, redeemed };
}

const GRANTS = `query ($app: String!, $userId: String!) {
  grants(app: $app, userId: $userId, first: 100) {
    __typename
    ... on GrantConnection { edges { node { id productId userId status outcome revokedAt
      revocation { source purchaseId } storeIds { purchaseToken purchaseId } } } }
  }
}`;

const EVENTS = `query ($app: String!, $after: String) {
  gatewayEvents(app: $app, after: $after, first: 100) {
    __typename
    ... on GatewayEventConnection {
      edges { node { type occurredAt purchaseId subscriptionKind productId subscription { purchaseToken }
        grant { id status revokedAt storeIds { purchaseToken purchaseId } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface GrantNode {
  id: string;
  productId: string;
  userId: string;
  status: string;
  outcome: string | null;
  revokedAt: string | null;
  revocation: { source: string; purchaseId: string | null } | null;
  storeIds: { purchaseToken: string | null; purchaseId: string | null };
}

interface EventNode {
  type: string;
  occurredAt: string;
  subscription: { purchaseToken: string } | null;
  purchaseId: string | null;
  subscriptionKind: string | null;
  productId: string | null;
  grant: Pick<GrantNode, 'id' | 'status' | 'revokedAt' | 'storeIds'> | null;
}

async function events(world: YearWorld, app: string): Promise<EventNode[]> {
  const all: EventNode[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await world.query(EVENTS, { app, after });
    const page = data.gatewayEvents as {
      edges: { node: EventNode }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    all.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}

/** An answer as compared: the period and grant it names, or the refusal. */
function answerOf(a: RedeemAnswer, periodOf: (purchaseId: string | null | undefined) => number) {
  if (a.__typename !== 'RedeemPurchaseSuccess' || !a.grant)
    return { typename: a.__typename, message: (a as { message?: string }).message };
  return {
    period: periodOf(a.grant.storeIds.purchaseId),
    fresh: a.alreadyRedeemed === false,
    grantId: a.grant.id,
    status: a.grant.status,
  };
}

/**
 * What the run left, beside what the scenario says it must: the store's periods, the ledger's
 * grants, the events about them in order, and the redemptions' answers. `exactFresh` false (calls
 * lost to a killed replica, whose retry may find the grant made) compares answers without
 * `alreadyRedeemed` and reports instead how many calls were told to deliver per period.
 */
export async function yearOutcome(run: YearRun, world: YearWorld, exactFresh: boolean) {
  const { scenario: s, setup, purchaseToken } = run;
  const stored = await record(world, purchaseToken);
  const ids = stored.periods.map((p) => p.purchaseId);
  const periodOf = (purchaseId: string | null | undefined) => ids.indexOf(purchaseId ?? '') + 1;
  const periods: StorePeriod[] = stored.periods.map((p) => ({
    start: p.start - setup.t0,
    end: p.end - setup.t0,
    price: p.price.amount,
    state: p.state as StorePeriod['state'],
  }));

  const granted = (await world.query(GRANTS, { app: setup.app, userId: setup.userId })).grants as {
    edges: { node: GrantNode }[];
  };
  const grants = granted.edges
    .map((e) => e.node)
    .filter((g) => g.storeIds.purchaseToken === purchaseToken)
    .map((g) => ({ ...g, period: periodOf(g.storeIds.purchaseId) }))
    .sort((a, b) => a.period - b.period);
  const grantOf = (period: number) => grants.find((g) => g.period === period)?.id ?? `no grant of ${period}`;

  const expectedGrant = (e: ReturnType<typeof expectedGrants>[number]) => {
    const purchaseId = ids[e.period - 1] ?? null;
    return {
      period: e.period,
      id: grantOf(e.period),
      productId: s.productId,
      userId: setup.userId,
      status: 'SETTLED',
      outcome: e.outcome,
      revoked: e.revoked,
      revocation: e.revoked ? { source: 'onestore.voided-purchases', purchaseId } : null,
      storeIds: { purchaseToken, purchaseId },
    };
  };

  const about = (await events(world, setup.app)).filter(
    (e) => (e.grant?.storeIds.purchaseToken ?? e.subscription?.purchaseToken) === purchaseToken,
  );
  /** The store's time of a lifecycle event, from the scenario's start; the ledger's own events carry the wall clock. */
  const sinceStart = (type: string, occurredAt: string) =>
    LIFECYCLE.has(type) ? Date.parse(occurredAt) - setup.t0 : null;
  const eventOf = (e: ExpectedEvent, revoked: boolean) => {
    if (LIFECYCLE.has(e.type))
      return {
        type: e.type,
        period: e.period,
        occurredAt: e.at ?? null,
        grant: null,
        purchaseId: e.type === 'SUBSCRIPTION_RENEWED' ? (ids[e.period - 1] ?? null) : null,
        subscriptionKind: s.kind,
        productId: s.productId,
      };
    const refund = e.type === 'SUBSCRIPTION_PERIOD_REFUNDED';
    return {
      type: e.type,
      period: e.period,
      occurredAt: null,
      grant: { id: grantOf(e.period), status: e.type === 'GRANT_CREATED' ? 'PENDING' : 'SETTLED', revoked },
      purchaseId: refund ? (ids[e.period - 1] ?? null) : null,
      subscriptionKind: refund ? s.kind : null,
      productId: refund ? s.productId : null,
    };
  };

  const expectedAnswer = (x: Expected, copy: number) =>
    'refused' in x
      ? { typename: 'InvalidPurchaseStateError', message: x.refused }
      : { period: x.period, fresh: x.fresh && copy === 0, grantId: grantOf(x.period), status: 'SETTLED' };
  const withoutFresh = (a: object) =>
    exactFresh ? a : Object.fromEntries(Object.entries(a).filter(([key]) => key !== 'fresh'));
  const byFresh = (a: { fresh?: boolean }, b: { fresh?: boolean }) =>
    Number(b.fresh ?? false) - Number(a.fresh ?? false);

  const answers = run.redeemed.map(({ step, answers: got }) => ({
    note: step.note,
    answers: got
      .map((a) => answerOf(a, periodOf))
      .sort(byFresh)
      .map(withoutFresh),
  }));
  const freshPerPeriod = new Map<number, number>();
  for (const { answers: got } of run.redeemed)
    for (const a of got.map((x) => answerOf(x, periodOf)))
      if ('fresh' in a && a.fresh) freshPerPeriod.set(a.period, (freshPerPeriod.get(a.period) ?? 0) + 1);

  return {
    actual: {
      periods,
      grants: grants.map(
        ({ period, id, productId, userId, status, outcome, revokedAt, revocation, storeIds }) => ({
          period,
          id,
          productId,
          userId,
          status,
          outcome,
          revoked: revokedAt !== null,
          revocation,
          storeIds,
        }),
      ),
      events: about.map((e) => ({
        type: e.type,
        period: e.grant ? periodOf(e.grant.storeIds.purchaseId) : periodOf(e.purchaseId),
        occurredAt: sinceStart(e.type, e.occurredAt),
        grant: e.grant && { id: e.grant.id, status: e.grant.status, revoked: e.grant.revokedAt !== null },
        purchaseId: e.purchaseId,
        subscriptionKind: e.subscriptionKind,
        productId: e.productId,
      })),
      answers,
    },
    expected: {
      periods: s.periods,
      grants: expectedGrants(s).map(expectedGrant),
      events: expectedEvents(s).map((e) =>
        eventOf(e, e.type === 'GRANT_REVOKED' || e.type === 'SUBSCRIPTION_PERIOD_REFUNDED'),
      ),
      answers: run.redeemed.map(({ step }) => ({
        note: step.note,
        answers: Array.from({ length: step.copies ?? 1 }, (_, copy) => expectedAnswer(step.expect, copy)).map(
          withoutFresh,
        ),
      })),
    },
    /** Calls told "deliver" (alreadyRedeemed false) per period: at most one each. */
    freshPerPeriod: Object.fromEntries(freshPerPeriod),
  };
}
