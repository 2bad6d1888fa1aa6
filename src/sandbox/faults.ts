/** A fault rule, as posted to `POST /sandbox/v1/faults`. */
export interface FaultSpec {
  /** Endpoint name (see docs/sandbox-contract.md) or `*` for every store endpoint. Default `*`. */
  endpoint?: string;
  /** Added delay before the request is handled, ms. Default 0. */
  latencyMs?: number;
  /** A ONE store standard code to answer with (at the code's HTTP status unless `status` is given). */
  code?: string;
  /** An HTTP status; alone, it answers with an HTML error page, as a proxy in front of a store would. */
  status?: number;
  /** An NHN Cloud result code to answer with (HTTP 200, `header.isSuccessful: false`). */
  resultCode?: number;
  /** Destroy the connection without answering. Default false. */
  drop?: boolean;
  /** Sent as `Retry-After` (seconds) with the rule's answer, e.g. a 503 that says when to come back. Default: none. */
  retryAfterSeconds?: number;
  /**
   * Send only the first half of the answer's body (its `Content-Length` says the cut length, so
   * the HTTP message is whole): the rule's own answer, or in the `after` phase the real one when
   * the rule has none (a 200 whose JSON stops mid-way). Default false.
   */
  cut?: boolean;
  /** Share of matching requests the rule applies to, 0..1. Default 1. */
  rate?: number;
  /** Apply to the next N matching requests only, then retire. Default: no limit. */
  count?: number;
  /**
   * When the rule acts. `before` (default): instead of handling the request, which then changes
   * nothing. `after`: the request is handled for real first (its state change applies and the stats
   * count it), and only then is the answer delayed, dropped or replaced, so a client sees a failure
   * of a call that did take effect: the case a state-changing call must treat as uncertain.
   */
  phase?: FaultPhase;
}

export type FaultPhase = 'before' | 'after';

export interface FaultRule
  extends Required<Pick<FaultSpec, 'endpoint' | 'latencyMs' | 'drop' | 'rate' | 'phase'>> {
  id: number;
  code?: string;
  status?: number;
  resultCode?: number;
  retryAfterSeconds?: number;
  cut?: boolean;
  remaining?: number;
}

/** What the rules of one phase ask: a delay, then perhaps an answer of their own. */
export interface PhaseDecision {
  latencyMs: number;
  rule?: FaultRule;
}

/** What the matching rules ask of one request: before handling it, and (when any) after. */
export interface FaultDecision extends PhaseDecision {
  after?: PhaseDecision;
}

const NO_FAULT: FaultDecision = Object.freeze({ latencyMs: 0 });

export class FaultInjector {
  #rules: FaultRule[] = [];
  #nextId = 1;
  /** Returns a number in [0, 1); replaceable so a scripted run can be repeated. */
  random: () => number = Math.random;

  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = {
      id: this.#nextId++,
      endpoint: spec.endpoint ?? '*',
      latencyMs: spec.latencyMs ?? 0,
      drop: spec.drop ?? false,
      rate: spec.rate ?? 1,
      phase: spec.phase ?? 'before',
      ...(spec.code !== undefined && { code: spec.code }),
      ...(spec.status !== undefined && { status: spec.status }),
      ...(spec.resultCode !== undefined && { resultCode: spec.resultCode }),
      ...(spec.retryAfterSeconds !== undefined && { retryAfterSeconds: spec.retryAfterSeconds }),
      ...(spec.cut === true && { cut: true }),
      ...(spec.count !== undefined && { remaining: spec.count }),
    };
    this.#rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return [...this.#rules];
  }

  remove(id: number): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== before;
  }

  clear(): void {
    this.#rules = [];
  }

  /**
   * Per phase, the latencies of all applying rules add up and the first applying rule with an
   * answer wins.
   */
  decide(endpoint: string): FaultDecision {
    if (this.#rules.length === 0) return NO_FAULT;
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of this.#rules) {
      if (rule.endpoint !== '*' && rule.endpoint !== endpoint) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.rate < 1 && this.random() >= rule.rate) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      if (rule.phase === 'after' && !decision.after) decision.after = { latencyMs: 0 };
      const phase = rule.phase === 'after' && decision.after ? decision.after : decision;
      phase.latencyMs += rule.latencyMs;
      const answers =
        rule.drop ||
        rule.cut === true ||
        rule.code !== undefined ||
        rule.status !== undefined ||
        rule.resultCode !== undefined;
      if (answers && !phase.rule) phase.rule = rule;
    }
    this.#rules = this.#rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return decision;
  }
}

export type StoreName = 'onestore' | 'nhncloud' | 'gamebase';
export const STORE_NAMES: readonly StoreName[] = ['onestore', 'nhncloud', 'gamebase'];

/** Maintenance switches, one per store. */
export class Maintenance {
  #on = new Map<StoreName, number | undefined>();

  set(store: StoreName | 'all', on: boolean, retryAfterSeconds?: number): void {
    const stores: readonly StoreName[] = store === 'all' ? STORE_NAMES : [store];
    for (const s of stores) {
      if (on) this.#on.set(s, retryAfterSeconds);
      else this.#on.delete(s);
    }
  }

  isOn(store: StoreName): boolean {
    return this.#on.has(store);
  }

  retryAfterSeconds(store: StoreName): number | undefined {
    return this.#on.get(store);
  }

  clear(): void {
    this.#on.clear();
  }
}
