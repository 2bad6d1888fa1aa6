import type { Counter, Histogram } from 'prom-client';

/**
 * Per-request metrics by label values, through prom-client's public API only: each label set's
 * child (`metric.labels({...})`, a handle prom-client documents for exactly this) is made once and
 * kept, so an event costs a few map lookups and the child's own `inc`/`observe` instead of a label
 * object and a child per event. The child goes through the metric's `inc`/`observe` on every call,
 * so a `reset()` of the metric is seen at once and the exposition is prom-client's own.
 */

/** Most label sets a {@link LabelSets} keeps children for; past it, events take the metric's path. */
export const MAX_HANDLES = 1_000;

/**
 * Children by label values, looked up by nested maps (no key string is built per event). Bounded
 * by {@link MAX_HANDLES}: the label values here come from closed sets (stores, endpoint names,
 * statuses, bounded operation names), and the cap keeps it so if one ever does not.
 */
class LabelSets<H> {
  readonly #root = new Map<string, unknown>();
  #size = 0;

  constructor(
    readonly depth: number,
    readonly make: (values: readonly string[]) => H,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** The child for these label values, or undefined once the cap is reached for a new set. */
  get(values: readonly string[]): H | undefined {
    let map = this.#root;
    for (let i = 0; i < this.depth - 1; i += 1) {
      const key = values[i] as string;
      let next = map.get(key) as Map<string, unknown> | undefined;
      if (next === undefined) {
        if (this.#size >= MAX_HANDLES) return undefined;
        next = new Map();
        map.set(key, next);
      }
      map = next;
    }
    const last = values[this.depth - 1] as string;
    let child = map.get(last) as H | undefined;
    if (child === undefined) {
      if (this.#size >= MAX_HANDLES) return undefined;
      child = this.make(values);
      map.set(last, child);
      this.#size += 1;
    }
    return child;
  }
}

/** The label object in `names` order: the order prom-client then prints the labels in. */
function labelObject<T extends string>(names: readonly T[], values: readonly string[]): Record<T, string> {
  const labels = {} as Record<T, string>;
  names.forEach((name, i) => {
    labels[name] = values[i] as string;
  });
  return labels;
}

/**
 * A metric's children by label values, in `labelNames` order: kept ones from {@link LabelSets}, and
 * past its cap one made for the event (prom-client's `labels()`, the same series either way).
 */
class ChildSets<T extends string, C> {
  readonly #sets: LabelSets<C>;

  constructor(
    readonly labelNames: readonly T[],
    readonly childOf: (labels: Record<T, string>) => C,
  ) {
    this.#sets = new LabelSets(labelNames.length, (values) => childOf(labelObject(labelNames, values)));
  }

  get handles(): number {
    return this.#sets.size;
  }

  protected child(values: readonly string[]): C {
    return this.#sets.get(values) ?? this.childOf(labelObject(this.labelNames, values));
  }
}

/** `inc()` by label values, in `labelNames` order. */
export class CounterSets<T extends string> extends ChildSets<T, Counter.Internal> {
  constructor(
    readonly metric: Counter<T>,
    labelNames: readonly T[],
  ) {
    super(labelNames, (labels) => metric.labels(labels));
  }

  inc(...values: string[]): void {
    this.child(values).inc();
  }
}

/** `observe()` by label values, in `labelNames` order. */
export class HistogramSets<T extends string> extends ChildSets<T, Histogram.Internal<T>> {
  constructor(
    readonly metric: Histogram<T>,
    labelNames: readonly T[],
  ) {
    super(labelNames, (labels) => metric.labels(labels));
  }

  observe(value: number, ...values: string[]): void {
    this.child(values).observe(value);
  }
}
