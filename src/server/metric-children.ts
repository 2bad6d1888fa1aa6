import type { Counter, Histogram } from 'prom-client';

/**
 * Hot-path handles on prom-client label sets. prom-client hashes the label object, validates its
 * keys and (for a histogram) builds a closure on every `inc`/`observe`, and `labels(...)` children
 * do the same on each call: a few hundred ns per event, several events per request. A handle
 * instead keeps the label set's own state object and updates it the way prom-client's `inc` and
 * `observe` do, so the exposition is the same to the bit.
 *
 * The state objects are prom-client's (lib/counter.js, lib/histogram.js; the same shape since
 * 12.x) and not in its types: test/server/metric-children.test.ts compares every handle's output
 * with plain `inc`/`observe` calls, so an upgrade that changes them fails there. A handle finds its
 * state again when the metric was `reset()` (a new map); the gateway never `remove()`s a label set nor calls
 * `Histogram.zero()` (either would leave a handle updating a detached state).
 */

/** prom-client's state of one counter label set. */
interface CounterState {
  value: number;
}
/** prom-client's state of one histogram label set. */
interface HistogramState {
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}
interface MetricInternals<S> {
  hashMap: Record<string, S & { labels: object }>;
}

/** Most label sets a {@link LabelSets} keeps handles for; past it, events take prom-client's path. */
export const MAX_HANDLES = 1_000;

/**
 * Handles by label values, looked up by nested maps (no key string is built per event). Bounded
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

  /** The handle for these label values, or undefined once the cap is reached for a new set. */
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
    let handle = map.get(last) as H | undefined;
    if (handle === undefined) {
      if (this.#size >= MAX_HANDLES) return undefined;
      handle = this.make(values);
      map.set(last, handle);
      this.#size += 1;
    }
    return handle;
  }
}

function labelObject<T extends string>(names: readonly T[], values: readonly string[]): Record<T, string> {
  const labels = {} as Record<T, string>;
  names.forEach((name, i) => {
    labels[name] = values[i] as string;
  });
  return labels;
}

/** Finds the state prom-client keeps for these label values (once per handle and map). */
function stateOf<S>(metric: MetricInternals<S>, labels: Record<string, string>): S | undefined {
  const names = Object.keys(labels);
  for (const key in metric.hashMap) {
    const state = metric.hashMap[key];
    const own = state?.labels as Record<string, unknown> | undefined;
    if (own !== undefined && Object.keys(own).length === names.length) {
      if (names.every((name) => own[name] === labels[name])) return state;
    }
  }
  return undefined;
}

class CounterHandle {
  #map: object | undefined;
  #state: CounterState | undefined;

  constructor(
    readonly metric: Counter<string>,
    readonly labels: Record<string, string>,
  ) {}

  inc(): void {
    const internals = this.metric as unknown as MetricInternals<CounterState>;
    if (this.#state !== undefined && internals.hashMap === this.#map) {
      this.#state.value += 1;
      return;
    }
    this.metric.inc(this.labels);
    this.#map = internals.hashMap;
    this.#state = stateOf(internals, this.labels);
  }
}

class HistogramHandle {
  #map: object | undefined;
  #state: HistogramState | undefined;

  constructor(
    readonly metric: Histogram<string>,
    readonly bounds: readonly number[],
    /** `bounds` as prom-client's property names, so no number becomes a string per event. */
    readonly keys: readonly string[],
    readonly labels: Record<string, string>,
  ) {}

  observe(value: number): void {
    const internals = this.metric as unknown as MetricInternals<HistogramState>;
    const state = this.#state;
    // A non-finite value takes prom-client's path, which throws its own error.
    if (state !== undefined && internals.hashMap === this.#map && Number.isFinite(value)) {
      state.sum += value;
      state.count += 1;
      // As prom-client: the first bound the value fits under; above the last, only +Inf (count).
      const bounds = this.bounds;
      for (let i = 0; i < bounds.length; i += 1) {
        if (value <= (bounds[i] as number)) {
          const key = this.keys[i] as string;
          state.bucketValues[key] = (state.bucketValues[key] ?? 0) + 1;
          break;
        }
      }
      return;
    }
    this.metric.observe(this.labels, value);
    this.#map = internals.hashMap;
    this.#state = stateOf(internals, this.labels);
  }
}

/** `inc()` by label values, in `labelNames` order. */
export class CounterSets<T extends string> {
  readonly #sets: LabelSets<CounterHandle>;

  constructor(
    readonly metric: Counter<T>,
    readonly labelNames: readonly T[],
  ) {
    this.#sets = new LabelSets(labelNames.length, (values) => {
      return new CounterHandle(metric as Counter<string>, labelObject(labelNames, values));
    });
  }

  get handles(): number {
    return this.#sets.size;
  }

  inc(...values: string[]): void {
    const handle = this.#sets.get(values);
    if (handle !== undefined) handle.inc();
    else this.metric.inc(labelObject(this.labelNames, values) as Partial<Record<T, string>>);
  }
}

/** `observe()` by label values, in `labelNames` order; `buckets` are the histogram's own. */
export class HistogramSets<T extends string> {
  readonly #sets: LabelSets<HistogramHandle>;

  constructor(
    readonly metric: Histogram<T>,
    readonly labelNames: readonly T[],
    buckets: readonly number[],
  ) {
    // In the order given, as prom-client looks a value's bucket up.
    const bounds = [...buckets];
    const keys = bounds.map(String);
    this.#sets = new LabelSets(labelNames.length, (values) => {
      const labels = labelObject(labelNames, values);
      return new HistogramHandle(metric as Histogram<string>, bounds, keys, labels);
    });
  }

  get handles(): number {
    return this.#sets.size;
  }

  observe(value: number, ...values: string[]): void {
    const handle = this.#sets.get(values);
    if (handle !== undefined) handle.observe(value);
    else this.metric.observe(labelObject(this.labelNames, values) as Partial<Record<T, string>>, value);
  }
}
