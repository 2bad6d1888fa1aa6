/** Status key of a request whose connection was dropped on purpose (fault injection). */
export const DROPPED = 'dropped';

export interface EndpointStats {
  total: number;
  byStatus: Record<string, number>;
}

export interface StatsSnapshot {
  total: number;
  byStatus: Record<string, number>;
  endpoints: Record<string, EndpointStats>;
}

/**
 * Counts of store requests (not control-API requests) per endpoint and per answer status, so tests
 * can prove what reached the store. A request is counted once, when its answer is decided.
 */
export class RequestStats {
  #total = 0;
  #byStatus = new Map<string, number>();
  #endpoints = new Map<string, { total: number; byStatus: Map<string, number> }>();

  record(endpoint: string, status: number | typeof DROPPED): void {
    const key = String(status);
    this.#total++;
    this.#byStatus.set(key, (this.#byStatus.get(key) ?? 0) + 1);
    let entry = this.#endpoints.get(endpoint);
    if (!entry) {
      entry = { total: 0, byStatus: new Map() };
      this.#endpoints.set(endpoint, entry);
    }
    entry.total++;
    entry.byStatus.set(key, (entry.byStatus.get(key) ?? 0) + 1);
  }

  snapshot(): StatsSnapshot {
    const endpoints: Record<string, EndpointStats> = {};
    for (const [name, e] of this.#endpoints) {
      endpoints[name] = { total: e.total, byStatus: Object.fromEntries(e.byStatus) };
    }
    return { total: this.#total, byStatus: Object.fromEntries(this.#byStatus), endpoints };
  }

  reset(): void {
    this.#total = 0;
    this.#byStatus.clear();
    this.#endpoints.clear();
  }
}
